/*
 * Import-PfxCertificate: puts the certificates and keys of a PFX file into a
 * store (reference/pki-cmdlets.md §5.1). As on Windows, the imported keys
 * cannot be exported again unless -Exportable is given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdlets/certout.h"
#include "cmdlets/cmdlet.h"
#include "crypto/pfx.h"
#include "crypto/store.h"

#define SWITCH "System.Management.Automation.SwitchParameter"

static const struct param params[] = {
	{ .name = "Exportable", .kind = PARAM_SWITCH, .type_name = SWITCH, .position = PARAM_NAMED,
	  .help = "Let the imported keys be exported again (by default they cannot be)." },
	{ .name = "Password", .kind = PARAM_SECURE, .type_name = "System.Security.SecureString",
	  .position = PARAM_NAMED, .help = "The PFX file's password; not needed for a password-less file." },
	{ .name = "CertStoreLocation", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = 1, .flags = PARAM_CERT_LOCATION,
	  .help = "The store, e.g. Cert:\\CurrentUser\\My (the default: the current location)." },
	{ .name = "FilePath", .aliases = { "FullName" }, .kind = PARAM_PATH,
	  .type_name = "System.String", .position = 0, .mandatory = 1u,
	  .flags = PARAM_PIPELINE_PROPERTY, .help = "The PFX file to import." },
};

static const struct command command = {
	.name = "Import-PfxCertificate",
	.synopsis = "Imports certificates and private keys from a PFX file into a store.",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.flags = COMMAND_SHOULD_PROCESS,
	.output_type = "System.Security.Cryptography.X509Certificates.X509Certificate2",
};

static int
in_store(const struct crypto_store_path *path, const struct crypto_cert *cert)
{
	struct crypto_cert *present = NULL;
	int found;

	found = crypto_store_find(path->location, path->store, crypto_cert_thumbprint(cert),
	    &present, NULL, NULL) == 0;
	crypto_cert_free(present);
	return found;
}

static int
body(const struct binding *b, struct pk_error *err)
{
	const char *file = binder_get(b, "FilePath")->text;
	struct crypto_certlist certs = { NULL, 0 };
	struct crypto_store_path path;
	struct certout_item *items = NULL;
	char *parent = NULL, **stored = NULL;
	int *added = NULL;
	unsigned flags;
	size_t i, n = 0, keyed = 0;
	int rc;

	memset(&path, 0, sizeof(path));
	if ((rc = crypto_store_path_parse_target(binder_get(b, "CertStoreLocation")->text, &path, err)) != 0 ||
	    (rc = crypto_pfx_read(file, binder_get(b, "Password")->text, &certs, err)) != 0)
		goto out;
	if (certs.count == 0) {
		rc = pk_fail(err, PK_ERR_FORMAT, "The PFX file '%s' holds no certificate.", file);
		goto out;
	}
	if (!cmdlet_should_process(b, command.name, file)) {
		rc = 0;
		goto out;
	}
	if ((parent = crypto_store_path_parent(&path)) == NULL ||
	    (items = calloc(certs.count, sizeof(*items))) == NULL ||
	    (stored = calloc(certs.count, sizeof(*stored))) == NULL ||
	    (added = calloc(certs.count, sizeof(*added))) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	for (i = 0; i < certs.count; i++)
		keyed += crypto_cert_has_key(certs.certs[i]) != 0;
	/* As on Windows, an imported key stays in unless -Exportable lets it out. */
	flags = binder_get(b, "Exportable")->on ? 0 : CRYPTO_STORE_ADD_NONEXPORTABLE;
	for (i = 0; i < certs.count; i++) {
		struct crypto_cert *cert = certs.certs[i];

		added[i] = !in_store(&path, cert);
		if ((rc = crypto_store_add_ex(path.location, path.store, cert, flags, &stored[i],
		    err)) != 0)
			goto out;
		cmdlet_verbose(b, "Stored %s in %s.", crypto_cert_thumbprint(cert), stored[i]);
		/* Windows returns the certificates that have a key (all when none has). */
		if (keyed == 0 || crypto_cert_has_key(cert)) {
			items[n].cert = cert;
			items[n].parent = parent;
			items[n].file = stored[i];
			n++;
		}
	}
	certout_print(items, n, stdout);
out:
	/* All or nothing: a failed import takes back what it added. */
	for (i = 0; rc != 0 && stored != NULL && i < certs.count; i++)
		if (stored[i] != NULL && added[i])
			crypto_store_remove(path.location, path.store,
			    crypto_cert_thumbprint(certs.certs[i]), NULL);
	for (i = 0; stored != NULL && i < certs.count; i++)
		free(stored[i]);
	free(added);
	free(stored);
	crypto_certlist_clear(&certs);
	crypto_store_path_clear(&path);
	free(items);
	free(parent);
	return rc;
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
