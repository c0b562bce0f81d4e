/*
 * test_certverify.c: Test-Certificate's verdicts over a private store root:
 * a trusted chain, an untrusted root, a missing issuer, expiry, EKU, the SSL
 * name and NTAUTH, each with Windows' flag and HRESULT text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "crypto/certverify.h"
#include "crypto/internal.h"
#include "crypto/store.h"
#include "cunit_run.h"

static char root_dir[] = "/tmp/pkishim-certverify-XXXXXX";
static EVP_PKEY *key;
static struct crypto_cert *ca, *leaf, *orphan, *expired, *codesign;

static void
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
}

/* issuer NULL: self-signed; issuer_name overrides the issuer (an issuer nobody holds). */
static struct crypto_cert *
make(const char *cn, const struct crypto_cert *issuer, const char *issuer_name, long days,
    const char *eku, int is_ca)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new(), *iname = NULL;
	static long serial = 1;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), days < 0 ? (days - 1) * 86400L : -60);
	X509_gmtime_adj(X509_getm_notAfter(x), days * 86400L);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	if (issuer_name != NULL) {
		iname = X509_NAME_new();
		X509_NAME_add_entry_by_txt(iname, "CN", MBSTRING_UTF8,
		    (const unsigned char *)issuer_name, -1, -1, 0);
		X509_set_issuer_name(x, iname);
	} else {
		X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer->x509) : name);
	}
	X509_set_pubkey(x, key);
	if (is_ca)
		add_ext(x, x, NID_basic_constraints, "critical,CA:TRUE");
	if (eku != NULL)
		add_ext(x, x, NID_ext_key_usage, eku);
	if (!is_ca) {
		char san[128];

		snprintf(san, sizeof(san), "DNS:%s", cn);
		add_ext(x, x, NID_subject_alt_name, san);
	}
	X509_sign(x, key, EVP_sha256());
	X509_NAME_free(name);
	X509_NAME_free(iname);
	return crypto_cert_wrap(x, NULL);
}

static int
setup(void)
{
	struct pk_error err;

	if (mkdtemp(root_dir) == NULL || setenv("PKISHIM_STORE_ROOT", root_dir, 1) != 0)
		return 1;
	key = EVP_RSA_gen(2048);
	ca = make("Test Root", NULL, NULL, 365, NULL, 1);
	leaf = make("www.contoso.com", ca, NULL, 30, "serverAuth,clientAuth", 0);
	orphan = make("orphan.contoso.com", NULL, "Nobody's CA", 30, NULL, 0);
	expired = make("old.contoso.com", ca, NULL, -1, NULL, 0);
	codesign = make("signer", ca, NULL, 30, "codeSigning", 0);
	return crypto_store_add(CRYPTO_STORE_LOCAL_MACHINE, "Root", ca, NULL, &err) != 0;
}

static int
teardown(void)
{
	crypto_cert_free(ca);
	crypto_cert_free(leaf);
	crypto_cert_free(orphan);
	crypto_cert_free(expired);
	crypto_cert_free(codesign);
	EVP_PKEY_free(key);
	return cunit_remove_tree(root_dir);
}

static void
test_verdicts(void)
{
	static const char *const server_auth[] = { "1.3.6.1.5.5.7.3.1" };
	static const char *const email[] = { "1.3.6.1.5.5.7.3.4" };
	struct crypto_cert *self = make("self.contoso.com", NULL, NULL, 30, NULL, 0);
	const struct {
		struct crypto_cert **cert;
		struct certverify_options o;
		int valid;
		unsigned trust;
		const char *hresult;
	} cases[] = {
		{ &leaf, { .policy = CERTVERIFY_BASE }, 1, 0, NULL },
		{ &leaf, { .policy = CERTVERIFY_SSL, .dns_name = "www.contoso.com" }, 1, 0, NULL },
		{ &leaf, { .policy = CERTVERIFY_SSL, .dns_name = "dns=www.contoso.com" }, 1, 0, NULL },
		{ &leaf, { .policy = CERTVERIFY_SSL, .dns_name = "www.fabrikam.com" }, 0, 0, "CERT_E_CN_NO_MATCH" },
		{ &leaf, { .ekus = server_auth, .neku = 1 }, 1, 0, NULL },
		{ &leaf, { .ekus = email, .neku = 1 }, 0, CERTVERIFY_NOT_VALID_FOR_USAGE, "CERT_E_WRONG_USAGE" },
		{ &leaf, { .policy = CERTVERIFY_AUTHENTICODE }, 0, CERTVERIFY_NOT_VALID_FOR_USAGE, "CERT_E_WRONG_USAGE" },
		{ &codesign, { .policy = CERTVERIFY_AUTHENTICODE }, 1, 0, NULL },
		{ &leaf, { .policy = CERTVERIFY_NTAUTH }, 0, 0, "CERT_E_UNTRUSTEDCA" },
		{ &self, { .policy = CERTVERIFY_BASE }, 0, CERTVERIFY_UNTRUSTED_ROOT, "CERT_E_UNTRUSTEDROOT" },
		{ &self, { .allow_untrusted_root = 1 }, 1, CERTVERIFY_UNTRUSTED_ROOT, NULL },
		{ &orphan, { .allow_untrusted_root = 1 }, 0, CERTVERIFY_PARTIAL_CHAIN, "CERT_E_CHAINING" },
		{ &expired, { .policy = CERTVERIFY_BASE }, 0, CERTVERIFY_NOT_TIME_VALID, "CERT_E_EXPIRED" },
		/* -User: CurrentUser has no roots of its own, but trusts LocalMachine's. */
		{ &leaf, { .user = 1 }, 1, 0, NULL },
	};
	struct certverify_result r;
	struct pk_error err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct certverify_options o = cases[i].o;

		o.now = (int64_t)time(NULL);
		CU_ASSERT_EQUAL_FATAL(certverify_run(*cases[i].cert, &o, &r, &err), 0);
		if (r.valid != cases[i].valid || r.trust != cases[i].trust)
			fprintf(stderr, "case %zu: valid %d trust %#x %s\n", i, r.valid, r.trust,
			    r.error != NULL ? r.error : "");
		CU_ASSERT_EQUAL(r.valid, cases[i].valid);
		CU_ASSERT_EQUAL(r.trust, cases[i].trust);
		if (cases[i].hresult != NULL) {
			CU_ASSERT_PTR_NOT_NULL(r.error != NULL ? strstr(r.error, cases[i].hresult) : NULL);
		} else {
			CU_ASSERT_PTR_NULL(r.error);
		}
	}
	crypto_cert_free(self);
}

static void
test_trust_names(void)
{
	CU_ASSERT_STRING_EQUAL(certverify_trust_name(CERTVERIFY_UNTRUSTED_ROOT),
	    "CERT_TRUST_IS_UNTRUSTED_ROOT");
	CU_ASSERT_STRING_EQUAL(certverify_trust_name(CERTVERIFY_NOT_TIME_VALID),
	    "CERT_TRUST_IS_NOT_TIME_VALID");
}

static CU_TestInfo tests[] = {
	{ "verdicts, flags and HRESULTs", test_verdicts },
	{ "CERT_TRUST_* names", test_trust_names },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "Test-Certificate", setup, teardown, NULL, NULL, tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
