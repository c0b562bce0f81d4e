/* storewalk.h: what a Cert:\ path shows, as Windows' certificate provider walks it. */
#ifndef PKISHIM_CRYPTO_STOREWALK_H
#define PKISHIM_CRYPTO_STOREWALK_H

#include <stddef.h>

#include "crypto/cert.h"
#include "crypto/error.h"
#include "crypto/store.h"

/* The provider's dynamic filters (CertificateProvider.cs); a certificate must pass all. */
struct crypto_store_filter {
	const char *const *ekus;        /* each pattern matches an EnhancedKeyUsageList entry */
	size_t nekus;
	const char *dns_name;           /* a pattern for DnsNameList, or NULL */
	int ssl_server_authentication;
	int code_signing;               /* Code Signing, and a private key */
	int document_encryption;
	int expiring;                   /* whether expiring_in_days applies */
	long expiring_in_days;          /* expires within that many days (0: expired) */
};

enum crypto_store_walk_flag {
	CRYPTO_STORE_WALK_ITEM = 1u << 0,     /* the item itself (Get-Item), not its children */
	CRYPTO_STORE_WALK_RECURSE = 1u << 1   /* every certificate below the path */
};

enum crypto_store_item_kind {
	CRYPTO_STORE_ITEM_LOCATION,
	CRYPTO_STORE_ITEM_STORE,
	CRYPTO_STORE_ITEM_CERT
};

/* One thing a path shows. Strings and the certificate are owned by the list. */
struct crypto_store_item {
	enum crypto_store_item_kind kind;
	enum crypto_store_location location;
	char *store;                    /* stores and certificates: the store name */
	char *parent;                   /* certificates: "LocalMachine\My", store as named */
	char *file;                     /* certificates: the store file that holds it */
	struct crypto_cert *cert;       /* certificates */
	char **store_names;             /* locations: their stores */
	size_t nstore_names;
};

struct crypto_store_items {
	struct crypto_store_item *items;
	size_t count;
};

/*
 * Appends to out what one path shows: Cert:\ its two locations; a location
 * its stores (with CRYPTO_STORE_WALK_ITEM, itself); a store its certificates
 * (with ..._ITEM, itself); a certificate itself. A wildcard in the last part
 * filters the children of the part before it; with ..._RECURSE every
 * certificate below is shown instead. Certificates pass filter (NULL: all).
 * *matched counts what the path matched, containers included: 0 after a
 * wildcard means it matched nothing. On failure out keeps what was appended.
 */
int crypto_store_walk(const char *path, unsigned flags,
    const struct crypto_store_filter *filter, struct crypto_store_items *out,
    size_t *matched, struct pk_error *err);
void crypto_store_items_clear(struct crypto_store_items *items);

#endif
