/* dn.h: Windows distinguished-name strings (-Subject, SAN DirectoryName) as X.501 Names. */
#ifndef PKISHIM_CRYPTO_DN_H
#define PKISHIM_CRYPTO_DN_H

#include <stddef.h>

#include "crypto/error.h"

/*
 * The syntax CryptoAPI's CertStrToName accepts, as New-SelfSignedCertificate
 * uses it:
 *  - a string without '=' is a common name: "localhost" means "CN=localhost";
 *  - RDNs are separated by ',' or, when the string holds a ';' outside quotes,
 *    by ';' alone (so values may then hold bare commas); '+' joins the
 *    attributes of one multi-valued RDN;
 *  - keys are case-insensitive: CN, O, OU, L, S or ST, C, E or EMAIL, STREET,
 *    DC, T or TITLE, G or GIVENNAME, I or INITIALS, SN, SERIALNUMBER,
 *    POSTALCODE, POBOX, PHONE, DESCRIPTION, UID, or a dotted OID ("2.5.4.3",
 *    "OID.2.5.4.3");
 *  - spaces around keys and values are dropped; a value in double quotes keeps
 *    them and may hold separators, with "" standing for one quote.
 * Values are UTF8String, except C (PrintableString), E and DC (IA5String),
 * as X.520/PKCS #9 and RFC 4519 require; no length limit is imposed (Windows
 * writes CNs longer than X.520's 64 characters).
 * DER order is the reverse of the string, as CryptoAPI and .NET write it, so
 * "CN=a,OU=b,DC=c" is encoded DC, OU, CN and is shown back as "CN=a, OU=b, DC=c".
 */

/* The DER of the Name; on success *der (caller frees) and *len are set. */
int crypto_dn_encode(const char *text, unsigned char **der, size_t *len,
    struct pk_error *err);

#endif
