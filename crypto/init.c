/* init.c: how a pkishim command starts OpenSSL (see init.h). */
#include <stdlib.h>

#include <openssl/crypto.h>

#include "crypto/init.h"

/*
 * The system's openssl.cnf holds nothing the commands use (TLS defaults, the
 * `openssl ca` and `req` sections; the default provider loads without it),
 * and reading it was 8% of an Export-Certificate's instructions. A file the
 * user names with OPENSSL_CONF is still read, as every OpenSSL program does.
 * (A FIPS configuration could not serve the commands anyway: PKCS#12's KDF
 * and 3DES, which Windows' PFX files need, are not FIPS algorithms.)
 */
int
crypto_init_process(void)
{
	const char *conf = getenv("OPENSSL_CONF");

	if (conf != NULL && *conf != '\0')
		return 0;
	return OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) == 1 ? 0 : -1;
}
