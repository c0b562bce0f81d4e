/* pfxint.h: what pfx.c (writing) and pfxread.c (reading) share; private to crypto/. */
#ifndef PKISHIM_CRYPTO_PFXINT_H
#define PKISHIM_CRYPTO_PFXINT_H

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

/* NID of PFX_OID_NONEXPORTABLE, registered on first use; NID_undef when that fails. */
int pfx_nid_nonexportable(void);

#endif
