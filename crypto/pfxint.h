/* pfxint.h: what pfx.c (writing) and pfxread.c (reading) share; private to crypto/. */
#ifndef PKISHIM_CRYPTO_PFXINT_H
#define PKISHIM_CRYPTO_PFXINT_H

#include <openssl/pkcs12.h>

#include "crypto/internal.h"

/*
 * pkishim's own key bag attribute: the key may not be exported
 * (-KeyExportPolicy NonExportable, Import-PfxCertificate without
 * -Exportable). Windows keeps that policy in the key container; pkishim's
 * store keeps the key in a PFX file, so the policy rides in the key bag under
 * an OID minted from the UUID arc (ITU-T X.667): UUID
 * 4d45861c-3012-49a6-a7b1-619689bca0b4. Readers that do not know it ignore
 * it. One value, UTF8String "NonExportable", since .NET's loader refuses
 * attributes without exactly one value in some modes.
 */
#define PFX_OID_NONEXPORTABLE "2.25.102711544234830253986373948357421605044"
#define PFX_NONEXPORTABLE_VALUE "NonExportable"

/* The MS key-usage byte inside PKCS#8 (openssl-pfx.md §1.1). */
#define PFX_KEY_USAGE_KEYEXCHANGE 0x10
#define PFX_KEY_USAGE_SIGNATURE 0x80

#define PFX_ITERATIONS 2000
#define PFX_PBE_SALT_LEN 8
#define PFX_MAC_SALT_LEN 20

/* Provider names Windows writes in the MS CSP Name attribute. */
#define PFX_KSP_NAME "Microsoft Software Key Storage Provider"
#define PFX_CAPI_NAME "Microsoft Enhanced RSA and AES Cryptographic Provider"
#define PFX_CAPI_DEFAULT_NAME "Microsoft Enhanced Cryptographic Provider v1.0"

/*
 * What one PFX may ask of its reader: .NET's Pkcs12LoaderLimits.Defaults
 * (openssl-pfx.md §2.5) for iterations, keys and certificates; bags and
 * nesting are pkishim's (Windows writes one level and a few bags).
 */
#define PFX_MAX_MAC_ITERATIONS 300000L
#define PFX_MAX_KDF_ITERATIONS 300000L
#define PFX_MAX_TOTAL_ITERATIONS 1000000L
#define PFX_MAX_KEYS 200
#define PFX_MAX_CERTS 200
#define PFX_MAX_BAGS 1000
#define PFX_MAX_DEPTH 3

struct pfx_budget {
	long iterations;        /* MAC and every KDF so far */
	int bags, keys, certs;
};

/*
 * Each charges what it reads from the ASN.1 alone (nothing is derived) and
 * fails with PK_ERR_LIMIT naming the limit a file passes, or
 * PK_ERR_UNSUPPORTED for a KDF other than PBKDF2 (scrypt). pfx_budget_file
 * takes the MAC, every encrypted part's algorithm and every bag in plain
 * view; pfx_budget_bags the bags of a part once it is decrypted.
 */
int pfx_budget_file(struct pfx_budget *b, PKCS12 *p12, struct pk_error *err);
int pfx_budget_bags(struct pfx_budget *b, const STACK_OF(PKCS12_SAFEBAG) *bags, int depth,
    struct pk_error *err);
int pfx_budget_algorithm(struct pfx_budget *b, const X509_ALGOR *alg, struct pk_error *err);

/*
 * crypto_pfx_decode with flags. PFX_DECODE_NO_KEYS leaves key bags as they
 * are (not decrypted, not decoded): the certificates come back without keys,
 * for readers that need the certificates alone (Export-Certificate).
 */
#define PFX_DECODE_NO_KEYS 0x1u
int pfx_decode(const void *der, size_t len, const char *password, unsigned flags,
    struct crypto_certlist *out, struct pk_error *err);

/* NID of PFX_OID_NONEXPORTABLE, registered on first use; NID_undef when that fails. */
int pfx_nid_nonexportable(void);

#endif
