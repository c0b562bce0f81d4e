/*
 * test_azurecheck.c: each Azure Cloud Services rule broken one at a time,
 * on certificates made in memory; and pfxinfo's view of the encryption
 * schemes pkishim itself writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "crypto/atomicfile.h"
#include "crypto/azurecheck.h"
#include "crypto/internal.h"
#include "crypto/pfx.h"
#include "crypto/pfxinfo.h"
#include "cunit_run.h"

#define DAY 86400L

static EVP_PKEY *rsa2048, *rsa1024, *other2048, *ec;

/* What a case changes from the certificate Azure accepts. */
struct variant {
	int version;            /* 0: v3 */
	EVP_PKEY **key;         /* the certificate's key pair; NULL: rsa2048 */
	int no_key;
	EVP_PKEY **wrong_key;   /* the private key attached does not match */
	enum crypto_keyspec spec;
	const char *san;        /* dNSName in the SAN; NULL: "www.contoso.com" */
	long from_days, to_days;  /* validity relative to now; 0,0: -1 .. +365 */
};

static struct crypto_cert *
make(const struct variant *v)
{
	EVP_PKEY *key = v->key != NULL ? *v->key : rsa2048;
	EVP_PKEY *priv = v->wrong_key != NULL ? *v->wrong_key : key;
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	char san[256];
	struct crypto_cert *cert;
	long from = v->from_days, to = v->to_days;

	if (from == 0 && to == 0) {
		from = -1;
		to = 365;
	}
	X509_set_version(x, v->version != 0 ? v->version - 1 : 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
	X509_gmtime_adj(X509_getm_notBefore(x), from * DAY);
	X509_gmtime_adj(X509_getm_notAfter(x), to * DAY);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)"www.contoso.com", -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, name);
	X509_set_pubkey(x, key);
	if (v->version == 0) {
		snprintf(san, sizeof(san), "DNS:%s", v->san != NULL ? v->san : "www.contoso.com");
		X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, san);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	X509_sign(x, key, EVP_sha256());
	X509_NAME_free(name);
	if (!v->no_key)
		EVP_PKEY_up_ref(priv);
	cert = crypto_cert_wrap(x, v->no_key ? NULL : priv);
	cert->key_spec = v->spec;
	return cert;
}

static int
setup(void)
{
	rsa2048 = EVP_RSA_gen(2048);
	other2048 = EVP_RSA_gen(2048);
	rsa1024 = EVP_RSA_gen(1024);
	ec = EVP_EC_gen("P-256");
	return rsa2048 == NULL || rsa1024 == NULL || other2048 == NULL || ec == NULL;
}

static int
teardown(void)
{
	EVP_PKEY_free(rsa2048);
	EVP_PKEY_free(other2048);
	EVP_PKEY_free(rsa1024);
	EVP_PKEY_free(ec);
	return 0;
}

/* A macro, not only a variable: a static table's initializer must be constant. */
#define GOOD { .spec = CRYPTO_KEYSPEC_KEYEXCHANGE }
static const struct variant good = GOOD;

static enum azure_status
status_of(const struct azure_verdict *v, const char *rule)
{
	size_t i;

	for (i = 0; i < AZURE_RULES; i++)
		if (strcmp(v[i].rule, rule) == 0)
			return v[i].status;
	CU_FAIL("no such rule");
	return AZURE_SKIP;
}

static void
test_each_rule_broken_alone(void)
{
	static const struct {
		struct variant v;
		const char *domain;
		int configuration;
		enum crypto_pfx_scheme key_scheme;
		const char *rule;
		enum azure_status expected;
	} cases[] = {
		{ { .version = 1, .spec = CRYPTO_KEYSPEC_KEYEXCHANGE }, NULL, -1, 1, "X509v3", AZURE_FAIL },
		{ { .no_key = 1, .spec = CRYPTO_KEYSPEC_KEYEXCHANGE }, NULL, -1, 1, "PrivateKey", AZURE_FAIL },
		{ { .wrong_key = &other2048, .spec = CRYPTO_KEYSPEC_KEYEXCHANGE }, NULL, -1, 1, "PrivateKey", AZURE_FAIL },
		{ { .spec = CRYPTO_KEYSPEC_SIGNATURE }, NULL, -1, 1, "KeyExchange", AZURE_FAIL },
		{ { .spec = CRYPTO_KEYSPEC_NONE }, NULL, -1, 1, "KeyExchange", AZURE_FAIL },
		{ { .key = &rsa1024, .spec = CRYPTO_KEYSPEC_KEYEXCHANGE }, NULL, -1, 1, "KeyLength", AZURE_FAIL },
		{ { .key = &ec, .spec = CRYPTO_KEYSPEC_KEYEXCHANGE }, NULL, -1, 1, "KeyLength", AZURE_FAIL },
		{ GOOD, NULL, -1, CRYPTO_PFX_SCHEME_AES256, "PfxEncryption", AZURE_FAIL },
		{ GOOD, NULL, -1, CRYPTO_PFX_SCHEME_RC2, "PfxEncryption", AZURE_WARN },
		{ GOOD, "www.fabrikam.com", -1, 1, "DomainName", AZURE_FAIL },
		{ GOOD, "svc.cloudapp.net", -1, 1, "DomainName", AZURE_FAIL },
		{ { .san = "svc.cloudapp.net", .spec = CRYPTO_KEYSPEC_KEYEXCHANGE }, NULL, -1, 1, "DomainName", AZURE_WARN },
		{ { .san = "*.contoso.com", .spec = CRYPTO_KEYSPEC_KEYEXCHANGE }, "api.contoso.com", -1, 1, "DomainName", AZURE_PASS },
		{ { .from_days = -400, .to_days = -2, .spec = CRYPTO_KEYSPEC_KEYEXCHANGE }, NULL, -1, 1, "Validity", AZURE_FAIL },
		{ { .from_days = 2, .to_days = 400, .spec = CRYPTO_KEYSPEC_KEYEXCHANGE }, NULL, -1, 1, "Validity", AZURE_FAIL },
		{ { .from_days = -10, .to_days = 10, .spec = CRYPTO_KEYSPEC_KEYEXCHANGE }, NULL, -1, 1, "Validity", AZURE_WARN },
		{ GOOD, NULL, 0, 1, "Configuration", AZURE_FAIL },
		{ GOOD, NULL, 1, 1, "Configuration", AZURE_PASS },
		{ GOOD, "www.contoso.com", -1, 1, "DomainName", AZURE_PASS },
	};
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct crypto_pfx_info info;
		struct azure_verdict out[AZURE_RULES];
		struct azure_input in;
		size_t failed;

		memset(&info, 0, sizeof(info));
		info.key_scheme = cases[i].key_scheme;
		info.cert_scheme = CRYPTO_PFX_SCHEME_TRIPLEDES_SHA1;
		info.key_bags = 1;
		in.cert = make(&cases[i].v);
		in.pfx = &info;
		in.domain = cases[i].domain;
		in.configuration = cases[i].configuration;
		in.now = (int64_t)time(NULL);
		failed = azure_check(&in, out);
		if (status_of(out, cases[i].rule) != cases[i].expected)
			fprintf(stderr, "case %zu (%s): %s\n", i, cases[i].rule,
			    out[0].reason);
		CU_ASSERT_EQUAL(status_of(out, cases[i].rule), cases[i].expected);
		/* Only the broken rule fails: the others pass, warn or skip. */
		for (k = 0; k < AZURE_RULES; k++)
			if (strcmp(out[k].rule, cases[i].rule) != 0)
				CU_ASSERT_NOT_EQUAL(out[k].status, AZURE_FAIL);
		CU_ASSERT_EQUAL(failed, cases[i].expected == AZURE_FAIL ? 1u : 0u);
		for (k = 0; k < AZURE_RULES; k++)
			CU_ASSERT_EQUAL(out[k].fix[0] != '\0',
			    out[k].status == AZURE_FAIL || out[k].status == AZURE_WARN);
		crypto_cert_free((struct crypto_cert *)in.cert);
	}
}

static void
test_aes_fails_with_the_docs_sentence(void)
{
	struct crypto_pfx_info info;
	struct azure_verdict out[AZURE_RULES];
	struct azure_input in = { NULL, NULL, NULL, -1, 0 };

	memset(&info, 0, sizeof(info));
	info.key_scheme = CRYPTO_PFX_SCHEME_AES256;
	info.cert_scheme = CRYPTO_PFX_SCHEME_AES256;
	in.cert = make(&good);
	in.pfx = &info;
	in.now = (int64_t)time(NULL);
	azure_check(&in, out);
	CU_ASSERT_PTR_NOT_NULL(strstr(out[4].reason,
	    "Azure Cloud Services does not accept AES256-SHA256 encrypted certificate."));
	crypto_cert_free((struct crypto_cert *)in.cert);
}

static void
test_azure_names(void)
{
	CU_ASSERT_TRUE(azure_is_azure_name("a.cloudapp.net"));
	CU_ASSERT_TRUE(azure_is_azure_name("A.CloudApp.Net"));
	CU_ASSERT_TRUE(azure_is_azure_name("x.westeurope.cloudapp.azure.com"));
	CU_ASSERT_FALSE(azure_is_azure_name("notcloudapp.net"));
	CU_ASSERT_FALSE(azure_is_azure_name("www.contoso.com"));
}

/* The schemes of files pkishim writes, and PasswordProtected, as inspect reports them. */
static void
test_inspect_reads_our_schemes(void)
{
	static const struct {
		enum crypto_pfx_algorithm algorithm;
		const char *password;
		enum crypto_pfx_scheme scheme;
		int protected;
	} cases[] = {
		{ CRYPTO_PFX_TRIPLEDES_SHA1, "pw", CRYPTO_PFX_SCHEME_TRIPLEDES_SHA1, 1 },
		{ CRYPTO_PFX_AES256_SHA256, "pw", CRYPTO_PFX_SCHEME_AES256, 1 },
		{ CRYPTO_PFX_TRIPLEDES_SHA1, NULL, CRYPTO_PFX_SCHEME_TRIPLEDES_SHA1, 0 },
	};
	char path[] = "/tmp/pkishim-pfxinfo-XXXXXX";
	struct crypto_cert *cert = make(&good);
	struct crypto_pfx_options o;
	struct pk_error err;
	size_t i;
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	close(fd);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct crypto_pfx_info info;

		memset(&o, 0, sizeof(o));
		o.algorithm = cases[i].algorithm;
		CU_ASSERT_EQUAL_FATAL(crypto_pfx_write(path, &cert, 1, cases[i].password, &o,
		    ATOMICFILE_FORCE, &err), 0);
		CU_ASSERT_EQUAL_FATAL(crypto_pfx_inspect(path, cases[i].password, &info, &err), 0);
		CU_ASSERT_EQUAL(info.password_protected, cases[i].protected);
		CU_ASSERT_EQUAL(info.key_scheme, cases[i].scheme);
		CU_ASSERT_EQUAL(info.key_bags, 1u);
		CU_ASSERT_EQUAL(info.certs.count, 1u);
		CU_ASSERT_TRUE(crypto_cert_has_key(info.certs.certs[0]));
		crypto_pfx_info_clear(&info);
		if (cases[i].protected)
			CU_ASSERT_EQUAL(crypto_pfx_inspect(path, "wrong", &info, &err), PK_ERR_PASSWORD);
	}
	unlink(path);
	crypto_cert_free(cert);
}

static CU_TestInfo rule_tests[] = {
	{ "each rule broken alone fails (or warns) alone", test_each_rule_broken_alone },
	{ "AES256-SHA256 fails with the docs' own sentence", test_aes_fails_with_the_docs_sentence },
	{ "Azure's DNS zones", test_azure_names },
	{ "inspect reads the schemes pkishim writes", test_inspect_reads_our_schemes },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "azure rules", setup, teardown, NULL, NULL, rule_tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
