/* init.h: how a pkishim command starts OpenSSL. */
#ifndef PKISHIM_CRYPTO_INIT_H
#define PKISHIM_CRYPTO_INIT_H

/*
 * Called once by a command's main before any other crypto/ call. OpenSSL's
 * configuration file is read only when OPENSSL_CONF names one. Never called
 * by libpkishim, which shares libcrypto with the .NET runtime that loads it.
 * Returns 0, or -1 when OpenSSL cannot start (the first real call then says why).
 */
int crypto_init_process(void);

#endif
