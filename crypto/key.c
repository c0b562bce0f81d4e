#include <strings.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rsa.h>

#include "crypto/internal.h"
#include "crypto/key.h"

struct curve {
	enum crypto_key_algorithm algorithm;
	int bits;
	const char *group;          /* OpenSSL's group name */
	const char *names[3];       /* after "ECDSA_": certutil -displayEccCurve names, and the CNG one */
};

static const struct curve curves[] = {
	{ CRYPTO_KEY_ECDSA_P256, 256, "P-256", { "nistP256", "P256", "secP256r1" } },
	{ CRYPTO_KEY_ECDSA_P384, 384, "P-384", { "nistP384", "P384", "secP384r1" } },
	{ CRYPTO_KEY_ECDSA_P521, 521, "P-521", { "nistP521", "P521", "secP521r1" } },
};

static const struct curve *
curve_of(enum crypto_key_algorithm algorithm)
{
	size_t i;

	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (curves[i].algorithm == algorithm)
			return &curves[i];
	return NULL;
}

static const struct curve *
curve_named(const char *name)
{
	size_t i, j;

	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		for (j = 0; j < 3; j++)
			if (strcasecmp(curves[i].names[j], name) == 0)
				return &curves[i];
	return NULL;
}

const char *
crypto_key_algorithm_name(enum crypto_key_algorithm algorithm)
{
	switch (algorithm) {
	case CRYPTO_KEY_ECDSA_P256:
		return "ECDSA_nistP256";
	case CRYPTO_KEY_ECDSA_P384:
		return "ECDSA_nistP384";
	case CRYPTO_KEY_ECDSA_P521:
		return "ECDSA_nistP521";
	case CRYPTO_KEY_RSA:
		break;
	}
	return "RSA";
}

int
crypto_key_params_set(struct crypto_key_params *out, const char *algorithm,
    int length, struct pk_error *err)
{
	const struct curve *curve = NULL;

	memset(out, 0, sizeof(*out));
	if (algorithm == NULL || strcasecmp(algorithm, "RSA") == 0) {
		out->algorithm = CRYPTO_KEY_RSA;
		out->bits = length == 0 ? CRYPTO_RSA_DEFAULT_BITS : length;
		if (out->bits < CRYPTO_RSA_MIN_BITS || out->bits > CRYPTO_RSA_MAX_BITS ||
		    out->bits % 8 != 0)
			return pk_fail(err, PK_ERR_USAGE,
			    "The key length %d is not valid for RSA: use %d to %d bits "
			    "in steps of 8 (the default is %d).", length,
			    CRYPTO_RSA_MIN_BITS, CRYPTO_RSA_MAX_BITS,
			    CRYPTO_RSA_DEFAULT_BITS);
		return 0;
	}
	if (strncasecmp(algorithm, "ECDSA_", 6) != 0)
		return pk_fail(err, PK_ERR_USAGE,
		    "The key algorithm '%s' is not supported: use RSA, "
		    "ECDSA_nistP256, ECDSA_nistP384 or ECDSA_nistP521.", algorithm);
	if ((curve = curve_named(algorithm + 6)) == NULL)
		return pk_fail(err, PK_ERR_USAGE,
		    "The elliptic curve '%s' is not supported: use nistP256, "
		    "nistP384 or nistP521.", algorithm + 6);
	out->algorithm = curve->algorithm;
	out->bits = curve->bits;
	if (length != 0 && length != curve->bits)
		return pk_fail(err, PK_ERR_USAGE,
		    "The key length %d does not match the curve %s, whose keys "
		    "are %d bits.", length, curve->names[0], curve->bits);
	return 0;
}

static int
generate_ec(const struct curve *curve, int explicit_curve, EVP_PKEY **out)
{
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM params[3];
	int ok = 0;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
	    (char *)curve->group, 0);
	params[1] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING,
	    explicit_curve ? OSSL_PKEY_EC_ENCODING_EXPLICIT :
	    OSSL_PKEY_EC_ENCODING_GROUP, 0);
	params[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_params(ctx, params) <= 0 ||
	    EVP_PKEY_generate(ctx, out) <= 0)
		goto out;
	ok = 1;
out:
	EVP_PKEY_CTX_free(ctx);
	return ok;
}

int
crypto_key_generate(const struct crypto_key_params *params, EVP_PKEY **out,
    struct pk_error *err)
{
	const struct curve *curve;
	EVP_PKEY *key = NULL;

	*out = NULL;
	if (params->algorithm == CRYPTO_KEY_RSA)
		key = EVP_RSA_gen((unsigned int)params->bits);   /* e = 65537 */
	else if ((curve = curve_of(params->algorithm)) != NULL &&
	    !generate_ec(curve, params->explicit_curve, &key)) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	if (key == NULL)
		return crypto_fail_openssl(err, PK_ERR_CRYPTO,
		    "Generating the key pair failed");
	*out = key;
	return 0;
}

int
crypto_key_params_of(const EVP_PKEY *key, struct crypto_key_params *out,
    struct pk_error *err)
{
	char group[64], encoding[32];
	size_t i;
	int gnid;

	memset(out, 0, sizeof(*out));
	if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
		out->algorithm = CRYPTO_KEY_RSA;
		out->bits = EVP_PKEY_get_bits(key);
		if (out->bits < CRYPTO_RSA_MIN_BITS || out->bits > CRYPTO_RSA_MAX_BITS)
			return pk_fail(err, PK_ERR_UNSUPPORTED,
			    "The certificate's %d-bit RSA key cannot be reproduced: "
			    "RSA keys here are %d to %d bits.", out->bits,
			    CRYPTO_RSA_MIN_BITS, CRYPTO_RSA_MAX_BITS);
		out->bits -= out->bits % 8;
		return 0;
	}
	if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
		if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_EC_ENCODING,
		    encoding, sizeof(encoding), NULL) &&
		    strcmp(encoding, OSSL_PKEY_EC_ENCODING_EXPLICIT) == 0)
			out->explicit_curve = 1;
		if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
		    group, sizeof(group), NULL))
			group[0] = '\0';
		gnid = OBJ_txt2nid(group);
		if (gnid == NID_undef)
			gnid = EC_curve_nist2nid(group);
		for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++) {
			/* An explicit curve has no name; its size tells which one it is. */
			if ((gnid != NID_undef &&
			    gnid == EC_curve_nist2nid(curves[i].group)) ||
			    (group[0] == '\0' &&
			    EVP_PKEY_get_bits(key) == curves[i].bits)) {
				out->algorithm = curves[i].algorithm;
				out->bits = curves[i].bits;
				ERR_clear_error();
				return 0;
			}
		}
	}
	ERR_clear_error();
	return pk_fail(err, PK_ERR_UNSUPPORTED,
	    "The certificate's key type cannot be reproduced: only RSA and "
	    "ECDSA nistP256, nistP384 and nistP521 keys are supported.");
}
