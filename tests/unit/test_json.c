/*
 * test_json.c: cmdlets/json's strings are RFC 8259 strings whatever the bytes
 * (quotes, backslashes, control characters, malformed UTF-8), and the error
 * codes' stable names the module's error table is keyed on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "cmdlets/json.h"
#include "crypto/error.h"
#include "cunit_run.h"

static void
as_json(const char *in, char *out, size_t size)
{
	FILE *fp = fmemopen(out, size, "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	json_string(in, fp);
	fclose(fp);
}

static const struct {
	const char *in, *want;
} cases[] = {
	{ NULL, "null" },
	{ "", "\"\"" },
	{ "plain", "\"plain\"" },
	{ "Microsoft.PowerShell.Security\\Certificate::CurrentUser",
	  "\"Microsoft.PowerShell.Security\\\\Certificate::CurrentUser\"" },
	{ "CN=\"Quoted, Inc\"", "\"CN=\\\"Quoted, Inc\\\"\"" },
	{ "a\nb\rc\td", "\"a\\nb\\rc\\td\"" },
	{ "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
	{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91", "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x91\"" },
	{ "Latin-1 \xe9t\xe9", "\"Latin-1 \\ufffdt\\ufffd\"" },        /* not UTF-8 */
	{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },                          /* overlong '/' */
	{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },               /* a surrogate */
	{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },    /* above U+10FFFF */
	{ "cut \xe2\x82", "\"cut \\ufffd\\ufffd\"" },                  /* truncated at the end */
	{ "\xe2\x82" "A", "\"\\ufffd\\ufffdA\"" },                     /* truncated before ASCII */
};

static void
test_strings(void)
{
	char out[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		as_json(cases[i].in, out, sizeof(out));
		if (strcmp(out, cases[i].want) != 0)
			fprintf(stderr, "\ncase %zu: got %s, want %s\n", i, out, cases[i].want);
		CU_ASSERT_STRING_EQUAL(out, cases[i].want);
	}
}

static void
test_field(void)
{
	char out[128];
	FILE *fp = fmemopen(out, sizeof(out), "w");

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputc('{', fp);
	json_field("A", "1", 1, fp);
	json_field("B\\", NULL, 0, fp);
	fputc('}', fp);
	fclose(fp);
	CU_ASSERT_STRING_EQUAL(out, "{\"A\":\"1\",\"B\\\\\":null}");
}

/* PkiShim.Errors.psd1 is keyed on these names: changing one breaks scripts. */
static void
test_error_names(void)
{
	static const struct {
		int code;
		const char *name;
	} names[] = {
		{ PK_ERR_USAGE, "InvalidArgument" }, { PK_ERR_IO, "IOError" },
		{ PK_ERR_NOT_FOUND, "NotFound" }, { PK_ERR_EXISTS, "AlreadyExists" },
		{ PK_ERR_FORMAT, "InvalidData" }, { PK_ERR_PASSWORD, "WrongPassword" },
		{ PK_ERR_UNSUPPORTED, "NotSupported" }, { PK_ERR_NOT_EXPORTABLE, "NotExportable" },
		{ PK_ERR_CRYPTO, "CryptographicError" }, { PK_ERR_LIMIT, "LimitExceeded" },
		{ PK_ERR_DIR_NOT_FOUND, "DirectoryNotFound" },
		{ PK_ERR_FILE_NOT_FOUND, "FileNotFound" }, { PK_ERR_PERMISSION, "PermissionDenied" },
		{ PK_ERR__MIN, "Unknown" }, { 5, "Unknown" },
	};
	size_t i;
	int code;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		CU_ASSERT_STRING_EQUAL(pk_errname(names[i].code), names[i].name);
	for (code = PK_ERR__MIN + 1; code < 0; code++) {
		CU_ASSERT_PTR_NOT_NULL(pk_errname(code));
		CU_ASSERT_PTR_NOT_NULL(pk_strerror(code));
	}
	CU_ASSERT_TRUE(pk_err_not_found(PK_ERR_FILE_NOT_FOUND));
	CU_ASSERT_FALSE(pk_err_not_found(PK_ERR_IO));
}

static CU_TestInfo json_tests[] = {
	{ "strings are escaped per RFC 8259, non-UTF-8 bytes become U+FFFD", test_strings },
	{ "fields join with commas", test_field },
	{ "every error code has its stable name", test_error_names },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "json", NULL, NULL, NULL, NULL, json_tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
