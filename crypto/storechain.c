/*
 * storechain.c: the chain Export-PfxCertificate -ChainOption BuildChain adds:
 * issuers matched by name in the stores Windows' chain engine reads.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto/store.h"

#define CHAIN_DEPTH_MAX 8

/* The issuer of cert among the stores Windows' chain engine reads, without its key. */
static struct crypto_cert *
find_issuer(const struct crypto_cert *cert, const struct crypto_certlist *pool)
{
	char *issuer = crypto_cert_issuer(cert), *subject = crypto_cert_subject(cert);
	struct crypto_cert *found = NULL;
	unsigned char *der = NULL;
	size_t i, len;

	if (issuer == NULL || subject == NULL || strcmp(issuer, subject) == 0)
		goto out;
	for (i = 0; i < pool->count && found == NULL; i++) {
		char *name = crypto_cert_subject(pool->certs[i]);

		/* A chain certificate goes in without its key, as Windows exports it. */
		if (name != NULL && strcmp(name, issuer) == 0 &&
		    crypto_cert_der(pool->certs[i], &der, &len, NULL) == 0) {
			crypto_cert_from_mem(der, len, &found, NULL);
			free(der);
		}
		free(name);
	}
out:
	free(issuer);
	free(subject);
	return found;
}

/*
 * BuildChain: issuers are matched by name in the My, CA and Root stores of
 * both locations; a self-signed certificate ends the chain (the root is
 * included, as Windows includes it).
 */
int
crypto_store_build_chain(const struct crypto_certlist *certs, struct crypto_certlist *chain,
    struct pk_error *err)
{
	static const char *const stores[] = { "My", "CA", "Root" };
	struct crypto_certlist pool = { NULL, 0 };
	size_t i, j;
	int loc, rc = 0;

	/* Self-signed certificates have no chain to build: no store is read. */
	for (i = 0; i < certs->count && crypto_cert_self_signed(certs->certs[i]); i++)
		;
	if (i == certs->count)
		return 0;
	for (loc = CRYPTO_STORE_CURRENT_USER; loc <= CRYPTO_STORE_LOCAL_MACHINE; loc++)
		for (i = 0; i < sizeof(stores) / sizeof(stores[0]); i++)
			crypto_store_list((enum crypto_store_location)loc, stores[i], &pool, NULL);
	for (i = 0; i < certs->count; i++) {
		const struct crypto_cert *at = certs->certs[i];

		for (j = 0; j < CHAIN_DEPTH_MAX; j++) {
			struct crypto_cert *issuer = find_issuer(at, &pool);

			if (issuer == NULL)
				break;
			if (crypto_certlist_has(certs, crypto_cert_thumbprint(issuer)) ||
			    crypto_certlist_has(chain, crypto_cert_thumbprint(issuer))) {
				crypto_cert_free(issuer);
				break;
			}
			if (crypto_certlist_add(chain, issuer) != 0) {
				crypto_cert_free(issuer);
				rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
				goto out;
			}
			at = issuer;
		}
	}
out:
	crypto_certlist_clear(&pool);
	return rc;
}

