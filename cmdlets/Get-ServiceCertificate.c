/* Get-ServiceCertificate: lists the certificates of .cscfg and .csdef files (DESIGN §3). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmdlets/cmdlet.h"
#include "cmdlets/svcout.h"
#include "xml/svcfile.h"

enum { SET_PATH = 1u << 0, SET_LITERAL = 1u << 1 };

static const char *const sets[] = { "Path", "LiteralPath", NULL };

static const struct param params[] = {
	{ .name = "Path", .kind = PARAM_STRINGS, .type_name = "System.String[]",
	  .position = 0, .sets = SET_PATH, .mandatory = SET_PATH,
	  .flags = PARAM_PIPELINE_VALUE | PARAM_PIPELINE_PROPERTY | PARAM_WILDCARDS,
	  .help = "Service files (.cscfg, .csdef); wildcards allowed." },
	{ .name = "LiteralPath", .aliases = { "PSPath", "LP" }, .kind = PARAM_STRINGS,
	  .type_name = "System.String[]", .position = PARAM_NAMED, .sets = SET_LITERAL,
	  .mandatory = SET_LITERAL, .flags = PARAM_PIPELINE_PROPERTY,
	  .help = "Service files, taken exactly as written (no wildcards)." },
	{ .name = "Role", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .help = "Only certificates of this role." },
	{ .name = "Name", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .help = "Only certificates with this name." },
};

static const struct command command = {
	.name = "Get-ServiceCertificate",
	.synopsis = "Lists the certificates of Azure Cloud Services .cscfg and .csdef files.",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.sets = sets,
	.default_set = 0,
	.output_type = "System.Management.Automation.PSCustomObject",
};

/*
 * On a terminal, PowerShell's table grouped by file; captured, one
 * tab-separated line per certificate (path, kind, role, name, then the
 * kind's columns) that cut/awk/read can take apart; JSON lines for the module.
 */
static enum svcfile_format
output_format(void)
{
	if (cmdlet_json_output())
		return SVCFILE_FORMAT_JSON;
	return isatty(STDOUT_FILENO) ? SVCFILE_FORMAT_TABLE : SVCFILE_FORMAT_TSV;
}

static int
body(const struct binding *b, struct pk_error *err)
{
	const struct bound *path = binder_get(b, "Path");
	const struct bound *literal = binder_get(b, "LiteralPath");
	const struct bound *which = path->present ? path : literal;
	struct svcfile **files = NULL;
	char **paths = NULL;
	size_t npaths = 0, nfiles = 0, i;
	int rc;

	rc = svcfile_expand(which->items, which->nitems, !path->present, &paths, &npaths,
	    err);
	if (rc != 0)
		goto out;
	if ((files = calloc(npaths + 1, sizeof(*files))) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	for (i = 0; i < npaths; i++, nfiles++)
		if ((rc = svcfile_load(paths[i], &files[i], err)) != 0)
			goto out;
	svcfile_print(files, nfiles, binder_get(b, "Role")->text,
	    binder_get(b, "Name")->text, output_format(), stdout);
	rc = 0;
out:
	for (i = 0; files != NULL && i < nfiles; i++)
		svcfile_free(files[i]);
	free(files);
	svcfile_paths_free(paths, npaths);
	return rc;
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
