/*
 * storeenroll.c: what installing a newly made certificate does. CertEnroll,
 * behind New-SelfSignedCertificate, puts a self-signed certificate into the
 * store asked for and a second copy into the Intermediate Certification
 * Authorities store (CA) of the same location; published scripts remove that
 * copy, move it to Root, or sign with it (docs/windows-behaviours.md).
 */
#include <stdlib.h>

#include "crypto/store.h"

int
crypto_store_enroll(enum crypto_store_location loc, const char *store,
    const struct crypto_cert *cert, char **file, struct pk_error *err)
{
	int rc;

	if ((rc = crypto_store_add(loc, store, cert, file, err)) != 0 ||
	    !crypto_cert_self_signed(cert))
		return rc;
	if ((rc = crypto_store_add(loc, "CA", cert, NULL, err)) == 0)
		return 0;
	/* All or nothing: without its CA copy the new certificate is taken back. */
	crypto_store_remove(loc, store, crypto_cert_thumbprint(cert), NULL);
	if (file != NULL) {
		free(*file);
		*file = NULL;
	}
	return rc;
}
