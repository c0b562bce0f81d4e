/* certverify.h: Test-Certificate's chain check over the pkishim stores (pki-cmdlets.md, Test-Certificate). */
#ifndef PKISHIM_CRYPTO_CERTVERIFY_H
#define PKISHIM_CRYPTO_CERTVERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/cert.h"
#include "crypto/error.h"

enum certverify_policy {
	CERTVERIFY_BASE,
	CERTVERIFY_SSL,
	CERTVERIFY_AUTHENTICODE,
	CERTVERIFY_NTAUTH
};

struct certverify_options {
	enum certverify_policy policy;
	const char *dns_name;          /* -DNSName ("contoso.com" or "dns=contoso.com"), or NULL */
	const char *const *ekus;       /* -EKU: OIDs every one of which the chain must allow */
	size_t neku;
	int allow_untrusted_root;
	int user;                      /* -User: CurrentUser's stores and LocalMachine's roots */
	int64_t now;
};

/* CERT_TRUST_* flags Windows' chain engine reports, as Test-Certificate's warning lists them. */
enum certverify_trust {
	CERTVERIFY_NOT_TIME_VALID = 1u << 0,
	CERTVERIFY_UNTRUSTED_ROOT = 1u << 1,
	CERTVERIFY_PARTIAL_CHAIN = 1u << 2,
	CERTVERIFY_NOT_VALID_FOR_USAGE = 1u << 3,
	CERTVERIFY_NOT_SIGNATURE_VALID = 1u << 4
};

struct certverify_result {
	int valid;                     /* what Test-Certificate returns */
	unsigned trust;                /* enum certverify_trust */
	const char *error;             /* Windows' text for the HRESULT, with the code; NULL when valid */
};

/*
 * Builds cert's chain from the Root (trusted), CA and My stores of the
 * location (LocalMachine, or CurrentUser plus LocalMachine's roots with
 * -User) and checks it as CertVerifyCertificateChainPolicy does for the
 * policy: time validity of every certificate, the EKUs (-EKU, SSL's server
 * authentication, Authenticode's code signing), the SSL name, and NTAUTH's
 * NTAuth store. Revocation is not checked (no network; README "Choices").
 */
int certverify_run(const struct crypto_cert *cert, const struct certverify_options *options,
    struct certverify_result *result, struct pk_error *err);

/* "CERT_TRUST_IS_UNTRUSTED_ROOT", ...: the name of one flag. */
const char *certverify_trust_name(unsigned flag);

#endif
