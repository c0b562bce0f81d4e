/* certinfo.h: what PowerShell shows of a certificate beyond its names. */
#ifndef PKISHIM_CRYPTO_CERTINFO_H
#define PKISHIM_CRYPTO_CERTINFO_H

#include <stddef.h>

#include "crypto/cert.h"

/*
 * EnhancedKeyUsageList.FriendlyName as the Windows table shows it: one name
 * alone ("Server Authentication"), several as "{Client Authentication,
 * Server Authentication}", an OID without a friendly name as the OID, and
 * "" without the extension. Caller frees; NULL without memory.
 */
char *certinfo_eku_display(const struct crypto_cert *cert);

/* The dNSName entries of the SAN, in order. On success the caller frees each and the array. */
int certinfo_dns_names(const struct crypto_cert *cert, char ***names, size_t *count);

#endif
