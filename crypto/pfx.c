/*
 * pfx.c: writing PKCS#12 in the layout Export-PfxCertificate produces
 * (MANIFEST.md §0, pki-cmdlets.md §3.3): one plain data SafeContents with the
 * shrouded key bags, then one encryptedData SafeContents with the
 * certificate bags; localKeyID 01 00 00 00; Windows' key bag attributes; the
 * MS key-usage attribute inside PKCS#8. PKCS12_create cannot do this (it
 * writes the certificates first and SHA-1 localKeyIDs), so the bags and
 * safes are built one by one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>

#include "crypto/atomicfile.h"
#include "crypto/pfx.h"
#include "crypto/pfxint.h"

int
pfx_nid_nonexportable(void)
{
	int nid = OBJ_txt2nid(PFX_OID_NONEXPORTABLE);

	if (nid == NID_undef)
		nid = OBJ_create(PFX_OID_NONEXPORTABLE, "pkishimNonExportable",
		    "pkishim non-exportable key");
	return nid;
}

/*
 * KeySpec as the PKCS#8 key-usage byte. CAPI keys: 0x10 AT_KEYEXCHANGE (what
 * Azure Cloud Services needs), 0x80 AT_SIGNATURE. A CNG key (KeySpec None)
 * gets 0x90, which is what Windows writes for every KSP key in the samples
 * (MANIFEST.md §0); PFXImportCertStore gives such a key decrypt and sign
 * usage, and a CAPI import of it becomes AT_KEYEXCHANGE, whose rule the
 * documentation lists first (openssl-pfx.md §1.2).
 */
static int
key_usage_byte(enum crypto_keyspec spec)
{
	switch (spec) {
	case CRYPTO_KEYSPEC_KEYEXCHANGE:
		return PFX_KEY_USAGE_KEYEXCHANGE;
	case CRYPTO_KEYSPEC_SIGNATURE:
		return PFX_KEY_USAGE_SIGNATURE;
	default:
		return PFX_KEY_USAGE_KEYEXCHANGE | PFX_KEY_USAGE_SIGNATURE;
	}
}

/* Windows encodes the byte with 0 unused bits (03 02 00 90), not minimal DER; d2i keeps that. */
static int
add_key_usage(PKCS8_PRIV_KEY_INFO *p8, enum crypto_keyspec spec)
{
	unsigned char der[4] = { 0x03, 0x02, 0x00, 0x00 };
	const unsigned char *p = der;
	ASN1_BIT_STRING *bits;
	X509_ATTRIBUTE *attr = NULL;
	int ok = 0;

	der[3] = (unsigned char)key_usage_byte(spec);
	if ((bits = d2i_ASN1_BIT_STRING(NULL, &p, sizeof(der))) == NULL)
		return 0;
	if ((attr = X509_ATTRIBUTE_create(NID_key_usage, V_ASN1_BIT_STRING, bits)) == NULL) {
		ASN1_BIT_STRING_free(bits);
		return 0;
	}
	ok = PKCS8_pkey_add1_attr(p8, attr);
	X509_ATTRIBUTE_free(attr);
	return ok;
}

/* The provider Windows would name for a key of this KeySpec: a KeySpec means a CAPI CSP. */
static const char *
provider_name(const struct crypto_cert *cert)
{
	if (cert->provider != NULL && *cert->provider != '\0')
		return cert->provider;
	if (cert->key_spec != CRYPTO_KEYSPEC_NONE)
		return PFX_CAPI_NAME;
	return PFX_KSP_NAME;
}

/* A container name for a key that has none (one read from a PEM file): "te-<GUID>", as CertEnroll names keys. */
static int
make_key_name(char out[40])
{
	unsigned char g[16];

	if (RAND_bytes(g, sizeof(g)) != 1)
		return 0;
	g[6] = (g[6] & 0x0f) | 0x40;
	g[8] = (g[8] & 0x3f) | 0x80;
	snprintf(out, 40, "te-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", g[0], g[1], g[2], g[3], g[4], g[5], g[6],
	    g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
	return 1;
}

static void
local_key_id(uint32_t index, unsigned char out[4])
{
	out[0] = (unsigned char)(index & 0xff);
	out[1] = (unsigned char)((index >> 8) & 0xff);
	out[2] = (unsigned char)((index >> 16) & 0xff);
	out[3] = (unsigned char)((index >> 24) & 0xff);
}

static int
pbe_nid(enum crypto_pfx_algorithm alg)
{
	return alg == CRYPTO_PFX_AES256_SHA256 ? NID_aes_256_cbc :
	    NID_pbe_WithSHA1And3_Key_TripleDES_CBC;
}

static int
machine_key(const struct crypto_cert *cert, const struct crypto_pfx_options *opt)
{
	if (opt->key_set == CRYPTO_PFX_KEY_SET_AS_IS)
		return cert->machine_key;
	return opt->key_set == CRYPTO_PFX_KEY_SET_MACHINE;
}

static int
iterations(const struct crypto_pfx_options *opt)
{
	return opt->iterations > 0 ? opt->iterations : PFX_ITERATIONS;
}

static int
add_key_bag(STACK_OF(PKCS12_SAFEBAG) *bags, const struct crypto_cert *cert,
    uint32_t index, const char *password, const struct crypto_pfx_options *opt)
{
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	PKCS12_SAFEBAG *bag = NULL;
	unsigned char lkid[4];
	char generated[40];
	const char *name = cert->key_name;
	int ok = 0;

	if ((p8 = EVP_PKEY2PKCS8(cert->key)) == NULL || !add_key_usage(p8, cert->key_spec))
		goto out;
	bag = PKCS12_SAFEBAG_create_pkcs8_encrypt_ex(pbe_nid(opt->algorithm), password, -1,
	    NULL, PFX_PBE_SALT_LEN, iterations(opt), p8, NULL, NULL);
	if (bag == NULL)
		goto out;
	if (name == NULL || *name == '\0') {
		if (!make_key_name(generated))
			goto out;
		name = generated;
	}
	local_key_id(index, lkid);
	/* The SET OF attributes is DER-sorted on output, which gives Windows' order. */
	if (machine_key(cert, opt) && !PKCS12_add1_attr_by_NID(bag, NID_LocalKeySet, 0, NULL, -1))
		goto out;
	if (!PKCS12_add_localkeyid(bag, lkid, sizeof(lkid)) ||
	    !PKCS12_add_friendlyname_utf8(bag, name, -1) ||
	    !PKCS12_add_CSPName_asc(bag, provider_name(cert), -1))
		goto out;
	if (opt->keep_nonexportable && (!cert->exportable || opt->mark_nonexportable) &&
	    !PKCS12_add1_attr_by_NID(bag, pfx_nid_nonexportable(), V_ASN1_UTF8STRING,
	    (const unsigned char *)PFX_NONEXPORTABLE_VALUE,
	    (int)strlen(PFX_NONEXPORTABLE_VALUE)))
		goto out;
	if (!sk_PKCS12_SAFEBAG_push(bags, bag))
		goto out;
	bag = NULL;
	ok = 1;
out:
	PKCS12_SAFEBAG_free(bag);
	PKCS8_PRIV_KEY_INFO_free(p8);   /* frees with cleansing of the key octets */
	return ok;
}

/* The friendlyName of a certificate bag: Windows includes a trailing U+0000. */
static int
add_cert_friendly_name(PKCS12_SAFEBAG *bag, const char *name)
{
	unsigned char *uni = NULL;
	int unilen = 0, ok;

	if (OPENSSL_utf82uni(name, -1, &uni, &unilen) == NULL)
		return 0;
	ok = PKCS12_add_friendlyname_uni(bag, uni, unilen);
	OPENSSL_free(uni);
	return ok;
}

static int
add_cert_bag(STACK_OF(PKCS12_SAFEBAG) *bags, const struct crypto_cert *cert,
    uint32_t index, const struct crypto_pfx_options *opt)
{
	PKCS12_SAFEBAG *bag;
	unsigned char lkid[4];

	if ((bag = PKCS12_SAFEBAG_create_cert(cert->x509)) == NULL)
		return 0;
	local_key_id(index, lkid);
	if ((index != 0 && !PKCS12_add_localkeyid(bag, lkid, sizeof(lkid))) ||
	    (!opt->no_properties && cert->friendly_name != NULL &&
	    *cert->friendly_name != '\0' && !add_cert_friendly_name(bag, cert->friendly_name)) ||
	    !sk_PKCS12_SAFEBAG_push(bags, bag)) {
		PKCS12_SAFEBAG_free(bag);
		return 0;
	}
	return 1;
}

static size_t
der_length_size(size_t len)
{
	size_t n = 1;

	if (len >= 0x80)
		for (; len > 0; len >>= 8)
			n++;
	return n;
}

static void
der_put_length(unsigned char *p, size_t len)
{
	size_t n = der_length_size(len), i;

	if (n == 1) {
		p[0] = (unsigned char)len;
		return;
	}
	p[0] = (unsigned char)(0x80 | (n - 1));
	for (i = n - 1; i > 0; i--, len >>= 8)
		p[i] = (unsigned char)(len & 0xff);
}

/*
 * A chain certificate's bag: Windows writes an empty attribute SET (31 00)
 * rather than none (MANIFEST.md §0). OpenSSL's attribute API never leaves an
 * empty SET, so the bag is re-read from DER with one appended.
 */
static int
add_chain_bag(STACK_OF(PKCS12_SAFEBAG) *bags, const struct crypto_cert *cert)
{
	PKCS12_SAFEBAG *plain = NULL, *bag = NULL;
	unsigned char *inner = NULL, *der = NULL, *q;
	const unsigned char *p;
	size_t content, hdr, total;
	int n, ok = 0;

	if ((plain = PKCS12_SAFEBAG_create_cert(cert->x509)) == NULL ||
	    (n = i2d_PKCS12_SAFEBAG(plain, &inner)) <= 0)
		goto out;
	/* inner = 30 <len> <content>: take the content back out. */
	hdr = 1 + ((inner[1] & 0x80) ? 1 + (size_t)(inner[1] & 0x7f) : 1);
	content = (size_t)n - hdr + 2;
	total = 1 + der_length_size(content) + content;
	if ((der = malloc(total)) == NULL)
		goto out;
	der[0] = 0x30;
	der_put_length(der + 1, content);
	q = der + 1 + der_length_size(content);
	memcpy(q, inner + hdr, (size_t)n - hdr);
	q[(size_t)n - hdr] = 0x31;
	q[(size_t)n - hdr + 1] = 0x00;
	p = der;
	if ((bag = d2i_PKCS12_SAFEBAG(NULL, &p, (long)total)) == NULL ||
	    !sk_PKCS12_SAFEBAG_push(bags, bag))
		goto out;
	bag = NULL;
	ok = 1;
out:
	PKCS12_SAFEBAG_free(bag);
	PKCS12_SAFEBAG_free(plain);
	OPENSSL_free(inner);
	free(der);
	return ok;
}

static int
listed(struct crypto_cert *const *certs, size_t n, const struct crypto_cert *cert)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(certs[i]->thumbprint, cert->thumbprint) == 0)
			return 1;
	return 0;
}

/*
 * Windows writes the MAC's digest AlgorithmIdentifier without parameters
 * (30 07 06 05 2B0E03021A, MANIFEST.md §0); OpenSSL adds NULL. The MAC does
 * not cover MacData, so the parameters can go after PKCS12_set_mac.
 * PKCS12_get0_mac only hands out a const view of what is our own object.
 */
static int
drop_mac_null_parameters(PKCS12 *p12)
{
	const X509_ALGOR *macalg = NULL;
	const ASN1_OBJECT *obj;

	PKCS12_get0_mac(NULL, &macalg, NULL, NULL, p12);
	if (macalg == NULL)
		return 0;
	X509_ALGOR_get0(&obj, NULL, NULL, macalg);
	return X509_ALGOR_set0((X509_ALGOR *)macalg, OBJ_nid2obj(OBJ_obj2nid(obj)),
	    V_ASN1_UNDEF, NULL);
}

int
crypto_pfx_encode(struct crypto_cert *const *certs, size_t n, const char *password,
    const struct crypto_pfx_options *options, unsigned char **der, size_t *len,
    struct pk_error *err)
{
	static const struct crypto_pfx_options defaults = { .algorithm = CRYPTO_PFX_TRIPLEDES_SHA1 };
	const struct crypto_pfx_options *opt = options != NULL ? options : &defaults;
	STACK_OF(PKCS12_SAFEBAG) *keybags = NULL, *certbags = NULL;
	STACK_OF(PKCS7) *safes = NULL;
	PKCS12 *p12 = NULL;
	unsigned char *buf = NULL;
	uint32_t keys = 0;
	size_t i;
	int blen = 0, rc;

	*der = NULL;
	*len = 0;
	if (n == 0)
		return pk_fail(err, PK_ERR_USAGE, "There is no certificate to export.");
	for (i = 0; i < n; i++)
		if (certs[i]->key != NULL && !certs[i]->exportable && !opt->keep_nonexportable)
			return pk_fail(err, PK_ERR_NOT_EXPORTABLE,
			    "Cannot export non-exportable private key.");
	if ((keybags = sk_PKCS12_SAFEBAG_new_null()) == NULL ||
	    (certbags = sk_PKCS12_SAFEBAG_new_null()) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	for (i = 0; i < n; i++) {
		uint32_t index = 0;

		if (certs[i]->key != NULL) {
			index = ++keys;
			if (!add_key_bag(keybags, certs[i], index, password, opt)) {
				rc = crypto_fail_openssl(err, PK_ERR_CRYPTO,
				    "Cannot encrypt the private key");
				goto out;
			}
		}
		if (!add_cert_bag(certbags, certs[i], index, opt)) {
			rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Cannot add the certificate");
			goto out;
		}
	}
	for (i = 0; i < opt->chain_count; i++) {
		if (listed(certs, n, opt->chain[i]) || listed(opt->chain, i, opt->chain[i]))
			continue;
		if (!add_chain_bag(certbags, opt->chain[i])) {
			rc = crypto_fail_openssl(err, PK_ERR_CRYPTO,
			    "Cannot add a chain certificate");
			goto out;
		}
	}
	if ((keys > 0 && !PKCS12_add_safe_ex(&safes, keybags, -1, 0, NULL, NULL, NULL)) ||
	    !PKCS12_add_safe_ex(&safes, certbags, pbe_nid(opt->algorithm), iterations(opt),
	    password, NULL, NULL) ||
	    (p12 = PKCS12_add_safes_ex(safes, 0, NULL, NULL)) == NULL ||
	    !PKCS12_set_mac(p12, password, -1, NULL, PFX_MAC_SALT_LEN, iterations(opt),
	    opt->algorithm == CRYPTO_PFX_AES256_SHA256 ? EVP_sha256() : EVP_sha1())) {
		rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Cannot build the PFX");
		goto out;
	}
	if (!drop_mac_null_parameters(p12)) {
		rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Cannot build the PFX");
		goto out;
	}
	if ((blen = i2d_PKCS12(p12, &buf)) <= 0) {
		rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Cannot encode the PFX");
		goto out;
	}
	if ((*der = malloc((size_t)blen)) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	memcpy(*der, buf, (size_t)blen);
	*len = (size_t)blen;
	rc = 0;
out:
	if (buf != NULL)
		OPENSSL_clear_free(buf, blen > 0 ? (size_t)blen : 0);
	PKCS12_free(p12);
	sk_PKCS7_pop_free(safes, PKCS7_free);
	sk_PKCS12_SAFEBAG_pop_free(keybags, PKCS12_SAFEBAG_free);
	sk_PKCS12_SAFEBAG_pop_free(certbags, PKCS12_SAFEBAG_free);
	return rc;
}

int
crypto_pfx_write(const char *path, struct crypto_cert *const *certs, size_t n,
    const char *password, const struct crypto_pfx_options *options,
    unsigned file_flags, struct pk_error *err)
{
	unsigned char *der = NULL;
	size_t len = 0;
	int rc;

	if ((rc = crypto_pfx_encode(certs, n, password, options, &der, &len, err)) != 0)
		return rc;
	rc = atomicfile_write(path, der, len, (file_flags &
	    (ATOMICFILE_NO_CLOBBER | ATOMICFILE_FORCE)) | ATOMICFILE_SECRET, err);
	OPENSSL_cleanse(der, len);
	free(der);
	return rc;
}
