/* testcert.h: a self-signed certificate made with OpenSSL alone, for unit tests. */
#ifndef PKISHIM_TESTCERT_H
#define PKISHIM_TESTCERT_H

#include <openssl/evp.h>
#include <openssl/x509.h>

/* CN=cn, the given serial, valid for an hour, signed by key (SHA-256); caller frees. */
X509 *testcert_self_signed(const char *cn, long serial, EVP_PKEY *key);

#endif
