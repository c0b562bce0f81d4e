/* Set-ServiceCertificate: sets a certificate's thumbprint in .cscfg files, byte for byte (DESIGN §3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdlets/cmdlet.h"
#include "cmdlets/svcout.h"
#include "crypto/filelock.h"
#include "crypto/store.h"
#include "xml/svcfile.h"

/* -Path or -LiteralPath, crossed with -Thumbprint or -Cert. */
enum {
	SET_PATH_THUMB = 1u << 0,
	SET_PATH_CERT = 1u << 1,
	SET_LITERAL_THUMB = 1u << 2,
	SET_LITERAL_CERT = 1u << 3
};
#define SETS_PATH (SET_PATH_THUMB | SET_PATH_CERT)
#define SETS_LITERAL (SET_LITERAL_THUMB | SET_LITERAL_CERT)
#define SETS_THUMB (SET_PATH_THUMB | SET_LITERAL_THUMB)
#define SETS_CERT (SET_PATH_CERT | SET_LITERAL_CERT)

static const char *const sets[] = {
	"PathThumbprint", "PathCert", "LiteralPathThumbprint", "LiteralPathCert", NULL
};

static const struct param params[] = {
	{ .name = "Path", .kind = PARAM_STRINGS, .type_name = "System.String[]",
	  .position = 0, .sets = SETS_PATH, .mandatory = SETS_PATH,
	  .flags = PARAM_PIPELINE_VALUE | PARAM_PIPELINE_PROPERTY | PARAM_WILDCARDS,
	  .help = "Service configuration files (.cscfg); wildcards allowed." },
	{ .name = "LiteralPath", .aliases = { "PSPath", "LP" }, .kind = PARAM_STRINGS,
	  .type_name = "System.String[]", .position = PARAM_NAMED, .sets = SETS_LITERAL,
	  .mandatory = SETS_LITERAL, .flags = PARAM_PIPELINE_PROPERTY,
	  .help = "Service configuration files, taken exactly as written." },
	{ .name = "Name", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .mandatory = SETS_PATH | SETS_LITERAL,
	  .flags = PARAM_NOT_NULL_OR_EMPTY,
	  .help = "The certificate's name (case-insensitive)." },
	{ .name = "Role", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .flags = PARAM_NOT_NULL_OR_EMPTY,
	  .help = "Only this role; by default every role with the certificate." },
	{ .name = "Thumbprint", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .sets = SETS_THUMB, .mandatory = SETS_THUMB,
	  .flags = PARAM_NOT_NULL_OR_EMPTY | PARAM_PIPELINE_PROPERTY,
	  .help = "40 hex digits; spaces and lower case are normalised." },
	{ .name = "Cert", .kind = PARAM_CERT,
	  .type_name = "System.Security.Cryptography.X509Certificates.X509Certificate2",
	  .position = PARAM_NAMED, .sets = SETS_CERT, .mandatory = SETS_CERT,
	  .flags = PARAM_PIPELINE_VALUE,
	  .help = "A Cert:\\ path, a .cer or a .pfx file: its thumbprint is used." },
	{ .name = "Password", .kind = PARAM_SECURE,
	  .type_name = "System.Security.SecureString", .position = PARAM_NAMED,
	  .sets = SETS_CERT, .help = "The password of a -Cert .pfx file." },
	{ .name = "PassThru", .kind = PARAM_SWITCH,
	  .type_name = "System.Management.Automation.SwitchParameter",
	  .position = PARAM_NAMED, .help = "Output the certificates that were set." },
};

static const struct command command = {
	.name = "Set-ServiceCertificate",
	.synopsis = "Sets a certificate thumbprint in Azure Cloud Services .cscfg files.",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.sets = sets,
	.default_set = 0,
	.flags = COMMAND_SHOULD_PROCESS,
	.output_type = "System.Management.Automation.PSCustomObject",
};

/* The thumbprint to write: -Thumbprint normalised, or the one certificate -Cert names. */
static int
wanted_thumbprint(const struct binding *b, char out[41], struct pk_error *err)
{
	const struct bound *thumb = binder_get(b, "Thumbprint");
	const struct bound *cert = binder_get(b, "Cert");
	struct crypto_certlist list = { NULL, 0 };
	int rc;

	if (thumb->present) {
		rc = svcfile_thumbprint_normalize(thumb->text, out, err);
		goto out;
	}
	if (cert->nitems > 1 || cert->text == NULL) {
		rc = pk_fail(err, PK_ERR_USAGE, "-Cert must name one certificate.");
		goto out;
	}
	if ((rc = crypto_store_resolve(cert->text, binder_get(b, "Password")->text, &list,
	    err)) != 0)
		goto out;
	if (list.count != 1) {
		rc = pk_fail(err, PK_ERR_USAGE, "'%s' holds %zu certificates; -Cert must name "
		    "one.", cert->text, list.count);
		goto out;
	}
	snprintf(out, 41, "%s", crypto_cert_thumbprint(list.certs[0]));
	rc = 0;
out:
	crypto_certlist_clear(&list);
	return rc;
}

/* -WhatIf: one line per value that would change. */
static void
what_if(const struct binding *b, struct svcfile *f, const char *role, const char *name,
    const char *const *before)
{
	char target[1024];
	size_t i;

	for (i = 0; i < svcfile_count(f); i++) {
		const struct svcfile_cert *c = svcfile_cert(f, i);

		if (!svcfile_name_eq(c->name, name) || (role != NULL &&
		    !svcfile_name_eq(c->role, role)) || before[i] == c->thumbprint)
			continue;
		snprintf(target, sizeof(target), "Role '%s', certificate '%s' in %s: "
		    "thumbprint '%s' -> '%s'", c->role, c->name, svcfile_path(f), before[i],
		    c->thumbprint);
		cmdlet_should_process(b, "Set thumbprint", target);
	}
}

static int
body(const struct binding *b, struct pk_error *err)
{
	const struct bound *path = binder_get(b, "Path");
	const struct bound *which = path->present ? path : binder_get(b, "LiteralPath");
	const char *role = binder_get(b, "Role")->text;
	const char *name = binder_get(b, "Name")->text;
	struct svcfile **files = NULL;
	struct filelock *lock = NULL;
	const char ***before = NULL;
	char **paths = NULL, thumbprint[41];
	size_t npaths = 0, nfiles = 0, i, k, changed, written = 0;
	int rc;

	if ((rc = wanted_thumbprint(b, thumbprint, err)) != 0)
		goto out;
	if ((rc = svcfile_expand(which->items, which->nitems, !path->present, &paths,
	    &npaths, err)) != 0)
		goto out;
	files = calloc(npaths + 1, sizeof(*files));
	before = calloc(npaths + 1, sizeof(*before));
	if (files == NULL || before == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	/* Locked from before the first read to after the last rename: no update is lost. */
	if (!b->whatif && (rc = filelock_acquire((const char *const *)paths, npaths, &lock,
	    err)) != 0)
		goto out;
	/* Every file is read and edited in memory first: one failure changes no file. */
	for (i = 0; i < npaths; i++) {
		if ((rc = svcfile_load(paths[i], &files[i], err)) != 0)
			goto out;
		if ((before[i] = calloc(svcfile_count(files[i]) + 1, sizeof(**before))) == NULL) {
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
		for (k = 0; k < svcfile_count(files[i]); k++)
			before[i][k] = svcfile_cert(files[i], k)->thumbprint;
		if ((rc = svcfile_set_thumbprint(files[i], role, name, thumbprint, &changed,
		    err)) != 0)
			goto out;
		cmdlet_verbose(b, "%s: %zu thumbprint%s to change.", paths[i], changed,
		    changed == 1 ? "" : "s");
	}
	nfiles = npaths;
	if (b->whatif) {
		for (i = 0; i < nfiles; i++)
			what_if(b, files[i], role, name, before[i]);
		rc = 0;
		goto out;
	}
	if ((rc = svcfile_commit(files, nfiles, &written, err)) != 0)
		goto out;
	cmdlet_verbose(b, "Wrote %zu of %zu file%s.", written, nfiles, nfiles == 1 ? "" : "s");
	if (binder_get(b, "PassThru")->on)
		svcfile_print(files, nfiles, role, name, cmdlet_json_output() ?
		    SVCFILE_FORMAT_JSON : isatty(STDOUT_FILENO) ? SVCFILE_FORMAT_TABLE :
		    SVCFILE_FORMAT_TSV, stdout);
	rc = 0;
out:
	for (i = 0; files != NULL && before != NULL && i < npaths; i++) {
		svcfile_free(files[i]);
		free(before[i]);
	}
	free(files);
	free(before);
	filelock_release(lock);
	svcfile_paths_free(paths, npaths);
	return rc;
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
