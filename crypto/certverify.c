/*
 * certverify.c: Test-Certificate over OpenSSL's chain builder: the pkishim
 * stores stand in for Windows' (Root trusted; CA and My as intermediates),
 * and each chain error becomes the CERT_TRUST_* flag and the HRESULT text
 * CertVerifyCertificateChainPolicy reports (winerror.h).
 */
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "crypto/certverify.h"
#include "crypto/internal.h"
#include "crypto/store.h"

#define OID_SERVER_AUTH "1.3.6.1.5.5.7.3.1"
#define OID_CODE_SIGNING "1.3.6.1.5.5.7.3.3"
#define OID_ANY_EKU "2.5.29.37.0"

#define E_SIGNATURE "The signature of the certificate cannot be verified. " \
	"0x80096004 (-2146869244 TRUST_E_CERT_SIGNATURE)"
#define E_UNTRUSTED_ROOT "A certificate chain processed, but terminated in a root certificate " \
	"which is not trusted by the trust provider. 0x800b0109 (-2146762487 CERT_E_UNTRUSTEDROOT)"
#define E_CHAINING "A certificate chain could not be built to a trusted root authority. " \
	"0x800b010a (-2146762486 CERT_E_CHAINING)"
#define E_EXPIRED "A required certificate is not within its validity period when verifying " \
	"against the current system clock or the timestamp in the signed file. " \
	"0x800b0101 (-2146762495 CERT_E_EXPIRED)"
#define E_WRONG_USAGE "The certificate is not valid for the requested usage. " \
	"0x800b0110 (-2146762480 CERT_E_WRONG_USAGE)"
#define E_CN_NO_MATCH "The certificate's CN name does not match the passed value. " \
	"0x800b010f (-2146762481 CERT_E_CN_NO_MATCH)"
#define E_UNTRUSTED_CA "A certification chain processed correctly, but one of the CA " \
	"certificates is not trusted by the policy provider. " \
	"0x800b0112 (-2146762478 CERT_E_UNTRUSTEDCA)"

struct collected {
	unsigned trust;
	int name_mismatch;
};

/* Every error is recorded and the walk goes on, as Windows' engine reports all of a chain's flags. */
static int
collect(int ok, X509_STORE_CTX *ctx)
{
	struct collected *c = X509_STORE_CTX_get_app_data(ctx);

	if (ok)
		return 1;
	switch (X509_STORE_CTX_get_error(ctx)) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		c->trust |= CERTVERIFY_NOT_TIME_VALID;
		break;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		c->trust |= CERTVERIFY_UNTRUSTED_ROOT;
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		c->trust |= CERTVERIFY_PARTIAL_CHAIN;
		break;
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		c->trust |= CERTVERIFY_NOT_SIGNATURE_VALID;
		break;
	case X509_V_ERR_HOSTNAME_MISMATCH:
		c->name_mismatch = 1;
		break;
	default:
		break;  /* CA flags, key usage: Windows' BASE policy does not ask */
	}
	return 1;
}

/* Whether the certificate's EKU (none means every usage) allows oid. */
static int
allows(X509 *x509, const char *oid)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x509, NID_ext_key_usage, NULL, NULL);
	char text[128];
	int i, ok = eku == NULL;

	for (i = 0; eku != NULL && i < sk_ASN1_OBJECT_num(eku) && !ok; i++) {
		OBJ_obj2txt(text, sizeof(text), sk_ASN1_OBJECT_value(eku, i), 1);
		ok = strcmp(text, oid) == 0 || strcmp(text, OID_ANY_EKU) == 0;
	}
	EXTENDED_KEY_USAGE_free(eku);
	return ok;
}

static int
add_store(X509_STORE *trusted, STACK_OF(X509) *untrusted, enum crypto_store_location loc,
    const char *name)
{
	struct crypto_certlist list = { NULL, 0 };
	size_t i;
	int rc = 0;

	crypto_store_list(loc, name, &list, NULL);
	for (i = 0; i < list.count && rc == 0; i++)
		if (trusted != NULL ? !X509_STORE_add_cert(trusted, list.certs[i]->x509) :
		    !X509_add_cert(untrusted, list.certs[i]->x509, X509_ADD_FLAG_UP_REF))
			rc = PK_ERR_NOMEM;
	crypto_certlist_clear(&list);
	ERR_clear_error();
	return rc;
}

/* NTAUTH: the issuing CA must be in LocalMachine's NTAuth store. */
static int
issuer_in_ntauth(X509_STORE_CTX *ctx)
{
	STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
	struct crypto_certlist ntauth = { NULL, 0 };
	size_t i;
	int found = 0;

	if (chain == NULL || sk_X509_num(chain) < 2)
		return 0;
	crypto_store_list(CRYPTO_STORE_LOCAL_MACHINE, "NTAuth", &ntauth, NULL);
	for (i = 0; i < ntauth.count && !found; i++)
		found = X509_cmp(ntauth.certs[i]->x509, sk_X509_value(chain, 1)) == 0;
	crypto_certlist_clear(&ntauth);
	return found;
}

static int
build(const struct crypto_cert *cert, const struct certverify_options *o,
    struct collected *c, int *ntauth_ok, struct pk_error *err)
{
	X509_STORE *trusted = X509_STORE_new();
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	enum crypto_store_location loc = o->user ? CRYPTO_STORE_CURRENT_USER :
	    CRYPTO_STORE_LOCAL_MACHINE;
	const char *host = o->dns_name;
	int rc = PK_ERR_NOMEM;

	if (trusted == NULL || untrusted == NULL || ctx == NULL)
		goto out;
	/* A user's chain engine trusts the machine's roots too. */
	if (add_store(trusted, NULL, CRYPTO_STORE_LOCAL_MACHINE, "Root") != 0 ||
	    (o->user && add_store(trusted, NULL, loc, "Root") != 0) ||
	    add_store(NULL, untrusted, loc, "CA") != 0 || add_store(NULL, untrusted, loc, "My") != 0)
		goto out;
	if (!X509_STORE_CTX_init(ctx, trusted, cert->x509, untrusted))
		goto out;
	X509_STORE_CTX_set_app_data(ctx, c);
	X509_STORE_CTX_set_verify_cb(ctx, collect);
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)o->now);
	/* Example 1 of the docs writes -DNSName 'dns=contoso.com'. */
	if (host != NULL && strncasecmp(host, "dns=", 4) == 0)
		host += 4;
	if (o->policy == CERTVERIFY_SSL && host != NULL && *host != '\0' &&
	    !X509_VERIFY_PARAM_set1_host(X509_STORE_CTX_get0_param(ctx), host, 0))
		goto out;
	X509_verify_cert(ctx);
	*ntauth_ok = o->policy != CERTVERIFY_NTAUTH || issuer_in_ntauth(ctx);
	rc = 0;
out:
	if (rc != 0)
		pk_fail(err, rc, "Out of memory.");
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	sk_X509_pop_free(untrusted, X509_free);
	X509_STORE_free(trusted);
	return rc;
}

int
certverify_run(const struct crypto_cert *cert, const struct certverify_options *o,
    struct certverify_result *result, struct pk_error *err)
{
	struct collected c = { 0, 0 };
	const char *policy_eku = o->policy == CERTVERIFY_SSL ? OID_SERVER_AUTH :
	    o->policy == CERTVERIFY_AUTHENTICODE ? OID_CODE_SIGNING : NULL;
	size_t i;
	int ntauth_ok = 1, rc;

	memset(result, 0, sizeof(*result));
	if ((rc = build(cert, o, &c, &ntauth_ok, err)) != 0)
		return rc;
	for (i = 0; i < o->neku; i++)
		if (!allows(cert->x509, o->ekus[i]))
			c.trust |= CERTVERIFY_NOT_VALID_FOR_USAGE;
	if (policy_eku != NULL && !allows(cert->x509, policy_eku))
		c.trust |= CERTVERIFY_NOT_VALID_FOR_USAGE;
	result->trust = c.trust;
	/* CertVerifyCertificateChainPolicy's order: signature, trust, time, usage, then the policy's own. */
	if (c.trust & CERTVERIFY_NOT_SIGNATURE_VALID)
		result->error = E_SIGNATURE;
	else if ((c.trust & CERTVERIFY_UNTRUSTED_ROOT) && !o->allow_untrusted_root)
		result->error = E_UNTRUSTED_ROOT;
	else if (c.trust & CERTVERIFY_PARTIAL_CHAIN)
		result->error = E_CHAINING;
	else if (c.trust & CERTVERIFY_NOT_TIME_VALID)
		result->error = E_EXPIRED;
	else if (c.trust & CERTVERIFY_NOT_VALID_FOR_USAGE)
		result->error = E_WRONG_USAGE;
	else if (c.name_mismatch)
		result->error = E_CN_NO_MATCH;
	else if (!ntauth_ok)
		result->error = E_UNTRUSTED_CA;
	result->valid = result->error == NULL;
	return 0;
}

const char *
certverify_trust_name(unsigned flag)
{
	switch (flag) {
	case CERTVERIFY_NOT_TIME_VALID: return "CERT_TRUST_IS_NOT_TIME_VALID";
	case CERTVERIFY_UNTRUSTED_ROOT: return "CERT_TRUST_IS_UNTRUSTED_ROOT";
	case CERTVERIFY_PARTIAL_CHAIN: return "CERT_TRUST_IS_PARTIAL_CHAIN";
	case CERTVERIFY_NOT_VALID_FOR_USAGE: return "CERT_TRUST_IS_NOT_VALID_FOR_USAGE";
	case CERTVERIFY_NOT_SIGNATURE_VALID: return "CERT_TRUST_IS_NOT_SIGNATURE_VALID";
	default: return "CERT_TRUST_NO_ERROR";
	}
}
