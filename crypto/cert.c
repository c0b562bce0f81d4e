#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "crypto/internal.h"

/*
 * References are counted so that a certificate can sit in a list and be held
 * by a caller at once (a store listing, a chain) without copies.
 */
struct cert_box {
	struct crypto_cert cert;
	int refs;
};

static struct cert_box *
box_of(struct crypto_cert *cert)
{
	return (struct cert_box *)((char *)cert - offsetof(struct cert_box, cert));
}

static void
thumbprint_hex(X509 *x509, char out[41])
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char md[20];
	unsigned int mdlen = sizeof(md);
	size_t i;

	out[0] = '\0';
	if (!X509_digest(x509, EVP_sha1(), md, &mdlen) || mdlen != sizeof(md))
		return;
	for (i = 0; i < sizeof(md); i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[40] = '\0';
}

struct crypto_cert *
crypto_cert_wrap(X509 *x509, EVP_PKEY *key)
{
	struct cert_box *box;

	if ((box = calloc(1, sizeof(*box))) == NULL)
		return NULL;
	box->refs = 1;
	box->cert.x509 = x509;
	box->cert.key = key;
	box->cert.exportable = 1;
	thumbprint_hex(x509, box->cert.thumbprint);
	return &box->cert;
}

struct crypto_cert *
crypto_cert_ref(struct crypto_cert *cert)
{
	if (cert != NULL)
		box_of(cert)->refs++;
	return cert;
}

void
crypto_cert_free(struct crypto_cert *cert)
{
	struct cert_box *box;

	if (cert == NULL)
		return;
	box = box_of(cert);
	if (--box->refs > 0)
		return;
	X509_free(cert->x509);
	EVP_PKEY_free(cert->key);   /* OpenSSL cleanses key material on free */
	free(cert->friendly_name);
	free(cert->key_name);
	free(cert->provider);
	free(box);
}

int
crypto_certlist_add(struct crypto_certlist *list, struct crypto_cert *cert)
{
	struct crypto_cert **grown;

	grown = realloc(list->certs, (list->count + 1) * sizeof(*grown));
	if (grown == NULL)
		return PK_ERR_NOMEM;
	list->certs = grown;
	list->certs[list->count++] = cert;
	return 0;
}

void
crypto_certlist_clear(struct crypto_certlist *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		crypto_cert_free(list->certs[i]);
	free(list->certs);
	list->certs = NULL;
	list->count = 0;
}

int
crypto_certlist_has(const struct crypto_certlist *list, const char *thumbprint)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcmp(list->certs[i]->thumbprint, thumbprint) == 0)
			return 1;
	return 0;
}

const char *
crypto_cert_thumbprint(const struct crypto_cert *cert)
{
	return cert->thumbprint;
}

int
crypto_cert_has_key(const struct crypto_cert *cert)
{
	return cert->key != NULL;
}

int
crypto_cert_exportable(const struct crypto_cert *cert)
{
	return cert->exportable;
}

enum crypto_keyspec
crypto_cert_keyspec(const struct crypto_cert *cert)
{
	return cert->key_spec;
}

const char *
crypto_cert_friendly_name(const struct crypto_cert *cert)
{
	return cert->friendly_name;
}

/* .NET's X500DistinguishedName.Name: reversed RDNs, ", " between them, E= and S= for email and state. */
static char *
name_string(const X509_NAME *name)
{
	BIO *bio;
	char *out = NULL, *data;
	long len;
	unsigned long flags = ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
	int i, n;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	/* OpenSSL's short names differ from Windows' for two attributes; print by hand. */
	n = X509_NAME_entry_count(name);
	for (i = n - 1; i >= 0; i--) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
		const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(e);
		int nid = OBJ_obj2nid(obj);
		const char *label;
		char oidbuf[80];

		if (nid == NID_pkcs9_emailAddress)
			label = "E";
		else if (nid == NID_stateOrProvinceName)
			label = "S";
		else if (nid != NID_undef && (label = OBJ_nid2sn(nid)) != NULL)
			;
		else {
			OBJ_obj2txt(oidbuf, sizeof(oidbuf), obj, 1);
			label = oidbuf;
		}
		/* RDNs of one SET (multi-valued) join with " + ", others with ", ". */
		if (i != n - 1)
			BIO_puts(bio, X509_NAME_ENTRY_set(e) == X509_NAME_ENTRY_set(
			    X509_NAME_get_entry(name, i + 1)) ? " + " : ", ");
		BIO_printf(bio, "%s=", label);
		ASN1_STRING_print_ex(bio, X509_NAME_ENTRY_get_data(e), flags);
	}
	if ((len = BIO_get_mem_data(bio, &data)) >= 0 &&
	    (out = malloc((size_t)len + 1)) != NULL) {
		memcpy(out, data, (size_t)len);
		out[len] = '\0';
	}
	BIO_free(bio);
	return out;
}

char *
crypto_cert_subject(const struct crypto_cert *cert)
{
	return name_string(X509_get_subject_name(cert->x509));
}

char *
crypto_cert_issuer(const struct crypto_cert *cert)
{
	return name_string(X509_get_issuer_name(cert->x509));
}

int
crypto_cert_self_signed(const struct crypto_cert *cert)
{
	return X509_NAME_cmp(X509_get_subject_name(cert->x509),
	    X509_get_issuer_name(cert->x509)) == 0;
}

char *
crypto_cert_serial(const struct crypto_cert *cert)
{
	BIGNUM *bn;
	char *hex, *out;

	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert->x509), NULL);
	if (bn == NULL)
		return NULL;
	hex = BN_bn2hex(bn);
	BN_free(bn);
	if (hex == NULL)
		return NULL;
	out = strdup(hex);
	OPENSSL_free(hex);
	return out;
}

static int64_t
asn1_time_epoch(const ASN1_TIME *t)
{
	struct tm tm;

	if (!ASN1_TIME_to_tm(t, &tm))
		return 0;
	return (int64_t)timegm(&tm);
}

int64_t
crypto_cert_not_before(const struct crypto_cert *cert)
{
	return asn1_time_epoch(X509_get0_notBefore(cert->x509));
}

int64_t
crypto_cert_not_after(const struct crypto_cert *cert)
{
	return asn1_time_epoch(X509_get0_notAfter(cert->x509));
}

int
crypto_cert_der(const struct crypto_cert *cert, unsigned char **der, size_t *len,
    struct pk_error *err)
{
	unsigned char *buf = NULL;
	int n;

	*der = NULL;
	*len = 0;
	if ((n = i2d_X509(cert->x509, &buf)) <= 0)
		return crypto_fail_openssl(err, PK_ERR_CRYPTO, "encoding the certificate");
	*der = buf;
	*len = (size_t)n;
	return 0;
}

int
crypto_cert_from_mem(const void *data, size_t len, struct crypto_cert **out,
    struct pk_error *err)
{
	const unsigned char *p = data;
	X509 *x509 = NULL;
	BIO *bio;

	*out = NULL;
	if (len > 0 && len < (size_t)1 << 30)
		x509 = d2i_X509(NULL, &p, (long)len);
	if (x509 == NULL && (bio = BIO_new_mem_buf(data, (int)len)) != NULL) {
		ERR_clear_error();
		x509 = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	if (x509 == NULL)
		return crypto_fail_openssl(err, PK_ERR_FORMAT,
		    "The data is not a DER or PEM certificate.");
	if ((*out = crypto_cert_wrap(x509, NULL)) == NULL) {
		X509_free(x509);
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	}
	return 0;
}

int
crypto_fail_openssl(struct pk_error *err, int code, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	char detail[256];

	if (e != 0) {
		ERR_error_string_n(e, detail, sizeof(detail));
		ERR_clear_error();
		if (code == PK_ERR_CRYPTO)
			return pk_fail(err, code, "%s (%s)", what, detail);
	}
	return pk_fail(err, code, "%s", what);
}
