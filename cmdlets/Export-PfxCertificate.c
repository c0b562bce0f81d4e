/*
 * Export-PfxCertificate: writes store certificates with their private keys
 * into one PKCS#12 file in Windows' layout, or re-encrypts a PFX
 * (DESIGN §2.4, reference/pki-cmdlets.md §3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmdlets/cmdlet.h"
#include "cmdlets/fileout.h"
#include "cmdlets/json.h"
#include "crypto/atomicfile.h"
#include "crypto/pfx.h"
#include "crypto/store.h"

#define NS "Microsoft.CertificateServices.Commands."
#define SWITCH "System.Management.Automation.SwitchParameter"

static const char *const sets[] = { "PfxCert", "NormalCert", NULL };
#define PFX_CERT 1u
#define NORMAL_CERT 2u

static const char *const chain_options[] = { "BuildChain", "EndEntityCertOnly", "PfxDataOnly",
	NULL };
enum { BUILD_CHAIN, END_ENTITY_CERT_ONLY, PFX_DATA_ONLY };
static const char *const crypto_options[] = { "TripleDES_SHA1", "AES256_SHA256", NULL };

static const struct param params[] = {
	{ .name = "NoProperties", .kind = PARAM_SWITCH, .type_name = SWITCH,
	  .position = PARAM_NAMED, .help = "Leave out the friendly name and other store properties." },
	{ .name = "NoClobber", .kind = PARAM_SWITCH, .type_name = SWITCH, .position = PARAM_NAMED,
	  .help = "Refuse to replace an existing file (wins over -Force)." },
	{ .name = "Force", .kind = PARAM_SWITCH, .type_name = SWITCH, .position = PARAM_NAMED,
	  .help = "Replace the file even when it is read-only." },
	{ .name = "CryptoAlgorithmOption", .kind = PARAM_ENUM, .type_name = NS "CryptoAlgorithmOptions",
	  .members = crypto_options, .position = PARAM_NAMED,
	  .help = "TripleDES_SHA1 (default) or AES256_SHA256 (PBES2, HMAC-SHA256 MAC)." },
	{ .name = "ChainOption", .kind = PARAM_ENUM, .type_name = NS "ExportChainOption",
	  .members = chain_options, .position = PARAM_NAMED,
	  .help = "BuildChain (default: add the issuers found in the stores), EndEntityCertOnly, PfxDataOnly." },
	{ .name = "ProtectTo", .kind = PARAM_STRINGS, .type_name = "System.String[]",
	  .position = PARAM_NAMED, .flags = PARAM_WINDOWS_ONLY,
	  .help = "it protects the PFX to Active Directory principals, which needs a "
	    "Windows Server 2012+ domain; use -Password." },
	{ .name = "Password", .kind = PARAM_SECURE, .type_name = "System.Security.SecureString",
	  .position = PARAM_NAMED, .help = "The password that protects the PFX file." },
	{ .name = "FilePath", .kind = PARAM_PATH, .type_name = "System.String", .position = 1,
	  .mandatory = PFX_CERT | NORMAL_CERT, .help = "The PFX file to write." },
	{ .name = "PFXData", .kind = PARAM_OBJECT, .type_name = NS "PfxData", .position = 0,
	  .sets = PFX_CERT, .mandatory = PFX_CERT, .flags = PARAM_PIPELINE_VALUE,
	  .help = "A PFX file to re-encrypt (the module passes Get-PfxData's data as a password-less PFX)." },
	{ .name = "Cert", .aliases = { "PsPath" }, .kind = PARAM_CERT, .type_name = NS "Certificate",
	  .position = 0, .sets = NORMAL_CERT, .mandatory = NORMAL_CERT,
	  .flags = PARAM_PIPELINE_PROPERTY,
	  .help = "The certificate(s): Cert:\\ paths (a store path means every certificate in it), thumbprints or files." },
};

static const struct command command = {
	.name = "Export-PfxCertificate",
	.synopsis = "Exports certificates and their private keys to a PFX file.",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.sets = sets,
	.default_set = 1,
	.flags = COMMAND_SHOULD_PROCESS,
	.output_type = "System.IO.FileInfo",
};

/* -PFXData: the file of a PfxData object; it opens password-less, or with -Password. */
static int
load_pfx_data(const char *text, const char *password, struct crypto_certlist *certs,
    struct pk_error *err)
{
	char *path;
	int rc;

	if ((path = atomicfile_native_path(text)) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	rc = crypto_pfx_read(path, NULL, certs, err);
	if (rc == PK_ERR_PASSWORD && password != NULL)
		rc = crypto_pfx_read(path, password, certs, err);
	free(path);
	return rc;
}

static int
collect(const struct binding *b, const char *password, struct crypto_certlist *certs,
    struct crypto_certlist *chain, struct pk_error *err)
{
	const struct bound *v = binder_get(b, "Cert");
	int option = binder_get(b, "ChainOption")->member;
	struct crypto_certlist found = { NULL, 0 };
	size_t i;
	int rc = 0;

	if (b->set == 0) {
		if ((rc = load_pfx_data(binder_get(b, "PFXData")->text, password, certs, err)) != 0)
			goto out;
	} else {
		if (option == PFX_DATA_ONLY) {
			rc = pk_fail(err, PK_ERR_USAGE, "-ChainOption PfxDataOnly can only be "
			    "used with -PFXData.");
			goto out;
		}
		for (i = 0; i < v->nitems; i++)
			if ((rc = crypto_store_resolve(v->items[i], NULL, &found, err)) != 0)
				goto out;
		/* A certificate named twice (a path and its store) is written once. */
		for (i = 0; i < found.count; i++) {
			if (crypto_certlist_has(certs, crypto_cert_thumbprint(found.certs[i])))
				continue;
			if (crypto_certlist_add(certs, crypto_cert_ref(found.certs[i])) != 0) {
				crypto_cert_free(found.certs[i]);
				rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
				goto out;
			}
		}
	}
	if (certs->count == 0)
		rc = pk_fail(err, PK_ERR_NOT_FOUND, "There is no certificate to export.");
	else if (option == BUILD_CHAIN)
		rc = crypto_store_build_chain(certs, chain, err);
out:
	crypto_certlist_clear(&found);
	return rc;
}

static int
body(const struct binding *b, struct pk_error *err)
{
	const char *path = binder_get(b, "FilePath")->text;
	const char *password = binder_get(b, "Password")->text;
	struct crypto_pfx_options options;
	struct crypto_certlist certs = { NULL, 0 }, chain = { NULL, 0 };
	unsigned flags = 0;
	int rc;

	/* The cmdlet protects every PFX; -ProtectTo cannot be honoured here. */
	if (password == NULL) {
		rc = pk_fail(err, PK_ERR_USAGE, "Either -Password or -ProtectTo must be given to "
		    "protect the PFX file; on this platform give -Password.");
		goto out;
	}
	memset(&options, 0, sizeof(options));
	options.algorithm = binder_get(b, "CryptoAlgorithmOption")->member == 1 ?
	    CRYPTO_PFX_AES256_SHA256 : CRYPTO_PFX_TRIPLEDES_SHA1;
	options.no_properties = binder_get(b, "NoProperties")->on;
	if (binder_get(b, "NoClobber")->on)
		flags |= ATOMICFILE_NO_CLOBBER;
	if (binder_get(b, "Force")->on)
		flags |= ATOMICFILE_FORCE;
	if ((rc = collect(b, password, &certs, &chain, err)) != 0)
		goto out;
	options.chain = chain.certs;
	options.chain_count = chain.count;
	if (!cmdlet_should_process(b, command.name, path)) {
		rc = 0;
		goto out;
	}
	if ((rc = crypto_pfx_write(path, certs.certs, certs.count, password, &options, flags,
	    err)) != 0)
		goto out;
	cmdlet_verbose(b, "Wrote %zu certificate(s) and %zu chain certificate(s) to %s.",
	    certs.count, chain.count, path);
	rc = fileout_print(path, err);
out:
	crypto_certlist_clear(&certs);
	crypto_certlist_clear(&chain);
	return rc;
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
