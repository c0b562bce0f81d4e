/*
 * test_selfsigned.c: the certificates crypto_selfsigned_create makes, read
 * back field by field with OpenSSL's parser, and compared with certificates
 * Windows really made (shared/samples/windows, commands in its MANIFEST.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/internal.h"
#include "crypto/selfsigned.h"
#include "cunit_run.h"

#define SAMPLE(name) PKISHIM_SAMPLES "/windows/" name
#define ENHANCED_AES "Microsoft Enhanced RSA and AES Cryptographic Provider"
#define KSP "Microsoft Software Key Storage Provider"
#define EKU_CLIENT_SERVER "301406082b0601050507030206082b06010505070301"
#define EKU_CLIENT "300a06082b06010505070302"
#define EKU_CODE_SIGNING "300a06082b06010505070303"

/* 2026-03-31 12:00:00 UTC: a fixed creation time. */
static int64_t
utc(int year, int mon, int day, int hour, int min, int sec)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	return (int64_t)timegm(&tm);
}

static struct crypto_cert *
make(const struct crypto_selfsigned_request *req, const struct crypto_cert *signer,
    const struct crypto_cert *clone)
{
	struct crypto_cert *cert = NULL;
	struct pk_error err = { 0, "" };
	int rc = crypto_selfsigned_create(req, signer, clone, &cert, &err);

	if (rc != 0)
		fprintf(stderr, "\n  create failed: %s", err.msg);
	CU_ASSERT_EQUAL(rc, 0);
	return cert;
}

static const char *
ext_label(const X509_EXTENSION *ext, char *buf, size_t size)
{
	static const struct { const char *oid, *label; } labels[] = {
		{ "2.5.29.15", "KU" }, { "2.5.29.37", "EKU" }, { "2.5.29.17", "SAN" },
		{ "2.5.29.14", "SKI" }, { "2.5.29.35", "AKI" }, { "2.5.29.19", "BC" },
		{ "1.2.840.113549.1.9.15", "SMIME" }, { "2.5.29.32", "CP" },
	};
	char oid[80];
	size_t i;

	OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object((X509_EXTENSION *)ext), 1);
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(oid, labels[i].oid) == 0)
			return labels[i].label;
	snprintf(buf, size, "%s", oid);
	return buf;
}

/* "KU,EKU,SAN,SKI" (a '!' after a critical one). */
static void
ext_order(const X509 *x, char *out, size_t size)
{
	char buf[80];
	size_t len = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < X509_get_ext_count(x); i++) {
		const X509_EXTENSION *e = X509_get_ext(x, i);
		len += (size_t)snprintf(out + len, size - len, "%s%s%s", i ? "," : "",
		    ext_label(e, buf, sizeof(buf)), X509_EXTENSION_get_critical(e) ? "!" : "");
	}
}

/* The hex of the value of the extension with this OID, or "" when absent. */
static void
ext_hex(const X509 *x, const char *oid, char *out)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	int i = X509_get_ext_by_OBJ(x, obj, -1), j;
	const ASN1_OCTET_STRING *v;

	ASN1_OBJECT_free(obj);
	out[0] = '\0';
	if (i < 0)
		return;
	v = X509_EXTENSION_get_data(X509_get_ext(x, i));
	for (j = 0; j < ASN1_STRING_length(v); j++)
		sprintf(out + 2 * j, "%02x", ASN1_STRING_get0_data(v)[j]);
}

static void
expect_ext(const X509 *x, const char *oid, const char *want)
{
	char got[2048];

	ext_hex(x, oid, got);
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n  extension %s: got %s want %s", oid, got, want);
	CU_ASSERT_STRING_EQUAL(got, want);
}

static void
expect_order(const X509 *x, const char *want)
{
	char got[256];

	ext_order(x, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fprintf(stderr, "\n  extension order: got %s want %s", got, want);
	CU_ASSERT_STRING_EQUAL(got, want);
}

static void
expect_subject(const struct crypto_cert *c, const char *subject, const char *issuer)
{
	char *s = crypto_cert_subject(c), *i = crypto_cert_issuer(c);

	CU_ASSERT_STRING_EQUAL(s, subject);
	CU_ASSERT_STRING_EQUAL(i, issuer);
	free(s);
	free(i);
}

/*
 * What every certificate made here has: v3; a 16-byte serial with the top bit
 * clear (and, when random, Windows' reversed-GUID pattern); UTF8String CN;
 * SKI = SHA-1 of the key bits; a signature that verifies with issuer_key.
 */
static void
check_common(const struct crypto_cert *c, EVP_PKEY *issuer_key, int random_serial)
{
	const ASN1_INTEGER *serial = X509_get0_serialNumber(c->x509);
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(c->x509);
	unsigned char md[20];
	unsigned int mdlen = 0;
	int cn;

	CU_ASSERT_EQUAL(X509_get_version(c->x509), X509_VERSION_3);
	if (random_serial) {
		CU_ASSERT_EQUAL(ASN1_STRING_length(serial), 16);
		CU_ASSERT_TRUE(ASN1_STRING_length(serial) == 16 &&
		    ASN1_STRING_get0_data(serial)[0] < 0x80 &&
		    ASN1_STRING_get0_data(serial)[0] != 0 &&
		    (ASN1_STRING_get0_data(serial)[8] & 0xf0) == 0x40 &&
		    (ASN1_STRING_get0_data(serial)[7] & 0xc0) == 0x80);
	}
	CU_ASSERT_EQUAL(ASN1_STRING_type(serial), V_ASN1_INTEGER);
	cn = X509_NAME_get_index_by_NID(X509_get_subject_name(c->x509), NID_commonName, -1);
	if (cn >= 0)
		CU_ASSERT_EQUAL(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(
		    X509_get_subject_name(c->x509), cn))), V_ASN1_UTF8STRING);
	CU_ASSERT_TRUE(X509_pubkey_digest(c->x509, EVP_sha1(), md, &mdlen));
	CU_ASSERT_TRUE(ski != NULL && ASN1_STRING_length(ski) == 20 &&
	    memcmp(ASN1_STRING_get0_data(ski), md, 20) == 0);
	CU_ASSERT_EQUAL(X509_verify(c->x509, issuer_key != NULL ? issuer_key : c->key), 1);
	CU_ASSERT_PTR_NOT_NULL(c->key);
	CU_ASSERT_EQUAL(X509_check_private_key(c->x509, c->key), 1);
	CU_ASSERT_PTR_NOT_NULL(c->key_name);
	CU_ASSERT_EQUAL(crypto_cert_thumbprint(c)[40], '\0');
}

static void
check_te_guid(const char *name, const char *prefix)
{
	size_t n = strlen(prefix), i;

	CU_ASSERT_TRUE(strncmp(name, prefix, n) == 0 && strlen(name) == n + 36);
	for (i = 0; i < 36 && strlen(name) == n + 36; i++)
		CU_ASSERT_TRUE(i == 8 || i == 13 || i == 18 || i == 23 ?
		    name[n + i] == '-' : strchr("0123456789abcdef", name[n + i]) != NULL);
	CU_ASSERT_EQUAL(name[n + 14], '4');
}

/* ---- the reference case and the acceptance script ---- */

static void
test_acceptance_script_call(void)
{
	const char *dns[] = { "yourdomain.cloudapp.net" };
	struct crypto_selfsigned_request req = { .dns_names = dns, .ndns_names = 1,
	    .key_length = 2048, .key_spec = CRYPTO_KEYSPEC_KEYEXCHANGE, .machine_key = 1,
	    .now = utc(2026, 3, 31, 12, 0, 0) };
	struct crypto_cert *c = make(&req, NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	check_common(c, NULL, 1);
	expect_subject(c, "CN=yourdomain.cloudapp.net", "CN=yourdomain.cloudapp.net");
	CU_ASSERT_EQUAL(X509_get_signature_nid(c->x509), NID_sha256WithRSAEncryption);
	CU_ASSERT_EQUAL(EVP_PKEY_get_base_id(c->key), EVP_PKEY_RSA);
	CU_ASSERT_EQUAL(EVP_PKEY_get_bits(c->key), 2048);
	expect_order(c->x509, "KU!,EKU,SAN,SKI");
	expect_ext(c->x509, "2.5.29.15", "030205a0");
	expect_ext(c->x509, "2.5.29.37", EKU_CLIENT_SERVER);
	expect_ext(c->x509, "2.5.29.17", "3019821779" "6f7572646f6d61696e2e636c6f75646170702e6e6574");
	CU_ASSERT_EQUAL(crypto_cert_not_before(c), utc(2026, 3, 31, 11, 50, 0));
	CU_ASSERT_EQUAL(crypto_cert_not_after(c), utc(2027, 3, 31, 12, 10, 0));
	/* -KeySpec KeyExchange means a CryptoAPI key: a CSP, spec AT_KEYEXCHANGE. */
	CU_ASSERT_EQUAL(c->key_spec, CRYPTO_KEYSPEC_KEYEXCHANGE);
	CU_ASSERT_STRING_EQUAL(c->provider, ENHANCED_AES);
	CU_ASSERT_TRUE(c->exportable);
	CU_ASSERT_TRUE(c->machine_key);
	check_te_guid(c->key_name, "te-");
	crypto_cert_free(c);
}

static void
test_three_dns_names(void)
{
	const char *dns[] = { "a", "b", "c" };
	struct crypto_selfsigned_request req = { .dns_names = dns, .ndns_names = 3 };
	struct crypto_cert *c = make(&req, NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	check_common(c, NULL, 1);
	expect_subject(c, "CN=a", "CN=a");
	expect_order(c->x509, "KU!,EKU,SAN,SKI");
	expect_ext(c->x509, "2.5.29.17", "3009820161820162820163");
	CU_ASSERT_EQUAL(c->key_spec, CRYPTO_KEYSPEC_NONE);
	CU_ASSERT_STRING_EQUAL(c->provider, KSP);
	CU_ASSERT_FALSE(c->machine_key);
	/* NotAfter - NotBefore = 1 calendar year + 20 minutes. */
	CU_ASSERT_TRUE(crypto_cert_not_after(c) - crypto_cert_not_before(c) ==
	    365 * 86400 + 1200 || crypto_cert_not_after(c) - crypto_cert_not_before(c) ==
	    366 * 86400 + 1200);
	crypto_cert_free(c);
}

static void
test_multi_rdn_subject(void)
{
	const char *text[] = { "2.5.29.37={text}1.3.6.1.5.5.7.3.2", "2.5.29.17={text}upn=pattifuller@contoso.com" };
	unsigned usage = CRYPTO_KU_DIGITAL_SIGNATURE;
	struct crypto_selfsigned_request req = { .type = CRYPTO_TYPE_CUSTOM, .type_given = 1,
	    .subject = "CN=Patti Fuller,OU=UserAccounts,DC=corp,DC=contoso,DC=com",
	    .text_extensions = text, .ntext_extensions = 2, .key_usage = usage,
	    .key_usage_given = 1 };
	struct crypto_cert *c = make(&req, NULL, NULL);
	const X509_NAME *name;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	check_common(c, NULL, 1);
	expect_subject(c, "CN=Patti Fuller, OU=UserAccounts, DC=corp, DC=contoso, DC=com",
	    "CN=Patti Fuller, OU=UserAccounts, DC=corp, DC=contoso, DC=com");
	name = X509_get_subject_name(c->x509);
	/* DER order is the reverse of the string: DC=com first, IA5String. */
	CU_ASSERT_EQUAL(OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(name, 0))),
	    NID_domainComponent);
	CU_ASSERT_EQUAL(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, 0))),
	    V_ASN1_IA5STRING);
	expect_order(c->x509, "KU!,EKU,SAN,SKI");
	expect_ext(c->x509, "2.5.29.15", "03020780");
	expect_ext(c->x509, "2.5.29.37", EKU_CLIENT);
	crypto_cert_free(c);
}

/* ---- the Azure point-to-site VPN root and child ---- */

static void
test_p2s_vpn_root_and_child_chain(void)
{
	const char *child_dns[] = { "P2SChildCert" };
	const char *child_text[] = { "2.5.29.37={text}1.3.6.1.5.5.7.3.2" };
	struct crypto_selfsigned_request root_req = { .type = CRYPTO_TYPE_CUSTOM,
	    .type_given = 1, .subject = "CN=P2SRootCert", .key_spec = CRYPTO_KEYSPEC_SIGNATURE,
	    .hash_algorithm = "sha256", .key_length = 2048, .key_usage = CRYPTO_KU_CERT_SIGN,
	    .key_usage_given = 1, .key_usage_property = CRYPTO_KUP_SIGN,
	    .now = utc(2026, 3, 31, 12, 0, 0) };
	struct crypto_selfsigned_request child_req = { .type = CRYPTO_TYPE_CUSTOM,
	    .type_given = 1, .dns_names = child_dns, .ndns_names = 1,
	    .subject = "CN=P2SChildCert", .key_spec = CRYPTO_KEYSPEC_SIGNATURE,
	    .hash_algorithm = "sha256", .key_length = 2048, .text_extensions = child_text,
	    .ntext_extensions = 1, .now = utc(2026, 3, 31, 12, 1, 0) };
	struct crypto_cert *root = make(&root_req, NULL, NULL), *child;
	X509_STORE *store = NULL;
	X509_STORE_CTX *ctx = NULL;
	char aki[128], want[128], ski[64];

	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	check_common(root, NULL, 1);
	expect_subject(root, "CN=P2SRootCert", "CN=P2SRootCert");
	expect_order(root->x509, "KU!,SKI");
	expect_ext(root->x509, "2.5.29.15", "03020204");
	CU_ASSERT_EQUAL(root->key_spec, CRYPTO_KEYSPEC_SIGNATURE);
	CU_ASSERT_STRING_EQUAL(root->provider, ENHANCED_AES);

	child = make(&child_req, root, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(child);
	check_common(child, root->key, 1);
	expect_subject(child, "CN=P2SChildCert", "CN=P2SRootCert");
	expect_order(child->x509, "KU!,SAN,EKU,AKI,SKI");
	expect_ext(child->x509, "2.5.29.15", "030205a0");
	expect_ext(child->x509, "2.5.29.37", EKU_CLIENT);
	/* AKI = keyIdentifier only, the root's SKI. */
	ext_hex(root->x509, "2.5.29.14", ski);
	snprintf(want, sizeof(want), "30168014%s", ski + 4);
	ext_hex(child->x509, "2.5.29.35", aki);
	CU_ASSERT_STRING_EQUAL(aki, want);
	/* Made a minute later, the child's default NotAfter would pass the root's: clamped. */
	CU_ASSERT_EQUAL(crypto_cert_not_after(child), crypto_cert_not_after(root));
	CU_ASSERT_EQUAL(crypto_cert_not_before(child), utc(2026, 3, 31, 11, 51, 0));

	/* openssl verify's check: the root (KU CertSign, no basic constraints) anchors the child. */
	store = X509_STORE_new();
	ctx = X509_STORE_CTX_new();
	CU_ASSERT_FATAL(store != NULL && ctx != NULL);
	X509_STORE_add_cert(store, root->x509);
	X509_STORE_CTX_init(ctx, store, child->x509, NULL);
	X509_STORE_CTX_set_time(ctx, 0, (time_t)utc(2026, 6, 1, 0, 0, 0));
	CU_ASSERT_EQUAL(X509_verify_cert(ctx), 1);
	if (X509_STORE_CTX_get_error(ctx) != X509_V_OK)
		fprintf(stderr, "\n  verify: %s",
		    X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	crypto_cert_free(child);
	crypto_cert_free(root);
}

/* ---- -Type ---- */

static void
test_code_signing_cert(void)
{
	struct crypto_selfsigned_request req = { .type = CRYPTO_TYPE_CODE_SIGNING,
	    .type_given = 1, .subject = "CN=Revit Addin Dev" };
	struct crypto_cert *c = make(&req, NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	check_common(c, NULL, 1);
	expect_order(c->x509, "KU!,EKU,SKI");
	expect_ext(c->x509, "2.5.29.15", "03020780");
	expect_ext(c->x509, "2.5.29.37", EKU_CODE_SIGNING);
	crypto_cert_free(c);
}

static void
test_document_encryption_cert(void)
{
	const char *dns[] = { "DscEncryptionCert" };
	struct crypto_selfsigned_request req = { .type = CRYPTO_TYPE_DOCUMENT_ENCRYPTION,
	    .type_given = 1, .dns_names = dns, .ndns_names = 1 };
	struct crypto_cert *c = make(&req, NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	check_common(c, NULL, 1);
	expect_order(c->x509, "KU!,EKU,SAN,SKI");
	expect_ext(c->x509, "2.5.29.15", "03020430");
	expect_ext(c->x509, "2.5.29.37", "300b06092b0601040182375001");
	CU_ASSERT_STRING_EQUAL(c->provider, KSP);
	crypto_cert_free(c);

	/* The legacy-CSP type makes a CryptoAPI key-exchange key in the SChannel CSP. */
	req.type = CRYPTO_TYPE_DOCUMENT_ENCRYPTION_LEGACY_CSP;
	req.hash_algorithm = "SHA256";
	c = make(&req, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	expect_order(c->x509, "KU!,EKU,SAN,SKI");
	expect_ext(c->x509, "2.5.29.15", "03020430");
	CU_ASSERT_EQUAL(c->key_spec, CRYPTO_KEYSPEC_KEYEXCHANGE);
	CU_ASSERT_STRING_EQUAL(c->provider, "Microsoft RSA SChannel Cryptographic Provider");
	crypto_cert_free(c);
}

static void
test_custom_key_usage_none(void)
{
	const char *dns[] = { "x.example" };
	struct crypto_selfsigned_request req = { .type = CRYPTO_TYPE_CUSTOM, .type_given = 1,
	    .subject = "CN=x", .dns_names = dns, .ndns_names = 1, .key_usage_given = 1 };
	struct crypto_cert *c = make(&req, NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	check_common(c, NULL, 1);
	expect_order(c->x509, "SAN,SKI");
	crypto_cert_free(c);

	/* Custom without -KeyUsage takes the documented default; no EKU. */
	req.key_usage_given = 0;
	c = make(&req, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	expect_order(c->x509, "KU!,SAN,SKI");
	expect_ext(c->x509, "2.5.29.15", "030205a0");
	crypto_cert_free(c);

	/* -KeyUsage None with the default type still gives its KU (windows-powershell-docs #66). */
	req.type_given = 0;
	req.key_usage_given = 1;
	c = make(&req, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	expect_order(c->x509, "KU!,EKU,SAN,SKI");
	expect_ext(c->x509, "2.5.29.15", "030205a0");
	crypto_cert_free(c);
}

static void
test_every_key_usage_bit(void)
{
	struct crypto_selfsigned_request req = { .type = CRYPTO_TYPE_CUSTOM, .type_given = 1,
	    .subject = "CN=bits", .key_usage_given = 1, .key_usage = CRYPTO_KU_DIGITAL_SIGNATURE |
	    CRYPTO_KU_NON_REPUDIATION | CRYPTO_KU_KEY_ENCIPHERMENT | CRYPTO_KU_DATA_ENCIPHERMENT |
	    CRYPTO_KU_KEY_AGREEMENT | CRYPTO_KU_CERT_SIGN | CRYPTO_KU_CRL_SIGN |
	    CRYPTO_KU_ENCIPHER_ONLY | CRYPTO_KU_DECIPHER_ONLY };
	struct crypto_cert *c = make(&req, NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	expect_ext(c->x509, "2.5.29.15", "030307ff80");
	crypto_cert_free(c);
	req.key_usage = CRYPTO_KU_CERT_SIGN | CRYPTO_KU_CRL_SIGN | CRYPTO_KU_DIGITAL_SIGNATURE;
	c = make(&req, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	expect_ext(c->x509, "2.5.29.15", "03020186");
	crypto_cert_free(c);
}

/* ---- keys and signatures ---- */

static void
test_ecdsa_certificates(void)
{
	static const struct { const char *alg; int bits; int sig; } rows[] = {
		{ "ECDSA_nistP256", 256, NID_ecdsa_with_SHA256 },
		{ "ECDSA_nistP384", 384, NID_ecdsa_with_SHA384 },
		{ "ECDSA_nistP521", 521, NID_ecdsa_with_SHA512 },
	};
	const char *hashes[] = { "SHA256", "SHA384", "SHA512" };
	const char *dns[] = { "ec.example" };
	size_t i;

	for (i = 0; i < 3; i++) {
		struct crypto_selfsigned_request req = { .dns_names = dns, .ndns_names = 1,
		    .key_algorithm = rows[i].alg, .hash_algorithm = hashes[i],
		    .key_usage_given = 1, .key_usage = CRYPTO_KU_DIGITAL_SIGNATURE };
		struct crypto_cert *c = make(&req, NULL, NULL);

		CU_ASSERT_PTR_NOT_NULL_FATAL(c);
		check_common(c, NULL, 1);
		CU_ASSERT_EQUAL(EVP_PKEY_get_base_id(c->key), EVP_PKEY_EC);
		CU_ASSERT_EQUAL(EVP_PKEY_get_bits(c->key), rows[i].bits);
		CU_ASSERT_EQUAL(X509_get_signature_nid(c->x509), rows[i].sig);
		expect_order(c->x509, "KU!,EKU,SAN,SKI");
		expect_ext(c->x509, "2.5.29.15", "03020780");
		crypto_cert_free(c);
	}
}

static void
test_hash_and_pss(void)
{
	const char *dns[] = { "h.example" };
	struct crypto_selfsigned_request req = { .dns_names = dns, .ndns_names = 1,
	    .hash_algorithm = "sha384" };
	struct crypto_cert *c = make(&req, NULL, NULL);
	const X509_ALGOR *alg;
	const RSA_PSS_PARAMS *pss;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(X509_get_signature_nid(c->x509), NID_sha384WithRSAEncryption);
	crypto_cert_free(c);
	req.hash_algorithm = "SHA1";
	c = make(&req, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(X509_get_signature_nid(c->x509), NID_sha1WithRSAEncryption);
	crypto_cert_free(c);

	/* -AlternateSignatureAlgorithm: RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32. */
	req.hash_algorithm = NULL;
	req.alternate_signature = 1;
	c = make(&req, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	check_common(c, NULL, 1);
	CU_ASSERT_EQUAL(X509_get_signature_nid(c->x509), NID_rsassaPss);
	X509_get0_signature(NULL, &alg, c->x509);
	pss = alg != NULL && alg->parameter != NULL ? ASN1_TYPE_unpack_sequence(
	    ASN1_ITEM_rptr(RSA_PSS_PARAMS), alg->parameter) : NULL;
	CU_ASSERT_PTR_NOT_NULL_FATAL(pss);
	CU_ASSERT_TRUE(pss->hashAlgorithm != NULL &&
	    OBJ_obj2nid(pss->hashAlgorithm->algorithm) == NID_sha256);
	CU_ASSERT_TRUE(pss->saltLength != NULL && ASN1_INTEGER_get(pss->saltLength) == 32);
	RSA_PSS_PARAMS_free((RSA_PSS_PARAMS *)pss);
	crypto_cert_free(c);
}

/* ---- -CloneCert ---- */

static struct crypto_cert *
load_cer(const char *path)
{
	struct crypto_cert *c = NULL;
	struct pk_error err;
	unsigned char buf[16384];
	size_t n;
	FILE *fp = fopen(path, "rb");

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	CU_ASSERT_EQUAL(crypto_cert_from_mem(buf, n, &c, &err), 0);
	return c;
}

static void
test_clone_cert(void)
{
	struct crypto_cert *orig = load_cer(SAMPLE("PowerShell__PowerShell__CMSTestBadCert.cer"));
	struct crypto_selfsigned_request req = { .now = utc(2026, 3, 31, 12, 0, 0) };
	const char *dns[] = { "localhost" };
	const char *text[] = { "2.5.29.37={text}1.3.6.1.5.5.7.3.1" };
	struct crypto_cert *c;
	char a[256], b[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(orig);
	c = make(&req, NULL, orig);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	check_common(c, NULL, 1);
	expect_subject(c, "CN=CMSTestBadCert", "CN=CMSTestBadCert");
	expect_order(c->x509, "KU!,EKU,SKI");
	ext_hex(orig->x509, "2.5.29.15", a);
	ext_hex(c->x509, "2.5.29.15", b);
	CU_ASSERT_STRING_EQUAL(a, b);
	ext_hex(orig->x509, "2.5.29.37", a);
	ext_hex(c->x509, "2.5.29.37", b);
	CU_ASSERT_STRING_EQUAL(a, b);
	ext_hex(orig->x509, "2.5.29.14", a);
	ext_hex(c->x509, "2.5.29.14", b);
	CU_ASSERT_STRING_NOT_EQUAL(a, b);     /* a new key */
	CU_ASSERT_EQUAL(EVP_PKEY_get_bits(c->key), 2048);
	CU_ASSERT_EQUAL(X509_get_signature_nid(c->x509), NID_sha256WithRSAEncryption);
	/* Same span as the original, starting 10 minutes ago. */
	CU_ASSERT_EQUAL(crypto_cert_not_before(c), utc(2026, 3, 31, 11, 50, 0));
	CU_ASSERT_EQUAL(crypto_cert_not_after(c) - crypto_cert_not_before(c),
	    crypto_cert_not_after(orig) - crypto_cert_not_before(orig));
	crypto_cert_free(c);

	/* -DnsName and an EKU text extension: subject kept, EKU moves after the SAN (seen). */
	req.dns_names = dns;
	req.ndns_names = 1;
	req.text_extensions = text;
	req.ntext_extensions = 1;
	c = make(&req, NULL, orig);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	expect_subject(c, "CN=CMSTestBadCert", "CN=CMSTestBadCert");
	expect_order(c->x509, "KU!,SAN,EKU,SKI");
	expect_ext(c->x509, "2.5.29.37", "300a06082b06010505070301");
	crypto_cert_free(c);
	crypto_cert_free(orig);
}

static void
test_clone_keeps_hash_and_curve(void)
{
	const char *dns[] = { "old.example" };
	struct crypto_selfsigned_request req = { .dns_names = dns, .ndns_names = 1,
	    .hash_algorithm = "SHA1", .key_algorithm = "ECDSA_nistP384" };
	struct crypto_selfsigned_request again = { 0 };
	struct crypto_cert *orig = make(&req, NULL, NULL), *c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(orig);
	c = make(&again, NULL, orig);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(X509_get_signature_nid(c->x509), NID_ecdsa_with_SHA1);
	CU_ASSERT_EQUAL(EVP_PKEY_get_bits(c->key), 384);
	expect_order(c->x509, "KU!,EKU,SAN,SKI");
	crypto_cert_free(c);
	crypto_cert_free(orig);
}

/* ---- validity ---- */

static void
test_not_after_and_not_before(void)
{
	const char *dns[] = { "v.example" };
	struct crypto_selfsigned_request req = { .dns_names = dns, .ndns_names = 1,
	    .now = utc(2026, 3, 31, 12, 0, 0), .not_after_given = 1,
	    .not_after = utc(2026, 9, 30, 12, 0, 0) };
	struct crypto_cert *c = make(&req, NULL, NULL);
	struct pk_error err = { 0, "" };
	struct crypto_cert *none = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(crypto_cert_not_before(c), utc(2026, 3, 31, 11, 50, 0));
	CU_ASSERT_EQUAL(crypto_cert_not_after(c), utc(2026, 9, 30, 12, 0, 0));
	crypto_cert_free(c);

	/* Explicit dates are used to the second; GeneralizedTime from 2050. */
	req.not_before_given = 1;
	req.not_before = utc(2026, 1, 1, 0, 0, 0);
	req.not_after = utc(2126, 1, 1, 0, 0, 0);
	c = make(&req, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(crypto_cert_not_before(c), req.not_before);
	CU_ASSERT_EQUAL(crypto_cert_not_after(c), req.not_after);
	CU_ASSERT_EQUAL(ASN1_STRING_type(X509_get0_notBefore(c->x509)), V_ASN1_UTCTIME);
	CU_ASSERT_EQUAL(ASN1_STRING_type(X509_get0_notAfter(c->x509)), V_ASN1_GENERALIZEDTIME);
	crypto_cert_free(c);

	/* NotAfter before NotBefore: an error, and no certificate. */
	req.not_after = utc(2025, 12, 31, 0, 0, 0);
	CU_ASSERT_EQUAL(crypto_selfsigned_create(&req, NULL, NULL, &none, &err), PK_ERR_USAGE);
	CU_ASSERT_PTR_NULL(none);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "NotAfter (2025-12-31 00:00:00Z) is before NotBefore"));
}

static void
test_leap_day_adds_a_year_like_dotnet(void)
{
	const char *dns[] = { "leap.example" };
	struct crypto_selfsigned_request req = { .dns_names = dns, .ndns_names = 1,
	    .now = utc(2028, 2, 29, 8, 0, 0) };
	struct crypto_cert *c = make(&req, NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_EQUAL(crypto_cert_not_after(c), utc(2029, 2, 28, 8, 10, 0));
	crypto_cert_free(c);
}

/* ---- the other parameters ---- */

static void
test_serial_suppress_smime_and_store_properties(void)
{
	const char *dns[] = { "p.example" };
	const char *suppress[] = { "2.5.29.14", "2.5.29.37" };
	struct crypto_selfsigned_request req = { .dns_names = dns, .ndns_names = 1,
	    .serial_number = "0a1b2c3d", .suppress_oids = suppress, .nsuppress_oids = 2,
	    .smime_capabilities = 1, .friendly_name = "My cert", .non_exportable = 1,
	    .container = "test*", .provider = "microsoft software key storage provider" };
	struct crypto_cert *c = make(&req, NULL, NULL);
	char *serial;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	serial = crypto_cert_serial(c);
	CU_ASSERT_STRING_EQUAL(serial, "0A1B2C3D");
	free(serial);
	expect_order(c->x509, "KU!,SMIME,SAN");
	expect_ext(c->x509, "1.2.840.113549.1.9.15", "3035300e06082a864886f70d030202020080300e"
	    "06082a864886f70d030402020080300706052b0e030207300a06082a864886f70d0307");
	CU_ASSERT_STRING_EQUAL(crypto_cert_friendly_name(c), "My cert");
	CU_ASSERT_FALSE(crypto_cert_exportable(c));
	CU_ASSERT_STRING_EQUAL(c->provider, KSP);
	check_te_guid(c->key_name, "test");
	crypto_cert_free(c);

	req.container = "MyContainer";
	req.suppress_oids = NULL;
	req.nsuppress_oids = 0;
	req.smime_capabilities = 0;
	c = make(&req, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_STRING_EQUAL(c->key_name, "MyContainer");
	crypto_cert_free(c);
}

static void
test_text_extensions_replace_and_follow_order(void)
{
	const char *dns[] = { "a.example", "b.example" };
	const char *text[] = { "2.5.29.37={text}1.3.6.1.5.5.7.3.1",
	    "2.5.29.17={text}DNS=c.example&IPAddress=10.0.0.1",
	    "2.5.29.19={text}CA=true&pathlength=0" };
	struct crypto_selfsigned_request req = { .dns_names = dns, .ndns_names = 2,
	    .text_extensions = text, .ntext_extensions = 3 };
	struct crypto_cert *c = make(&req, NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	/* The text EKU and SAN replace the built-in ones and take their own places. */
	expect_subject(c, "CN=a.example", "CN=a.example");
	expect_order(c->x509, "KU!,EKU,SAN,BC!,SKI");
	expect_ext(c->x509, "2.5.29.37", "300a06082b06010505070301");
	expect_ext(c->x509, "2.5.29.17", "3011820963" "2e6578616d706c65" "87040a000001");
	expect_ext(c->x509, "2.5.29.19", "30060101ff020100");
	crypto_cert_free(c);
}

static void
test_ip_address_in_dns_name_is_a_dns_name(void)
{
	const char *dns[] = { "127.0.0.1" };
	struct crypto_selfsigned_request req = { .dns_names = dns, .ndns_names = 1 };
	struct crypto_cert *c = make(&req, NULL, NULL);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	expect_subject(c, "CN=127.0.0.1", "CN=127.0.0.1");
	expect_ext(c->x509, "2.5.29.17", "300b8209" "3132372e302e302e31");
	crypto_cert_free(c);
}

/* ---- errors ---- */

struct error_case {
	const char *title;
	struct crypto_selfsigned_request req;
	int rc;
	const char *phrase;
};

static const char *const one_dns[] = { "e.example" };
static const char *const bad_text[] = { "2.5.29.17={text}Foo=bar" };
static const char *const twice_text[] = { "2.5.29.19={text}", "2.5.29.19={text}CA=1" };
static const char *const bad_oid[] = { "subjectKeyIdentifier" };

#define DNS .dns_names = one_dns, .ndns_names = 1

static const struct error_case error_cases[] = {
	{ "-KeyLength 512 is refused", { DNS, .key_length = 512 }, PK_ERR_USAGE, "512" },
	{ "an unknown curve is refused", { DNS, .key_algorithm = "ECDSA_nistP192" }, PK_ERR_USAGE,
	  "'nistP192' is not supported" },
	{ "an unknown hash is refused", { DNS, .hash_algorithm = "MD5" }, PK_ERR_USAGE,
	  "'MD5' is not supported" },
	{ "a malformed text extension is refused", { DNS, .text_extensions = bad_text,
	  .ntext_extensions = 1 }, PK_ERR_FORMAT, "'Foo' is not known" },
	{ "the same text extension twice is refused", { DNS, .text_extensions = twice_text,
	  .ntext_extensions = 2 }, PK_ERR_USAGE, "given twice" },
	{ "a TPM provider is not supported", { DNS, .provider = "Microsoft Platform Crypto Provider" },
	  PK_ERR_UNSUPPORTED, "not supported on this platform" },
	{ "a smart-card provider is not supported", { DNS,
	  .provider = "Microsoft Smart Card Key Storage Provider" }, PK_ERR_UNSUPPORTED,
	  "not supported on this platform" },
	{ "an unknown provider is refused", { DNS, .provider = "Contoso HSM" }, PK_ERR_USAGE,
	  "'Contoso HSM' is not known" },
	{ "a key spec with the KSP is refused", { DNS, .provider = KSP,
	  .key_spec = CRYPTO_KEYSPEC_KEYEXCHANGE }, PK_ERR_USAGE, "NTE_PROV_TYPE_NOT_DEF" },
	{ "an ECDSA key in a CSP is refused", { DNS, .key_algorithm = "ECDSA_nistP256",
	  .key_spec = CRYPTO_KEYSPEC_SIGNATURE }, PK_ERR_USAGE, "RSA keys only" },
	{ "no subject and no DNS name is refused", { .key_length = 2048 }, PK_ERR_USAGE,
	  "subject name is missing" },
	{ "a malformed subject is refused", { .subject = "CN=a,,O=b" }, PK_ERR_USAGE,
	  "every part must be key=value" },
	{ "a serial that is not hex is refused", { DNS, .serial_number = "xyz" }, PK_ERR_USAGE,
	  "not a hexadecimal" },
	{ "a zero serial is refused", { DNS, .serial_number = "00" }, PK_ERR_USAGE, "not zero" },
	{ "a serial longer than 20 bytes is refused", { DNS,
	  .serial_number = "0102030405060708090a0b0c0d0e0f101112131415" }, PK_ERR_USAGE, "1 to 20 bytes" },
	{ "a suppressed OID must be an OID", { DNS, .suppress_oids = bad_oid,
	  .nsuppress_oids = 1 }, PK_ERR_USAGE, "not an object identifier" },
	{ "PSS with an ECDSA key is refused", { DNS, .key_algorithm = "ECDSA_nistP256",
	  .alternate_signature = 1 }, PK_ERR_USAGE, "needs an RSA signing key" },
};

static void
test_errors_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		const struct error_case *e = &error_cases[i];
		struct crypto_cert *c = (struct crypto_cert *)&i;
		struct pk_error err = { 0, "" };
		int rc = crypto_selfsigned_create(&e->req, NULL, NULL, &c, &err);

		if (rc != e->rc || strstr(err.msg, e->phrase) == NULL)
			fprintf(stderr, "\n  case '%s': rc %d want %d, '%s'", e->title, rc,
			    e->rc, err.msg);
		CU_ASSERT_EQUAL(rc, e->rc);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, e->phrase));
		CU_ASSERT_PTR_NULL(c);
	}
}

static void
test_signer_without_key_is_refused(void)
{
	struct crypto_cert *root = load_cer(SAMPLE("adcorduneanu__grpc-101__poc_lab_ca.cer"));
	struct crypto_selfsigned_request req = { DNS };
	struct crypto_cert *c = NULL;
	struct pk_error err = { 0, "" };

	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_EQUAL(crypto_selfsigned_create(&req, root, NULL, &c, &err), PK_ERR_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "'CN=Poc Lab CA'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "has no private key"));
	CU_ASSERT_PTR_NULL(c);
	crypto_cert_free(root);
}

static void
test_expired_signer_is_refused(void)
{
	struct crypto_selfsigned_request root_req = { DNS, .now = utc(2020, 1, 1, 0, 0, 0) };
	struct crypto_selfsigned_request req = { DNS, .now = utc(2026, 1, 1, 0, 0, 0) };
	struct crypto_cert *root = make(&root_req, NULL, NULL), *c = NULL;
	struct pk_error err = { 0, "" };

	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	CU_ASSERT_EQUAL(crypto_selfsigned_create(&req, root, NULL, &c, &err), PK_ERR_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "The signer certificate expires"));
	CU_ASSERT_PTR_NULL(c);
	crypto_cert_free(root);
}

static void
test_whatif_subject_text(void)
{
	const char *dns[] = { "w.example" };
	struct crypto_selfsigned_request req = { .dns_names = dns, .ndns_names = 1 };
	char *s = crypto_selfsigned_subject_text(&req, NULL);

	CU_ASSERT_STRING_EQUAL(s, "CN=w.example");
	free(s);
	req.subject = "localhost";
	s = crypto_selfsigned_subject_text(&req, NULL);
	CU_ASSERT_STRING_EQUAL(s, "CN=localhost");
	free(s);
	req.subject = "CN=a,O=b";
	s = crypto_selfsigned_subject_text(&req, NULL);
	CU_ASSERT_STRING_EQUAL(s, "CN=a,O=b");
	free(s);
}

/* ---- field-by-field comparison with certificates Windows made ---- */

static X509 *
load_p7b_first(const char *path)
{
	FILE *fp = fopen(path, "rb");
	PKCS7 *p7;
	X509 *x = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	p7 = d2i_PKCS7_fp(fp, NULL);
	fclose(fp);
	if (p7 != NULL && PKCS7_type_is_signed(p7) && p7->d.sign->cert != NULL)
		x = X509_dup(sk_X509_value(p7->d.sign->cert, 0));
	PKCS7_free(p7);
	return x;
}

static X509 *
load_pfx_leaf(const char *path, const char *password)
{
	FILE *fp = fopen(path, "rb");
	PKCS12 *p12;
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	STACK_OF(X509) *ca = NULL;

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	p12 = d2i_PKCS12_fp(fp, NULL);
	fclose(fp);
	if (p12 == NULL || !PKCS12_parse(p12, password, &key, &x, &ca))
		x = NULL;
	EVP_PKEY_free(key);
	sk_X509_pop_free(ca, X509_free);
	PKCS12_free(p12);
	return x;
}

static struct crypto_cert *
wrap_sample(X509 *x)
{
	CU_ASSERT_PTR_NOT_NULL_FATAL(x);
	return crypto_cert_wrap(x, NULL);
}

/*
 * Same version, signature algorithm, serial size, subject and issuer (as text
 * and CN string type), key type and size, validity span, and extensions:
 * same order, same criticality, same DER value (key identifiers: same form).
 */
static void
compare_with_windows(const struct crypto_cert *mine, const struct crypto_cert *windows)
{
	char a[2048], b[2048];
	char *sa, *sb;
	int i, n;

	CU_ASSERT_EQUAL(X509_get_version(mine->x509), X509_get_version(windows->x509));
	CU_ASSERT_EQUAL(X509_get_signature_nid(mine->x509), X509_get_signature_nid(windows->x509));
	CU_ASSERT_EQUAL(ASN1_STRING_length(X509_get0_serialNumber(mine->x509)),
	    ASN1_STRING_length(X509_get0_serialNumber(windows->x509)));
	sa = crypto_cert_subject(mine);
	sb = crypto_cert_subject(windows);
	CU_ASSERT_STRING_EQUAL(sa, sb);
	free(sa);
	free(sb);
	sa = crypto_cert_issuer(mine);
	sb = crypto_cert_issuer(windows);
	CU_ASSERT_STRING_EQUAL(sa, sb);
	free(sa);
	free(sb);
	CU_ASSERT_EQUAL(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(
	    X509_get_subject_name(mine->x509), 0))), ASN1_STRING_type(X509_NAME_ENTRY_get_data(
	    X509_NAME_get_entry(X509_get_subject_name(windows->x509), 0))));
	CU_ASSERT_EQUAL(EVP_PKEY_get_base_id(X509_get0_pubkey(mine->x509)),
	    EVP_PKEY_get_base_id(X509_get0_pubkey(windows->x509)));
	CU_ASSERT_EQUAL(EVP_PKEY_get_bits(X509_get0_pubkey(mine->x509)),
	    EVP_PKEY_get_bits(X509_get0_pubkey(windows->x509)));
	CU_ASSERT_EQUAL(crypto_cert_not_after(mine) - crypto_cert_not_before(mine),
	    crypto_cert_not_after(windows) - crypto_cert_not_before(windows));
	ext_order(mine->x509, a, sizeof(a));
	ext_order(windows->x509, b, sizeof(b));
	if (strcmp(a, b) != 0)
		fprintf(stderr, "\n  order: mine %s, Windows %s", a, b);
	CU_ASSERT_STRING_EQUAL(a, b);
	n = X509_get_ext_count(windows->x509);
	for (i = 0; i < n && i < X509_get_ext_count(mine->x509); i++) {
		char oid[80];

		OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(
		    X509_get_ext(windows->x509, i)), 1);
		ext_hex(mine->x509, oid, a);
		ext_hex(windows->x509, oid, b);
		if (strcmp(oid, "2.5.29.14") == 0) {
			CU_ASSERT_EQUAL(strlen(a), strlen(b));
		} else if (strcmp(oid, "2.5.29.35") == 0) {
			CU_ASSERT_TRUE(strncmp(a, "30168014", 8) == 0 && strncmp(b, "30168014", 8) == 0);
		} else {
			if (strcmp(a, b) != 0)
				fprintf(stderr, "\n  %s: mine %s, Windows %s", oid, a, b);
			CU_ASSERT_STRING_EQUAL(a, b);
		}
	}
}

static void
test_matches_windows_poc_lab_ca(void)
{
	struct crypto_cert *win = load_cer(SAMPLE("adcorduneanu__grpc-101__poc_lab_ca.cer"));
	const char *dns[] = { "Poc Lab CA" };
	struct crypto_selfsigned_request req = { .dns_names = dns, .ndns_names = 1,
	    .key_usage = CRYPTO_KU_CERT_SIGN, .key_usage_given = 1 };
	struct crypto_cert *mine;

	req.now = crypto_cert_not_before(win) + 600;
	mine = make(&req, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mine);
	compare_with_windows(mine, win);
	CU_ASSERT_EQUAL(crypto_cert_not_before(mine), crypto_cert_not_before(win));
	CU_ASSERT_EQUAL(crypto_cert_not_after(mine), crypto_cert_not_after(win));
	crypto_cert_free(mine);
	crypto_cert_free(win);
}

static void
test_matches_windows_rabbitmq_root_and_leaf(void)
{
	struct crypto_cert *win_root = wrap_sample(load_p7b_first(SAMPLE("charlehsin__rabbitmq__DevRootCA.p7b")));
	struct crypto_cert *win_leaf = wrap_sample(load_pfx_leaf(SAMPLE("charlehsin__rabbitmq__localhost.pfx"), "P@ssw0rd"));
	const char *root_dns[] = { "DevRootCA" }, *leaf_dns[] = { "localhost" };
	const char *text[] = { "2.5.29.19={text}CA=true" };
	struct crypto_selfsigned_request root_req = { .dns_names = root_dns, .ndns_names = 1,
	    .text_extensions = text, .ntext_extensions = 1, .key_usage_given = 1,
	    .key_usage = CRYPTO_KU_CERT_SIGN | CRYPTO_KU_CRL_SIGN | CRYPTO_KU_DIGITAL_SIGNATURE,
	    .machine_key = 1 };
	struct crypto_selfsigned_request leaf_req = { .dns_names = leaf_dns, .ndns_names = 1,
	    .key_length = 2048, .key_usage_given = 1, .machine_key = 1,
	    .key_usage = CRYPTO_KU_DIGITAL_SIGNATURE | CRYPTO_KU_KEY_ENCIPHERMENT };
	struct crypto_cert *root, *leaf;

	/* The same creation times as on Windows: root, then the leaf 17 seconds later. */
	root_req.now = crypto_cert_not_before(win_root) + 600;
	leaf_req.now = crypto_cert_not_before(win_leaf) + 600;
	root = make(&root_req, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	compare_with_windows(root, win_root);
	leaf = make(&leaf_req, root, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(leaf);
	compare_with_windows(leaf, win_leaf);
	CU_ASSERT_EQUAL(crypto_cert_not_after(leaf), crypto_cert_not_after(win_leaf));
	check_common(leaf, root->key, 1);
	crypto_cert_free(leaf);
	crypto_cert_free(root);
	crypto_cert_free(win_leaf);
	crypto_cert_free(win_root);
}

static void
test_matches_windows_bibledb_localhost(void)
{
	struct crypto_cert *win = wrap_sample(load_pfx_leaf(SAMPLE("ACB-Bible__BibleDB__localhost.pfx"), "PassfN2"));
	const char *text[] = { "2.5.29.19={text}", "2.5.29.17={text}DNS=localhost" };
	struct crypto_selfsigned_request req = { .subject = "CN=localhost", .key_algorithm = "RSA",
	    .key_length = 2048, .hash_algorithm = "SHA256",
	    .friendly_name = "HTTPS Development Certificate", .text_extensions = text,
	    .ntext_extensions = 2, .not_before_given = 1, .not_after_given = 1 };
	struct crypto_cert *mine;

	req.not_before = crypto_cert_not_before(win);
	req.not_after = crypto_cert_not_after(win);
	mine = make(&req, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mine);
	compare_with_windows(mine, win);
	CU_ASSERT_EQUAL(crypto_cert_not_before(mine), crypto_cert_not_before(win));
	CU_ASSERT_STRING_EQUAL(crypto_cert_friendly_name(mine), "HTTPS Development Certificate");
	crypto_cert_free(mine);
	crypto_cert_free(win);
}

static void
test_matches_windows_code_signing(void)
{
	static const struct { const char *file, *subject; } rows[] = {
		{ SAMPLE("BusHero__signing-playground__dev-root.cer"), "CN=Revit Addin Dev" },
		{ SAMPLE("PowerShell__PowerShell__CMSTestBadCert.cer"), "CN=CMSTestBadCert" },
	};
	size_t i;

	for (i = 0; i < 2; i++) {
		struct crypto_cert *win = load_cer(rows[i].file);
		struct crypto_selfsigned_request req = { .type = CRYPTO_TYPE_CODE_SIGNING,
		    .type_given = 1, .subject = rows[i].subject };
		struct crypto_cert *mine;

		req.now = crypto_cert_not_before(win) + 600;
		mine = make(&req, NULL, NULL);
		CU_ASSERT_PTR_NOT_NULL_FATAL(mine);
		compare_with_windows(mine, win);
		crypto_cert_free(mine);
		crypto_cert_free(win);
	}
}

static void
test_matches_windows_custom_root_and_server(void)
{
	struct crypto_cert *win_root = load_cer(SAMPLE("adrian-cancio__seguridad-2024__zpACas.cer"));
	struct crypto_cert *win_ser = load_cer(SAMPLE("adrian-cancio__seguridad-2024__zpSERas.cer"));
	const char *text[] = { "2.5.29.19={critical}{text}ca=1" };
	const char *dns[] = { "zpser.as", "www.zpser.es", "www.zpser.com" };
	struct crypto_selfsigned_request root_req = { .type = CRYPTO_TYPE_CUSTOM, .type_given = 1,
	    .subject = "CN=zpac.as", .key_algorithm = "RSA", .key_length = 2048,
	    .key_spec = CRYPTO_KEYSPEC_SIGNATURE, .key_usage_property = CRYPTO_KUP_ALL,
	    .key_usage_given = 1, .provider = ENHANCED_AES, .hash_algorithm = "sha256",
	    .text_extensions = text, .ntext_extensions = 1, .not_before_given = 1,
	    .not_after_given = 1 };
	struct crypto_selfsigned_request ser_req = { .type = CRYPTO_TYPE_CUSTOM, .type_given = 1,
	    .subject = "CN=zpser.as", .dns_names = dns, .ndns_names = 3, .key_algorithm = "RSA",
	    .key_length = 2048, .key_spec = CRYPTO_KEYSPEC_KEYEXCHANGE,
	    .key_usage_property = CRYPTO_KUP_ALL, .key_usage_given = 1, .provider = ENHANCED_AES,
	    .hash_algorithm = "sha256", .not_before_given = 1, .not_after_given = 1 };
	struct crypto_cert *root, *ser;

	root_req.not_before = crypto_cert_not_before(win_root);
	root_req.not_after = crypto_cert_not_after(win_root);
	ser_req.not_before = crypto_cert_not_before(win_ser);
	ser_req.not_after = crypto_cert_not_after(win_ser);
	root = make(&root_req, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(root);
	compare_with_windows(root, win_root);
	CU_ASSERT_EQUAL(root->key_spec, CRYPTO_KEYSPEC_SIGNATURE);
	ser = make(&ser_req, root, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ser);
	compare_with_windows(ser, win_ser);
	CU_ASSERT_EQUAL(crypto_cert_not_after(ser), crypto_cert_not_after(win_ser));
	CU_ASSERT_EQUAL(ser->key_spec, CRYPTO_KEYSPEC_KEYEXCHANGE);
	crypto_cert_free(ser);
	crypto_cert_free(root);
	crypto_cert_free(win_ser);
	crypto_cert_free(win_root);
}

static void
test_matches_windows_two_dns_names(void)
{
	struct crypto_cert *win = wrap_sample(load_pfx_leaf(
	    SAMPLE("SSLMate__go-pkcs12__ad_standalone_com_aescbc256.p12"), "password"));
	const char *dns[] = { "*.ad.standalone.com", "ad.standalone.com" };
	struct crypto_selfsigned_request req = { .dns_names = dns, .ndns_names = 2,
	    .not_after_given = 1, .machine_key = 1 };
	struct crypto_cert *mine;

	req.now = crypto_cert_not_before(win) + 600;
	req.not_after = crypto_cert_not_after(win);
	mine = make(&req, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mine);
	compare_with_windows(mine, win);
	crypto_cert_free(mine);
	crypto_cert_free(win);
}

static CU_TestInfo selfsigned_tests[] = {
	{ "the acceptance script's call makes the reference certificate", test_acceptance_script_call },
	{ "-DnsName a,b,c puts all three in the SAN and a in the CN", test_three_dns_names },
	{ "a multi-RDN -Subject is encoded in reverse and shown as given", test_multi_rdn_subject },
	{ "the P2S VPN root and child verify as a chain", test_p2s_vpn_root_and_child_chain },
	{ "CodeSigningCert has KU digitalSignature and EKU codeSigning", test_code_signing_cert },
	{ "DocumentEncryptionCert has KU KE+DE and EKU Document Encryption", test_document_encryption_cert },
	{ "Custom -KeyUsage None has no KU and no EKU", test_custom_key_usage_none },
	{ "every -KeyUsage bit lands in the minimal BIT STRING", test_every_key_usage_bit },
	{ "ECDSA keys on three curves sign with ECDSA", test_ecdsa_certificates },
	{ "-HashAlgorithm and RSASSA-PSS signatures", test_hash_and_pss },
	{ "-CloneCert copies subject, extensions and span with a new key", test_clone_cert },
	{ "-CloneCert keeps the original's hash and curve", test_clone_keeps_hash_and_curve },
	{ "-NotAfter and -NotBefore are kept and checked", test_not_after_and_not_before },
	{ "one year after Feb 29 is Feb 28, as in .NET", test_leap_day_adds_a_year_like_dotnet },
	{ "serial, SuppressOid, SmimeCapabilities and store properties", test_serial_suppress_smime_and_store_properties },
	{ "text extensions replace built-ins and keep their order", test_text_extensions_replace_and_follow_order },
	{ "an IP address in -DnsName is a dNSName", test_ip_address_in_dns_name_is_a_dns_name },
	{ "bad requests fail with a clear error and no certificate", test_errors_table },
	{ "a signer without a private key is refused", test_signer_without_key_is_refused },
	{ "a signer that expired before NotBefore is refused", test_expired_signer_is_refused },
	{ "the -WhatIf target is the subject", test_whatif_subject_text },
	{ "matches Windows: poc_lab_ca (-KeyUsage CertSign)", test_matches_windows_poc_lab_ca },
	{ "matches Windows: rabbitmq DevRootCA and its -Signer leaf", test_matches_windows_rabbitmq_root_and_leaf },
	{ "matches Windows: BibleDB localhost (text BC and SAN)", test_matches_windows_bibledb_localhost },
	{ "matches Windows: two CodeSigningCert certificates", test_matches_windows_code_signing },
	{ "matches Windows: zpACas root and zpSERas server (-Type Custom)", test_matches_windows_custom_root_and_server },
	{ "matches Windows: *.ad.standalone.com with two DNS names", test_matches_windows_two_dns_names },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "selfsigned", NULL, NULL, NULL, NULL, selfsigned_tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
