/*
 * pfxread.c: reading PKCS#12 files as Windows and .NET do: every certificate,
 * each key attached to its certificate (localKeyID, else the public key),
 * and the properties Windows keeps in the bags (friendlyName, KeySpec, CSP,
 * key container name, Local Key Set) plus pkishim's export policy.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>

#include "crypto/atomicfile.h"
#include "crypto/pfx.h"
#include "crypto/pfxint.h"

/* Larger than any PFX of 200 certificates; the iteration limits are in pfxint.h. */
#define PFX_MAX_FILE (16u << 20)

#define BAD_PASSWORD "The specified network password is not correct."

struct found_key {
	EVP_PKEY *key;
	ASN1_OCTET_STRING *lkid;
	char *key_name;
	char *provider;
	int usage;              /* the PKCS#8 key-usage byte; -1 when absent */
	int machine_key;
	int nonexportable;
	int taken;
};

struct found_cert {
	struct crypto_cert *cert;
	ASN1_OCTET_STRING *lkid;
};

struct reader {
	const char *pass;       /* the password form the MAC accepted */
	unsigned flags;         /* PFX_DECODE_* */
	struct found_key *keys;
	size_t nkeys;
	struct found_cert *certs;
	size_t ncerts;
	struct pfx_budget budget;   /* charged before any derivation it counts */
	struct pk_error *err;
};

static int
nomem(struct pk_error *err)
{
	return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
}

/*
 * RC2-40 (Windows 8.1 and older encrypt certificates with it) and the other
 * PKCS#5 v1 ciphers live in OpenSSL 3's legacy provider. It is loaded the
 * first time such a file is read, as .NET does (openssl-pfx.md §2.5), beside
 * the default provider, which explicit loading would otherwise displace.
 */
static int
need_legacy(int nid)
{
	switch (nid) {
	case NID_pbe_WithSHA1And40BitRC2_CBC:
	case NID_pbe_WithSHA1And128BitRC2_CBC:
	case NID_pbe_WithSHA1And40BitRC4:
	case NID_pbe_WithSHA1And128BitRC4:
	case NID_pbeWithMD2AndDES_CBC:
	case NID_pbeWithMD2AndRC2_CBC:
	case NID_pbeWithMD5AndDES_CBC:
	case NID_pbeWithMD5AndRC2_CBC:
	case NID_pbeWithSHA1AndDES_CBC:
	case NID_pbeWithSHA1AndRC2_CBC:
		return 1;
	default:
		return 0;
	}
}

static int
load_legacy(const X509_ALGOR *alg, struct pk_error *err)
{
	/* Loaded for the life of the process, as OpenSSL's own applications do. */
	static OSSL_PROVIDER *legacy, *fallback;
	const ASN1_OBJECT *obj;

	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	if (!need_legacy(OBJ_obj2nid(obj)) || (legacy != NULL && fallback != NULL))
		return 0;
	if (legacy == NULL)
		legacy = OSSL_PROVIDER_load(NULL, "legacy");
	if (legacy != NULL && fallback == NULL)
		fallback = OSSL_PROVIDER_load(NULL, "default");
	if (legacy != NULL && fallback != NULL)
		return 0;
	ERR_clear_error();
	return pk_fail(err, PK_ERR_UNSUPPORTED, "The PFX file is encrypted with %s, as "
	    "Windows 8.1 and older wrote it; reading it needs OpenSSL's legacy provider "
	    "(legacy.so in OpenSSL's modules directory), which is not installed.",
	    OBJ_nid2ln(OBJ_obj2nid(obj)));
}

static char *
bmp_to_utf8(const ASN1_TYPE *t)
{
	char *u, *out;

	if (t == NULL || t->type != V_ASN1_BMPSTRING)
		return NULL;
	if ((u = OPENSSL_uni2utf8(t->value.bmpstring->data, t->value.bmpstring->length)) == NULL)
		return NULL;
	out = strdup(u);
	OPENSSL_free(u);
	return out;
}

static ASN1_OCTET_STRING *
local_key_id(const PKCS12_SAFEBAG *bag)
{
	const ASN1_TYPE *t = PKCS12_SAFEBAG_get0_attr(bag, NID_localKeyID);

	if (t == NULL || t->type != V_ASN1_OCTET_STRING)
		return NULL;
	return ASN1_OCTET_STRING_dup(t->value.octet_string);
}

static int
has_attr(const PKCS12_SAFEBAG *bag, int nid)
{
	const STACK_OF(X509_ATTRIBUTE) *attrs = PKCS12_SAFEBAG_get0_attrs(bag);

	return nid != NID_undef && attrs != NULL && X509at_get_attr_by_NID(attrs, nid, -1) >= 0;
}

/* The MS key-usage byte inside the PKCS#8 (openssl-pfx.md §1.1), or -1. */
static int
key_usage(const PKCS8_PRIV_KEY_INFO *p8)
{
	const STACK_OF(X509_ATTRIBUTE) *attrs = PKCS8_pkey_get0_attrs(p8);
	X509_ATTRIBUTE *attr;
	ASN1_TYPE *t;
	int i;

	if (attrs == NULL || (i = X509at_get_attr_by_NID(attrs, NID_key_usage, -1)) < 0)
		return -1;
	attr = X509at_get_attr(attrs, i);
	if ((t = X509_ATTRIBUTE_get0_type(attr, 0)) == NULL || t->type != V_ASN1_BIT_STRING ||
	    t->value.bit_string->length < 1)
		return -1;
	return t->value.bit_string->data[0];
}

static int
add_key(struct reader *r, const PKCS12_SAFEBAG *bag)
{
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	const PKCS8_PRIV_KEY_INFO *plain = NULL;
	struct found_key *grown, *k;
	const X509_ALGOR *alg;
	int rc;

	if (PKCS12_SAFEBAG_get_nid(bag) == NID_pkcs8ShroudedKeyBag) {
		X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, NULL);
		if ((rc = load_legacy(alg, r->err)) != 0)
			return rc;
		if ((p8 = PKCS12_decrypt_skey(bag, r->pass, r->pass != NULL ? -1 : 0)) == NULL)
			return pk_fail(r->err, PK_ERR_PASSWORD, BAD_PASSWORD);
		plain = p8;
	} else
		plain = PKCS12_SAFEBAG_get0_p8inf(bag);
	if ((grown = realloc(r->keys, (r->nkeys + 1) * sizeof(*grown))) == NULL) {
		rc = nomem(r->err);
		goto out;
	}
	r->keys = grown;
	k = &r->keys[r->nkeys];
	memset(k, 0, sizeof(*k));
	if ((k->key = EVP_PKCS82PKEY(plain)) == NULL) {
		rc = crypto_fail_openssl(r->err, PK_ERR_FORMAT, "The PFX file holds a private "
		    "key that cannot be read");
		goto out;
	}
	r->nkeys++;
	k->usage = key_usage(plain);
	k->lkid = local_key_id(bag);
	k->key_name = PKCS12_get_friendlyname((PKCS12_SAFEBAG *)bag);
	k->provider = bmp_to_utf8(PKCS12_SAFEBAG_get0_attr(bag, NID_ms_csp_name));
	k->machine_key = has_attr(bag, NID_LocalKeySet);
	k->nonexportable = has_attr(bag, pfx_nid_nonexportable());
	if (k->key_name != NULL) {
		/* PKCS12_get_friendlyname's string is OPENSSL_malloc'd; the struct frees with free(). */
		char *copy = strdup(k->key_name);

		OPENSSL_free(k->key_name);
		k->key_name = copy;
	}
	rc = 0;
out:
	PKCS8_PRIV_KEY_INFO_free(p8);
	return rc;
}

static int
add_cert(struct reader *r, const PKCS12_SAFEBAG *bag)
{
	struct found_cert *grown;
	struct crypto_cert *cert;
	char *name;
	X509 *x509;

	if (PKCS12_SAFEBAG_get_bag_nid(bag) != NID_x509Certificate)
		return 0;       /* SDSI certificates: Windows ignores them too */
	if ((x509 = PKCS12_SAFEBAG_get1_cert(bag)) == NULL)
		return crypto_fail_openssl(r->err, PK_ERR_FORMAT, "The PFX file holds a "
		    "certificate that cannot be read");
	if ((cert = crypto_cert_wrap(x509, NULL)) == NULL) {
		X509_free(x509);
		return nomem(r->err);
	}
	/* Windows ends the name with U+0000 (MANIFEST.md §0); the conversion stops there. */
	if ((name = PKCS12_get_friendlyname((PKCS12_SAFEBAG *)bag)) != NULL) {
		if (*name != '\0')
			cert->friendly_name = strdup(name);
		OPENSSL_free(name);
	}
	if ((grown = realloc(r->certs, (r->ncerts + 1) * sizeof(*grown))) == NULL) {
		crypto_cert_free(cert);
		return nomem(r->err);
	}
	r->certs = grown;
	r->certs[r->ncerts].cert = cert;
	r->certs[r->ncerts].lkid = local_key_id(bag);
	r->ncerts++;
	return 0;
}

static int
read_bags(struct reader *r, const STACK_OF(PKCS12_SAFEBAG) *bags, int depth)
{
	int i, rc = 0;

	for (i = 0; rc == 0 && i < sk_PKCS12_SAFEBAG_num(bags); i++) {
		const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);

		switch (PKCS12_SAFEBAG_get_nid(bag)) {
		case NID_keyBag:
		case NID_pkcs8ShroudedKeyBag:
			/* Decrypting and decoding a key is most of a store read. */
			if (!(r->flags & PFX_DECODE_NO_KEYS))
				rc = add_key(r, bag);
			break;
		case NID_certBag:
			rc = add_cert(r, bag);
			break;
		case NID_safeContentsBag:
			/* pfx_budget_bags bounded the depth already */
			rc = read_bags(r, PKCS12_SAFEBAG_get0_safes(bag), depth + 1);
			break;
		default:
			break;  /* CRL and secret bags carry nothing a certificate store keeps */
		}
	}
	return rc;
}

static int
read_safes(struct reader *r, PKCS12 *p12)
{
	STACK_OF(PKCS7) *safes;
	STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
	int i, rc = 0;

	if ((safes = PKCS12_unpack_authsafes(p12)) == NULL)
		return pk_fail(r->err, PK_ERR_FORMAT, "The PFX file is damaged: its contents "
		    "cannot be read.");
	for (i = 0; rc == 0 && i < sk_PKCS7_num(safes); i++) {
		PKCS7 *p7 = sk_PKCS7_value(safes, i);

		switch (OBJ_obj2nid(p7->type)) {
		case NID_pkcs7_data:
			bags = PKCS12_unpack_p7data(p7);
			break;
		case NID_pkcs7_encrypted:
			if (p7->d.encrypted == NULL || p7->d.encrypted->enc_data == NULL) {
				rc = pk_fail(r->err, PK_ERR_FORMAT, "The PFX file is damaged.");
				continue;
			}
			if ((rc = load_legacy(p7->d.encrypted->enc_data->algorithm,
			    r->err)) != 0)
				continue;
			bags = PKCS12_unpack_p7encdata(p7, r->pass, r->pass != NULL ? -1 : 0);
			if (bags == NULL) {
				rc = pk_fail(r->err, PK_ERR_PASSWORD, BAD_PASSWORD);
				continue;
			}
			/* Plain parts were counted with the file; these only now show their bags. */
			if ((rc = pfx_budget_bags(&r->budget, bags, 0, r->err)) != 0) {
				sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
				continue;
			}
			break;
		default:
			/* envelopedData: -ProtectTo, Active Directory only */
			rc = pk_fail(r->err, PK_ERR_UNSUPPORTED, "The PFX file is protected "
			    "to Active Directory principals (-ProtectTo), which is not "
			    "supported on this platform.");
			continue;
		}
		if (bags == NULL) {
			rc = pk_fail(r->err, PK_ERR_FORMAT, "The PFX file is damaged: a part of "
			    "it cannot be read.");
			continue;
		}
		rc = read_bags(r, bags, 0);
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
		bags = NULL;
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	return rc;
}

/*
 * KeySpec from the bag (PFXImportCertStore's rules, openssl-pfx.md §1.2): a
 * key storage provider (CNG) key has none; a CAPI key with 0x10 set, or with
 * no attribute at all, is a key-exchange key; 0x80 alone is a signature key.
 * (0x90 under a CAPI CSP is [UNK]; the key-exchange rule is listed first.)
 * A file without a CSP name imports as Windows does: RSA into the Enhanced
 * CSP, other keys into the software KSP.
 */
static void
attach(struct crypto_cert *cert, struct found_key *k)
{
	int is_rsa = EVP_PKEY_is_a(k->key, "RSA");
	int ksp;

	if (k->provider == NULL)
		k->provider = strdup(is_rsa ? PFX_CAPI_DEFAULT_NAME : PFX_KSP_NAME);
	ksp = k->provider != NULL && strstr(k->provider, "Key Storage Provider") != NULL;
	if (ksp)
		cert->key_spec = CRYPTO_KEYSPEC_NONE;
	else if (k->usage < 0 || (k->usage & PFX_KEY_USAGE_KEYEXCHANGE))
		cert->key_spec = CRYPTO_KEYSPEC_KEYEXCHANGE;
	else if (k->usage & PFX_KEY_USAGE_SIGNATURE)
		cert->key_spec = CRYPTO_KEYSPEC_SIGNATURE;
	else
		cert->key_spec = CRYPTO_KEYSPEC_KEYEXCHANGE;
	cert->key = k->key;
	cert->key_name = k->key_name;
	cert->provider = k->provider;
	cert->machine_key = k->machine_key;
	cert->exportable = !k->nonexportable;
	k->key = NULL;
	k->key_name = k->provider = NULL;
	k->taken = 1;
}

/* Keys find their certificate by localKeyID, else by public key (files from other tools). */
static void
pair_keys(struct reader *r)
{
	size_t i, j;

	for (i = 0; i < r->nkeys; i++) {
		struct found_key *k = &r->keys[i];

		for (j = 0; !k->taken && k->lkid != NULL && j < r->ncerts; j++)
			if (r->certs[j].cert->key == NULL && r->certs[j].lkid != NULL &&
			    ASN1_OCTET_STRING_cmp(k->lkid, r->certs[j].lkid) == 0 &&
			    X509_check_private_key(r->certs[j].cert->x509, k->key) == 1)
				attach(r->certs[j].cert, k);
		for (j = 0; !k->taken && j < r->ncerts; j++)
			if (r->certs[j].cert->key == NULL &&
			    X509_check_private_key(r->certs[j].cert->x509, k->key) == 1)
				attach(r->certs[j].cert, k);
	}
	ERR_clear_error();
}

static void
reader_clear(struct reader *r)
{
	size_t i;

	for (i = 0; i < r->nkeys; i++) {
		EVP_PKEY_free(r->keys[i].key);
		ASN1_OCTET_STRING_free(r->keys[i].lkid);
		free(r->keys[i].key_name);
		free(r->keys[i].provider);
	}
	for (i = 0; i < r->ncerts; i++) {
		crypto_cert_free(r->certs[i].cert);
		ASN1_OCTET_STRING_free(r->certs[i].lkid);
	}
	free(r->keys);
	free(r->certs);
}

/*
 * Which password form opens the file. Windows' legacy files verify only with
 * the zero-length (NULL) password, .NET's and ours with either; .NET tries
 * "" then NULL for a file opened without a password (powershell-semantics.md
 * §5.1), and so do we. A given non-empty password is the only candidate.
 */
static int
choose_password(PKCS12 *p12, const char *password, const char **chosen,
    struct pk_error *err)
{
	const char *candidates[2] = { "", NULL };
	size_t i, n = 2;

	if (password != NULL && *password != '\0') {
		candidates[0] = password;
		n = 1;
	}
	*chosen = candidates[0];
	if (!PKCS12_mac_present(p12))
		return 0;       /* nothing to check against: decryption tells */
	for (i = 0; i < n; i++)
		if (PKCS12_verify_mac(p12, candidates[i], candidates[i] != NULL ? -1 : 0)) {
			*chosen = candidates[i];
			return 0;
		}
	ERR_clear_error();
	return pk_fail(err, PK_ERR_PASSWORD, BAD_PASSWORD);
}

int
crypto_pfx_sniff(const void *der, size_t len)
{
	const unsigned char *p = der;
	PKCS12 *p12;
	int ok;

	if (len > PFX_MAX_FILE || len > 0x7fffffff)
		return 0;
	p12 = d2i_PKCS12(NULL, &p, (long)len);
	ok = p12 != NULL && p == (const unsigned char *)der + len;
	PKCS12_free(p12);
	ERR_clear_error();
	return ok;
}

int
crypto_pfx_decode(const void *der, size_t len, const char *password,
    struct crypto_certlist *out, struct pk_error *err)
{
	return pfx_decode(der, len, password, 0, out, err);
}

int
pfx_decode(const void *der, size_t len, const char *password, unsigned flags,
    struct crypto_certlist *out, struct pk_error *err)
{
	struct pfx_budget file_budget;
	struct reader r;
	const unsigned char *p = der;
	PKCS12 *p12 = NULL;
	size_t i, pass;
	int rc;

	memset(&r, 0, sizeof(r));
	r.err = err;
	r.flags = flags;
	if (len > PFX_MAX_FILE)
		return pk_fail(err, PK_ERR_LIMIT, "The PFX file is larger than %u MiB.",
		    PFX_MAX_FILE >> 20);
	p12 = d2i_PKCS12(NULL, &p, (long)len);
	if (p12 == NULL || p != (const unsigned char *)der + len) {
		rc = pk_fail(err, PK_ERR_FORMAT, "The file is not a PFX (PKCS #12) file, or it "
		    "is damaged or truncated.");
		goto out;
	}
	if ((rc = pfx_budget_file(&r.budget, p12, err)) != 0 ||
	    (rc = choose_password(p12, password, &r.pass, err)) != 0)
		goto out;
	file_budget = r.budget;
	if ((rc = read_safes(&r, p12)) != 0 && rc == PK_ERR_PASSWORD &&
	    !PKCS12_mac_present(p12) && (password == NULL || *password == '\0')) {
		/* No MAC to tell "" from NULL: the other form may decrypt. */
		reader_clear(&r);
		memset(&r, 0, sizeof(r));
		r.err = err;
		r.flags = flags;
		r.pass = NULL;
		r.budget = file_budget;
		rc = read_safes(&r, p12);
	}
	if (rc != 0)
		goto out;
	if (r.ncerts == 0) {
		rc = pk_fail(err, PK_ERR_FORMAT, "The PFX file holds no certificate.");
		goto out;
	}
	pair_keys(&r);
	/* Certificates with keys first: they are what Import-PfxCertificate returns. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < r.ncerts; i++) {
			struct crypto_cert *cert = r.certs[i].cert;

			if (cert == NULL || (cert->key != NULL) != (pass == 0))
				continue;
			if (crypto_certlist_add(out, cert) != 0) {
				rc = nomem(err);
				goto out;
			}
			r.certs[i].cert = NULL;
		}
	rc = 0;
out:
	ERR_clear_error();
	reader_clear(&r);
	PKCS12_free(p12);
	return rc;
}

int
crypto_pfx_read(const char *path, const char *password,
    struct crypto_certlist *out, struct pk_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	if ((rc = atomicfile_read(path, PFX_MAX_FILE, &data, &len, err)) != 0)
		return rc;
	rc = crypto_pfx_decode(data, len, password, out, err);
	OPENSSL_cleanse(data, len);
	free(data);
	return rc;
}
