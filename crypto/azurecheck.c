/*
 * azurecheck.c: the certificate rules of the Cloud Services docs
 * (cloud-service-config.md §7), each with the reason and the fix.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <strings.h>

#include <openssl/err.h>

#include <openssl/x509v3.h>

#include "crypto/azurecheck.h"
#include "crypto/certinfo.h"
#include "crypto/internal.h"

#define AZURE_DOCS_AES "Azure Cloud Services does not accept AES256-SHA256 encrypted certificate."
#define MAKE_CERT "New-SelfSignedCertificate -DnsName <domain> -KeyLength 2048 -KeySpec KeyExchange"

static void
verdict(struct azure_verdict *v, const char *rule, enum azure_status status, const char *fix,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
verdict(struct azure_verdict *v, const char *rule, enum azure_status status, const char *fix,
    const char *fmt, ...)
{
	va_list ap;

	v->rule = rule;
	v->status = status;
	va_start(ap, fmt);
	vsnprintf(v->reason, sizeof(v->reason), fmt, ap);
	va_end(ap);
	snprintf(v->fix, sizeof(v->fix), "%s", status == AZURE_FAIL || status == AZURE_WARN ?
	    fix : "");
}

int
azure_is_azure_name(const char *name)
{
	static const char *const zones[] = { "cloudapp.net", "cloudapp.azure.com" };
	size_t i, len = strlen(name), zlen;

	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		zlen = strlen(zones[i]);
		if (len >= zlen && strcasecmp(name + len - zlen, zones[i]) == 0 &&
		    (len == zlen || name[len - zlen - 1] == '.'))
			return 1;
	}
	return 0;
}

static void
check_version(const struct azure_input *in, struct azure_verdict *v)
{
	long version = X509_get_version(in->cert->x509) + 1;

	if (version == 3)
		verdict(v, "X509v3", AZURE_PASS, "", "The certificate is X.509 version 3.");
	else
		verdict(v, "X509v3", AZURE_FAIL, "Make a new certificate: " MAKE_CERT ".",
		    "The certificate is X.509 version %ld; Azure needs version 3.", version);
}

static void
check_key(const struct azure_input *in, struct azure_verdict *v)
{
	const char *fix = "Export the certificate with its private key: "
	    "Export-PfxCertificate -Cert <cert> -FilePath <file>.pfx -Password <password>.";

	if (in->cert->key != NULL && X509_check_private_key(in->cert->x509, in->cert->key) == 1)
		verdict(v, "PrivateKey", AZURE_PASS, "", "The private key is present and matches "
		    "the certificate's public key.");
	else if (in->pfx != NULL && in->pfx->key_bags > 0)
		verdict(v, "PrivateKey", AZURE_FAIL, fix, "The file holds %zu private key(s), but "
		    "none matches the certificate's public key.", in->pfx->key_bags);
	else
		verdict(v, "PrivateKey", AZURE_FAIL, fix, "There is no private key%s.",
		    in->pfx != NULL ? " in the file" : " with the certificate");
}

static void
check_key_exchange(const struct azure_input *in, struct azure_verdict *v)
{
	const char *fix = "Make the key for key exchange: " MAKE_CERT
	    " (or openssl pkcs12 -export -keyex -CSP \"Microsoft Enhanced RSA and AES "
	    "Cryptographic Provider\").";

	if (in->cert->key == NULL)
		verdict(v, "KeyExchange", AZURE_SKIP, "", "There is no private key (see "
		    "PrivateKey).");
	else if (in->cert->key_spec == CRYPTO_KEYSPEC_KEYEXCHANGE)
		verdict(v, "KeyExchange", AZURE_PASS, "", "The key is a key-exchange key "
		    "(AT_KEYEXCHANGE, key usage 0x10, CSP %s).",
		    in->cert->provider != NULL ? in->cert->provider : "unnamed");
	else if (in->cert->key_spec == CRYPTO_KEYSPEC_SIGNATURE)
		verdict(v, "KeyExchange", AZURE_FAIL, fix, "The key is a signature key "
		    "(AT_SIGNATURE, key usage 0x80), not made for key exchange.");
	else
		verdict(v, "KeyExchange", AZURE_FAIL, fix, "The key belongs to a CNG key storage "
		    "provider (%s) and has no key-exchange key spec.",
		    in->cert->provider != NULL ? in->cert->provider : "unnamed");
}

static void
check_length(const struct azure_input *in, struct azure_verdict *v)
{
	EVP_PKEY *key = X509_get0_pubkey(in->cert->x509);
	int bits = key != NULL ? EVP_PKEY_get_bits(key) : 0;
	const char *fix = "Make a new certificate: " MAKE_CERT ".";

	if (key == NULL || !EVP_PKEY_is_a(key, "RSA"))
		verdict(v, "KeyLength", AZURE_FAIL, fix, "The key is not an RSA key; Cloud "
		    "Services needs RSA of at least 2048 bits.");
	else if (bits < 2048)
		verdict(v, "KeyLength", AZURE_FAIL, fix, "The RSA key has %d bits; Azure needs at "
		    "least 2048.", bits);
	else
		verdict(v, "KeyLength", AZURE_PASS, "", "The RSA key has %d bits.", bits);
}

static void
check_encryption(const struct azure_input *in, struct azure_verdict *v)
{
	const char *fix = "Export it again with TripleDES-SHA1: Export-PfxCertificate ... "
	    "-CryptoAlgorithmOption TripleDES_SHA1 (or openssl pkcs12 -export -legacy, or "
	    "-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg SHA1).";
	enum crypto_pfx_scheme key, cert;

	if (in->pfx == NULL) {
		verdict(v, "PfxEncryption", AZURE_SKIP, "", "A store certificate: "
		    "Export-PfxCertificate writes TripleDES-SHA1 unless told otherwise.");
		return;
	}
	key = in->pfx->key_scheme;
	cert = in->pfx->cert_scheme;
	if (key == CRYPTO_PFX_SCHEME_AES256 || cert == CRYPTO_PFX_SCHEME_AES256)
		verdict(v, "PfxEncryption", AZURE_FAIL, fix, AZURE_DOCS_AES
		    " (keys: %s, certificates: %s)", crypto_pfx_scheme_name(key),
		    crypto_pfx_scheme_name(cert));
	else if ((key == CRYPTO_PFX_SCHEME_TRIPLEDES_SHA1 || key == CRYPTO_PFX_SCHEME_NONE) &&
	    (cert == CRYPTO_PFX_SCHEME_TRIPLEDES_SHA1 || cert == CRYPTO_PFX_SCHEME_NONE) &&
	    (key != CRYPTO_PFX_SCHEME_NONE || cert != CRYPTO_PFX_SCHEME_NONE))
		verdict(v, "PfxEncryption", AZURE_PASS, "", "The PFX is encrypted with "
		    "TripleDES-SHA1 (keys: %s, certificates: %s).", crypto_pfx_scheme_name(key),
		    crypto_pfx_scheme_name(cert));
	else    /* The docs refuse only AES256-SHA256; Azure's own tools wrote RC2-40 certificate safes. */
		verdict(v, "PfxEncryption", AZURE_WARN, fix, "The PFX is encrypted with keys: %s, "
		    "certificates: %s; the Azure docs refuse only AES256-SHA256, but describe "
		    "TripleDES-SHA1.", crypto_pfx_scheme_name(key), crypto_pfx_scheme_name(cert));
}

/* The first CN or SAN dNSName under an Azure zone, or NULL. Caller frees. */
static char *
azure_name_in(const struct crypto_cert *cert)
{
	char **names = NULL, *found = NULL, cn[256];
	size_t i, n = 0;

	if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert->x509), NID_commonName, cn,
	    sizeof(cn)) > 0 && azure_is_azure_name(cn))
		found = strdup(cn);
	if (certinfo_dns_names(cert, &names, &n) == 0) {
		for (i = 0; i < n; i++) {
			if (found == NULL && azure_is_azure_name(names[i]))
				found = strdup(names[i]);
			free(names[i]);
		}
		free(names);
	}
	return found;
}

static void
check_domain(const struct azure_input *in, struct azure_verdict *v)
{
	const char *fix = "Make the certificate for your custom domain: " MAKE_CERT
	    " (or ask your CA for one), and point a CNAME at the service.";
	char *azure = azure_name_in(in->cert);

	if (in->domain != NULL && azure_is_azure_name(in->domain))
		verdict(v, "DomainName", AZURE_FAIL, "Use a custom domain you own, and a CNAME to "
		    "the service.", "%s is an Azure name; no CA issues certificates under it, and "
		    "TLS for a service needs a custom domain.", in->domain);
	else if (in->domain != NULL &&
	    X509_check_host(in->cert->x509, in->domain, 0, 0, NULL) != 1)
		verdict(v, "DomainName", AZURE_FAIL, fix, "Neither the subject nor a subject "
		    "alternative name matches %s.", in->domain);
	else if (azure != NULL)
		verdict(v, "DomainName", AZURE_WARN, fix, "The certificate names %s: no CA issues "
		    "certificates under Azure's domains, so this can only be a self-signed test "
		    "certificate that browsers will not trust.", azure);
	else if (in->domain != NULL)
		verdict(v, "DomainName", AZURE_PASS, "", "The certificate is valid for %s.",
		    in->domain);
	else
		verdict(v, "DomainName", AZURE_SKIP, "", "No -Domain given; no name is under an "
		    "Azure domain.");
	free(azure);
}

static void
check_validity(const struct azure_input *in, struct azure_verdict *v)
{
	int64_t from = crypto_cert_not_before(in->cert), to = crypto_cert_not_after(in->cert);
	const char *fix = "Renew it: make or request a new certificate and rotate it in with "
	    "Set-ServiceCertificate.";
	long days = (long)((to - in->now) / 86400);

	if (in->now < from)
		verdict(v, "Validity", AZURE_FAIL, "Wait, or make a certificate valid from now.",
		    "The certificate is not valid yet (NotBefore is in %ld day(s)).",
		    (long)((from - in->now) / 86400));
	else if (in->now >= to)
		verdict(v, "Validity", AZURE_FAIL, fix, "The certificate expired %ld day(s) ago.",
		    (long)((in->now - to) / 86400));
	else if (days < AZURE_EXPIRY_WARN_DAYS)
		verdict(v, "Validity", AZURE_WARN, fix, "The certificate expires in %ld day(s).",
		    days);
	else
		verdict(v, "Validity", AZURE_PASS, "", "The certificate is valid for %ld more "
		    "day(s).", days);
}

static void
check_configuration(const struct azure_input *in, struct azure_verdict *v)
{
	if (in->configuration < 0)
		verdict(v, "Configuration", AZURE_SKIP, "", "No -ConfigurationPath given.");
	else if (in->configuration)
		verdict(v, "Configuration", AZURE_PASS, "", "The .cscfg references thumbprint %s.",
		    in->cert->thumbprint);
	else
		verdict(v, "Configuration", AZURE_FAIL, "Set-ServiceCertificate -ConfigurationPath "
		    "<cscfg> -Name <certificate name> -Thumbprint <thumbprint>.", "The .cscfg "
		    "references no certificate with thumbprint %s.", in->cert->thumbprint);
}

size_t
azure_check(const struct azure_input *in, struct azure_verdict out[AZURE_RULES])
{
	static void (*const rules[AZURE_RULES])(const struct azure_input *,
	    struct azure_verdict *) = { check_version, check_key, check_key_exchange,
		check_length, check_encryption, check_domain, check_validity,
		check_configuration };
	size_t i, failed = 0;

	for (i = 0; i < AZURE_RULES; i++) {
		rules[i](in, &out[i]);
		failed += out[i].status == AZURE_FAIL;
	}
	ERR_clear_error();
	return failed;
}

const char *
azure_status_name(enum azure_status status)
{
	static const char *const names[] = { "Pass", "Warning", "Fail", "Skipped" };

	return names[status];
}
