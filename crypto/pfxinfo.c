/*
 * pfxinfo.c: the encryption schemes and key bags of a PFX, read from its
 * AlgorithmIdentifiers, for the questions Windows' PfxData and Azure's upload
 * ask (cloud-service-config.md §7).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>

#include "crypto/atomicfile.h"
#include "crypto/pfx.h"
#include "crypto/pfxinfo.h"
#include "crypto/pfxint.h"

#define PFXINFO_MAX_FILE (16u << 20)

static enum crypto_pfx_scheme
scheme_of(const X509_ALGOR *alg)
{
	PBE2PARAM *pbe2;
	enum crypto_pfx_scheme scheme = CRYPTO_PFX_SCHEME_OTHER;

	switch (OBJ_obj2nid(alg->algorithm)) {
	case NID_pbe_WithSHA1And3_Key_TripleDES_CBC:
		return CRYPTO_PFX_SCHEME_TRIPLEDES_SHA1;
	case NID_pbe_WithSHA1And40BitRC2_CBC:
	case NID_pbe_WithSHA1And128BitRC2_CBC:
		return CRYPTO_PFX_SCHEME_RC2;
	case NID_pbes2:
		pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter);
		if (pbe2 != NULL && OBJ_obj2nid(pbe2->encryption->algorithm) == NID_aes_256_cbc)
			scheme = CRYPTO_PFX_SCHEME_AES256;
		PBE2PARAM_free(pbe2);
		return scheme;
	default:
		return CRYPTO_PFX_SCHEME_OTHER;
	}
}

/* A weaker-looking or unknown scheme wins, so one AES or RC2 part is never hidden by a 3DES one. */
static void
note(enum crypto_pfx_scheme *at, enum crypto_pfx_scheme seen)
{
	if (*at == CRYPTO_PFX_SCHEME_NONE || *at == CRYPTO_PFX_SCHEME_TRIPLEDES_SHA1)
		*at = seen;
}

static void
scan_bags(const STACK_OF(PKCS12_SAFEBAG) *bags, struct crypto_pfx_info *info)
{
	int i;

	for (i = 0; i < sk_PKCS12_SAFEBAG_num(bags); i++) {
		const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);
		const X509_ALGOR *alg = NULL;

		switch (PKCS12_SAFEBAG_get_nid(bag)) {
		case NID_pkcs8ShroudedKeyBag:
			X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, NULL);
			note(&info->key_scheme, scheme_of(alg));
			info->key_bags++;
			break;
		case NID_keyBag:
			info->key_bags++;
			break;
		default:
			break;
		}
	}
}

/* The password form that decrypts p7 (the given one, "" or none), or NULL bags. */
static STACK_OF(PKCS12_SAFEBAG) *
decrypt_safe(PKCS7 *p7, const char *password)
{
	const char *tries[3] = { password, "", NULL };
	STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
	size_t i;

	for (i = password != NULL && *password != '\0' ? 0 : 1; i < 3 && bags == NULL; i++)
		bags = PKCS12_unpack_p7encdata(p7, tries[i], tries[i] != NULL ? -1 : 0);
	ERR_clear_error();
	return bags;
}

static void
scan_safes(PKCS12 *p12, const char *password, struct crypto_pfx_info *info)
{
	STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
	int i;

	for (i = 0; i < sk_PKCS7_num(safes); i++) {
		PKCS7 *p7 = sk_PKCS7_value(safes, i);
		STACK_OF(PKCS12_SAFEBAG) *bags = NULL;

		if (OBJ_obj2nid(p7->type) == NID_pkcs7_data) {
			bags = PKCS12_unpack_p7data(p7);
		} else if (OBJ_obj2nid(p7->type) == NID_pkcs7_encrypted &&
		    p7->d.encrypted != NULL && p7->d.encrypted->enc_data != NULL) {
			note(&info->cert_scheme, scheme_of(p7->d.encrypted->enc_data->algorithm));
			bags = decrypt_safe(p7, password);
		}
		if (bags != NULL)
			scan_bags(bags, info);
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	ERR_clear_error();
}

int
crypto_pfx_inspect(const char *path, const char *password, struct crypto_pfx_info *info,
    struct pk_error *err)
{
	unsigned char *data = NULL;
	const unsigned char *p;
	size_t len = 0;
	PKCS12 *p12;
	int rc;

	memset(info, 0, sizeof(*info));
	if ((rc = atomicfile_read(path, PFXINFO_MAX_FILE, &data, &len, err)) != 0)
		return rc;
	/* Windows' PasswordProtected: whether the file refuses to open without one. */
	rc = crypto_pfx_decode(data, len, NULL, &info->certs, err);
	if (rc == PK_ERR_PASSWORD && password != NULL && *password != '\0') {
		info->password_protected = 1;
		rc = crypto_pfx_decode(data, len, password, &info->certs, err);
	}
	if (rc == 0) {
		p = data;
		if ((p12 = d2i_PKCS12(NULL, &p, (long)len)) != NULL)
			scan_safes(p12, password, info);
		PKCS12_free(p12);
	}
	OPENSSL_cleanse(data, len);
	free(data);
	if (rc != 0)
		crypto_pfx_info_clear(info);
	return rc;
}

void
crypto_pfx_info_clear(struct crypto_pfx_info *info)
{
	crypto_certlist_clear(&info->certs);
	memset(info, 0, sizeof(*info));
}

const char *
crypto_pfx_scheme_name(enum crypto_pfx_scheme scheme)
{
	static const char *const names[] = { "none", "TripleDES-SHA1", "AES256-SHA256",
		"RC2-40-SHA1", "other" };

	return names[scheme];
}
