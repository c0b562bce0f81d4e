/* textext.h: New-SelfSignedCertificate's -TextExtension strings as X.509 extensions. */
#ifndef PKISHIM_CRYPTO_TEXTEXT_H
#define PKISHIM_CRYPTO_TEXTEXT_H

#include <stddef.h>

#include "crypto/error.h"

/*
 * Grammar (docs of New-SelfSignedCertificate, -TextExtension):
 *   <oid>=[{critical}]{text}<text form>
 *   <oid>=[{critical}]{hex}<hex digits, spaces allowed between bytes>
 *   <oid>=[{critical}]<base64>
 * The braced words are case-insensitive. {hex} and base64 must decode to one
 * complete DER value (and, for extensions OpenSSL knows, one of the right type).
 *
 * {text} forms:
 *   2.5.29.37  EKU: OIDs separated by ','.
 *   2.5.29.17  SAN: name=value tokens joined by '&': DNS, IPAddress (IPv4 or
 *              IPv6), Email, UPN (otherName 1.3.6.1.4.1.311.20.2.3), URL,
 *              DirectoryName (a name as in dn.h), RegisteredID, GUID
 *              (otherName 1.3.6.1.4.1.311.25.1, 16 bytes in Windows' GUID
 *              byte order). Token names are case-insensitive; order is kept.
 *   2.5.29.19  Basic constraints: CA=true|false|1|0 and pathlength=<n> joined
 *              by '&'; empty or "false" means CA:FALSE (DER 30 00). Always
 *              critical, as every Windows-made sample shows, {critical} or not.
 *   2.5.29.32 and 1.3.6.1.4.1.311.21.10  Certificate / Application Policies:
 *              OID=<policy> starts a policy; URL=<cps> and Notice=<text> add
 *              qualifiers to it. Flags= and GUID= are refused.
 * Any other OID with {text} is refused (use {hex} or base64).
 */
struct crypto_textext {
	char *oid;              /* dotted form */
	int critical;
	int critical_given;     /* {critical} was written (see crypto/selfsigned.c on order) */
	unsigned char *value;   /* DER of the extension value (the extnValue contents) */
	size_t value_len;
};

/* Parses one string. On success out holds the extension; release with crypto_textext_clear. */
int crypto_textext_parse(const char *text, struct crypto_textext *out,
    struct pk_error *err);
void crypto_textext_clear(struct crypto_textext *ext);

#endif
