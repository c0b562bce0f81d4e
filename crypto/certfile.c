/*
 * certfile.c: certificate files as Windows reads and writes them, the
 * format found from the content, never from the name: DER or PEM X.509,
 * PKCS #7 certs-only (DER or PEM), Microsoft serialized store (SST), PFX.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "crypto/atomicfile.h"
#include "crypto/certfile.h"
#include "crypto/internal.h"
#include "crypto/pfx.h"

#define CERTFILE_MAX_SIZE   (16u << 20)
#define SST_MAX_ELEMENTS    100000

/* [MS-OSHARED] 2.3.9.1: version 0, then "CERT"; element ids from wincrypt.h. */
static const unsigned char sst_header[8] = { 0, 0, 0, 0, 'C', 'E', 'R', 'T' };
#define SST_PROP_FRIENDLY_NAME  11      /* CERT_FRIENDLY_NAME_PROP_ID */
#define SST_CERT_ELEMENT        32      /* CERT_CERT_PROP_ID: the encoded certificate */
#define SST_ENCODING_X509       1       /* X509_ASN_ENCODING */

static int
nomem(struct pk_error *err)
{
	return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
}

/* Takes ownership of x509 (freed on failure). */
static int
add_x509(struct crypto_certlist *list, X509 *x509, char *friendly_name, struct pk_error *err)
{
	struct crypto_cert *cert;

	if ((cert = crypto_cert_wrap(x509, NULL)) == NULL) {
		X509_free(x509);
		free(friendly_name);
		return nomem(err);
	}
	cert->friendly_name = friendly_name;
	if (crypto_certlist_add(list, cert) != 0) {
		crypto_cert_free(cert);
		return nomem(err);
	}
	return 0;
}

static int
add_pkcs7_certs(struct crypto_certlist *list, const PKCS7 *p7, struct pk_error *err)
{
	STACK_OF(X509) *certs = NULL;
	int i, rc = 0;

	if (OBJ_obj2nid(p7->type) == NID_pkcs7_signed && p7->d.sign != NULL)
		certs = p7->d.sign->cert;
	else if (OBJ_obj2nid(p7->type) == NID_pkcs7_signedAndEnveloped &&
	    p7->d.signed_and_enveloped != NULL)
		certs = p7->d.signed_and_enveloped->cert;
	else
		return pk_fail(err, PK_ERR_FORMAT, "The PKCS #7 data is not signed data "
		    "holding certificates.");
	for (i = 0; rc == 0 && i < sk_X509_num(certs); i++) {
		X509 *x509 = sk_X509_value(certs, i);

		if (!X509_up_ref(x509))
			return crypto_fail_openssl(err, PK_ERR_CRYPTO, "Cannot keep a certificate.");
		rc = add_x509(list, x509, NULL, err);
	}
	return rc;
}

/* ---- Microsoft serialized store ---- */

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* UTF-16LE, possibly NUL-terminated, as malloc'd UTF-8. */
static char *
utf16le_to_utf8(const unsigned char *p, size_t len)
{
	unsigned char *be;
	char *utf8, *out = NULL;
	size_t i;

	len &= ~(size_t)1;
	if (len > INT32_MAX || (be = malloc(len + 2)) == NULL)
		return NULL;
	for (i = 0; i < len; i += 2) {
		be[i] = p[i + 1];
		be[i + 1] = p[i];
	}
	be[len] = be[len + 1] = 0;
	if ((utf8 = OPENSSL_uni2utf8(be, (int)len + 2)) != NULL) {
		out = strdup(utf8);
		OPENSSL_free(utf8);
	}
	free(be);
	return out;
}

/*
 * [MS-OSHARED] 2.3.9.1: a list of elements {id, encodingType, length, value},
 * properties before the certificate they belong to, ended by an all-zero
 * element. Property values "SHOULD be ignored"; only the friendly name is
 * kept. CRL and CTL elements (33, 34) are skipped.
 */
static int
load_sst(const unsigned char *data, size_t len, struct crypto_certlist *list,
    struct pk_error *err)
{
	char *friendly_name = NULL;
	size_t pos = sizeof(sst_header), elements = 0;
	int rc;

	for (;;) {
		uint32_t id, size;
		const unsigned char *value;

		if (len - pos < 12) {
			rc = pk_fail(err, PK_ERR_FORMAT, "The serialized certificate store is "
			    "truncated: its end marker is missing.");
			goto out;
		}
		id = le32(data + pos);
		size = le32(data + pos + 8);
		pos += 12;
		if (id == 0)
			break;
		if (++elements > SST_MAX_ELEMENTS) {
			rc = pk_fail(err, PK_ERR_LIMIT, "The serialized certificate store has "
			    "more than %d elements.", SST_MAX_ELEMENTS);
			goto out;
		}
		if (id > 0xFFFF || size > len - pos) {
			rc = pk_fail(err, PK_ERR_FORMAT, "The serialized certificate store is "
			    "damaged or truncated at offset %zu.", pos - 12);
			goto out;
		}
		value = data + pos;
		pos += size;
		if (id == SST_CERT_ELEMENT) {
			const unsigned char *p = value;
			X509 *x509 = d2i_X509(NULL, &p, (long)size);

			if (x509 == NULL || p != value + size) {
				X509_free(x509);
				ERR_clear_error();
				rc = pk_fail(err, PK_ERR_FORMAT, "The serialized certificate store "
				    "holds a damaged certificate at offset %zu.",
				    (size_t)(value - data));
				goto out;
			}
			rc = add_x509(list, x509, friendly_name, err);
			friendly_name = NULL;
			if (rc != 0)
				goto out;
		} else if (id == SST_PROP_FRIENDLY_NAME) {
			free(friendly_name);
			friendly_name = utf16le_to_utf8(value, size);
		}
	}
	rc = 0;
out:
	free(friendly_name);
	return rc;
}

static int
put(unsigned char **buf, size_t *len, size_t *cap, const void *data, size_t n)
{
	unsigned char *grown;

	if (*cap - *len < n) {
		size_t want = *cap * 2 + n + 64;

		if ((grown = realloc(*buf, want)) == NULL)
			return -1;
		*buf = grown;
		*cap = want;
	}
	memcpy(*buf + *len, data, n);
	*len += n;
	return 0;
}

static int
put_element(unsigned char **buf, size_t *len, size_t *cap, uint32_t id,
    const void *value, size_t n)
{
	unsigned char head[12];
	uint32_t fields[3] = { id, SST_ENCODING_X509, (uint32_t)n };
	size_t i;

	for (i = 0; i < 3; i++) {
		head[4 * i] = fields[i] & 0xff;
		head[4 * i + 1] = (fields[i] >> 8) & 0xff;
		head[4 * i + 2] = (fields[i] >> 16) & 0xff;
		head[4 * i + 3] = (fields[i] >> 24) & 0xff;
	}
	if (put(buf, len, cap, head, sizeof(head)) != 0)
		return -1;
	return n == 0 ? 0 : put(buf, len, cap, value, n);
}

/* UTF-8 as UTF-16LE with its NUL terminator, as Windows stores string properties. */
static unsigned char *
utf8_to_utf16le(const char *text, size_t *n)
{
	unsigned char *uni = NULL, *out;
	int unilen = 0, i;

	if (OPENSSL_utf82uni(text, -1, &uni, &unilen) == NULL || unilen < 2)
		return NULL;
	if ((out = malloc((size_t)unilen)) != NULL) {
		for (i = 0; i + 1 < unilen; i += 2) {
			out[i] = uni[i + 1];
			out[i + 1] = uni[i];
		}
		*n = (size_t)unilen;
	}
	OPENSSL_free(uni);
	return out;
}

/*
 * Which properties Export-Certificate -Type SST writes is not known
 * (openssl-pfx.md §6.1 [UNK]); readers ignore them. We write, like Wine's
 * CertSaveStore, no cached hashes: only the friendly name (property 11,
 * UTF-16LE with its NUL) when set, then the certificate (element 32).
 */
static int
encode_sst(struct crypto_cert *const *certs, size_t n, unsigned char **data, size_t *len,
    struct pk_error *err)
{
	static const unsigned char end_marker[12];
	unsigned char *buf = NULL, *der = NULL, *name = NULL;
	size_t used = 0, cap = 0, i;
	size_t namelen = 0;
	int derlen, rc;

	if (put(&buf, &used, &cap, sst_header, sizeof(sst_header)) != 0)
		goto nomem;
	for (i = 0; i < n; i++) {
		if (certs[i]->friendly_name != NULL) {
			if ((name = utf8_to_utf16le(certs[i]->friendly_name, &namelen)) == NULL)
				goto nomem;
			if (put_element(&buf, &used, &cap, SST_PROP_FRIENDLY_NAME, name,
			    namelen) != 0)
				goto nomem;
			free(name);
			name = NULL;
		}
		if ((derlen = i2d_X509(certs[i]->x509, &der)) <= 0) {
			rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Cannot encode a certificate.");
			goto out;
		}
		if (put_element(&buf, &used, &cap, SST_CERT_ELEMENT, der, (size_t)derlen) != 0)
			goto nomem;
		OPENSSL_free(der);
		der = NULL;
	}
	if (put(&buf, &used, &cap, end_marker, sizeof(end_marker)) != 0)
		goto nomem;
	*data = buf;
	*len = used;
	buf = NULL;
	rc = 0;
	goto out;
nomem:
	rc = nomem(err);
out:
	free(buf);
	free(name);
	OPENSSL_free(der);
	return rc;
}

/* ---- PEM ---- */

/*
 * Every CERTIFICATE and PKCS7 block, in order, as OpenSSL reads PEM: text
 * around the blocks (OpenSSL's "subject=" and "Bag Attributes" lines, mail
 * headers) is skipped; a block whose base64 or DER is damaged is refused
 * rather than skipped, so a broken file is never half-read. Other blocks
 * (private keys, CRLs) are skipped.
 */
static int
load_pem(const unsigned char *data, size_t len, struct crypto_certlist *list,
    struct pk_error *err)
{
	BIO *bio = NULL;
	char *name = NULL, *header = NULL;
	unsigned char *der = NULL;
	long derlen = 0;
	int block = 0, rc = 0;

	if ((bio = BIO_new_mem_buf(data, (int)len)) == NULL)
		return nomem(err);
	for (;;) {
		const unsigned char *p;
		unsigned long e;

		ERR_clear_error();
		if (!PEM_read_bio(bio, &name, &header, &der, &derlen)) {
			e = ERR_peek_last_error();
			if (ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE)
				break;
			rc = pk_fail(err, PK_ERR_FORMAT, "PEM block %d of the file is damaged.",
			    block + 1);
			goto out;
		}
		block++;
		p = der;
		if (strcmp(name, PEM_STRING_X509) == 0 || strcmp(name, PEM_STRING_X509_OLD) == 0) {
			X509 *x509 = d2i_X509(NULL, &p, derlen);

			if (x509 == NULL || p != der + derlen) {
				X509_free(x509);
				rc = pk_fail(err, PK_ERR_FORMAT, "PEM block %d of the file is not "
				    "a valid certificate.", block);
				goto out;
			}
			if ((rc = add_x509(list, x509, NULL, err)) != 0)
				goto out;
		} else if (strcmp(name, PEM_STRING_PKCS7) == 0 ||
		    strcmp(name, PEM_STRING_PKCS7_SIGNED) == 0) {
			PKCS7 *p7 = d2i_PKCS7(NULL, &p, derlen);

			if (p7 == NULL) {
				rc = pk_fail(err, PK_ERR_FORMAT, "PEM block %d of the file is not "
				    "valid PKCS #7 data.", block);
				goto out;
			}
			rc = add_pkcs7_certs(list, p7, err);
			PKCS7_free(p7);
			if (rc != 0)
				goto out;
		}
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_clear_free(der, (size_t)derlen);
		name = header = NULL;
		der = NULL;
	}
out:
	OPENSSL_free(name);
	OPENSSL_free(header);
	if (der != NULL)
		OPENSSL_clear_free(der, (size_t)derlen);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

/* ---- DER ---- */

enum der_kind { DER_NONE, DER_PFX, DER_PKCS7, DER_X509 };

/*
 * Tells the three DER formats apart by the first element inside the outer
 * SEQUENCE: PFX starts with INTEGER version 3 (RFC 7292 §4), a ContentInfo
 * with an OBJECT IDENTIFIER (RFC 2315 §7), a Certificate with the
 * tbsCertificate SEQUENCE (RFC 5280 §4.1).
 */
static enum der_kind
der_kind(const unsigned char *data, size_t len)
{
	const unsigned char *p = data;
	long n;
	int tag, class, inf;

	if (len < 2 || data[0] != 0x30)
		return DER_NONE;
	inf = ASN1_get_object(&p, &n, &tag, &class, (long)len);
	if ((inf & 0x80) || tag != V_ASN1_SEQUENCE || len - (size_t)(p - data) < 2) {
		ERR_clear_error();
		return DER_NONE;
	}
	switch (*p) {
	case V_ASN1_INTEGER:
		return DER_PFX;
	case V_ASN1_OBJECT:
		return DER_PKCS7;
	case 0x30:
		return DER_X509;
	default:
		return DER_NONE;
	}
}

int
crypto_certfile_load_mem(const void *data, size_t len, const char *password,
    struct crypto_certlist *out, struct pk_error *err)
{
	struct crypto_certlist list = { NULL, 0 };
	const unsigned char *bytes = data, *p = data;
	X509 *x509;
	PKCS7 *p7;
	size_t i;
	int rc;

	if (len > CERTFILE_MAX_SIZE)
		return pk_fail(err, PK_ERR_LIMIT, "The certificate file is larger than %u MiB.",
		    CERTFILE_MAX_SIZE >> 20);
	if (len >= sizeof(sst_header) && memcmp(bytes, sst_header, sizeof(sst_header)) == 0) {
		rc = load_sst(bytes, len, &list, err);
	} else {
		switch (der_kind(bytes, len)) {
		case DER_PFX:
			rc = crypto_pfx_decode(bytes, len, password, &list, err);
			break;
		case DER_PKCS7:
			if ((p7 = d2i_PKCS7(NULL, &p, (long)len)) == NULL) {
				rc = pk_fail(err, PK_ERR_FORMAT, "The PKCS #7 file is damaged "
				    "or truncated.");
				break;
			}
			rc = add_pkcs7_certs(&list, p7, err);
			PKCS7_free(p7);
			break;
		case DER_X509:
			if ((x509 = d2i_X509(NULL, &p, (long)len)) == NULL) {
				rc = pk_fail(err, PK_ERR_FORMAT, "The certificate file is damaged "
				    "or truncated.");
				break;
			}
			rc = add_x509(&list, x509, NULL, err);
			break;
		default:
			rc = load_pem(bytes, len, &list, err);
			break;
		}
	}
	ERR_clear_error();
	if (rc == 0 && list.count == 0)
		rc = pk_fail(err, PK_ERR_FORMAT, "The file holds no certificate: it is not a "
		    "certificate, PKCS #7, serialized store or PFX file.");
	for (i = 0; rc == 0 && i < list.count; i++) {
		if (crypto_certlist_add(out, list.certs[i]) != 0)
			rc = nomem(err);
		else
			list.certs[i] = NULL;
	}
	crypto_certlist_clear(&list);
	return rc;
}

int
crypto_certfile_load(const char *path, const char *password,
    struct crypto_certlist *out, struct pk_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	if ((rc = atomicfile_read(path, CERTFILE_MAX_SIZE, &data, &len, err)) != 0)
		return rc;
	rc = crypto_certfile_load_mem(data, len, password, out, err);
	OPENSSL_cleanse(data, len);     /* a PFX holds keys, even if encrypted */
	free(data);
	return rc;
}

/* ---- encoding ---- */

/* Degenerate SignedData, as `openssl crl2pkcs7 -nocrl` and Windows' wizard write it. */
static int
encode_p7b(struct crypto_cert *const *certs, size_t n, unsigned char **data, size_t *len,
    struct pk_error *err)
{
	PKCS7 *p7 = NULL;
	unsigned char *der = NULL;
	size_t i;
	int derlen, rc;

	if ((p7 = PKCS7_new()) == NULL || !PKCS7_set_type(p7, NID_pkcs7_signed) ||
	    !PKCS7_content_new(p7, NID_pkcs7_data) || !PKCS7_set_detached(p7, 1))
		goto fail;
	for (i = 0; i < n; i++)
		if (!PKCS7_add_certificate(p7, certs[i]->x509))
			goto fail;
	if ((derlen = i2d_PKCS7(p7, &der)) <= 0)
		goto fail;
	if ((*data = malloc((size_t)derlen)) == NULL) {
		rc = nomem(err);
		goto out;
	}
	memcpy(*data, der, (size_t)derlen);
	*len = (size_t)derlen;
	rc = 0;
	goto out;
fail:
	rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Cannot build the PKCS #7 file.");
out:
	OPENSSL_free(der);
	PKCS7_free(p7);
	return rc;
}

int
crypto_certfile_encode(struct crypto_cert *const *certs, size_t n,
    enum crypto_certfile_format format, unsigned char **data, size_t *len,
    struct pk_error *err)
{
	*data = NULL;
	*len = 0;
	if (n == 0)
		return pk_fail(err, PK_ERR_USAGE, "There is no certificate to export.");
	switch (format) {
	case CRYPTO_CERTFILE_CERT:
		if (n != 1)
			return pk_fail(err, PK_ERR_USAGE, "A CERT file holds one certificate; "
			    "%zu were given. Use the SST or P7B type.", n);
		return crypto_cert_der(certs[0], data, len, err);
	case CRYPTO_CERTFILE_P7B:
		return encode_p7b(certs, n, data, len, err);
	case CRYPTO_CERTFILE_SST:
		return encode_sst(certs, n, data, len, err);
	default:
		return pk_fail(err, PK_ERR_USAGE, "Unknown certificate file type.");
	}
}

int
crypto_certfile_write(const char *path, struct crypto_cert *const *certs, size_t n,
    enum crypto_certfile_format format, unsigned file_flags, struct pk_error *err)
{
	unsigned char *data = NULL;
	size_t len = 0;
	int rc;

	if ((rc = crypto_certfile_encode(certs, n, format, &data, &len, err)) != 0)
		return rc;
	rc = atomicfile_write(path, data, len,
	    file_flags & (ATOMICFILE_NO_CLOBBER | ATOMICFILE_FORCE), err);
	free(data);
	return rc;
}

int
crypto_certfile_format_parse(const char *name)
{
	if (name == NULL)
		return -1;
	if (strcasecmp(name, "CERT") == 0)
		return CRYPTO_CERTFILE_CERT;
	if (strcasecmp(name, "P7B") == 0)
		return CRYPTO_CERTFILE_P7B;
	if (strcasecmp(name, "SST") == 0)
		return CRYPTO_CERTFILE_SST;
	return -1;
}
