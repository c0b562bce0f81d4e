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
	int mark_nonexportable;     /* with keep_nonexportable: record every key as non-exportable */
	int iterations;             /* PBE and MAC iterations; 0: Windows' 2000 */
	/*
	 * Chain certificates (-ChainOption BuildChain): written after the
	 * end-entity certificates, with an empty attribute set as Windows does.
	 * Certificates already among the end entities are skipped. May be NULL.
	 */
	struct crypto_cert *const *chain;
	size_t chain_count;
	/*
	 * The store writing a key decides its key set, as Windows' import does
	 * (a LocalMachine key carries the Local Key Set attribute); 0 keeps
	 * what each certificate says.
	 */
	enum crypto_pfx_key_set {
		CRYPTO_PFX_KEY_SET_AS_IS,
		CRYPTO_PFX_KEY_SET_USER,
		CRYPTO_PFX_KEY_SET_MACHINE
	} key_set;
};

/*
 * Encodes certs into a PFX in Windows' layout: the key bags first (plain data
 * SafeContents), then the certificate bags (encrypted); each certificate
 * with a key gets localKeyID i (little-endian 32-bit, from 1), the key bag
 * Windows' attributes, and the MS key-usage attribute from its KeySpec
 * (KeyExchange 0x10, Signature 0x80, None 0x90 as Windows writes CNG keys).
 * Chain certificates carry an empty attribute set. A NULL password makes a
 * password-less file as .NET's store does. A non-exportable key is refused
 * with "Cannot export non-exportable private key." (PK_ERR_NOT_EXPORTABLE)
 * unless keep_nonexportable. options may be NULL (TripleDES_SHA1, with
 * properties). On success *der (caller frees, wipe first) and *len are set.
 */
int crypto_pfx_encode(struct crypto_cert *const *certs, size_t n, const char *password,
    const struct crypto_pfx_options *options, unsigned char **der, size_t *len,
    struct pk_error *err);

/*
 * crypto_pfx_encode written to path with atomicfile_write, mode 0600;
 * file_flags are ATOMICFILE_NO_CLOBBER and ATOMICFILE_FORCE (atomicfile.h).
 */
int crypto_pfx_write(const char *path, struct crypto_cert *const *certs, size_t n,
    const char *password, const struct crypto_pfx_options *options,
    unsigned file_flags, struct pk_error *err);

/*
 * Decodes a PFX: every certificate, with its key and properties (friendly
 * name, KeySpec, CSP, key name, export policy) attached to the certificate it
 * belongs to; certificates with keys come first. The password "" and a NULL
 * password are both tried, as .NET does. Appends to out. Errors:
 * PK_ERR_PASSWORD (wrong password), PK_ERR_FORMAT (not a PFX, truncated),
 * PK_ERR_UNSUPPORTED (RC2 without OpenSSL's legacy provider, -ProtectTo
 * files), PK_ERR_LIMIT (over .NET's limits: 300,000 iterations per KDF or
 * MAC, 1,000,000 per file, 200 keys, 200 certificates; or 1000 bags, 3
 * levels, 16 MiB), PK_ERR_UNSUPPORTED also for scrypt.
 */
int crypto_pfx_decode(const void *der, size_t len, const char *password,
    struct crypto_certlist *out, struct pk_error *err);

/* crypto_pfx_decode of a file. */
int crypto_pfx_read(const char *path, const char *password,
    struct crypto_certlist *out, struct pk_error *err);

/* Whether data looks like a PKCS#12 PFX (outer structure only; nothing decrypted). */
int crypto_pfx_sniff(const void *der, size_t len);

#endif
