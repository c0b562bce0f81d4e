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

/*
 * The Cert: provider's filters (CertificateProvider.cs), with wildcards:
 * an EKU by friendly name (any case) or OID; a name of DnsNameList (the CN
 * of a one-RDN subject, and the SAN's dNSNames).
 */
int certinfo_matches_eku(const struct crypto_cert *cert, const char *pattern);
int certinfo_matches_dns(const struct crypto_cert *cert, const char *pattern);

#endif
