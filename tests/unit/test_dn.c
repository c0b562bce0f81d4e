/*
 * test_dn.c: Windows -Subject strings as X.501 Names: CN= auto-prefix,
 * separators, quoting, Windows keys, string types and CryptoAPI's reversed
 * DER order, read back with OpenSSL's parser.
 */
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "crypto/internal.h"
#include "crypto/dn.h"
#include "cunit_run.h"

/* "sn:type:value" per attribute in DER order; '/' between RDNs, '+' inside one. */
static void
describe(const X509_NAME *name, char *out, size_t size)
{
	int i, n = X509_NAME_entry_count(name);
	size_t len = 0;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
		const ASN1_STRING *v = X509_NAME_ENTRY_get_data(e);
		int type = ASN1_STRING_type(v);
		char label[64];

		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));

		if (nid != NID_undef)
			snprintf(label, sizeof(label), "%s", OBJ_nid2sn(nid));
		else
			OBJ_obj2txt(label, sizeof(label), X509_NAME_ENTRY_get_object(e), 1);
		if (i > 0)
			len += (size_t)snprintf(out + len, size - len, "%s",
			    X509_NAME_ENTRY_set(e) == X509_NAME_ENTRY_set(
			    X509_NAME_get_entry(name, i - 1)) ? "+" : "/");
		len += (size_t)snprintf(out + len, size - len, "%s:%s:%.*s", label,
		    type == V_ASN1_UTF8STRING ? "utf8" :
		    type == V_ASN1_PRINTABLESTRING ? "printable" :
		    type == V_ASN1_IA5STRING ? "ia5" : "other",
		    ASN1_STRING_length(v), (const char *)ASN1_STRING_get0_data(v));
	}
}

struct dn_case {
	const char *title;
	const char *input;
	int rc;
	const char *want;           /* describe() of the result, or a phrase of the error */
};

static const struct dn_case dn_cases[] = {
	{ "a bare name is a common name", "localhost", 0, "CN:utf8:localhost" },
	{ "a bare name keeps inner spaces", "Poc Lab CA", 0, "CN:utf8:Poc Lab CA" },
	{ "a bare name with a comma stays one common name", "Contoso, Ltd", 0, "CN:utf8:Contoso, Ltd" },
	{ "CN= is written as a UTF8String", "CN=zpac.as", 0, "CN:utf8:zpac.as" },
	{ "keys are case-insensitive", "cn=x", 0, "CN:utf8:x" },
	{ "RDNs go into DER in reverse order",
	  "CN=Patti Fuller,OU=UserAccounts,DC=corp,DC=contoso,DC=com", 0,
	  "DC:ia5:com/DC:ia5:contoso/DC:ia5:corp/OU:utf8:UserAccounts/CN:utf8:Patti Fuller" },
	{ "E= is an IA5String emailAddress",
	  "E=patti.fuller@contoso.com,CN=Patti Fuller", 0,
	  "CN:utf8:Patti Fuller/emailAddress:ia5:patti.fuller@contoso.com" },
	{ "spaces around keys and values are dropped", "  CN = a ,  O = b  ", 0, "O:utf8:b/CN:utf8:a" },
	{ "S= and ST= are the state", "S=Wa,ST=Or", 0, "ST:utf8:Or/ST:utf8:Wa" },
	{ "C= is a PrintableString", "C=US,CN=x", 0, "CN:utf8:x/C:printable:US" },
	{ "semicolons separate when present, commas stay in values",
	  "CN=Contoso, Ltd;O=Contoso;C=US", 0, "C:printable:US/O:utf8:Contoso/CN:utf8:Contoso, Ltd" },
	{ "a quoted value keeps commas and spaces", "CN=\" a, b \",O=c", 0, "O:utf8:c/CN:utf8: a, b " },
	{ "two quotes inside quotes are one quote", "CN=\"say \"\"hi\"\"\"", 0, "CN:utf8:say \"hi\"" },
	{ "+ joins a multi-valued RDN", "CN=a+OU=b,O=c", 0, "O:utf8:c/CN:utf8:a+OU:utf8:b" },
	{ "a dotted OID is a key", "2.5.4.3=x", 0, "CN:utf8:x" },
	{ "OID. prefixes an OID key", "OID.1.2.3.4=v", 0, "1.2.3.4:utf8:v" },
	{ "the Windows long keys work", "T=Dr,G=Patti,I=P,SN=Fuller,STREET=1 Main,L=Here", 0,
	  "L:utf8:Here/street:utf8:1 Main/SN:utf8:Fuller/initials:utf8:P/GN:utf8:Patti/title:utf8:Dr" },
	{ "non-ASCII text is UTF-8", "CN=J\xc3\xbcrgen", 0, "CN:utf8:J\xc3\xbcrgen" },
	{ "a CN longer than 64 characters is kept",
	  "CN=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0,
	  "CN:utf8:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
	{ "an empty value is allowed", "CN=", 0, "CN:utf8:" },
	{ "an empty string is refused", "", PK_ERR_USAGE, "empty" },
	{ "spaces alone are refused", "   ", PK_ERR_USAGE, "empty" },
	{ "an unknown key is refused", "XX=1", PK_ERR_USAGE, "'XX' is not known" },
	{ "a first part without = is refused", "a,CN=b", PK_ERR_USAGE, "key=value" },
	/* Sitecore's published scripts: a comma that starts no key=value stays in the value */
	{ "a comma inside a CN stays in it", "CN=HOST @ Sitecore, Inc.", 0, "CN:utf8:HOST @ Sitecore, Inc." },
	{ "a comma that starts no part, then a part", "CN=a, b,O=c", 0, "O:utf8:c/CN:utf8:a, b" },
	{ "a trailing separator is refused", "CN=a,", PK_ERR_USAGE, "ends with a separator" },
	{ "an empty key is refused", "=a", PK_ERR_USAGE, "no key" },
	{ "an unclosed quote is refused", "CN=\"abc", PK_ERR_USAGE, "closing quote" },
	{ "text after a closing quote is refused", "CN=\"a\"b", PK_ERR_USAGE, "follows a quoted" },
	{ "a non-printable country is refused", "C=\xc3\xbc", PK_ERR_USAGE, "PrintableString" },
	{ "a non-ASCII email is refused", "E=\xc3\xbc@x", PK_ERR_USAGE, "ASCII" },
	{ "a malformed OID key is refused", "1..2=x", PK_ERR_USAGE, "not known" },
};

static void
test_dn_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(dn_cases) / sizeof(dn_cases[0]); i++) {
		const struct dn_case *c = &dn_cases[i];
		struct pk_error err = { 0, "" };
		X509_NAME *name = NULL;
		char got[1024];
		int rc = crypto_dn_parse(c->input, &name, &err);

		if (rc == 0)
			describe(name, got, sizeof(got));
		else
			snprintf(got, sizeof(got), "%s", err.msg);
		if (rc != c->rc || (rc == 0 ? strcmp(got, c->want) != 0 :
		    strstr(got, c->want) == NULL))
			fprintf(stderr, "\n  case '%s': rc %d, got '%s', want '%s'",
			    c->title, rc, got, c->want);
		CU_ASSERT_EQUAL(rc, c->rc);
		if (rc == 0) {
			CU_ASSERT_STRING_EQUAL(got, c->want);
		} else {
			CU_ASSERT_PTR_NOT_NULL(strstr(got, c->want));
		}
		CU_ASSERT_TRUE(rc == 0 ? name != NULL : name == NULL);
		X509_NAME_free(name);
	}
}

static void
test_der_reads_back_as_the_input(void)
{
	const char *input = "CN=Patti Fuller,OU=UserAccounts,DC=corp,DC=contoso,DC=com";
	struct pk_error err;
	unsigned char *der = NULL;
	const unsigned char *p;
	size_t len = 0;
	X509_NAME *name;
	char line[256];

	CU_ASSERT_EQUAL_FATAL(crypto_dn_encode(input, &der, &len, &err), 0);
	p = der;
	name = d2i_X509_NAME(NULL, &p, (long)len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(name);
	CU_ASSERT_EQUAL(p, der + len);
	/* OpenSSL's RFC 2253 form is most-specific first, as .NET shows it. */
	X509_NAME_oneline(name, line, sizeof(line));
	CU_ASSERT_STRING_EQUAL(line, "/DC=com/DC=contoso/DC=corp/OU=UserAccounts/CN=Patti Fuller");
	X509_NAME_free(name);
	free(der);
}

static void
test_encode_failure_leaves_nothing(void)
{
	struct pk_error err;
	unsigned char *der = (unsigned char *)"x";
	size_t len = 7;

	CU_ASSERT_EQUAL(crypto_dn_encode("CN=a,", &der, &len, &err), PK_ERR_USAGE);
	CU_ASSERT_PTR_NULL(der);
	CU_ASSERT_EQUAL(len, 0);
}

static CU_TestInfo dn_tests[] = {
	{ "subject strings, one row per rule and error", test_dn_table },
	{ "the DER reads back in the order the string gives", test_der_reads_back_as_the_input },
	{ "a failed encoding returns no buffer", test_encode_failure_leaves_nothing },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "dn", NULL, NULL, NULL, NULL, dn_tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
