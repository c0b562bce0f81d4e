#ifndef PKISHIM_CRYPTO_OID_H
#define PKISHIM_CRYPTO_OID_H

/*
 * Object identifiers as users type them (-TextExtension, -SuppressOid, a
 * -Subject attribute given by number): checked before OpenSSL reads them,
 * since OBJ_txt2obj also takes names ("CN", "serverAuth").
 */

/* Whether text is a dotted OID of at least two arcs ("2.5.29.17"). */
int crypto_oid_is_valid(const char *text);

#endif
