/* test_binder_complete.c: shell completion from a parameter table (cmdlets/binder_complete.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdlets/binder.h"
#include "cunit_run.h"

static const char *const keyspec_members[] = { "None", "KeyExchange", "Signature", NULL };
static const char *const keyusage_members[] = {
	"None", "KeyEncipherment", "KeyAgreement", "DigitalSignature", NULL
};
static const char *const type_members[] = { "CERT", "P7B", "SST", NULL };

static const struct param params[] = {
	{ "DnsName", { NULL }, PARAM_STRINGS, "System.String[]", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "KeySpec", { NULL }, PARAM_ENUM, "Microsoft.CertificateServices.Commands.KeySpec",
	    keyspec_members, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "KeyUsage", { NULL }, PARAM_ENUMS, "Microsoft.CertificateServices.Commands.KeyUsage[]",
	    keyusage_members, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "Type", { "ExportType" }, PARAM_ENUM, "Microsoft.CertificateServices.Commands.ExportType",
	    type_members, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "FilePath", { "FullName" }, PARAM_PATH, "System.String", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "Reader", { NULL }, PARAM_STRING, "System.String", NULL, PARAM_NAMED, 0, 0,
	    PARAM_WINDOWS_ONLY, NULL, NULL },
	{ "Force", { NULL }, PARAM_SWITCH, "System.Management.Automation.SwitchParameter", NULL,
	    PARAM_NAMED, 0, 0, 0, NULL, NULL },
};
static const struct command command = {
	"New-Example", NULL, params, sizeof(params) / sizeof(params[0]), NULL, 0,
	COMMAND_SHOULD_PROCESS, "System.Object"
};

static const struct {
	const char *previous, *word, *want;   /* want: the candidates, one a line */
} cases[] = {
	{ "New-Example", "-", "-DnsName\n-KeySpec\n-KeyUsage\n-Type\n-FilePath\n-Force\n"
	    "-Verbose\n-ErrorAction\n-WhatIf\n-Confirm\n" },
	{ "New-Example", "-key", "-KeySpec\n-KeyUsage\n" },
	{ "New-Example", "-W", "-WhatIf\n" },
	{ "New-Example", "-Reader", "" },                      /* Windows-only: never offered */
	{ "New-Example", "\xe2\x80\x93" "Dns", "-DnsName\n" }, /* an en dash starts a name too */
	{ "-KeySpec", "", "None\nKeyExchange\nSignature\n" },
	{ "-keyspec", "k", "KeyExchange\n" },
	{ "-KeyS", "S", "Signature\n" },                       /* a unique prefix names the parameter */
	{ "-Key", "S", "" },                                   /* an ambiguous one names none */
	{ "-ExportType", "p", "P7B\n" },                       /* an alias names it too */
	{ "-KeyUsage", "DigitalSignature,Key", "DigitalSignature,KeyEncipherment\n"
	    "DigitalSignature,KeyAgreement\n" },
	{ "-KeySpec", "Key,", "" },                            /* one value: no comma list */
	{ "-FilePath", "./a", "" },                            /* files: the shell's own completion */
	{ "-Force", "", "" },
	{ "-Type:", "", "" },
	{ "KeySpec", "", "" },                                 /* a value, not a parameter name */
};

static char *
completions(const char *previous, const char *word)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	binder_print_completions(&command, previous, word, fp);
	fclose(fp);
	return text;
}

static void
test_completion_cases(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = completions(cases[i].previous, cases[i].word);

		if (strcmp(got, cases[i].want) != 0)
			fprintf(stderr, "\ncase %zu (%s %s): got\n%swant\n%s", i, cases[i].previous,
			    cases[i].word, got, cases[i].want);
		CU_ASSERT_STRING_EQUAL(got, cases[i].want);
		free(got);
	}
}

static CU_TestInfo complete_tests[] = {
	{ "parameter names, members and their edges", test_completion_cases },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "binder_complete", NULL, NULL, NULL, NULL, complete_tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
