/* key.h: the key pairs New-SelfSignedCertificate makes (-KeyAlgorithm, -KeyLength, -CurveExport). */
#ifndef PKISHIM_CRYPTO_KEY_H
#define PKISHIM_CRYPTO_KEY_H

#include "crypto/error.h"

enum crypto_key_algorithm {
	CRYPTO_KEY_RSA,
	CRYPTO_KEY_ECDSA_P256,
	CRYPTO_KEY_ECDSA_P384,
	CRYPTO_KEY_ECDSA_P521
};

/*
 * RSA lengths: 1024 to 16384 bits in steps of 8. Windows' software KSP goes
 * from 512 in steps of 64; 512 is refused here because OpenSSL 3 and every
 * current TLS stack reject keys that short, and any multiple of 8 is allowed
 * because nothing here needs the coarser step.
 */
#define CRYPTO_RSA_MIN_BITS 1024
#define CRYPTO_RSA_MAX_BITS 16384
#define CRYPTO_RSA_DEFAULT_BITS 2048

struct crypto_key_params {
	enum crypto_key_algorithm algorithm;
	int bits;               /* RSA modulus length, or the curve's size */
	int explicit_curve;     /* -CurveExport CurveParameters: explicit ECParameters */
};

/*
 * Fills out from -KeyAlgorithm (NULL means RSA; "RSA", "ECDSA_nistP256",
 * "ECDSA_P256", "ECDSA_secP256r1" and the 384/521 forms, any case) and
 * -KeyLength (0 means the default: 2048 for RSA, the curve's size for ECDSA,
 * where any other length is an error). Returns PK_ERR_USAGE with a sentence
 * for an unknown algorithm or curve or a length out of range.
 */
int crypto_key_params_set(struct crypto_key_params *out, const char *algorithm,
    int length, struct pk_error *err);

/* "RSA", "ECDSA_nistP256", ...: the -KeyAlgorithm spelling of an algorithm. */
const char *crypto_key_algorithm_name(enum crypto_key_algorithm algorithm);

#endif
