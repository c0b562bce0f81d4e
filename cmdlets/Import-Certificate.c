/*
 * Import-Certificate: puts the certificates of a .cer (DER or PEM), .p7b or
 * .sst file into a store, without keys (reference/pki-cmdlets.md §5.2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdlets/certout.h"
#include "cmdlets/cmdlet.h"
#include "crypto/atomicfile.h"
#include "crypto/certfile.h"
#include "crypto/store.h"

#define SST_MAGIC "\0\0\0\0CERT"
#define SST_MAGIC_LEN 8
#define CERT_FILE_MAX (16u << 20)

static const struct param params[] = {
	{ .name = "CertStoreLocation", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .flags = PARAM_CERT_LOCATION,
	  .help = "The store, e.g. Cert:\\CurrentUser\\Root (the default: the current location)." },
	{ .name = "FilePath", .aliases = { "FullName" }, .kind = PARAM_PATH,
	  .type_name = "System.String", .position = 0, .mandatory = 1u,
	  .flags = PARAM_PIPELINE_PROPERTY | PARAM_NOT_NULL_OR_EMPTY,
	  .help = "The .cer, .crt, .p7b or .sst file to import." },
};

static const struct command command = {
	.name = "Import-Certificate",
	.synopsis = "Imports certificates from a file into a store.",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.flags = COMMAND_SHOULD_PROCESS,
	.output_type = "System.Security.Cryptography.X509Certificates.X509Certificate2[]",
};

/*
 * The certificates to import: every one from an SST, only the first from
 * anything else, as documented. Keys never come along (a password-less PFX
 * given here yields its certificate only).
 */
static int
load(const char *file, struct crypto_certlist *out, struct pk_error *err)
{
	struct crypto_certlist all = { NULL, 0 };
	unsigned char *data = NULL, *der = NULL;
	size_t len = 0, derlen = 0, i, n;
	int rc;

	if ((rc = atomicfile_read(file, CERT_FILE_MAX, &data, &len, err)) != 0 ||
	    (rc = crypto_certfile_load_mem(data, len, NULL, &all, err)) != 0)
		goto out;
	n = len >= SST_MAGIC_LEN && memcmp(data, SST_MAGIC, SST_MAGIC_LEN) == 0 ?
	    all.count : all.count > 0;
	if (all.count == 0) {
		rc = pk_fail(err, PK_ERR_FORMAT, "The file '%s' holds no certificate.", file);
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct crypto_cert *cert = NULL;

		if ((rc = crypto_cert_der(all.certs[i], &der, &derlen, err)) != 0 ||
		    (rc = crypto_cert_from_mem(der, derlen, &cert, err)) != 0)
			goto out;
		free(der);
		der = NULL;
		if (crypto_certlist_add(out, cert) != 0) {
			crypto_cert_free(cert);
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
	}
out:
	free(der);
	free(data);
	crypto_certlist_clear(&all);
	return rc;
}

static int
body(const struct binding *b, struct pk_error *err)
{
	const char *file = binder_get(b, "FilePath")->text;
	struct crypto_certlist certs = { NULL, 0 };
	struct crypto_store_path path;
	struct certout_item *items = NULL;
	char *parent = NULL;
	size_t i, n = 0;
	int rc;

	memset(&path, 0, sizeof(path));
	if ((rc = crypto_store_path_parse_target(binder_get(b, "CertStoreLocation")->text, &path, err)) != 0 ||
	    (rc = load(file, &certs, err)) != 0)
		goto out;
	if (!cmdlet_should_process(b, command.name, file)) {
		rc = 0;
		goto out;
	}
	if ((parent = crypto_store_path_parent(&path)) == NULL ||
	    (items = calloc(certs.count, sizeof(*items))) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	for (n = 0; n < certs.count; n++) {
		char *stored = NULL;

		/* Adding what the store holds already (with its key) leaves it as it is. */
		if ((rc = crypto_store_add(path.location, path.store, certs.certs[n], &stored,
		    err)) != 0)
			goto out;
		cmdlet_verbose(b, "Stored %s in %s.", crypto_cert_thumbprint(certs.certs[n]),
		    stored);
		items[n].cert = certs.certs[n];
		items[n].parent = parent;
		items[n].file = stored;
	}
	certout_print(items, n, stdout);
out:
	for (i = 0; items != NULL && i < n; i++)
		free((char *)items[i].file);
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
