/* fuzz_binder.c: argv vectors (NUL-separated) against a command-shaped table. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmdlets/binder.h"

static const char *const spec_members[] = { "None", "KeyExchange", "Signature", NULL };
static const char *const usage_members[] = { "None", "CertSign", "CRLSign", "DigitalSignature", NULL };
static const char *const sets[] = { "PfxCert", "NormalCert", NULL };
static const struct param params[] = {
	{ "PFXData", { NULL }, PARAM_OBJECT, "PfxData", NULL, 0, 1u, 1u, 0, NULL },
	{ "Cert", { "PsPath" }, PARAM_CERT, "Certificate", NULL, 0, 2u, 2u, 0, NULL },
	{ "FilePath", { NULL }, PARAM_PATH, "System.String", NULL, 1, 0, 3u, 0, NULL },
	{ "Password", { NULL }, PARAM_SECURE, "System.Security.SecureString", NULL, -1, 0, 0, 0, NULL },
	{ "DnsName", { NULL }, PARAM_STRINGS, "System.String[]", NULL, -1, 0, 0, 0, NULL },
	{ "TextExtension", { NULL }, PARAM_STRINGS, "System.String[]", NULL, -1, 0, 0, PARAM_OID_ITEMS, NULL },
	{ "KeyLength", { NULL }, PARAM_INT, "System.Int32", NULL, -1, 0, 0, 0, NULL },
	{ "KeySpec", { NULL }, PARAM_ENUM, "KeySpec", spec_members, -1, 0, 0, 0, NULL },
	{ "KeyUsage", { NULL }, PARAM_ENUMS, "KeyUsage[]", usage_members, -1, 0, 0, 0, NULL },
	{ "NotAfter", { NULL }, PARAM_DATETIME, "System.DateTime", NULL, -1, 0, 0, 0, NULL },
	{ "Force", { NULL }, PARAM_SWITCH, "SwitchParameter", NULL, -1, 0, 0, 0, NULL },
	{ "Hash", { NULL }, PARAM_STRING, "System.String", usage_members, -1, 0, 0, PARAM_VALIDATESET, NULL },
};
static const struct command command = {
	"Fuzz-Binder", NULL, params, sizeof(params) / sizeof(params[0]), sets, 1,
	COMMAND_SHOULD_PROCESS, NULL
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), **argv;
	struct pk_error err;
	struct binding b;
	size_t i;
	int argc = 1;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv = calloc(size + 2, sizeof(*argv));
	argv[0] = "fuzz";
	argv[argc++] = copy;
	for (i = 0; i < size; i++)
		if (copy[i] == '\0')
			argv[argc++] = copy + i + 1;
	binder_bind(&command, argc, argv, &b, &err);
	binder_free(&b);
	free(argv);
	free(copy);
	return 0;
}
