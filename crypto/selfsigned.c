#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/internal.h"
#include "crypto/dn.h"
#include "crypto/key.h"
#include "crypto/selfsigned.h"
#include "crypto/oid.h"
#include "crypto/textext.h"

/*
 * What Windows makes, from the certificates it really made
 * (shared/samples/windows/MANIFEST.md §0, reference/pki-cmdlets.md §2.3-2.6):
 *  - v3, 16-byte serial with the top bit clear, sha256WithRSAEncryption;
 *  - NotBefore = now - 10 min, NotAfter = now + 1 calendar year + 10 min;
 *  - extensions in this order: KU (critical), EKU, SAN from -DnsName, the
 *    -TextExtension values in the order given, AKI (keyid only, -Signer),
 *    SKI (SHA-1 of the subjectPublicKey bits) - except that a text extension
 *    written with an explicit {critical} comes after the SKI, which is the one
 *    rule that also fits adrian-cancio zpACas ("SKI, BC" in three runs of
 *    "2.5.29.19={critical}{text}ca=1"; every sample without {critical} has the
 *    text extension before the SKI). Inferred, not verified on Windows.
 */

#define OID_DOCUMENT_ENCRYPTION "1.3.6.1.4.1.311.80.1"
#define OID_SMIME_CAPABILITIES "1.2.840.113549.1.9.15"
#define OID_KU "2.5.29.15"
#define OID_EKU "2.5.29.37"
#define OID_SAN "2.5.29.17"
#define OID_SKI "2.5.29.14"
#define OID_AKI "2.5.29.35"

#define KSP_SOFTWARE "Microsoft Software Key Storage Provider"
#define CSP_RSA_AES "Microsoft Enhanced RSA and AES Cryptographic Provider"
#define CSP_SCHANNEL "Microsoft RSA SChannel Cryptographic Provider"

#define MAX_EXTENSIONS 64

/*
 * S/MIME capabilities as CryptoAPI writes them (RC2-128, RC4-128, DES,
 * 3DES), copied from the Windows-made PowerShell ProtectedEventLogging
 * certificate. Which list a current Windows writes for -SmimeCapabilities is
 * not known.
 */
static const unsigned char smime_capabilities_der[] = {
	0x30, 0x35, 0x30, 0x0e, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
	0x03, 0x02, 0x02, 0x02, 0x00, 0x80, 0x30, 0x0e, 0x06, 0x08, 0x2a, 0x86,
	0x48, 0x86, 0xf7, 0x0d, 0x03, 0x04, 0x02, 0x02, 0x00, 0x80, 0x30, 0x07,
	0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x07, 0x30, 0x0a, 0x06, 0x08, 0x2a,
	0x86, 0x48, 0x86, 0xf7, 0x0d, 0x03, 0x07
};

enum provider_kind { PROVIDER_KSP, PROVIDER_CSP, PROVIDER_HARDWARE };

static const struct {
	const char *name;
	enum provider_kind kind;
} providers[] = {
	{ KSP_SOFTWARE, PROVIDER_KSP },
	{ "Microsoft Strong Cryptographic Provider", PROVIDER_CSP },
	{ "Microsoft Enhanced Cryptographic Provider v1.0", PROVIDER_CSP },
	{ CSP_RSA_AES, PROVIDER_CSP },
	{ "Microsoft Base Cryptographic Provider v1.0", PROVIDER_CSP },
	{ CSP_SCHANNEL, PROVIDER_CSP },
	{ "Microsoft Platform Crypto Provider", PROVIDER_HARDWARE },
	{ "Microsoft Smart Card Key Storage Provider", PROVIDER_HARDWARE },
	{ "Microsoft Base Smart Card Crypto Provider", PROVIDER_HARDWARE },
	{ "Microsoft Passport Key Storage Provider", PROVIDER_HARDWARE },
};

/* Everything decided before any key is made. */
struct plan {
	struct crypto_key_params key;
	const EVP_MD *md;
	int pss;
	const char *provider;
	enum crypto_keyspec key_spec;
	char *key_name;
	int64_t not_before, not_after;
	struct crypto_textext text[MAX_EXTENSIONS];
	size_t ntext;
};

struct ext_list {
	X509_EXTENSION *items[MAX_EXTENSIONS];
	size_t count;
};

static void
plan_clear(struct plan *plan)
{
	size_t i;

	free(plan->key_name);
	for (i = 0; i < plan->ntext; i++)
		crypto_textext_clear(&plan->text[i]);
	memset(plan, 0, sizeof(*plan));
}

static void
ext_list_clear(struct ext_list *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		X509_EXTENSION_free(list->items[i]);
	list->count = 0;
}

static void
time_text(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%d %H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "%lld", (long long)t);
}

/* t plus one calendar year, as .NET's DateTime.AddYears(1): Feb 29 becomes Feb 28. */
static int64_t
add_year(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL)
		return t + 365 * 86400;
	tm.tm_year++;
	if (tm.tm_mon == 1 && tm.tm_mday == 29)
		tm.tm_mday = 28;
	return (int64_t)timegm(&tm);
}

/* A random version-4 GUID, lower case, as CertEnroll names key containers. */
static int
random_guid(char out[37])
{
	unsigned char b[16];

	if (RAND_bytes(b, sizeof(b)) != 1)
		return 0;
	b[6] = (unsigned char)(0x40 | (b[6] & 0x0f));
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return 1;
}

static int
plan_hash(struct plan *plan, const struct crypto_selfsigned_request *req,
    const struct crypto_cert *clone, struct pk_error *err)
{
	static const struct {
		const char *names[2];
		const char *md;
	} hashes[] = {
		{ { "SHA1", "SHA-1" }, "SHA1" },
		{ { "SHA256", "SHA-256" }, "SHA256" },
		{ { "SHA384", "SHA-384" }, "SHA384" },
		{ { "SHA512", "SHA-512" }, "SHA512" },
	};
	const char *name = req->hash_algorithm;
	int mdnid = NID_undef, pknid;
	size_t i;

	if (name == NULL && clone != NULL &&
	    OBJ_find_sigid_algs(X509_get_signature_nid(clone->x509), &mdnid, &pknid) &&
	    mdnid != NID_undef) {
		/* A clone keeps the original's hash (seen: sha1WithRSAEncryption kept). */
		plan->md = EVP_get_digestbynid(mdnid);
	}
	if (plan->md == NULL && name == NULL)
		name = "SHA256";
	for (i = 0; name != NULL && i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (strcasecmp(name, hashes[i].names[0]) == 0 ||
		    strcasecmp(name, hashes[i].names[1]) == 0)
			plan->md = EVP_get_digestbyname(hashes[i].md);
	if (plan->md == NULL)
		return pk_fail(err, PK_ERR_USAGE,
		    "The hash algorithm '%s' is not supported: use SHA1, SHA256, "
		    "SHA384 or SHA512.", name != NULL ? name : "?");
	plan->pss = req->alternate_signature;
	return 0;
}

/* -Provider and -KeySpec, checked against each other as CertEnroll does. */
static int
plan_provider(struct plan *plan, const struct crypto_selfsigned_request *req,
    const struct crypto_cert *clone, struct pk_error *err)
{
	const char *name = req->provider;
	enum provider_kind kind = PROVIDER_KSP;
	size_t i;

	plan->key_spec = req->key_spec;
	if (name == NULL && clone != NULL && clone->provider != NULL) {
		name = clone->provider;
		if (plan->key_spec == CRYPTO_KEYSPEC_NONE)
			plan->key_spec = clone->key_spec;
	}
	/*
	 * Without -Provider: a -KeySpec asks for a legacy CryptoAPI key, so a
	 * CSP that signs with SHA-2 is chosen (which one Windows picks is not
	 * known); -Type DocumentEncryptionCertLegacyCsp takes the SChannel CSP
	 * the DSC documentation asks for; otherwise the software KSP.
	 */
	if (name == NULL) {
		if (req->type_given &&
		    req->type == CRYPTO_TYPE_DOCUMENT_ENCRYPTION_LEGACY_CSP)
			name = CSP_SCHANNEL;
		else if (plan->key_spec != CRYPTO_KEYSPEC_NONE)
			name = CSP_RSA_AES;
		else
			name = KSP_SOFTWARE;
	}
	for (i = 0; i < sizeof(providers) / sizeof(providers[0]); i++)
		if (strcasecmp(providers[i].name, name) == 0)
			break;
	if (i == sizeof(providers) / sizeof(providers[0]))
		return pk_fail(err, PK_ERR_USAGE,
		    "The provider '%s' is not known. Software providers are: "
		    "Microsoft Software Key Storage Provider, Microsoft Enhanced "
		    "RSA and AES Cryptographic Provider, Microsoft Enhanced "
		    "Cryptographic Provider v1.0, Microsoft Strong Cryptographic "
		    "Provider, Microsoft Base Cryptographic Provider v1.0 and "
		    "Microsoft RSA SChannel Cryptographic Provider.", name);
	kind = providers[i].kind;
	plan->provider = providers[i].name;
	if (kind == PROVIDER_HARDWARE)
		return pk_fail(err, PK_ERR_UNSUPPORTED,
		    "The provider '%s' keeps keys in a TPM, smart card or "
		    "Windows Hello container, which is not supported on this "
		    "platform.", plan->provider);
	if (kind == PROVIDER_KSP && plan->key_spec != CRYPTO_KEYSPEC_NONE)
		return pk_fail(err, PK_ERR_USAGE,
		    "-KeySpec %s needs a legacy CryptoAPI provider, but '%s' is a "
		    "CNG key storage provider (Windows: Provider type not defined, "
		    "NTE_PROV_TYPE_NOT_DEF).", plan->key_spec ==
		    CRYPTO_KEYSPEC_SIGNATURE ? "Signature" : "KeyExchange",
		    plan->provider);
	if (kind == PROVIDER_CSP) {
		if (plan->key.algorithm != CRYPTO_KEY_RSA)
			return pk_fail(err, PK_ERR_USAGE,
			    "The provider '%s' makes RSA keys only; use the "
			    "Microsoft Software Key Storage Provider for %s.",
			    plan->provider,
			    crypto_key_algorithm_name(plan->key.algorithm));
		/* A CryptoAPI key always has a spec; AT_KEYEXCHANGE is CryptGenKey's usual one. */
		if (plan->key_spec == CRYPTO_KEYSPEC_NONE)
			plan->key_spec = CRYPTO_KEYSPEC_KEYEXCHANGE;
	}
	return 0;
}

static int
plan_key_name(struct plan *plan, const char *container, struct pk_error *err)
{
	char guid[37];
	size_t n;

	if (!random_guid(guid))
		return crypto_fail_openssl(err, PK_ERR_CRYPTO, "Making a GUID failed");
	if (container == NULL)
		container = "te-*";     /* the name Windows gives: te-<guid> */
	n = strlen(container);
	if (n == 0)
		return pk_fail(err, PK_ERR_USAGE, "The container name is empty.");
	if ((plan->key_name = malloc(n + sizeof(guid))) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	if (container[n - 1] == '*')
		snprintf(plan->key_name, n + sizeof(guid), "%.*s%s", (int)(n - 1),
		    container, guid);
	else
		memcpy(plan->key_name, container, n + 1);
	return 0;
}

static int
plan_validity(struct plan *plan, const struct crypto_selfsigned_request *req,
    const struct crypto_cert *signer, const struct crypto_cert *clone,
    struct pk_error *err)
{
	int64_t now = req->now != 0 ? req->now : (int64_t)time(NULL);
	int64_t signer_end;
	char a[32], b[32];

	plan->not_before = req->not_before_given ? req->not_before : now - 600;
	if (req->not_after_given)
		plan->not_after = req->not_after;
	else if (clone != NULL)
		plan->not_after = plan->not_before + (crypto_cert_not_after(clone) -
		    crypto_cert_not_before(clone));
	else
		plan->not_after = add_year(now) + 600;
	if (plan->not_after < plan->not_before) {
		time_text(plan->not_after, a);
		time_text(plan->not_before, b);
		return pk_fail(err, PK_ERR_USAGE,
		    "NotAfter (%s) is before NotBefore (%s).", a, b);
	}
	/* A certificate cannot outlive its issuer (seen: the leaf ends with its root, to the second). */
	if (signer != NULL &&
	    plan->not_after > (signer_end = crypto_cert_not_after(signer))) {
		if (signer_end < plan->not_before) {
			time_text(signer_end, a);
			time_text(plan->not_before, b);
			return pk_fail(err, PK_ERR_USAGE,
			    "The signer certificate expires (%s) before the new "
			    "certificate's NotBefore (%s).", a, b);
		}
		plan->not_after = signer_end;
	}
	if (plan->not_before < -2208988800LL || plan->not_after > 253402300799LL)
		return pk_fail(err, PK_ERR_USAGE,
		    "NotBefore and NotAfter must lie between the years 1900 and 9999.");
	return 0;
}

static int
plan_text_extensions(struct plan *plan, const struct crypto_selfsigned_request *req,
    struct pk_error *err)
{
	size_t i, j;
	int rc;

	if (req->ntext_extensions > MAX_EXTENSIONS - 8)
		return pk_fail(err, PK_ERR_LIMIT, "Too many text extensions (at most %d).",
		    MAX_EXTENSIONS - 8);
	for (i = 0; i < req->ntext_extensions; i++) {
		if ((rc = crypto_textext_parse(req->text_extensions[i],
		    &plan->text[i], err)) != 0)
			return rc;
		plan->ntext = i + 1;
		for (j = 0; j < i; j++)
			if (strcmp(plan->text[j].oid, plan->text[i].oid) == 0)
				return pk_fail(err, PK_ERR_USAGE,
				    "The extension %s is given twice in "
				    "-TextExtension.", plan->text[i].oid);
	}
	for (i = 0; i < req->nsuppress_oids; i++)
		if (!crypto_oid_is_valid(req->suppress_oids[i]))
			return pk_fail(err, PK_ERR_USAGE,
			    "-SuppressOid '%s' is not an object identifier.",
			    req->suppress_oids[i]);
	return 0;
}

static int
make_plan(struct plan *plan, const struct crypto_selfsigned_request *req,
    const struct crypto_cert *signer, const struct crypto_cert *clone,
    struct pk_error *err)
{
	EVP_PKEY *clone_key;
	int rc;

	if (signer != NULL && signer->key == NULL) {
		char *subject = crypto_cert_subject(signer);
		rc = pk_fail(err, PK_ERR_USAGE,
		    "The signer certificate '%s' (%s) has no private key.",
		    subject != NULL ? subject : "", signer->thumbprint);
		free(subject);
		return rc;
	}
	if (clone != NULL && req->key_algorithm == NULL && req->key_length == 0) {
		/* A clone gets a new key of the original's algorithm and length. */
		if ((clone_key = X509_get0_pubkey(clone->x509)) == NULL)
			return crypto_fail_openssl(err, PK_ERR_FORMAT,
			    "The certificate to clone has no readable public key");
		if ((rc = crypto_key_params_of(clone_key, &plan->key, err)) != 0)
			return rc;
	} else if ((rc = crypto_key_params_set(&plan->key, req->key_algorithm,
	    req->key_length, err)) != 0)
		return rc;
	if (req->curve_export == CRYPTO_CURVE_EXPORT_PARAMETERS)
		plan->key.explicit_curve = 1;
	if ((rc = plan_hash(plan, req, clone, err)) != 0 ||
	    (rc = plan_provider(plan, req, clone, err)) != 0 ||
	    (rc = plan_key_name(plan, req->container, err)) != 0 ||
	    (rc = plan_validity(plan, req, signer, clone, err)) != 0 ||
	    (rc = plan_text_extensions(plan, req, err)) != 0)
		return rc;
	if (plan->pss && (signer != NULL ?
	    EVP_PKEY_get_base_id(signer->key) != EVP_PKEY_RSA :
	    plan->key.algorithm != CRYPTO_KEY_RSA))
		return pk_fail(err, PK_ERR_USAGE,
		    "-AlternateSignatureAlgorithm (RSASSA-PSS) needs an RSA "
		    "signing key.");
	return 0;
}

static int
set_serial(X509 *x509, const char *hex, struct pk_error *err)
{
	unsigned char bytes[16];
	BIGNUM *bn = NULL;
	ASN1_INTEGER *serial = NULL;
	char *digits = NULL;
	size_t i, n = 0;
	int rc = 0;

	if (hex != NULL) {
		if ((digits = malloc(strlen(hex) + 1)) == NULL)
			return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		for (i = 0; hex[i] != '\0'; i++) {
			if (isxdigit((unsigned char)hex[i]))
				digits[n++] = hex[i];
			else if (hex[i] != ' ') {
				rc = pk_fail(err, PK_ERR_USAGE,
				    "-SerialNumber '%s' is not a hexadecimal "
				    "number.", hex);
				goto out;
			}
		}
		digits[n] = '\0';
		if (n == 0 || n > 40 || !BN_hex2bn(&bn, digits) || BN_is_zero(bn)) {
			rc = pk_fail(err, PK_ERR_USAGE,
			    "-SerialNumber '%s' must be 1 to 20 bytes of hex and "
			    "not zero.", hex);
			goto out;
		}
	} else {
		/*
		 * Windows' serial is a random version-4 GUID stored byte-reversed:
		 * 16 bytes, byte 8 = 0x4?, byte 7 = 0x80-0xBF, top bit clear.
		 */
		if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
			rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Making a serial failed");
			goto out;
		}
		bytes[0] &= 0x7f;
		if (bytes[0] == 0)
			bytes[0] = 0x01;    /* keep all 16 bytes significant */
		bytes[7] = (unsigned char)(0x80 | (bytes[7] & 0x3f));
		bytes[8] = (unsigned char)(0x40 | (bytes[8] & 0x0f));
		bn = BN_bin2bn(bytes, sizeof(bytes), NULL);
	}
	if (bn == NULL || (serial = BN_to_ASN1_INTEGER(bn, NULL)) == NULL ||
	    !X509_set_serialNumber(x509, serial)) {
		rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Setting the serial failed");
		goto out;
	}
out:
	BN_free(bn);
	ASN1_INTEGER_free(serial);
	free(digits);
	return rc;
}

static int
make_subject(X509_NAME **out, const struct crypto_selfsigned_request *req,
    const struct crypto_cert *clone, struct pk_error *err)
{
	*out = NULL;
	if (req->subject != NULL)
		return crypto_dn_parse(req->subject, out, err);
	if (clone != NULL) {
		/* A clone keeps its subject even when -DnsName is given (seen). */
		if ((*out = X509_NAME_dup(X509_get_subject_name(clone->x509))) == NULL)
			return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		return 0;
	}
	if (req->ndns_names > 0) {
		if (req->dns_names[0][0] == '\0')
			return pk_fail(err, PK_ERR_USAGE, "The first DNS name is empty.");
		return crypto_dn_parse(req->dns_names[0], out, err);
	}
	return pk_fail(err, PK_ERR_USAGE,
	    "The subject name is missing: give -Subject or -DnsName (Windows: "
	    "CERTSRV_E_BAD_REQUESTSUBJECT).");
}

static int
oid_listed(const char *oid, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], oid) == 0)
			return 1;
	return 0;
}

/* Whether a built-in or cloned extension must be left out. */
static int
left_out(const char *oid, const struct plan *plan,
    const struct crypto_selfsigned_request *req)
{
	size_t i;

	for (i = 0; i < plan->ntext; i++)
		if (strcmp(plan->text[i].oid, oid) == 0)
			return 1;       /* the text extension replaces it */
	return oid_listed(oid, req->suppress_oids, req->nsuppress_oids);
}

static int
push_der(struct ext_list *list, const char *oid, int critical,
    const unsigned char *der, size_t len, struct pk_error *err)
{
	ASN1_OBJECT *obj = NULL;
	ASN1_OCTET_STRING *value = NULL;
	X509_EXTENSION *ext = NULL;
	int rc = 0;

	if (list->count == MAX_EXTENSIONS) {
		rc = pk_fail(err, PK_ERR_LIMIT, "Too many extensions.");
		goto out;
	}
	if ((obj = OBJ_txt2obj(oid, 1)) == NULL ||
	    (value = ASN1_OCTET_STRING_new()) == NULL ||
	    !ASN1_OCTET_STRING_set(value, der, (int)len) ||
	    (ext = X509_EXTENSION_create_by_OBJ(NULL, obj, critical, value)) == NULL) {
		rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Building an extension failed");
		goto out;
	}
	list->items[list->count++] = ext;
out:
	ASN1_OBJECT_free(obj);
	ASN1_OCTET_STRING_free(value);
	return rc;
}

/* Pushes an extension from an encoder's output (i2d result n, buffer der). */
static int
push_encoded(struct ext_list *list, const char *oid, int critical,
    unsigned char **derp, int n, struct pk_error *err)
{
	/* Read only now: the i2d call that fills it is an argument, and C fixes no order. */
	unsigned char *der = *derp;
	int rc;

	*derp = NULL;
	if (n <= 0)
		return crypto_fail_openssl(err, PK_ERR_CRYPTO, "Encoding an extension failed");
	rc = push_der(list, oid, critical, der, (size_t)n, err);
	OPENSSL_free(der);
	return rc;
}

static unsigned
key_usage_of(const struct crypto_selfsigned_request *req)
{
	enum crypto_cert_type type = req->type_given ? req->type : CRYPTO_TYPE_SSL_SERVER;
	unsigned type_default;

	switch (type) {
	case CRYPTO_TYPE_CODE_SIGNING:
		type_default = CRYPTO_KU_DIGITAL_SIGNATURE;
		break;
	case CRYPTO_TYPE_DOCUMENT_ENCRYPTION:
	case CRYPTO_TYPE_DOCUMENT_ENCRYPTION_LEGACY_CSP:
		/* What the DSC docs require of these certificates; Windows' own choice is not known. */
		type_default = CRYPTO_KU_KEY_ENCIPHERMENT | CRYPTO_KU_DATA_ENCIPHERMENT;
		break;
	case CRYPTO_TYPE_CUSTOM:
	case CRYPTO_TYPE_SSL_SERVER:
	default:
		/* The documented -KeyUsage default; for Custom an inference. */
		type_default = CRYPTO_KU_DIGITAL_SIGNATURE | CRYPTO_KU_KEY_ENCIPHERMENT;
		break;
	}
	if (!req->key_usage_given)
		return type_default;
	/*
	 * -KeyUsage None: no KU with -Type Custom (seen in 2024); with the other
	 * types Windows still wrote the type's KU (windows-powershell-docs #66).
	 */
	if (req->key_usage == 0 && type != CRYPTO_TYPE_CUSTOM)
		return type_default;
	return req->key_usage;
}

static int
push_key_usage(struct ext_list *list, unsigned usage, struct pk_error *err)
{
	ASN1_BIT_STRING *bits = NULL;
	unsigned char *der = NULL;
	int bit, rc;

	if ((bits = ASN1_BIT_STRING_new()) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	/* KeyUsage bit n (RFC 5280 4.2.1.3) is 0x80 >> n of the flags' low byte; decipherOnly is 0x8000. */
	for (bit = 0; bit < 8; bit++)
		if (usage & (0x80u >> bit))
			ASN1_BIT_STRING_set_bit(bits, bit, 1);
	if (usage & CRYPTO_KU_DECIPHER_ONLY)
		ASN1_BIT_STRING_set_bit(bits, 8, 1);
	rc = push_encoded(list, OID_KU, 1, &der, i2d_ASN1_BIT_STRING(bits, &der), err);
	ASN1_BIT_STRING_free(bits);
	return rc;
}

static int
push_eku(struct ext_list *list, enum crypto_cert_type type, struct pk_error *err)
{
	EXTENDED_KEY_USAGE *eku = NULL;
	unsigned char *der = NULL;
	int ok, rc;

	if (type == CRYPTO_TYPE_CUSTOM)
		return 0;
	if ((eku = sk_ASN1_OBJECT_new_null()) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	if (type == CRYPTO_TYPE_SSL_SERVER)     /* client first, as Windows writes it */
		ok = sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_client_auth)) &&
		    sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_server_auth));
	else if (type == CRYPTO_TYPE_CODE_SIGNING)
		ok = sk_ASN1_OBJECT_push(eku, OBJ_nid2obj(NID_code_sign));
	else
		ok = sk_ASN1_OBJECT_push(eku, OBJ_txt2obj(OID_DOCUMENT_ENCRYPTION, 1));
	if (!ok)
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	else
		rc = push_encoded(list, OID_EKU, 0, &der,
		    i2d_EXTENDED_KEY_USAGE(eku, &der), err);
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return rc;
}

/*
 * -DnsName values become dNSName entries, in order. An IP address given
 * there stays a dNSName (and the CN when first), as the reference infers
 * Windows does; iPAddress entries come from -TextExtension IPAddress=.
 */
static int
push_dns_names(struct ext_list *list, const struct crypto_selfsigned_request *req,
    struct pk_error *err)
{
	GENERAL_NAMES *names = NULL;
	GENERAL_NAME *gen = NULL;
	ASN1_IA5STRING *ia5 = NULL;
	unsigned char *der = NULL;
	const unsigned char *p;
	size_t i;
	int rc;

	if ((names = sk_GENERAL_NAME_new_null()) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	for (i = 0; i < req->ndns_names; i++) {
		for (p = (const unsigned char *)req->dns_names[i]; *p != '\0'; p++)
			if (*p >= 0x80)
				break;
		if (*p != '\0' || req->dns_names[i][0] == '\0') {
			rc = pk_fail(err, PK_ERR_USAGE,
			    "The DNS name '%s' is not valid: it must be non-empty "
			    "ASCII (use the xn-- form for international names).",
			    req->dns_names[i]);
			goto out;
		}
		if ((gen = GENERAL_NAME_new()) == NULL ||
		    (ia5 = ASN1_IA5STRING_new()) == NULL ||
		    !ASN1_STRING_set(ia5, req->dns_names[i], -1)) {
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
		GENERAL_NAME_set0_value(gen, GEN_DNS, ia5);
		ia5 = NULL;
		if (!sk_GENERAL_NAME_push(names, gen)) {
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
		gen = NULL;
	}
	rc = push_encoded(list, OID_SAN, 0, &der, i2d_GENERAL_NAMES(names, &der), err);
out:
	ASN1_IA5STRING_free(ia5);
	GENERAL_NAME_free(gen);
	sk_GENERAL_NAME_pop_free(names, GENERAL_NAME_free);
	return rc;
}

static int
push_text(struct ext_list *list, const struct crypto_textext *text,
    struct pk_error *err)
{
	return push_der(list, text->oid, text->critical, text->value,
	    text->value_len, err);
}

static int
push_key_ids(struct ext_list *list, X509 *x509, const struct crypto_cert *signer,
    struct pk_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const ASN1_OCTET_STRING *signer_ski;
	ASN1_OCTET_STRING *ski = NULL;
	AUTHORITY_KEYID *aki = NULL;
	unsigned char *der = NULL;
	int rc = 0;

	if (signer != NULL) {
		if ((aki = AUTHORITY_KEYID_new()) == NULL) {
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
		/* keyIdentifier only: the signer's SKI, or what it would be. */
		if ((signer_ski = X509_get0_subject_key_id(signer->x509)) != NULL)
			aki->keyid = ASN1_OCTET_STRING_dup(signer_ski);
		else if (X509_pubkey_digest(signer->x509, EVP_sha1(), md, &mdlen) &&
		    (aki->keyid = ASN1_OCTET_STRING_new()) != NULL)
			ASN1_OCTET_STRING_set(aki->keyid, md, (int)mdlen);
		if (aki->keyid == NULL) {
			rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Building the AKI failed");
			goto out;
		}
		if ((rc = push_encoded(list, OID_AKI, 0, &der,
		    i2d_AUTHORITY_KEYID(aki, &der), err)) != 0)
			goto out;
		der = NULL;
	}
	/* RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value. */
	if (!X509_pubkey_digest(x509, EVP_sha1(), md, &mdlen) ||
	    (ski = ASN1_OCTET_STRING_new()) == NULL ||
	    !ASN1_OCTET_STRING_set(ski, md, (int)mdlen)) {
		rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Building the SKI failed");
		goto out;
	}
	rc = push_encoded(list, OID_SKI, 0, &der, i2d_ASN1_OCTET_STRING(ski, &der), err);
out:
	AUTHORITY_KEYID_free(aki);
	ASN1_OCTET_STRING_free(ski);
	return rc;
}

/* The clone's extensions that stay, in its order (-CloneCert copies all but SKI and AKI). */
static int
push_cloned(struct ext_list *list, const struct crypto_cert *clone,
    const struct plan *plan, const struct crypto_selfsigned_request *req,
    struct pk_error *err)
{
	const X509_EXTENSION *ext;
	const ASN1_OCTET_STRING *value;
	char oid[128];
	int i, n = X509_get_ext_count(clone->x509), rc;

	for (i = 0; i < n; i++) {
		ext = X509_get_ext(clone->x509, i);
		OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(
		    (X509_EXTENSION *)ext), 1);
		if (strcmp(oid, OID_SKI) == 0 || strcmp(oid, OID_AKI) == 0 ||
		    (strcmp(oid, OID_KU) == 0 && req->key_usage_given) ||
		    (strcmp(oid, OID_SAN) == 0 && req->ndns_names > 0) ||
		    (strcmp(oid, OID_SMIME_CAPABILITIES) == 0 &&
		    req->smime_capabilities) || left_out(oid, plan, req))
			continue;
		value = X509_EXTENSION_get_data((X509_EXTENSION *)ext);
		if ((rc = push_der(list, oid,
		    X509_EXTENSION_get_critical(ext), ASN1_STRING_get0_data(value),
		    (size_t)ASN1_STRING_length(value), err)) != 0)
			return rc;
	}
	return 0;
}

static int
build_extensions(X509 *x509, const struct plan *plan,
    const struct crypto_selfsigned_request *req, const struct crypto_cert *signer,
    const struct crypto_cert *clone, struct pk_error *err)
{
	struct ext_list list = { .count = 0 };
	enum crypto_cert_type type = req->type_given ? req->type : CRYPTO_TYPE_SSL_SERVER;
	unsigned usage;
	size_t i;
	int rc = 0;

	if (clone != NULL) {
		if ((rc = push_cloned(&list, clone, plan, req, err)) != 0)
			goto out;
		usage = req->key_usage_given ? req->key_usage : 0;
	} else
		usage = key_usage_of(req);
	if (usage != 0 && !left_out(OID_KU, plan, req) &&
	    (rc = push_key_usage(&list, usage, err)) != 0)
		goto out;
	if (clone == NULL && !left_out(OID_EKU, plan, req) &&
	    (rc = push_eku(&list, type, err)) != 0)
		goto out;
	if (req->smime_capabilities && !left_out(OID_SMIME_CAPABILITIES, plan, req) &&
	    (rc = push_der(&list, OID_SMIME_CAPABILITIES, 0, smime_capabilities_der,
	    sizeof(smime_capabilities_der), err)) != 0)
		goto out;
	if (req->ndns_names > 0 && !left_out(OID_SAN, plan, req) &&
	    (rc = push_dns_names(&list, req, err)) != 0)
		goto out;
	for (i = 0; i < plan->ntext; i++)
		if (!plan->text[i].critical_given &&
		    (rc = push_text(&list, &plan->text[i], err)) != 0)
			goto out;
	if ((rc = push_key_ids(&list, x509, signer, err)) != 0)
		goto out;
	/* Suppressed key identifiers go now that both are built. */
	for (i = 0; i < list.count; i++) {
		char oid[128];

		OBJ_obj2txt(oid, sizeof(oid),
		    X509_EXTENSION_get_object(list.items[i]), 1);
		if ((strcmp(oid, OID_SKI) == 0 || strcmp(oid, OID_AKI) == 0) &&
		    oid_listed(oid, req->suppress_oids, req->nsuppress_oids)) {
			X509_EXTENSION_free(list.items[i]);
			memmove(&list.items[i], &list.items[i + 1],
			    (list.count - i - 1) * sizeof(list.items[0]));
			list.count--;
			i--;
		}
	}
	for (i = 0; i < plan->ntext; i++)
		if (plan->text[i].critical_given &&
		    (rc = push_text(&list, &plan->text[i], err)) != 0)
			goto out;
	for (i = 0; i < list.count; i++)
		if (!X509_add_ext(x509, list.items[i], -1)) {
			rc = crypto_fail_openssl(err, PK_ERR_CRYPTO,
			    "Adding an extension failed");
			goto out;
		}
out:
	ext_list_clear(&list);
	return rc;
}

static int
sign(X509 *x509, EVP_PKEY *key, const struct plan *plan, struct pk_error *err)
{
	EVP_MD_CTX *mctx = NULL;
	EVP_PKEY_CTX *pctx = NULL;
	int rc = 0;

	if ((mctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(mctx, &pctx, plan->md, NULL, key) <= 0)
		goto fail;
	/*
	 * RSASSA-PSS parameters Windows uses are not documented; these are the
	 * ones CNG and RFC 4055 make usual: MGF1 with the signature's hash, salt
	 * as long as the hash, trailer 1.
	 */
	if (plan->pss &&
	    (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, plan->md) <= 0))
		goto fail;
	if (X509_sign_ctx(x509, mctx) <= 0)
		goto fail;
	goto out;
fail:
	rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Signing the certificate failed");
out:
	EVP_MD_CTX_free(mctx);
	return rc;
}

static int
set_time(ASN1_TIME *field, int64_t t, struct pk_error *err)
{
	/* UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5), whole seconds. */
	if (ASN1_TIME_adj(field, (time_t)t, 0, 0) == NULL)
		return crypto_fail_openssl(err, PK_ERR_CRYPTO, "Setting the validity failed");
	return 0;
}

int
crypto_selfsigned_create(const struct crypto_selfsigned_request *req,
    const struct crypto_cert *signer, const struct crypto_cert *clone,
    struct crypto_cert **out, struct pk_error *err)
{
	struct plan plan;
	struct crypto_cert *cert = NULL;
	EVP_PKEY *key = NULL;
	X509 *x509 = NULL;
	X509_NAME *subject = NULL;
	int rc;

	*out = NULL;
	memset(&plan, 0, sizeof(plan));
	if ((rc = make_plan(&plan, req, signer, clone, err)) != 0 ||
	    (rc = make_subject(&subject, req, clone, err)) != 0)
		goto out;
	if ((rc = crypto_key_generate(&plan.key, &key, err)) != 0)
		goto out;
	if ((x509 = X509_new()) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	if (!X509_set_version(x509, X509_VERSION_3) ||
	    !X509_set_subject_name(x509, subject) ||
	    !X509_set_issuer_name(x509, signer != NULL ?
	    X509_get_subject_name(signer->x509) : subject) ||
	    !X509_set_pubkey(x509, key)) {
		rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Building the certificate failed");
		goto out;
	}
	if ((rc = set_serial(x509, req->serial_number, err)) != 0 ||
	    (rc = set_time(X509_getm_notBefore(x509), plan.not_before, err)) != 0 ||
	    (rc = set_time(X509_getm_notAfter(x509), plan.not_after, err)) != 0 ||
	    (rc = build_extensions(x509, &plan, req, signer, clone, err)) != 0 ||
	    (rc = sign(x509, signer != NULL ? signer->key : key, &plan, err)) != 0)
		goto out;
	if ((cert = crypto_cert_wrap(x509, key)) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	x509 = NULL;
	key = NULL;
	cert->key_spec = plan.key_spec;
	cert->exportable = !req->non_exportable;
	cert->machine_key = req->machine_key;
	cert->key_name = plan.key_name;
	plan.key_name = NULL;
	if ((cert->provider = strdup(plan.provider)) == NULL ||
	    (req->friendly_name != NULL &&
	    (cert->friendly_name = strdup(req->friendly_name)) == NULL)) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	*out = cert;
	cert = NULL;
	rc = 0;
out:
	crypto_cert_free(cert);
	X509_free(x509);
	EVP_PKEY_free(key);
	X509_NAME_free(subject);
	plan_clear(&plan);
	return rc;
}

char *
crypto_selfsigned_subject_text(const struct crypto_selfsigned_request *req,
    const struct crypto_cert *clone)
{
	const char *base = NULL;
	char *out = NULL;
	size_t n;

	if (req->subject != NULL)
		base = req->subject;
	else if (clone != NULL)
		return crypto_cert_subject(clone);
	else if (req->ndns_names > 0)
		base = req->dns_names[0];
	if (base == NULL)
		return strdup("");
	n = strlen(base) + 4;
	if ((out = malloc(n)) != NULL)
		snprintf(out, n, "%s%s", strchr(base, '=') != NULL ? "" : "CN=", base);
	return out;
}
