/*
 * test_textext.c: the -TextExtension grammar, one row per form and per
 * malformed input. Expected values are DER written out by hand from
 * RFC 5280 and the Windows samples, then checked against OpenSSL's parser.
 */
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <openssl/x509v3.h>

#include "crypto/internal.h"
#include "crypto/oid.h"
#include "crypto/textext.h"
#include "cunit_run.h"

struct textext_case {
	const char *title;
	const char *input;
	int rc;
	const char *oid;
	int critical;
	const char *der_hex;        /* value; for errors, a phrase of the message */
};

#define IPV6_LOOPBACK "871000000000000000000000000000000001"

static const struct textext_case cases[] = {
	/* EKU */
	{ "an EKU with one OID", "2.5.29.37={text}1.3.6.1.5.5.7.3.2", 0,
	  "2.5.29.37", 0, "300a06082b06010505070302" },
	{ "an EKU keeps the OIDs in the given order",
	  "2.5.29.37={text}1.3.6.1.5.5.7.3.2,1.3.6.1.5.5.7.3.1", 0,
	  "2.5.29.37", 0, "301406082b0601050507030206082b06010505070301" },
	{ "spaces around EKU OIDs are dropped", "2.5.29.37={text} 1.3.6.1.5.5.7.3.2 , 1.3.6.1.5.5.7.3.1 ",
	  0, "2.5.29.37", 0, "301406082b0601050507030206082b06010505070301" },
	{ "{critical} makes an EKU critical", "2.5.29.37={critical}{text}1.3.6.1.5.5.7.3.3", 0,
	  "2.5.29.37", 1, "300a06082b06010505070303" },
	{ "braced words are case-insensitive", "2.5.29.37={CRITICAL}{Text}1.3.6.1.5.5.7.3.3", 0,
	  "2.5.29.37", 1, "300a06082b06010505070303" },
	/* basic constraints: critical even without {critical}, as every sample shows */
	{ "CA=true is CA:TRUE and critical", "2.5.29.19={text}CA=true", 0,
	  "2.5.29.19", 1, "30030101ff" },
	{ "ca=1 is CA:TRUE", "2.5.29.19={critical}{text}ca=1", 0, "2.5.29.19", 1, "30030101ff" },
	{ "an empty text is CA:FALSE (30 00)", "2.5.29.19={text}", 0, "2.5.29.19", 1, "3000" },
	{ "a bare false is CA:FALSE", "2.5.29.19={text}false", 0, "2.5.29.19", 1, "3000" },
	{ "CA=false is CA:FALSE", "2.5.29.19={text}CA=FALSE", 0, "2.5.29.19", 1, "3000" },
	{ "pathlength follows CA", "2.5.29.19={text}CA=1&pathlength=0", 0,
	  "2.5.29.19", 1, "30060101ff020100" },
	{ "cA=true&pathLength=3 in any case", "2.5.29.19={text}cA=true&pathLength=3", 0,
	  "2.5.29.19", 1, "30060101ff020103" },
	{ "certutil's Subject Type:End Entity (MSIX scripts) is CA:FALSE",
	  "2.5.29.19={text}Subject Type:End Entity", 0, "2.5.29.19", 1, "3000" },
	{ "Subject Type=CA&Path Length Constraint=2, as certutil shows it",
	  "2.5.29.19={text}Subject Type=CA&Path Length Constraint=2", 0,
	  "2.5.29.19", 1, "30060101ff020102" },
	{ "subject type:ca&path length constraint:none in any case",
	  "2.5.29.19={text}subject type:ca&path length constraint:none", 0,
	  "2.5.29.19", 1, "30030101ff" },
	/* SAN */
	{ "a SAN with DNS and IPv4 and IPv6 addresses, in order",
	  "2.5.29.17={text}DNS=localhost&IPAddress=127.0.0.1&IPAddress=::1", 0, "2.5.29.17", 0,
	  "3023" "82096c6f63616c686f7374" "87047f000001" IPV6_LOOPBACK },
	{ "SAN token names are case-insensitive", "2.5.29.17={text}dns=localhost", 0,
	  "2.5.29.17", 0, "300b82096c6f63616c686f7374" },
	{ "Email is an rfc822Name", "2.5.29.17={text}email=a@b.c", 0,
	  "2.5.29.17", 0, "300781056140622e63" },
	{ "URL is a uniformResourceIdentifier", "2.5.29.17={text}URL=http://x/", 0,
	  "2.5.29.17", 0, "300b8609687474703a2f2f782f" },
	{ "RegisteredID is a registeredID", "2.5.29.17={text}RegisteredID=1.2.3", 0,
	  "2.5.29.17", 0, "300488022a03" },
	{ "UPN is a Microsoft UPN otherName in UTF8String", "2.5.29.17={text}upn=u@d", 0,
	  "2.5.29.17", 0, "3015a013060a2b060104018237140203a0050c03754064" },
	{ "GUID is an otherName in Windows GUID byte order",
	  "2.5.29.17={text}GUID={01020304-0506-0708-090a-0b0c0d0e0f10}", 0, "2.5.29.17", 0,
	  "3021a01f06092b0601040182371901a0120410" "04030201060508070" "90a0b0c0d0e0f10" },
	{ "DirectoryName is a directoryName", "2.5.29.17={text}DirectoryName=CN=a", 0,
	  "2.5.29.17", 0, "3010a40e300c310a300806035504030c0161" },
	{ "an empty token between two is ignored", "2.5.29.17={text}DNS=a&&DNS=b", 0,
	  "2.5.29.17", 0, "30068201618201 62" },
	/* policies */
	{ "a certificate policy with a CPS URL", "2.5.29.32={text}OID=1.2.3&URL=http://x/", 0,
	  "2.5.29.32", 0, "301f301d06022a0330173015" "06082b06010505070201" "1609687474703a2f2f782f" },
	{ "a certificate policy with a user notice", "2.5.29.32={text}OID=1.2.3&Notice=hi", 0,
	  "2.5.29.32", 0, "301a301806022a0330123010" "06082b06010505070202" "30040c026869" },
	{ "two application policies", "1.3.6.1.4.1.311.21.10={text}OID=1.2.3&OID=1.2.4", 0,
	  "1.3.6.1.4.1.311.21.10", 0, "300c300406022a03300406022a04" },
	/* hex and base64 */
	{ "{hex} takes the DER as given", "2.5.29.19={hex}30 03 01 01 ff", 0,
	  "2.5.29.19", 0, "30030101ff" },
	{ "base64 takes the DER as given", "2.5.29.19=MAMBAf8=", 0, "2.5.29.19", 0, "30030101ff" },
	{ "{critical} with base64", "2.5.29.19={critical}MAMBAf8=", 0, "2.5.29.19", 1, "30030101ff" },
	{ "an unknown OID takes any DER value in hex", "1.2.3.4={hex}0403010203", 0,
	  "1.2.3.4", 0, "0403010203" },
	/* malformed */
	{ "no = is refused", "2.5.29.37", PK_ERR_FORMAT, NULL, 0, "expected <oid>=" },
	{ "a name instead of an OID is refused", "eku={text}1.2.3", PK_ERR_FORMAT, NULL, 0,
	  "'eku' is not an object identifier" },
	{ "an OID with an empty arc is refused", "2.5..29={hex}0500", PK_ERR_FORMAT, NULL, 0,
	  "not an object identifier" },
	{ "an empty EKU is refused", "2.5.29.37={text}", PK_ERR_FORMAT, NULL, 0, "empty" },
	{ "an empty EKU entry is refused", "2.5.29.37={text}1.2.3,,1.2.4", PK_ERR_FORMAT, NULL, 0,
	  "empty entry" },
	{ "an EKU name instead of an OID is refused", "2.5.29.37={text}serverAuth", PK_ERR_FORMAT,
	  NULL, 0, "'serverAuth' is not an object identifier" },
	{ "an empty SAN is refused", "2.5.29.17={text}", PK_ERR_FORMAT, NULL, 0, "empty" },
	{ "a SAN token without a value is refused", "2.5.29.17={text}DNS=", PK_ERR_FORMAT, NULL, 0,
	  "has no value" },
	{ "an unknown SAN type is refused", "2.5.29.17={text}Foo=bar", PK_ERR_FORMAT, NULL, 0,
	  "'Foo' is not known" },
	{ "a SAN token without = is refused", "2.5.29.17={text}localhost", PK_ERR_FORMAT, NULL, 0,
	  "expected name=value" },
	{ "a bad IPv4 address is refused", "2.5.29.17={text}IPAddress=999.1.1.1", PK_ERR_FORMAT,
	  NULL, 0, "not an IPv4 or IPv6 address" },
	{ "an address with a mask is refused in a SAN", "2.5.29.17={text}IPAddress=10.0.0.0,255.0.0.0",
	  PK_ERR_FORMAT, NULL, 0, "not an IPv4 or IPv6 address" },
	{ "a non-ASCII DNS name is refused", "2.5.29.17={text}DNS=b\xc3\xbc.de", PK_ERR_FORMAT, NULL, 0,
	  "ASCII" },
	{ "a malformed GUID is refused", "2.5.29.17={text}GUID=1234", PK_ERR_FORMAT, NULL, 0,
	  "not a GUID" },
	{ "a malformed RegisteredID is refused", "2.5.29.17={text}RegisteredID=abc", PK_ERR_FORMAT,
	  NULL, 0, "not an object identifier" },
	{ "a malformed DirectoryName is refused", "2.5.29.17={text}DirectoryName=XX=1", PK_ERR_USAGE,
	  NULL, 0, "'XX' is not known" },
	{ "CA=maybe is refused", "2.5.29.19={text}CA=maybe", PK_ERR_FORMAT, NULL, 0, "CA='maybe'" },
	{ "Subject Type:Other is refused", "2.5.29.19={text}Subject Type:Other", PK_ERR_FORMAT,
	  NULL, 0, "Subject Type='Other'" },
	{ "an unknown name:value token is refused", "2.5.29.19={text}Owner:me", PK_ERR_FORMAT,
	  NULL, 0, "token 'Owner'" },
	{ "a negative path length is refused", "2.5.29.19={text}CA=1&pathlength=-1", PK_ERR_FORMAT,
	  NULL, 0, "path length '-1'" },
	/* Azure IoT's ca-certs.ps1 leaf certificates: the path length stays, as CryptoAPI writes it */
	{ "ca=FALSE&pathlength=0 keeps the path length", "2.5.29.19={text}ca=FALSE&pathlength=0", 0,
	  "2.5.29.19", 1, "3003020100" },
	{ "a path length alone is CA:FALSE with it", "2.5.29.19={text}pathlength=1", 0,
	  "2.5.29.19", 1, "3003020101" },
	{ "an unknown basic constraints token is refused", "2.5.29.19={text}x=1", PK_ERR_FORMAT,
	  NULL, 0, "'x' is not known" },
	{ "a qualifier before any policy OID is refused", "2.5.29.32={text}URL=http://x/",
	  PK_ERR_FORMAT, NULL, 0, "before any OID" },
	{ "a policy Flags token is refused", "2.5.29.32={text}OID=1.2.3&Flags=0x1", PK_ERR_FORMAT,
	  NULL, 0, "'Flags' is not supported" },
	{ "{text} for key usage is refused", "2.5.29.15={text}DigitalSignature", PK_ERR_UNSUPPORTED,
	  NULL, 0, "{hex} or base64" },
	{ "an unknown braced word is refused", "2.5.29.37={bogus}1.2.3", PK_ERR_FORMAT, NULL, 0,
	  "expected {critical}" },
	{ "odd hex is refused", "2.5.29.19={hex}300", PK_ERR_FORMAT, NULL, 0, "pairs of hex" },
	{ "non-hex digits are refused", "2.5.29.19={hex}zz", PK_ERR_FORMAT, NULL, 0, "pairs of hex" },
	{ "a truncated DER value is refused", "2.5.29.19={hex}3003", PK_ERR_FORMAT, NULL, 0,
	  "not one complete DER value" },
	{ "trailing bytes after the DER value are refused", "2.5.29.19={hex}300000", PK_ERR_FORMAT,
	  NULL, 0, "not one complete DER value" },
	{ "an empty {hex} value is refused", "2.5.29.19={hex}", PK_ERR_FORMAT, NULL, 0,
	  "not one complete DER value" },
	{ "DER of the wrong type for a SAN is refused", "2.5.29.17={hex}30030101ff", PK_ERR_FORMAT,
	  NULL, 0, "does not decode as that extension" },
	{ "text that is not base64 is refused", "2.5.29.19=!!not base64!!", PK_ERR_FORMAT, NULL, 0,
	  "nor valid base64" },
};

static void
hex_of(const unsigned char *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
}

static void
strip_spaces(const char *in, char *out)
{
	for (; *in != '\0'; in++)
		if (*in != ' ')
			*out++ = *in;
	*out = '\0';
}

static void
test_textext_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct textext_case *c = &cases[i];
		struct crypto_textext ext;
		struct pk_error err = { 0, "" };
		char got[512], want[512];
		int rc = crypto_textext_parse(c->input, &ext, &err);
		int ok;

		if (c->rc == 0) {
			strip_spaces(c->der_hex, want);
			if (rc == 0)
				hex_of(ext.value, ext.value_len, got);
			ok = rc == 0 && strcmp(got, want) == 0 &&
			    strcmp(ext.oid, c->oid) == 0 && ext.critical == c->critical;
			if (!ok)
				fprintf(stderr, "\n  case '%s': rc %d (%s) got %s crit %d, want %s crit %d",
				    c->title, rc, err.msg, rc == 0 ? got : "-",
				    rc == 0 ? ext.critical : -1, want, c->critical);
		} else {
			ok = rc == c->rc && strstr(err.msg, c->der_hex) != NULL &&
			    ext.oid == NULL && ext.value == NULL;
			if (!ok)
				fprintf(stderr, "\n  case '%s': rc %d want %d, message '%s'",
				    c->title, rc, c->rc, err.msg);
		}
		CU_ASSERT_TRUE(ok);
		crypto_textext_clear(&ext);
	}
}

static void
test_at_least_fifty_cases(void)
{
	CU_ASSERT_TRUE(sizeof(cases) / sizeof(cases[0]) >= 50);
}

/* OpenSSL's own extension printer reads the text forms back as what they mean. */
static void
test_openssl_reads_the_san(void)
{
	struct crypto_textext ext;
	struct pk_error err;
	const unsigned char *p;
	GENERAL_NAMES *names;
	GENERAL_NAME *gen;
	int type;

	CU_ASSERT_EQUAL_FATAL(crypto_textext_parse("2.5.29.17={text}DNS=a.example&"
	    "IPAddress=10.1.2.3&UPN=u@d&Email=e@x", &ext, &err), 0);
	p = ext.value;
	names = d2i_GENERAL_NAMES(NULL, &p, (long)ext.value_len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(names);
	CU_ASSERT_EQUAL(sk_GENERAL_NAME_num(names), 4);
	gen = sk_GENERAL_NAME_value(names, 0);
	CU_ASSERT_STRING_EQUAL(ASN1_STRING_get0_data(GENERAL_NAME_get0_value(gen, &type)), "a.example");
	CU_ASSERT_EQUAL(type, GEN_DNS);
	gen = sk_GENERAL_NAME_value(names, 1);
	GENERAL_NAME_get0_value(gen, &type);
	CU_ASSERT_EQUAL(type, GEN_IPADD);
	gen = sk_GENERAL_NAME_value(names, 2);
	GENERAL_NAME_get0_value(gen, &type);
	CU_ASSERT_EQUAL(type, GEN_OTHERNAME);
	gen = sk_GENERAL_NAME_value(names, 3);
	GENERAL_NAME_get0_value(gen, &type);
	CU_ASSERT_EQUAL(type, GEN_EMAIL);
	GENERAL_NAMES_free(names);
	crypto_textext_clear(&ext);
}

static void
test_oid_validity(void)
{
	CU_ASSERT_TRUE(crypto_oid_is_valid("2.5.29.17"));
	CU_ASSERT_TRUE(crypto_oid_is_valid("1.2"));
	CU_ASSERT_FALSE(crypto_oid_is_valid("1"));
	CU_ASSERT_FALSE(crypto_oid_is_valid("1."));
	CU_ASSERT_FALSE(crypto_oid_is_valid(".1.2"));
	CU_ASSERT_FALSE(crypto_oid_is_valid("1.a"));
	CU_ASSERT_FALSE(crypto_oid_is_valid(""));
	CU_ASSERT_FALSE(crypto_oid_is_valid(NULL));
}

static CU_TestInfo textext_tests[] = {
	{ "text extension forms and errors, one row per rule", test_textext_table },
	{ "the table has at least fifty cases", test_at_least_fifty_cases },
	{ "OpenSSL decodes a SAN made from text", test_openssl_reads_the_san },
	{ "dotted OIDs are told from other text", test_oid_validity },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "textext", NULL, NULL, NULL, NULL, textext_tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
