/* internal.h: the OpenSSL side of crypto/; never included outside crypto/ (and its tests). */
#ifndef PKISHIM_CRYPTO_INTERNAL_H
#define PKISHIM_CRYPTO_INTERNAL_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "crypto/cert.h"
#include "crypto/dn.h"
#include "crypto/error.h"
#include "crypto/key.h"

/* A certificate with what Windows keeps beside it: the key and store properties. */
struct crypto_cert {
	X509 *x509;
	EVP_PKEY *key;          /* NULL when there is no private key */
	char *friendly_name;    /* CERT_FRIENDLY_NAME_PROP_ID; NULL when unset */
	char *key_name;         /* key container name ("te-<guid>"): the key bag's friendlyName */
	char *provider;         /* CSP/KSP name: the key bag's MS CSP Name attribute */
	enum crypto_keyspec key_spec;
	int exportable;         /* 0 for -KeyExportPolicy NonExportable */
	int machine_key;        /* a LocalMachine key: the Local Key Set bag attribute */
	char thumbprint[41];    /* SHA-1 of the DER, upper-case hex */
};

/* Wraps x509 (ownership passes) and key (ownership passes; may be NULL). */
struct crypto_cert *crypto_cert_wrap(X509 *x509, EVP_PKEY *key);

/* Generates a key pair (RSA with e = 65537). On success *out (caller frees) holds it. */
int crypto_key_generate(const struct crypto_key_params *params, EVP_PKEY **out,
    struct pk_error *err);

/* The parameters of an existing public key (for -CloneCert: same algorithm and length). */
int crypto_key_params_of(const EVP_PKEY *key, struct crypto_key_params *out,
    struct pk_error *err);

/* A -Subject string as an X509_NAME (caller frees with X509_NAME_free); dn.h has the rules. */
int crypto_dn_parse(const char *text, X509_NAME **out, struct pk_error *err);

/* Empties OpenSSL's error queue into err with a domain code; returns code. */
int crypto_fail_openssl(struct pk_error *err, int code, const char *what);

#endif
