/*
 * Remove-StoreCertificate: what Remove-Item does to a Cert:\ certificate path
 * on Windows (reference/pki-cmdlets.md §6), for bash and for the module's
 * Remove-Item proxy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdlets/cmdlet.h"
#include "crypto/store.h"

#define SWITCH "System.Management.Automation.SwitchParameter"

static const struct param params[] = {
	{ .name = "Path", .kind = PARAM_STRINGS, .type_name = "System.String[]", .position = 0,
	  .mandatory = 1u, .flags = PARAM_PIPELINE_VALUE | PARAM_PIPELINE_PROPERTY,
	  .help = "Cert:\\<Location>\\<Store>\\<THUMBPRINT> of each certificate to remove." },
	{ .name = "DeleteKey", .kind = PARAM_SWITCH, .type_name = SWITCH, .position = PARAM_NAMED,
	  .help = "Delete the private key too (here it always goes with the certificate)." },
};

static const struct command command = {
	.name = "Remove-StoreCertificate",
	.synopsis = "Removes certificates (and their keys) from a store, as Remove-Item Cert:\\... does on Windows.",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.flags = COMMAND_SHOULD_PROCESS,
	.output_type = "System.Void",
};

/*
 * A store file holds the certificate and its key together, so the key goes
 * with the certificate with or without -DeleteKey. On Windows a key left
 * behind without -DeleteKey has no certificate that reaches it either.
 */
static int
remove_one(const struct binding *b, const char *text, struct pk_error *err)
{
	struct crypto_store_path path;
	struct crypto_cert *cert = NULL;
	int rc;

	if ((rc = crypto_store_path_parse(text, &path, err)) != 0)
		return rc;
	if (path.thumbprint[0] == '\0') {
		rc = pk_fail(err, PK_ERR_USAGE, "Cannot remove %s: only certificates can be "
		    "removed, and the path names a %s.", text,
		    path.store != NULL ? "store" : "location");
		goto out;
	}
	if ((rc = crypto_store_find(path.location, path.store, path.thumbprint, &cert, NULL,
	    err)) != 0)
		goto out;
	if (!cmdlet_should_process(b, "Remove certificate", text))
		goto out;
	if ((rc = crypto_store_remove(path.location, path.store, path.thumbprint, err)) != 0)
		goto out;
	cmdlet_verbose(b, "Removed %s%s.", text, crypto_cert_has_key(cert) ?
	    " and its private key" : "");
out:
	crypto_cert_free(cert);
	crypto_store_path_clear(&path);
	return rc;
}

static int
body(const struct binding *b, struct pk_error *err)
{
	const struct bound *paths = binder_get(b, "Path");
	size_t i, failed = 0;
	int rc;

	for (i = 0; i < paths->nitems; i++) {
		if ((rc = remove_one(b, paths->items[i], err)) == 0)
			continue;
		if (paths->nitems == 1 || b->error_action == ACTION_STOP)
			return rc;
		cmdlet_error(b, rc, paths->items[i], "%s", err->msg);
		failed++;
	}
	return failed > 0 ? CMDLET_ERRORS_REPORTED : 0;
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
