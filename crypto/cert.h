/* cert.h: a certificate, its private key and its store properties, seen without OpenSSL. */
#ifndef PKISHIM_CRYPTO_CERT_H
#define PKISHIM_CRYPTO_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/error.h"

struct crypto_cert;

/* KeySpec as Windows records it in a PFX key bag (the MS key-usage attribute). */
enum crypto_keyspec {
	CRYPTO_KEYSPEC_NONE = 0,         /* a CNG key: no attribute */
	CRYPTO_KEYSPEC_KEYEXCHANGE = 1,  /* AT_KEYEXCHANGE: 0x10 */
	CRYPTO_KEYSPEC_SIGNATURE = 2     /* AT_SIGNATURE: 0x80 */
};

/* A list of certificates; owns them. */
struct crypto_certlist {
	struct crypto_cert **certs;
	size_t count;
};

void crypto_cert_free(struct crypto_cert *cert);
/* Adds a reference; the certificate is released when the last holder frees it. */
struct crypto_cert *crypto_cert_ref(struct crypto_cert *cert);

int crypto_certlist_add(struct crypto_certlist *list, struct crypto_cert *cert);
void crypto_certlist_clear(struct crypto_certlist *list);
/* Whether list holds a certificate with this thumbprint. */
int crypto_certlist_has(const struct crypto_certlist *list, const char *thumbprint);

/* 40 upper-case hex digits: SHA-1 of the DER encoding. Owned by cert. */
const char *crypto_cert_thumbprint(const struct crypto_cert *cert);
int crypto_cert_has_key(const struct crypto_cert *cert);
int crypto_cert_exportable(const struct crypto_cert *cert);
enum crypto_keyspec crypto_cert_keyspec(const struct crypto_cert *cert);
const char *crypto_cert_friendly_name(const struct crypto_cert *cert);

/*
 * Subject and issuer as .NET shows them ("CN=a, OU=b, DC=c": most specific
 * RDN first). Each returns a string the caller frees, or NULL without memory.
 */
char *crypto_cert_subject(const struct crypto_cert *cert);
char *crypto_cert_issuer(const struct crypto_cert *cert);
/* Whether the issuer is the subject: the name test Windows' chain engine starts with. */
int crypto_cert_self_signed(const struct crypto_cert *cert);
/* Serial number as upper-case hex, caller frees. */
char *crypto_cert_serial(const struct crypto_cert *cert);
/* Validity in seconds since the epoch (UTC). */
int64_t crypto_cert_not_before(const struct crypto_cert *cert);
int64_t crypto_cert_not_after(const struct crypto_cert *cert);

/* DER encoding; on success *der (caller frees) and *len are set. */
int crypto_cert_der(const struct crypto_cert *cert, unsigned char **der, size_t *len,
    struct pk_error *err);

/* Parses one DER or PEM certificate from memory. */
int crypto_cert_from_mem(const void *data, size_t len, struct crypto_cert **out,
    struct pk_error *err);

#endif
