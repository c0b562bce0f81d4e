/*
 * test_pfx.c: PFX files in Windows' layout, checked with OpenSSL's own
 * parser, compared structurally with PFX files Windows made
 * (shared/samples/windows, MANIFEST.md §0), and read back; hostile input
 * fails cleanly.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "crypto/atomicfile.h"
#include "crypto/internal.h"
#include "crypto/pfx.h"
#include "cunit_run.h"

#define SAMPLES PKISHIM_SAMPLES "/windows/"

static EVP_PKEY *rsa_key;

/* A certificate signed by signer (self-signed when NULL); key is the subject's. */
static struct crypto_cert *
make_cert(const char *cn, EVP_PKEY *key, const struct crypto_cert *signer, int keep_key)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	static long serial = 1;

	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, signer != NULL ? X509_get_subject_name(signer->x509) : name);
	X509_set_pubkey(x, key);
	X509_sign(x, signer != NULL ? signer->key : key, EVP_sha256());
	X509_NAME_free(name);
	if (keep_key)
		EVP_PKEY_up_ref(key);
	return crypto_cert_wrap(x, keep_key ? key : NULL);
}

static struct crypto_cert *
make_keyed(const char *cn, enum crypto_keyspec spec)
{
	struct crypto_cert *cert = make_cert(cn, rsa_key, NULL, 1);

	cert->key_spec = spec;
	return cert;
}

static int
setup(void)
{
	rsa_key = EVP_RSA_gen(2048);
	return rsa_key == NULL;
}

static int
teardown(void)
{
	EVP_PKEY_free(rsa_key);
	return 0;
}

static int
read_file(const char *path, unsigned char **data, size_t *len)
{
	struct pk_error err;

	return atomicfile_read(path, 1 << 20, data, len, &err);
}

/* ---- a structural description of a PFX, through OpenSSL's parser ---- */

static void
append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
append(char *buf, size_t size, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

static void
describe_hex(char *buf, size_t size, const unsigned char *p, int n)
{
	int i;

	for (i = 0; i < n; i++)
		append(buf, size, "%02x", p[i]);
}

/* "pbe(3des,salt 8,iter 2000)" or "pbes2(aes-256-cbc,hmacWithSHA256,salt 8,iter 2000)". */
static void
describe_alg(char *buf, size_t size, const X509_ALGOR *alg)
{
	const ASN1_OBJECT *obj;
	const void *pval;
	int ptype;

	X509_ALGOR_get0(&obj, &ptype, &pval, alg);
	if (OBJ_obj2nid(obj) == NID_pbes2) {
		PBE2PARAM *p2 = ASN1_item_unpack(pval, ASN1_ITEM_rptr(PBE2PARAM));
		PBKDF2PARAM *kdf = ASN1_item_unpack(p2->keyfunc->parameter->value.sequence,
		    ASN1_ITEM_rptr(PBKDF2PARAM));

		append(buf, size, "pbes2(%s,%s,salt %d,iter %ld,keylen %s)",
		    OBJ_nid2sn(OBJ_obj2nid(p2->encryption->algorithm)),
		    kdf->prf != NULL ? OBJ_nid2sn(OBJ_obj2nid(kdf->prf->algorithm)) : "sha1",
		    kdf->salt->value.octet_string->length, ASN1_INTEGER_get(kdf->iter),
		    kdf->keylength != NULL ? "present" : "absent");
		PBKDF2PARAM_free(kdf);
		PBE2PARAM_free(p2);
	} else {
		PBEPARAM *p = ASN1_item_unpack(pval, ASN1_ITEM_rptr(PBEPARAM));

		append(buf, size, "pbe(%s,salt %d,iter %ld)", OBJ_nid2sn(OBJ_obj2nid(obj)),
		    p->salt->length, ASN1_INTEGER_get(p->iter));
		PBEPARAM_free(p);
	}
}

/* Bag attributes in encoded order; values that vary per machine (names) by length only. */
static void
describe_attrs(char *buf, size_t size, const STACK_OF(X509_ATTRIBUTE) *attrs)
{
	int i;

	if (attrs == NULL) {
		append(buf, size, "{none}");
		return;
	}
	append(buf, size, "{");
	for (i = 0; i < sk_X509_ATTRIBUTE_num(attrs); i++) {
		X509_ATTRIBUTE *a = sk_X509_ATTRIBUTE_value(attrs, i);
		int nid = OBJ_obj2nid(X509_ATTRIBUTE_get0_object(a));
		ASN1_TYPE *t = X509_ATTRIBUTE_get0_type(a, 0);

		append(buf, size, "%s%s:%d", i > 0 ? "," : "", OBJ_nid2sn(nid),
		    X509_ATTRIBUTE_count(a));
		if (t == NULL)
			continue;
		if (nid == NID_localKeyID) {
			append(buf, size, "=");
			describe_hex(buf, size, t->value.octet_string->data,
			    t->value.octet_string->length);
		} else if (t->type == V_ASN1_BMPSTRING) {
			const ASN1_STRING *s = t->value.bmpstring;

			append(buf, size, "=bmp%s", s->length >= 2 && s->data[s->length - 1] == 0 &&
			    s->data[s->length - 2] == 0 ? "+nul" : "");
		}
	}
	append(buf, size, "}");
}

static void
describe_bags(char *buf, size_t size, const STACK_OF(PKCS12_SAFEBAG) *bags, const char *pass)
{
	int i;

	for (i = 0; i < sk_PKCS12_SAFEBAG_num(bags); i++) {
		const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);
		const X509_ALGOR *alg;

		switch (PKCS12_SAFEBAG_get_nid(bag)) {
		case NID_pkcs8ShroudedKeyBag: {
			PKCS8_PRIV_KEY_INFO *p8 = PKCS12_decrypt_skey(bag, pass, pass ? -1 : 0);
			const STACK_OF(X509_ATTRIBUTE) *ka;
			unsigned char *der = NULL;
			int n;

			X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, NULL);
			append(buf, size, " shroudedkey ");
			describe_alg(buf, size, alg);
			describe_attrs(buf, size, PKCS12_SAFEBAG_get0_attrs(bag));
			ka = p8 != NULL ? PKCS8_pkey_get0_attrs(p8) : NULL;
			append(buf, size, " keyattrs[");
			if (ka != NULL && sk_X509_ATTRIBUTE_num(ka) == 1 &&
			    (n = i2d_ASN1_TYPE(X509_ATTRIBUTE_get0_type(
			    sk_X509_ATTRIBUTE_value(ka, 0), 0), &der)) > 0) {
				append(buf, size, "%s=", OBJ_nid2sn(OBJ_obj2nid(
				    X509_ATTRIBUTE_get0_object(sk_X509_ATTRIBUTE_value(ka, 0)))));
				describe_hex(buf, size, der, n);
				OPENSSL_free(der);
			}
			append(buf, size, "]");
			PKCS8_PRIV_KEY_INFO_free(p8);
			break;
		}
		case NID_certBag:
			append(buf, size, " cert");
			describe_attrs(buf, size, PKCS12_SAFEBAG_get0_attrs(bag));
			break;
		default:
			append(buf, size, " bag%d", PKCS12_SAFEBAG_get_nid(bag));
		}
	}
}

/* Everything MANIFEST.md §0 says a reproducer must match, as one string. */
static void
describe(const unsigned char *der, size_t len, const char *pass, char *buf, size_t size)
{
	const unsigned char *p = der;
	PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
	const ASN1_OCTET_STRING *salt;
	const X509_ALGOR *macalg;
	const ASN1_INTEGER *iter;
	const ASN1_OBJECT *md;
	STACK_OF(PKCS7) *safes;
	int i, mdparam;

	buf[0] = '\0';
	if (p12 == NULL) {
		append(buf, size, "unparsable");
		return;
	}
	PKCS12_get0_mac(NULL, &macalg, &salt, &iter, p12);
	X509_ALGOR_get0(&md, &mdparam, NULL, macalg);
	/* Windows leaves the digest parameters out; say so only when they are there. */
	append(buf, size, "mac(%s%s,salt %d,iter %ld,%s)", OBJ_nid2sn(OBJ_obj2nid(md)),
	    mdparam == V_ASN1_UNDEF ? "" : " with parameters",
	    salt->length, iter != NULL ? ASN1_INTEGER_get(iter) : 1,
	    PKCS12_verify_mac(p12, pass, pass ? -1 : 0) ? "ok" : "bad");
	safes = PKCS12_unpack_authsafes(p12);
	for (i = 0; i < sk_PKCS7_num(safes); i++) {
		PKCS7 *p7 = sk_PKCS7_value(safes, i);
		STACK_OF(PKCS12_SAFEBAG) *bags;

		if (OBJ_obj2nid(p7->type) == NID_pkcs7_data) {
			append(buf, size, " | data:");
			bags = PKCS12_unpack_p7data(p7);
		} else {
			append(buf, size, " | encrypted ");
			describe_alg(buf, size, p7->d.encrypted->enc_data->algorithm);
			append(buf, size, ":");
			bags = PKCS12_unpack_p7encdata(p7, pass, pass ? -1 : 0);
		}
		describe_bags(buf, size, bags, pass);
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	PKCS12_free(p12);
}

/* ---- our own files, checked field by field ---- */

static void
test_tripledes_layout_is_windows(void)
{
	struct crypto_cert *cert = make_keyed("layout", CRYPTO_KEYSPEC_KEYEXCHANGE);
	struct pk_error err;
	unsigned char *der = NULL;
	size_t len = 0;
	char d[4096], want[4096];

	cert->friendly_name = strdup("My Friendly Name");
	cert->key_name = strdup("te-00000000-1111-2222-3333-444444444444");
	CU_ASSERT_EQUAL_FATAL(crypto_pfx_encode(&cert, 1, "pw", NULL, &der, &len, &err), 0);
	describe(der, len, "pw", d, sizeof(d));
	snprintf(want, sizeof(want), "mac(SHA1,salt 20,iter 2000,ok) | data: shroudedkey "
	    "pbe(PBE-SHA1-3DES,salt 8,iter 2000){localKeyID:1=01000000,friendlyName:1=bmp,"
	    "CSPName:1=bmp} keyattrs[keyUsage=03020010] | encrypted pbe(PBE-SHA1-3DES,salt 8,"
	    "iter 2000): cert{localKeyID:1=01000000,friendlyName:1=bmp+nul}");
	CU_ASSERT_STRING_EQUAL(d, want);
	free(der);
	crypto_cert_free(cert);
}

static void
test_aes256_layout_is_windows(void)
{
	struct crypto_pfx_options opt = { .algorithm = CRYPTO_PFX_AES256_SHA256 };
	struct crypto_cert *cert = make_keyed("aes", CRYPTO_KEYSPEC_NONE);
	struct pk_error err;
	unsigned char *der = NULL;
	size_t len = 0;
	char d[4096];

	CU_ASSERT_EQUAL_FATAL(crypto_pfx_encode(&cert, 1, "pw", &opt, &der, &len, &err), 0);
	describe(der, len, "pw", d, sizeof(d));
	CU_ASSERT_STRING_EQUAL(d, "mac(SHA256,salt 20,iter 2000,ok) | data: shroudedkey "
	    "pbes2(AES-256-CBC,hmacWithSHA256,salt 8,iter 2000,keylen absent)"
	    "{localKeyID:1=01000000,friendlyName:1=bmp,CSPName:1=bmp} keyattrs[keyUsage=03020090]"
	    " | encrypted pbes2(AES-256-CBC,hmacWithSHA256,salt 8,iter 2000,keylen absent):"
	    " cert{localKeyID:1=01000000}");
	free(der);
	crypto_cert_free(cert);
}

/* The key-usage attribute per KeySpec, with the CSP name Windows pairs it with. */
static void
test_keyspec_sets_key_usage_and_provider(void)
{
	static const struct {
		enum crypto_keyspec spec;
		const char *usage;
		const char *provider;
	} cases[] = {
		{ CRYPTO_KEYSPEC_KEYEXCHANGE, "03020010", "Microsoft Enhanced RSA and AES Cryptographic Provider" },
		{ CRYPTO_KEYSPEC_SIGNATURE, "03020080", "Microsoft Enhanced RSA and AES Cryptographic Provider" },
		{ CRYPTO_KEYSPEC_NONE, "03020090", "Microsoft Software Key Storage Provider" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct crypto_cert *cert = make_keyed("spec", cases[i].spec);
		struct crypto_certlist back = { NULL, 0 };
		struct pk_error err;
		unsigned char *der = NULL;
		size_t len = 0;
		char d[4096], want[64];

		CU_ASSERT_EQUAL_FATAL(crypto_pfx_encode(&cert, 1, "x", NULL, &der, &len, &err), 0);
		describe(der, len, "x", d, sizeof(d));
		snprintf(want, sizeof(want), "keyattrs[keyUsage=%s]", cases[i].usage);
		CU_ASSERT_PTR_NOT_NULL(strstr(d, want));
		CU_ASSERT_EQUAL_FATAL(crypto_pfx_decode(der, len, "x", &back, &err), 0);
		CU_ASSERT_EQUAL(back.count, 1);
		CU_ASSERT_EQUAL(crypto_cert_keyspec(back.certs[0]), cases[i].spec);
		CU_ASSERT_STRING_EQUAL(back.certs[0]->provider, cases[i].provider);
		CU_ASSERT_PTR_NOT_NULL(back.certs[0]->key_name);
		crypto_certlist_clear(&back);
		free(der);
		crypto_cert_free(cert);
	}
}

static void
test_machine_key_and_chain_attributes(void)
{
	EVP_PKEY *root_key = EVP_EC_gen("P-256");
	struct crypto_cert *root = make_cert("root", root_key, NULL, 1);
	struct crypto_cert *leaf = make_cert("leaf", rsa_key, root, 1);
	struct crypto_cert *chain[2];
	struct crypto_pfx_options opt = { .chain = chain, .chain_count = 2,
	    .key_set = CRYPTO_PFX_KEY_SET_MACHINE };
	struct crypto_certlist back = { NULL, 0 };
	struct pk_error err;
	unsigned char *der = NULL;
	size_t len = 0;
	char d[4096];

	chain[0] = leaf;        /* already an end entity: skipped */
	chain[1] = root;
	EVP_PKEY_free(root->key);
	root->key = NULL;
	CU_ASSERT_EQUAL_FATAL(crypto_pfx_encode(&leaf, 1, "pw", &opt, &der, &len, &err), 0);
	describe(der, len, "pw", d, sizeof(d));
	CU_ASSERT_STRING_EQUAL(d, "mac(SHA1,salt 20,iter 2000,ok) | data: shroudedkey "
	    "pbe(PBE-SHA1-3DES,salt 8,iter 2000){LocalKeySet:0,localKeyID:1=01000000,"
	    "friendlyName:1=bmp,CSPName:1=bmp} keyattrs[keyUsage=03020090] | encrypted "
	    "pbe(PBE-SHA1-3DES,salt 8,iter 2000): cert{localKeyID:1=01000000} cert{}");
	CU_ASSERT_EQUAL_FATAL(crypto_pfx_decode(der, len, "pw", &back, &err), 0);
	CU_ASSERT_EQUAL_FATAL(back.count, 2);
	CU_ASSERT_STRING_EQUAL(crypto_cert_thumbprint(back.certs[0]), crypto_cert_thumbprint(leaf));
	CU_ASSERT_TRUE(crypto_cert_has_key(back.certs[0]));
	CU_ASSERT_TRUE(back.certs[0]->machine_key);
	CU_ASSERT_STRING_EQUAL(crypto_cert_thumbprint(back.certs[1]), crypto_cert_thumbprint(root));
	CU_ASSERT_FALSE(crypto_cert_has_key(back.certs[1]));
	crypto_certlist_clear(&back);
	free(der);
	crypto_cert_free(leaf);
	crypto_cert_free(root);
	EVP_PKEY_free(root_key);
}

static void
test_no_properties_drops_the_friendly_name(void)
{
	struct crypto_pfx_options opt = { .no_properties = 1 };
	struct crypto_cert *cert = make_keyed("noprop", CRYPTO_KEYSPEC_KEYEXCHANGE);
	struct pk_error err;
	unsigned char *der = NULL;
	size_t len = 0;
	char d[4096];

	cert->friendly_name = strdup("dropped");
	CU_ASSERT_EQUAL_FATAL(crypto_pfx_encode(&cert, 1, "pw", &opt, &der, &len, &err), 0);
	describe(der, len, "pw", d, sizeof(d));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "cert{localKeyID:1=01000000}"));
	free(der);
	crypto_cert_free(cert);
}

static void
test_several_certificates_count_local_key_ids(void)
{
	struct crypto_cert *certs[2] = { make_keyed("one", CRYPTO_KEYSPEC_KEYEXCHANGE),
	    make_keyed("two", CRYPTO_KEYSPEC_KEYEXCHANGE) };
	struct crypto_certlist back = { NULL, 0 };
	struct pk_error err;
	unsigned char *der = NULL;
	size_t len = 0;
	char d[8192];

	CU_ASSERT_EQUAL_FATAL(crypto_pfx_encode(certs, 2, "pw", NULL, &der, &len, &err), 0);
	describe(der, len, "pw", d, sizeof(d));
	CU_ASSERT_PTR_NOT_NULL(strstr(d, "cert{localKeyID:1=01000000} cert{localKeyID:1=02000000}"));
	CU_ASSERT_EQUAL_FATAL(crypto_pfx_decode(der, len, "pw", &back, &err), 0);
	CU_ASSERT_EQUAL_FATAL(back.count, 2);
	/* The same key under both: each certificate still gets one, paired by localKeyID. */
	CU_ASSERT_STRING_EQUAL(crypto_cert_thumbprint(back.certs[0]), crypto_cert_thumbprint(certs[0]));
	CU_ASSERT_STRING_EQUAL(crypto_cert_thumbprint(back.certs[1]), crypto_cert_thumbprint(certs[1]));
	CU_ASSERT_TRUE(crypto_cert_has_key(back.certs[0]) && crypto_cert_has_key(back.certs[1]));
	crypto_certlist_clear(&back);
	free(der);
	crypto_cert_free(certs[0]);
	crypto_cert_free(certs[1]);
}

static void
test_nonexportable_is_refused_or_recorded(void)
{
	struct crypto_pfx_options store = { .keep_nonexportable = 1 };
	struct crypto_cert *cert = make_keyed("locked", CRYPTO_KEYSPEC_KEYEXCHANGE);
	struct crypto_certlist back = { NULL, 0 };
	struct pk_error err;
	unsigned char *der = NULL;
	size_t len = 0;

	cert->exportable = 0;
	CU_ASSERT_EQUAL(crypto_pfx_encode(&cert, 1, "pw", NULL, &der, &len, &err),
	    PK_ERR_NOT_EXPORTABLE);
	CU_ASSERT_STRING_EQUAL(err.msg, "Cannot export non-exportable private key.");
	CU_ASSERT_PTR_NULL(der);
	CU_ASSERT_EQUAL_FATAL(crypto_pfx_encode(&cert, 1, NULL, &store, &der, &len, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_pfx_decode(der, len, NULL, &back, &err), 0);
	CU_ASSERT_FALSE(crypto_cert_exportable(back.certs[0]));
	free(der);
	CU_ASSERT_EQUAL(crypto_pfx_encode(back.certs, 1, "pw", NULL, &der, &len, &err) == 0 ?
	    0 : err.code, PK_ERR_NOT_EXPORTABLE);
	crypto_certlist_clear(&back);
	free(der);
	crypto_cert_free(cert);
}

/* .NET writes and reads password-less files with either the empty or the NULL password. */
static void
test_empty_and_null_passwords_are_one(void)
{
	static const char *const writes[] = { NULL, "" };
	static const char *const reads[] = { NULL, "" };
	struct crypto_cert *cert = make_keyed("nopw", CRYPTO_KEYSPEC_KEYEXCHANGE);
	size_t w, r;

	for (w = 0; w < 2; w++) {
		struct pk_error err;
		unsigned char *der = NULL;
		size_t len = 0;

		CU_ASSERT_EQUAL_FATAL(crypto_pfx_encode(&cert, 1, writes[w], NULL, &der, &len,
		    &err), 0);
		for (r = 0; r < 2; r++) {
			struct crypto_certlist back = { NULL, 0 };

			CU_ASSERT_EQUAL(crypto_pfx_decode(der, len, reads[r], &back, &err), 0);
			CU_ASSERT_TRUE(back.count == 1 && crypto_cert_has_key(back.certs[0]));
			crypto_certlist_clear(&back);
		}
		free(der);
	}
	crypto_cert_free(cert);
}

static void
test_write_makes_a_private_file(void)
{
	struct crypto_cert *cert = make_keyed("file", CRYPTO_KEYSPEC_KEYEXCHANGE);
	struct crypto_certlist back = { NULL, 0 };
	struct pk_error err;
	char dir[] = "/tmp/pkishim-pfx-test.XXXXXX", path[64];
	struct stat st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.pfx", dir);
	umask(0);
	CU_ASSERT_EQUAL(crypto_pfx_write(path, &cert, 1, "pw", NULL, 0, &err), 0);
	CU_ASSERT_TRUE(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CU_ASSERT_EQUAL(crypto_pfx_write(path, &cert, 1, "pw", NULL, ATOMICFILE_NO_CLOBBER,
	    &err), PK_ERR_EXISTS);
	CU_ASSERT_EQUAL(crypto_pfx_read(path, "pw", &back, &err), 0);
	CU_ASSERT_EQUAL(back.count, 1);
	crypto_certlist_clear(&back);
	unlink(path);
	rmdir(dir);
	umask(022);
	crypto_cert_free(cert);
}

/* ---- Windows' own files ---- */

static const struct sample {
	const char *file;
	const char *password;
	size_t certs;
	enum crypto_keyspec spec;
	const char *friendly_name;      /* of the certificate with the key */
	int machine_key;
	int legacy;                     /* RC2-40 certificates */
} samples[] = {
	{ "ACB-Bible__BibleDB__localhost.pfx", "PassfN2", 1, CRYPTO_KEYSPEC_NONE,
	  "HTTPS Development Certificate", 0, 0 },
	{ "BusHero__signing-playground__cert.pfx", "1234", 1, CRYPTO_KEYSPEC_NONE, NULL, 0, 0 },
	{ "PowerShell__PowerShell__ProtectedEventLogging.pfx", NULL, 1,
	  CRYPTO_KEYSPEC_KEYEXCHANGE, NULL, 0, 1 },
	{ "PowerShell__PowerShell__ServerCert.pfx", "password", 1, CRYPTO_KEYSPEC_NONE,
	  "ClientCertTest", 0, 0 },
	{ "SSLMate__go-pkcs12__ad_standalone_com_aescbc256.p12", "password", 1,
	  CRYPTO_KEYSPEC_NONE, NULL, 1, 0 },
	{ "SSLMate__go-pkcs12__windows_azure_tools.p12", NULL, 1, CRYPTO_KEYSPEC_NONE,
	  "Paul's Playground-10-2-2014-credentials", 0, 1 },
	{ "charlehsin__rabbitmq__localhost.pfx", "P@ssw0rd", 2, CRYPTO_KEYSPEC_NONE, NULL, 1, 0 },
};

/*
 * Runs in a child whose OpenSSL cannot find its modules: the RC2-40 files
 * must fail with a clear "legacy provider" error, not a password error.
 */
static void
test_rc2_without_legacy_provider_is_a_clear_error(void)
{
	pid_t pid = fork();
	int status = -1;

	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		struct crypto_certlist list = { NULL, 0 };
		struct pk_error err;
		int rc;

		setenv("OPENSSL_MODULES", "/nonexistent", 1);
		rc = crypto_pfx_read(SAMPLES "SSLMate__go-pkcs12__windows_azure_tools.p12", NULL,
		    &list, &err);
		_exit(rc == PK_ERR_UNSUPPORTED && strstr(err.msg, "legacy provider") != NULL ?
		    0 : 1);
	}
	waitpid(pid, &status, 0);
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
test_every_windows_pfx_imports(void)
{
	size_t i;

	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const struct sample *s = &samples[i];
		struct crypto_certlist list = { NULL, 0 };
		struct pk_error err;
		char path[512];
		int rc;

		snprintf(path, sizeof(path), SAMPLES "%s", s->file);
		rc = crypto_pfx_read(path, s->password, &list, &err);
		if (rc != 0)
			fprintf(stderr, "\n%s: %s\n", s->file, err.msg);
		CU_ASSERT_EQUAL_FATAL(rc, 0);
		CU_ASSERT_EQUAL(list.count, s->certs);
		CU_ASSERT_TRUE(crypto_cert_has_key(list.certs[0]));
		CU_ASSERT_TRUE(crypto_cert_exportable(list.certs[0]));
		CU_ASSERT_EQUAL(crypto_cert_keyspec(list.certs[0]), s->spec);
		CU_ASSERT_EQUAL(list.certs[0]->machine_key, s->machine_key);
		CU_ASSERT_PTR_NOT_NULL(list.certs[0]->key_name);
		if (s->friendly_name != NULL)
			CU_ASSERT_STRING_EQUAL(crypto_cert_friendly_name(list.certs[0]),
			    s->friendly_name)
		else
			CU_ASSERT_PTR_NULL(crypto_cert_friendly_name(list.certs[0]));
		crypto_certlist_clear(&list);
	}
}

static void
test_bible_thumbprint_matches_the_manifest(void)
{
	struct crypto_certlist list = { NULL, 0 };
	struct pk_error err;

	CU_ASSERT_EQUAL_FATAL(crypto_pfx_read(SAMPLES "ACB-Bible__BibleDB__localhost.pfx",
	    "PassfN2", &list, &err), 0);
	CU_ASSERT_STRING_EQUAL(crypto_cert_thumbprint(list.certs[0]),
	    "8CA9D92B24074D728D8EFAF8988CC27591E9F46F");
	crypto_certlist_clear(&list);
}

/*
 * Read a Windows export, write it again with its own password and properties:
 * the two files must look the same to OpenSSL's parser (bag order, attribute
 * sets and order, localKeyID, key-usage bytes, PBE and MAC parameters).
 */
static void
compare_with_windows(const char *file, const char *password)
{
	struct crypto_certlist list = { NULL, 0 }, ends = { NULL, 0 }, chain = { NULL, 0 };
	struct crypto_pfx_options opt = { .algorithm = CRYPTO_PFX_TRIPLEDES_SHA1 };
	struct pk_error err;
	unsigned char *theirs = NULL, *ours = NULL;
	size_t theirs_len = 0, ours_len = 0, i;
	char path[512], want[8192], got[8192];

	snprintf(path, sizeof(path), SAMPLES "%s", file);
	CU_ASSERT_EQUAL_FATAL(read_file(path, &theirs, &theirs_len), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_pfx_decode(theirs, theirs_len, password, &list, &err), 0);
	for (i = 0; i < list.count; i++)
		crypto_certlist_add(crypto_cert_has_key(list.certs[i]) ? &ends : &chain,
		    crypto_cert_ref(list.certs[i]));
	opt.chain = chain.certs;
	opt.chain_count = chain.count;
	CU_ASSERT_EQUAL_FATAL(crypto_pfx_encode(ends.certs, ends.count, password, &opt, &ours,
	    &ours_len, &err), 0);
	describe(theirs, theirs_len, password, want, sizeof(want));
	describe(ours, ours_len, password, got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\nwindows: %s\npkishim: %s\n", want, got);
	crypto_certlist_clear(&list);
	crypto_certlist_clear(&ends);
	crypto_certlist_clear(&chain);
	free(theirs);
	free(ours);
}

static void
test_layout_matches_bibledb_export(void)
{
	compare_with_windows("ACB-Bible__BibleDB__localhost.pfx", "PassfN2");
}

static void
test_layout_matches_rabbitmq_export_with_chain(void)
{
	compare_with_windows("charlehsin__rabbitmq__localhost.pfx", "P@ssw0rd");
}

static void
test_layout_matches_aes256_export(void)
{
	struct crypto_certlist list = { NULL, 0 };
	struct crypto_pfx_options opt = { .algorithm = CRYPTO_PFX_AES256_SHA256 };
	struct pk_error err;
	unsigned char *theirs = NULL, *ours = NULL;
	size_t theirs_len = 0, ours_len = 0;
	char want[8192], got[8192];

	CU_ASSERT_EQUAL_FATAL(read_file(SAMPLES "SSLMate__go-pkcs12__ad_standalone_com_aescbc256.p12",
	    &theirs, &theirs_len), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_pfx_decode(theirs, theirs_len, "password", &list, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_pfx_encode(list.certs, 1, "password", &opt, &ours,
	    &ours_len, &err), 0);
	describe(theirs, theirs_len, "password", want, sizeof(want));
	describe(ours, ours_len, "password", got, sizeof(got));
	CU_ASSERT_STRING_EQUAL(got, want);
	crypto_certlist_clear(&list);
	free(theirs);
	free(ours);
}

/* ---- hostile input ---- */

static void
test_wrong_password_is_a_password_error(void)
{
	static const struct { const char *file; const char *wrong; } cases[] = {
		{ "ACB-Bible__BibleDB__localhost.pfx", "passfn2" },
		{ "ACB-Bible__BibleDB__localhost.pfx", NULL },
		{ "SSLMate__go-pkcs12__ad_standalone_com_aescbc256.p12", "Password" },
		{ "SSLMate__go-pkcs12__windows_azure_tools.p12", "x" },
		{ "charlehsin__rabbitmq__localhost.pfx", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct crypto_certlist list = { NULL, 0 };
		struct pk_error err;
		char path[512];

		snprintf(path, sizeof(path), SAMPLES "%s", cases[i].file);
		CU_ASSERT_EQUAL(crypto_pfx_read(path, cases[i].wrong, &list, &err), PK_ERR_PASSWORD);
		CU_ASSERT_STRING_EQUAL(err.msg, "The specified network password is not correct.");
		CU_ASSERT_EQUAL(list.count, 0);
	}
}

static void
test_truncated_files_are_format_errors(void)
{
	unsigned char *data = NULL;
	size_t len = 0, cut;

	CU_ASSERT_EQUAL_FATAL(read_file(SAMPLES "charlehsin__rabbitmq__localhost.pfx", &data,
	    &len), 0);
	for (cut = 0; cut < len; cut += 37) {
		struct crypto_certlist list = { NULL, 0 };
		struct pk_error err;

		CU_ASSERT_EQUAL(crypto_pfx_decode(data, cut, "P@ssw0rd", &list, &err), PK_ERR_FORMAT);
		CU_ASSERT_EQUAL(list.count, 0);
	}
	free(data);
}

/* Every flipped bit is caught (MAC, padding or structure); none crashes or half-loads. */
static void
test_flipped_bits_fail_cleanly(void)
{
	unsigned char *data = NULL;
	size_t len = 0, at;
	int loaded = 0;

	CU_ASSERT_EQUAL_FATAL(read_file(SAMPLES "ACB-Bible__BibleDB__localhost.pfx", &data,
	    &len), 0);
	for (at = 0; at < len; at += 7) {
		struct crypto_certlist list = { NULL, 0 };
		struct pk_error err;
		int rc;

		data[at] ^= 0x04;
		rc = crypto_pfx_decode(data, len, "PassfN2", &list, &err);
		data[at] ^= 0x04;
		CU_ASSERT(rc != 0 || list.count == 1);
		loaded += rc == 0;
		CU_ASSERT(rc == 0 || list.count == 0);
		CU_ASSERT(rc == 0 || err.msg[0] != '\0');
		crypto_certlist_clear(&list);
	}
	/* Only bits the MAC does not cover (outer lengths' equivalents, MAC salt never) may pass. */
	CU_ASSERT(loaded < 5);
	free(data);
}

static void
test_random_input_is_a_format_error(void)
{
	unsigned char buf[3000];
	int i;

	for (i = 0; i < 50; i++) {
		struct crypto_certlist list = { NULL, 0 };
		struct pk_error err;
		size_t len = 1 + (size_t)(i * 59) % sizeof(buf);

		RAND_bytes(buf, sizeof(buf));
		if (i % 2 == 0)
			buf[0] = 0x30;  /* looks like a SEQUENCE */
		CU_ASSERT_EQUAL(crypto_pfx_decode(buf, len, "pw", &list, &err), PK_ERR_FORMAT);
		CU_ASSERT_FALSE(crypto_pfx_sniff(buf, len));
	}
}

static CU_TestInfo written_tests[] = {
	{ "TripleDES_SHA1 is Windows' layout: keys first, 3DES 2000, SHA-1 MAC salt 20", test_tripledes_layout_is_windows },
	{ "AES256_SHA256 is PBES2 AES-256 with an HMAC-SHA256 MAC", test_aes256_layout_is_windows },
	{ "KeySpec sets key usage 10, 80 or 90 and survives a read", test_keyspec_sets_key_usage_and_provider },
	{ "a machine key has Local Key Set; chain certificates an empty attribute set", test_machine_key_and_chain_attributes },
	{ "-NoProperties leaves the certificate's friendly name out", test_no_properties_drops_the_friendly_name },
	{ "several certificates get localKeyID 1, 2 and their own keys back", test_several_certificates_count_local_key_ids },
	{ "a non-exportable key is refused, and recorded in store files", test_nonexportable_is_refused_or_recorded },
	{ "the empty and the NULL password open each other's files", test_empty_and_null_passwords_are_one },
	{ "a PFX file is written 0600 whatever the umask, NoClobber holds", test_write_makes_a_private_file },
	CU_TEST_INFO_NULL
};

static CU_TestInfo windows_tests[] = {
	{ "RC2-40 files without the legacy provider fail with a clear error", test_rc2_without_legacy_provider_is_a_clear_error },
	{ "every PFX Windows made imports with its key and properties", test_every_windows_pfx_imports },
	{ "the BibleDB certificate has the manifest's thumbprint", test_bible_thumbprint_matches_the_manifest },
	{ "our export of the BibleDB PFX has Windows' structure", test_layout_matches_bibledb_export },
	{ "our export of the rabbitmq PFX with its chain has Windows' structure", test_layout_matches_rabbitmq_export_with_chain },
	{ "our AES256_SHA256 export has the certmgr file's structure", test_layout_matches_aes256_export },
	CU_TEST_INFO_NULL
};

static CU_TestInfo hostile_tests[] = {
	{ "a wrong password is a password error", test_wrong_password_is_a_password_error },
	{ "a truncated file is a format error", test_truncated_files_are_format_errors },
	{ "flipped bits fail cleanly", test_flipped_bits_fail_cleanly },
	{ "random bytes are a format error", test_random_input_is_a_format_error },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "windows files", NULL, NULL, NULL, NULL, windows_tests },
	{ "written files", setup, teardown, NULL, NULL, written_tests },
	{ "hostile input", NULL, NULL, NULL, NULL, hostile_tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
