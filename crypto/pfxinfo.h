/* pfxinfo.h: what a PFX file says about itself: protection, encryption, key bags (Get-PfxData, the Azure check). */
#ifndef PKISHIM_CRYPTO_PFXINFO_H
#define PKISHIM_CRYPTO_PFXINFO_H

#include <stddef.h>

#include "crypto/cert.h"
#include "crypto/error.h"

/* How one part of a PFX (the certificate safe, a shrouded key bag) is encrypted. */
enum crypto_pfx_scheme {
	CRYPTO_PFX_SCHEME_NONE,            /* plain: nothing to see */
	CRYPTO_PFX_SCHEME_TRIPLEDES_SHA1,  /* pbeWithSHAAnd3-KeyTripleDES-CBC: Windows' TripleDES_SHA1 */
	CRYPTO_PFX_SCHEME_AES256,          /* PBES2 with AES-256-CBC: Windows' AES256_SHA256, OpenSSL 3's default */
	CRYPTO_PFX_SCHEME_RC2,             /* pbeWithSHAAnd40BitRC2-CBC: old OpenSSL and Windows XP */
	CRYPTO_PFX_SCHEME_OTHER
};

struct crypto_pfx_info {
	int password_protected;            /* the file does not open with an empty or no password */
	enum crypto_pfx_scheme cert_scheme;  /* the strongest-named scheme of the certificate safes */
	enum crypto_pfx_scheme key_scheme;   /* the same for the shrouded key bags */
	size_t key_bags;                   /* key bags in the file, matched to a certificate or not */
	struct crypto_certlist certs;      /* every certificate, keys attached (crypto_pfx_decode) */
};

/*
 * Reads path with password (NULL or "" for none) and fills info; the caller
 * clears it with crypto_pfx_info_clear. Errors are those of crypto_pfx_read.
 */
int crypto_pfx_inspect(const char *path, const char *password, struct crypto_pfx_info *info,
    struct pk_error *err);
void crypto_pfx_info_clear(struct crypto_pfx_info *info);

/* "TripleDES-SHA1", "AES256-SHA256", "RC2-40-SHA1", "none", "other": the name the Azure docs use. */
const char *crypto_pfx_scheme_name(enum crypto_pfx_scheme scheme);

#endif
