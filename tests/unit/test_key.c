/*
 * test_key.c: -KeyAlgorithm and -KeyLength rules, and the keys crypto/key.c
 * makes, checked with OpenSSL's own accessors.
 */
#include <string.h>

#include <CUnit/CUnit.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "crypto/internal.h"
#include "crypto/key.h"
#include "cunit_run.h"

struct params_case {
	const char *title;
	const char *algorithm;
	int length;
	int rc;
	enum crypto_key_algorithm want_algorithm;
	int want_bits;
	const char *message_part;   /* a phrase the error must contain */
};

static const struct params_case params_cases[] = {
	{ "no algorithm and no length give RSA 2048", NULL, 0, 0, CRYPTO_KEY_RSA, 2048, NULL },
	{ "RSA in any case is RSA", "rsa", 0, 0, CRYPTO_KEY_RSA, 2048, NULL },
	{ "RSA 4096 is kept", "RSA", 4096, 0, CRYPTO_KEY_RSA, 4096, NULL },
	{ "RSA 1024 is the shortest allowed", "RSA", 1024, 0, CRYPTO_KEY_RSA, 1024, NULL },
	{ "RSA 16384 is the longest allowed", "RSA", 16384, 0, CRYPTO_KEY_RSA, 16384, NULL },
	{ "RSA 2056 is a multiple of 8 and allowed", "RSA", 2056, 0, CRYPTO_KEY_RSA, 2056, NULL },
	{ "RSA 512 is refused", "RSA", 512, PK_ERR_USAGE, 0, 0, "512" },
	{ "a length of 512 with no algorithm is refused", NULL, 512, PK_ERR_USAGE, 0, 0, "1024 to 16384" },
	{ "RSA 16392 is too long", "RSA", 16392, PK_ERR_USAGE, 0, 0, "16392" },
	{ "RSA 2050 is not a multiple of 8", "RSA", 2050, PK_ERR_USAGE, 0, 0, "steps of 8" },
	{ "a negative length is refused", "RSA", -2048, PK_ERR_USAGE, 0, 0, "-2048" },
	{ "ECDSA_nistP256 is P-256", "ECDSA_nistP256", 0, 0, CRYPTO_KEY_ECDSA_P256, 256, NULL },
	{ "ECDSA_nistP384 is P-384", "ECDSA_nistP384", 0, 0, CRYPTO_KEY_ECDSA_P384, 384, NULL },
	{ "ECDSA_nistP521 is P-521", "ECDSA_nistP521", 0, 0, CRYPTO_KEY_ECDSA_P521, 521, NULL },
	{ "the CNG name ECDSA_P256 is P-256", "ECDSA_P256", 0, 0, CRYPTO_KEY_ECDSA_P256, 256, NULL },
	{ "secP384r1 is P-384", "ecdsa_secp384r1", 0, 0, CRYPTO_KEY_ECDSA_P384, 384, NULL },
	{ "a matching length is accepted for a curve", "ECDSA_nistP256", 256, 0, CRYPTO_KEY_ECDSA_P256, 256, NULL },
	{ "a length that does not match the curve is refused", "ECDSA_nistP256", 2048, PK_ERR_USAGE, 0, 0, "nistP256" },
	{ "an unknown curve is refused by name", "ECDSA_brainpoolP256r1", 0, PK_ERR_USAGE, 0, 0, "brainpoolP256r1" },
	{ "an empty curve name is refused", "ECDSA_", 0, PK_ERR_USAGE, 0, 0, "curve" },
	{ "DSA is refused", "DSA", 0, PK_ERR_USAGE, 0, 0, "'DSA' is not supported" },
	{ "ECDH is refused", "ECDH_nistP256", 0, PK_ERR_USAGE, 0, 0, "not supported" },
};

static void
test_params_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(params_cases) / sizeof(params_cases[0]); i++) {
		const struct params_case *c = &params_cases[i];
		struct crypto_key_params params;
		struct pk_error err = { 0, "" };
		int rc = crypto_key_params_set(&params, c->algorithm, c->length, &err);

		if (rc != c->rc)
			fprintf(stderr, "\n  case '%s': rc %d want %d (%s)", c->title, rc,
			    c->rc, err.msg);
		CU_ASSERT_EQUAL(rc, c->rc);
		if (c->rc == 0 && rc == 0) {
			CU_ASSERT_EQUAL(params.algorithm, c->want_algorithm);
			CU_ASSERT_EQUAL(params.bits, c->want_bits);
		}
		if (c->message_part != NULL) {
			if (strstr(err.msg, c->message_part) == NULL)
				fprintf(stderr, "\n  case '%s': message '%s'", c->title, err.msg);
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, c->message_part));
		}
	}
}

static void
test_algorithm_names(void)
{
	CU_ASSERT_STRING_EQUAL(crypto_key_algorithm_name(CRYPTO_KEY_RSA), "RSA");
	CU_ASSERT_STRING_EQUAL(crypto_key_algorithm_name(CRYPTO_KEY_ECDSA_P256), "ECDSA_nistP256");
	CU_ASSERT_STRING_EQUAL(crypto_key_algorithm_name(CRYPTO_KEY_ECDSA_P384), "ECDSA_nistP384");
	CU_ASSERT_STRING_EQUAL(crypto_key_algorithm_name(CRYPTO_KEY_ECDSA_P521), "ECDSA_nistP521");
}

static void
test_rsa_key_has_length_and_exponent(void)
{
	struct crypto_key_params params, back;
	struct pk_error err;
	EVP_PKEY *key = NULL;
	BIGNUM *e = NULL;

	CU_ASSERT_EQUAL_FATAL(crypto_key_params_set(&params, "RSA", 1024, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_key_generate(&params, &key, &err), 0);
	CU_ASSERT_EQUAL(EVP_PKEY_get_base_id(key), EVP_PKEY_RSA);
	CU_ASSERT_EQUAL(EVP_PKEY_get_bits(key), 1024);
	CU_ASSERT_TRUE(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e));
	CU_ASSERT_TRUE(e != NULL && BN_is_word(e, 65537));
	CU_ASSERT_EQUAL(crypto_key_params_of(key, &back, &err), 0);
	CU_ASSERT_EQUAL(back.algorithm, CRYPTO_KEY_RSA);
	CU_ASSERT_EQUAL(back.bits, 1024);
	BN_free(e);
	EVP_PKEY_free(key);
}

static void
check_curve(enum crypto_key_algorithm algorithm, const char *name, int explicit_curve)
{
	struct crypto_key_params params = { algorithm, 0, explicit_curve }, back;
	struct pk_error err;
	EVP_PKEY *key = NULL;
	char encoding[32] = "";
	int bits = algorithm == CRYPTO_KEY_ECDSA_P256 ? 256 :
	    algorithm == CRYPTO_KEY_ECDSA_P384 ? 384 : 521;

	params.bits = bits;
	CU_ASSERT_EQUAL_FATAL(crypto_key_generate(&params, &key, &err), 0);
	CU_ASSERT_EQUAL(EVP_PKEY_get_base_id(key), EVP_PKEY_EC);
	CU_ASSERT_EQUAL(EVP_PKEY_get_bits(key), bits);
	CU_ASSERT_TRUE(EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_EC_ENCODING,
	    encoding, sizeof(encoding), NULL));
	CU_ASSERT_STRING_EQUAL(encoding, explicit_curve ? "explicit" : "named_curve");
	CU_ASSERT_EQUAL(crypto_key_params_of(key, &back, &err), 0);
	CU_ASSERT_EQUAL(back.algorithm, algorithm);
	CU_ASSERT_EQUAL(back.explicit_curve, explicit_curve);
	CU_ASSERT_STRING_EQUAL(crypto_key_algorithm_name(back.algorithm), name);
	EVP_PKEY_free(key);
}

static void
test_ecdsa_keys_are_on_their_curves(void)
{
	check_curve(CRYPTO_KEY_ECDSA_P256, "ECDSA_nistP256", 0);
	check_curve(CRYPTO_KEY_ECDSA_P384, "ECDSA_nistP384", 0);
	check_curve(CRYPTO_KEY_ECDSA_P521, "ECDSA_nistP521", 0);
}

static void
test_curve_parameters_are_explicit(void)
{
	check_curve(CRYPTO_KEY_ECDSA_P256, "ECDSA_nistP256", 1);
}

static void
test_an_unsupported_key_cannot_be_cloned(void)
{
	struct crypto_key_params params;
	struct pk_error err = { 0, "" };
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");

	CU_ASSERT_PTR_NOT_NULL_FATAL(key);
	CU_ASSERT_EQUAL(crypto_key_params_of(key, &params, &err), PK_ERR_UNSUPPORTED);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "only RSA and ECDSA"));
	EVP_PKEY_free(key);
}

static CU_TestInfo key_tests[] = {
	{ "algorithm and length rules, one row per rule", test_params_table },
	{ "algorithms print with their -KeyAlgorithm names", test_algorithm_names },
	{ "an RSA key has the asked length and e = 65537", test_rsa_key_has_length_and_exponent },
	{ "ECDSA keys are on P-256, P-384 and P-521 as named curves", test_ecdsa_keys_are_on_their_curves },
	{ "-CurveExport CurveParameters gives explicit parameters", test_curve_parameters_are_explicit },
	{ "an Ed25519 key cannot be reproduced for -CloneCert", test_an_unsupported_key_cannot_be_cloned },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "key", NULL, NULL, NULL, NULL, key_tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
