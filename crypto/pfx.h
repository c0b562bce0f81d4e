/* pfx.h: PKCS#12 files as Windows writes and reads them (openssl-pfx.md, MANIFEST.md §0). */
#ifndef PKISHIM_CRYPTO_PFX_H
#define PKISHIM_CRYPTO_PFX_H

#include <stddef.h>

#include "crypto/cert.h"
#include "crypto/error.h"

enum crypto_pfx_algorithm {
	CRYPTO_PFX_TRIPLEDES_SHA1,  /* Windows' default: 3DES PBE 2000 it., HMAC-SHA1 MAC, salt 20 */
	CRYPTO_PFX_AES256_SHA256    /* PBES2 PBKDF2-HMAC-SHA256 AES-256-CBC, HMAC-SHA256 MAC */
};

struct crypto_pfx_options {
	enum crypto_pfx_algorithm algorithm;
	int no_properties;          /* -NoProperties: no friendlyName or other store properties */
	int keep_nonexportable;     /* the store writing its own file: refuse nothing, record the policy */
};

/*
 * Encodes certs into a PFX in Windows' layout: the key bags first (plain data
 * SafeContents), then the certificate bags (encrypted); each certificate
 * with a key gets localKeyID i (little-endian 32-bit, from 1), the key bag
 * Windows' attributes, and the MS key-usage attribute from its KeySpec.
 * Certificates without keys (the chain) carry no attributes. A NULL password
 * makes a password-less file as .NET's store does. A non-exportable key is
 * refused with "Cannot export non-exportable private key." unless
 * keep_nonexportable. On success *der (caller frees) and *len are set.
 */
int crypto_pfx_encode(struct crypto_cert *const *certs, size_t n, const char *password,
    const struct crypto_pfx_options *options, unsigned char **der, size_t *len,
    struct pk_error *err);

/*
 * Decodes a PFX: every certificate, with its key and properties (friendly
 * name, KeySpec, CSP, key name, export policy) attached to the certificate it
 * belongs to. The password "" and a NULL password are both tried, as .NET
 * does. Appends to out. Errors: PK_ERR_PASSWORD (wrong password),
 * PK_ERR_FORMAT (not a PFX, truncated), PK_ERR_UNSUPPORTED (RC2 without
 * OpenSSL's legacy provider).
 */
int crypto_pfx_decode(const void *der, size_t len, const char *password,
    struct crypto_certlist *out, struct pk_error *err);

#endif
