/*
 * Export-Certificate: writes certificates without their keys to a DER .cer,
 * a PKCS#7 .p7b or a Microsoft serialized store .sst (DESIGN §2.4,
 * reference/pki-cmdlets.md §4).
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
#include "crypto/certfile.h"
#include "crypto/store.h"

#define NS "Microsoft.CertificateServices.Commands."
#define SWITCH "System.Management.Automation.SwitchParameter"

/* CertType members in the documented order; the index is not the format. */
static const char *const cert_types[] = { "SST", "CERT", "P7B", NULL };
static const enum crypto_certfile_format formats[] = { CRYPTO_CERTFILE_SST,
	CRYPTO_CERTFILE_CERT, CRYPTO_CERTFILE_P7B };

static const struct param params[] = {
	{ .name = "Type", .kind = PARAM_ENUM, .type_name = NS "CertType", .members = cert_types,
	  .position = PARAM_NAMED,
	  .help = "CERT (DER, the default for one certificate), P7B, or SST (the default for several)." },
	{ .name = "NoClobber", .kind = PARAM_SWITCH, .type_name = SWITCH, .position = PARAM_NAMED,
	  .help = "Refuse to replace an existing file (wins over -Force)." },
	{ .name = "Force", .kind = PARAM_SWITCH, .type_name = SWITCH, .position = PARAM_NAMED,
	  .help = "Replace the file even when it is read-only." },
	{ .name = "FilePath", .aliases = { "FullName" }, .kind = PARAM_PATH,
	  .type_name = "System.String", .position = PARAM_NAMED, .mandatory = 1u,
	  .flags = PARAM_NOT_NULL_OR_EMPTY, .help = "The file to write." },
	{ .name = "Cert", .kind = PARAM_CERT, .type_name = NS "Certificate",
	  .position = PARAM_NAMED, .mandatory = 1u, .flags = PARAM_PIPELINE_VALUE,
	  .help = "The certificate(s): Cert:\\ paths (a store path means every certificate in it), thumbprints or files." },
};

static const struct command command = {
	.name = "Export-Certificate",
	.synopsis = "Exports certificates, without private keys, to a file.",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.flags = COMMAND_SHOULD_PROCESS,
	.output_type = "System.IO.FileInfo",
};

static int
body(const struct binding *b, struct pk_error *err)
{
	const char *path = binder_get(b, "FilePath")->text;
	const struct bound *type = binder_get(b, "Type"), *v = binder_get(b, "Cert");
	struct crypto_certlist certs = { NULL, 0 };
	enum crypto_certfile_format format;
	unsigned flags = 0;
	size_t i;
	int rc;

	if (binder_get(b, "NoClobber")->on)
		flags |= ATOMICFILE_NO_CLOBBER;
	if (binder_get(b, "Force")->on)
		flags |= ATOMICFILE_FORCE;
	/* A .cer, .p7b or .sst holds no key: store entries are read without theirs. */
	for (i = 0; i < v->nitems; i++)
		if ((rc = crypto_store_resolve_ex(v->items[i], NULL, CRYPTO_STORE_READ_NO_KEY,
		    &certs, err)) != 0)
			goto out;
	if (certs.count == 0) {
		rc = pk_fail(err, PK_ERR_NOT_FOUND, "There is no certificate to export.");
		goto out;
	}
	format = type->present ? formats[type->member] :
	    certs.count == 1 ? CRYPTO_CERTFILE_CERT : CRYPTO_CERTFILE_SST;
	/* [UNK] what Windows does with several; refusing beats writing one silently. */
	if (format == CRYPTO_CERTFILE_CERT && certs.count > 1) {
		rc = pk_fail(err, PK_ERR_USAGE, "-Type CERT holds one certificate, but %zu were "
		    "given; use -Type SST or -Type P7B for several.", certs.count);
		goto out;
	}
	if (!cmdlet_should_process(b, command.name, path)) {
		rc = 0;
		goto out;
	}
	if ((rc = crypto_certfile_write(path, certs.certs, certs.count, format, flags,
	    err)) != 0)
		goto out;
	cmdlet_verbose(b, "Wrote %zu certificate(s) to %s.", certs.count, path);
	rc = fileout_print(path, err);
out:
	crypto_certlist_clear(&certs);
	return rc;
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
