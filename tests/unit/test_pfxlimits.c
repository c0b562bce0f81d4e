/*
 * test_pfxlimits.c: hostile PFX files, built here with OpenSSL, are refused
 * at once with the limit they pass named; the largest legitimate files
 * (Windows' 2,000 iterations, OpenSSL's 2,048, a 200-certificate chain) read.
 * Hostile parameters are written into the ASN.1 after the file is built, so
 * building costs nothing: what the reader would derive is never derived.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "crypto/internal.h"
#include "crypto/pfx.h"
#include "cunit_run.h"
#include "testcert.h"

#define PASS "pw"
#define TRIPLEDES NID_pbe_WithSHA1And3_Key_TripleDES_CBC

enum scrypt_at { SCRYPT_NONE, SCRYPT_SAFE, SCRYPT_KEY };

struct recipe {
	const char *title;
	int certs;              /* in one encrypted part */
	int keys;               /* shrouded key bags */
	int keys_encrypted;     /* the key bags inside the encrypted part, not in plain view */
	int secrets;            /* secret bags, in plain view */
	long iter;              /* every KDF and the MAC, derived while building */
	long key_iter;          /* written over each key bag's count; 0: keep iter */
	long safe_iter;         /* written over the encrypted part's; 0: keep iter */
	long mac_iter;          /* the MAC's, set up but not computed; 0: keep iter */
	enum scrypt_at scrypt;  /* N=32768, r=8, p=228000 written over that algorithm */
	int expect;             /* 0 or the PK_ERR_ code */
	const char *text;       /* a part of the error */
};

static const struct recipe recipes[] = {
	{ "Windows' 2,000 iterations read", 1, 1, 0, 0, 2000, 0, 0, 0, SCRYPT_NONE, 0, NULL },
	{ "OpenSSL's 2,048 iterations read", 1, 1, 0, 0, 2048, 0, 0, 0, SCRYPT_NONE, 0, NULL },
	{ "a 200-certificate chain reads", 200, 1, 0, 0, 2048, 0, 0, 0, SCRYPT_NONE, 0, NULL },
	{ "300,000 per KDF and MAC, 900,000 in all, read (the limits themselves)", 1, 1, 0, 0,
	    300000, 0, 0, 0, SCRYPT_NONE, 0, NULL },
	{ "201 certificates pass the certificate limit", 201, 0, 0, 0, 1, 0, 0, 0, SCRYPT_NONE,
	    PK_ERR_LIMIT, "more than 200 certificates (the certificate limit)" },
	{ "201 keys pass the key limit", 1, 201, 0, 0, 1, 0, 0, 0, SCRYPT_NONE, PK_ERR_LIMIT,
	    "more than 200 private keys (the key limit)" },
	{ "1,001 bags pass the bag limit", 1, 0, 0, 1001, 1, 0, 0, 0, SCRYPT_NONE, PK_ERR_LIMIT,
	    "more than 1000 items (the bag limit)" },
	{ "a key at 300,001 iterations passes the per-KDF limit", 1, 1, 0, 0, 1, 300001, 0, 0,
	    SCRYPT_NONE, PK_ERR_LIMIT, "300001 key derivation iterations; at most 300000" },
	{ "an encrypted part at 300,001 iterations passes the per-KDF limit", 1, 1, 0, 0, 1, 0,
	    300001, 0, SCRYPT_NONE, PK_ERR_LIMIT, "(the per-KDF iteration limit)" },
	{ "a MAC at 300,001 iterations passes the per-MAC limit", 1, 1, 0, 0, 1, 0, 0, 300001,
	    SCRYPT_NONE, PK_ERR_LIMIT, "300001 MAC iterations; at most 300000 are allowed" },
	{ "4 keys at 300,000 pass the total limit", 1, 4, 0, 0, 1, 300000, 0, 0, SCRYPT_NONE,
	    PK_ERR_LIMIT, "more than 1000000 key derivation iterations in all" },
	{ "999 bags at 300,000 iterations pass the total limit", 1, 999, 0, 0, 1, 300000, 0, 0,
	    SCRYPT_NONE, PK_ERR_LIMIT, "(the total iteration limit per file)" },
	{ "the MAC counts in the total", 1, 3, 0, 0, 1, 300000, 0, 100001, SCRYPT_NONE,
	    PK_ERR_LIMIT, "MAC included" },
	{ "keys hidden in the encrypted part are counted before one is derived", 1, 4, 1, 0, 1,
	    300000, 0, 0, SCRYPT_NONE, PK_ERR_LIMIT, "(the total iteration limit per file)" },
	{ "a scrypt bomb (N=32768, p=228000) in the encrypted part is refused", 1, 1, 0, 0, 1,
	    0, 0, 0, SCRYPT_SAFE, PK_ERR_UNSUPPORTED, "with scrypt; only PBKDF2 is read" },
	{ "a scrypt bomb in a key bag is refused", 1, 1, 0, 0, 1, 0, 0, 0, SCRYPT_KEY,
	    PK_ERR_UNSUPPORTED, "with scrypt; only PBKDF2 is read" },
};

static EVP_PKEY *key;

/* A PKCS#12 PBE (3DES) AlgorithmIdentifier asking for iter iterations. */
static void
set_pbe(X509_ALGOR *alg, long iter)
{
	PBEPARAM *p = PBEPARAM_new();

	ASN1_OCTET_STRING_set(p->salt, (const unsigned char *)"saltsalt", 8);
	ASN1_INTEGER_set(p->iter, iter);
	X509_ALGOR_set0(alg, OBJ_nid2obj(TRIPLEDES), V_ASN1_SEQUENCE,
	    ASN1_item_pack(p, ASN1_ITEM_rptr(PBEPARAM), NULL));
	PBEPARAM_free(p);
}

/* PBES2 with scrypt N=32768, r=8, p=228000: some 100 minutes of CPU if derived. */
static void
set_scrypt(X509_ALGOR *alg)
{
	static const unsigned char iv[16];
	SCRYPT_PARAMS *sp = SCRYPT_PARAMS_new();
	PBE2PARAM *p2 = PBE2PARAM_new();
	ASN1_OCTET_STRING *ivs = ASN1_OCTET_STRING_new();

	ASN1_OCTET_STRING_set(sp->salt, (const unsigned char *)"saltsalt", 8);
	ASN1_INTEGER_set(sp->costParameter, 32768);
	ASN1_INTEGER_set(sp->blockSize, 8);
	ASN1_INTEGER_set(sp->parallelizationParameter, 228000);
	ASN1_OCTET_STRING_set(ivs, iv, sizeof(iv));
	X509_ALGOR_set0(p2->keyfunc, OBJ_nid2obj(NID_id_scrypt), V_ASN1_SEQUENCE,
	    ASN1_item_pack(sp, ASN1_ITEM_rptr(SCRYPT_PARAMS), NULL));
	X509_ALGOR_set0(p2->encryption, OBJ_nid2obj(NID_aes_256_cbc), V_ASN1_OCTET_STRING, ivs);
	X509_ALGOR_set0(alg, OBJ_nid2obj(NID_pbes2), V_ASN1_SEQUENCE,
	    ASN1_item_pack(p2, ASN1_ITEM_rptr(PBE2PARAM), NULL));
	SCRYPT_PARAMS_free(sp);
	PBE2PARAM_free(p2);
}

static X509_ALGOR *
key_bag_algorithm(PKCS12_SAFEBAG *bag)
{
	X509_ALGOR *alg;

	X509_SIG_getm((X509_SIG *)PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, NULL);
	return alg;
}

static void
add_keys(const struct recipe *rc, STACK_OF(PKCS12_SAFEBAG) **bags)
{
	int i;

	for (i = 0; i < rc->keys; i++) {
		PKCS12_SAFEBAG *bag = PKCS12_add_key(bags, key, 0, (int)rc->iter, TRIPLEDES, PASS);

		if (rc->key_iter != 0)
			set_pbe(key_bag_algorithm(bag), rc->key_iter);
		if (i == 0 && rc->scrypt == SCRYPT_KEY)
			set_scrypt(key_bag_algorithm(bag));
	}
}

static unsigned char *
build(const struct recipe *rc, int *len)
{
	STACK_OF(PKCS12_SAFEBAG) *plain = NULL, *hidden = NULL;
	STACK_OF(PKCS7) *safes = NULL;
	unsigned char *der = NULL;
	PKCS12 *p12;
	int i;

	for (i = 0; i < rc->certs; i++) {
		char cn[32];
		X509 *x;

		snprintf(cn, sizeof(cn), "limits-%d", i + 1);
		x = testcert_self_signed(cn, i + 1, key);

		PKCS12_add_cert(&hidden, x);
		X509_free(x);
	}
	add_keys(rc, rc->keys_encrypted ? &hidden : &plain);
	for (i = 0; i < rc->secrets; i++)
		sk_PKCS12_SAFEBAG_push(plain == NULL ? (plain = sk_PKCS12_SAFEBAG_new_null()) :
		    plain, PKCS12_SAFEBAG_create_secret(NID_pkcs7_data, V_ASN1_OCTET_STRING,
		    (const unsigned char *)"x", 1));
	if (plain != NULL)
		PKCS12_add_safe(&safes, plain, -1, 0, NULL);
	PKCS12_add_safe(&safes, hidden, TRIPLEDES, (int)rc->iter, PASS);
	if (rc->safe_iter != 0)
		set_pbe(sk_PKCS7_value(safes, sk_PKCS7_num(safes) - 1)->d.encrypted->enc_data->algorithm,
		    rc->safe_iter);
	if (rc->scrypt == SCRYPT_SAFE)
		set_scrypt(sk_PKCS7_value(safes, sk_PKCS7_num(safes) - 1)->d.encrypted->enc_data->algorithm);
	p12 = PKCS12_add_safes(safes, 0);
	if (rc->mac_iter != 0)
		PKCS12_setup_mac(p12, (int)rc->mac_iter, NULL, 0, EVP_sha1());
	else
		PKCS12_set_mac(p12, PASS, -1, NULL, 0, (int)rc->iter, NULL);
	*len = i2d_PKCS12(p12, &der);
	PKCS12_free(p12);
	sk_PKCS7_pop_free(safes, PKCS7_free);
	sk_PKCS12_SAFEBAG_pop_free(plain, PKCS12_SAFEBAG_free);
	sk_PKCS12_SAFEBAG_pop_free(hidden, PKCS12_SAFEBAG_free);
	return der;
}

/* PKISHIM_PFX_DUMP=<dir> keeps each file (how the fuzz seeds were made). */
static void
dump(size_t i, const unsigned char *der, int len)
{
	const char *dir = getenv("PKISHIM_PFX_DUMP");
	char path[4096];
	FILE *f;

	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/limits-%02zu.pfx", dir, i);
	if ((f = fopen(path, "wb")) != NULL) {
		fwrite(der, 1, (size_t)len, f);
		fclose(f);
	}
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
test_every_recipe(void)
{
	size_t i;

	for (i = 0; i < sizeof(recipes) / sizeof(recipes[0]); i++) {
		const struct recipe *rc = &recipes[i];
		struct crypto_certlist list = { NULL, 0 };
		struct pk_error err = { 0, "" };
		unsigned char *der;
		double start, took;
		int len, got;

		der = build(rc, &len);
		CU_ASSERT_FATAL(der != NULL && len > 0);
		dump(i, der, len);
		start = now();
		got = crypto_pfx_decode(der, (size_t)len, PASS, &list, &err);
		took = now() - start;
		printf("\n  %s: %d (%.3f s, %d bytes) %s", rc->title, got, took, len, err.msg);
		CU_ASSERT_EQUAL(got, rc->expect);
		if (rc->text != NULL)
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, rc->text));
		if (rc->expect == 0)
			CU_ASSERT_EQUAL(list.count, (size_t)rc->certs);
		/*
		 * Refusals derive nothing (a few ms idle); the bombs would take
		 * minutes. Loose enough for a busy shared machine.
		 */
		if (rc->expect == PK_ERR_LIMIT || rc->expect == PK_ERR_UNSUPPORTED)
			CU_ASSERT(took < 0.5);
		crypto_certlist_clear(&list);
		OPENSSL_free(der);
	}
}

static int
setup(void)
{
	return (key = EVP_EC_gen("P-256")) == NULL;
}

static int
teardown(void)
{
	EVP_PKEY_free(key);
	return 0;
}

static CU_TestInfo tests[] = {
	{ "each hostile file is refused at once, naming its limit; large real files read",
	    test_every_recipe },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "pfxlimits", setup, teardown, NULL, NULL, tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
