/*
 * Get-PfxData: the certificates of a PFX file without importing them, as the
 * PKI module's cmdlet returns them in a PfxData object (pki-cmdlets.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdlets/cmdlet.h"
#include "cmdlets/json.h"
#include "crypto/atomicfile.h"
#include "crypto/pfxinfo.h"

static const struct param params[] = {
	{ .name = "Password", .kind = PARAM_SECURE, .type_name = "System.Security.SecureString",
	  .position = PARAM_NAMED, .help = "The password of the PFX file." },
	{ .name = "FilePath", .aliases = { "FullName" }, .kind = PARAM_PATH,
	  .type_name = "System.String", .position = 0, .mandatory = 1u,
	  .flags = PARAM_PIPELINE_PROPERTY, .help = "The PFX file to read." },
};

static const struct command command = {
	.name = "Get-PfxData",
	.synopsis = "Extracts the content of a Personal Information Exchange (PFX) file into a "
	    "structure without importing it to certificate store.",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.output_type = "Microsoft.CertificateServices.Commands.PfxData",
};

/*
 * Windows does not document the split; pkishim's choice (README "Choices"):
 * the certificates with a private key are the end entities; a file without
 * keys has as end entities the certificates that issued no other in it.
 */
static int
is_end_entity(const struct crypto_certlist *certs, size_t i)
{
	char *subject;
	size_t j;
	int issued = 0, any_key = 0;

	for (j = 0; j < certs->count; j++)
		any_key |= crypto_cert_has_key(certs->certs[j]);
	if (any_key)
		return crypto_cert_has_key(certs->certs[i]);
	if ((subject = crypto_cert_subject(certs->certs[i])) == NULL)
		return 1;
	for (j = 0; j < certs->count && !issued; j++) {
		char *issuer = j == i ? NULL : crypto_cert_issuer(certs->certs[j]);

		issued = issuer != NULL && strcmp(issuer, subject) == 0;
		free(issuer);
	}
	free(subject);
	return !issued;
}

static void
print_thumbprints(const struct crypto_certlist *certs, int end_entity, int json)
{
	size_t i;
	int first = 1;

	fputs(json ? "[" : "{", stdout);
	for (i = 0; i < certs->count; i++) {
		if (is_end_entity(certs, i) != end_entity)
			continue;
		if (!first)
			fputs(json ? "," : ", ", stdout);
		if (json)
			json_string(crypto_cert_thumbprint(certs->certs[i]), stdout);
		else
			fputs(crypto_cert_thumbprint(certs->certs[i]), stdout);
		first = 0;
	}
	fputs(json ? "]" : "}", stdout);
}

/* {"<THUMBPRINT>":"<friendly name>",...}: what .NET on Unix does not read from a PFX. */
static void
print_friendly_names(const struct crypto_certlist *certs)
{
	size_t i;
	int first = 1;

	fputc('{', stdout);
	for (i = 0; i < certs->count; i++) {
		const char *name = crypto_cert_friendly_name(certs->certs[i]);

		if (name == NULL || *name == '\0')
			continue;
		json_field(crypto_cert_thumbprint(certs->certs[i]), name, first, stdout);
		first = 0;
	}
	fputc('}', stdout);
}

/*
 * Module: one JSON object the module turns into a PfxData (it reopens the
 * file with the same SecureString). Captured: the file's full path, which
 * Export-PfxCertificate -PFXData takes back (never the password). Terminal:
 * the PfxData as Format-List shows it.
 */
static void
print_pfx_data(const char *full, const struct crypto_pfx_info *info)
{
	if (cmdlet_json_output()) {
		fputc('{', stdout);
		json_field("PfxDataFile", full, 1, stdout);
		printf(",\"PasswordProtected\":%s,\"ProtectedTo\":[],\"EndEntityCertificates\":",
		    info->password_protected ? "true" : "false");
		print_thumbprints(&info->certs, 1, 1);
		fputs(",\"OtherCertificates\":", stdout);
		print_thumbprints(&info->certs, 0, 1);
		fputs(",\"FriendlyNames\":", stdout);
		print_friendly_names(&info->certs);
		fputs("}\n", stdout);
	} else if (!isatty(STDOUT_FILENO)) {
		printf("%s\n", full);
	} else {
		printf("\nPasswordProtected     : %s\n", info->password_protected ? "True" : "False");
		printf("ProtectedTo           : {}\n");
		printf("EndEntityCertificates : ");
		print_thumbprints(&info->certs, 1, 0);
		printf("\nOtherCertificates     : ");
		print_thumbprints(&info->certs, 0, 0);
		printf("\nFilePath              : %s\n\n", full);
	}
}

static int
body(const struct binding *b, struct pk_error *err)
{
	const char *password = binder_get(b, "Password")->text;
	struct crypto_pfx_info info;
	char *path, *full = NULL;
	int rc;

	if ((path = atomicfile_native_path(binder_get(b, "FilePath")->text)) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	if ((rc = crypto_pfx_inspect(path, password, &info, err)) != 0)
		goto out;
	if ((full = realpath(path, NULL)) == NULL) {
		rc = pk_fail(err, PK_ERR_IO, "Cannot resolve '%s'.", path);
		goto out;
	}
	cmdlet_verbose(b, "Read %zu certificate(s) from %s.", info.certs.count, full);
	print_pfx_data(full, &info);
	crypto_pfx_info_clear(&info);
out:
	free(full);
	free(path);
	return rc;
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
