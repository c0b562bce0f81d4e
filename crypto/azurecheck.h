/* azurecheck.h: "will Azure Cloud Services accept this certificate?", one verdict per documented rule. */
#ifndef PKISHIM_CRYPTO_AZURECHECK_H
#define PKISHIM_CRYPTO_AZURECHECK_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/cert.h"
#include "crypto/pfxinfo.h"

enum azure_status {
	AZURE_PASS,
	AZURE_WARN,   /* accepted, but the user should know (expiry soon, a *.cloudapp.net test name) */
	AZURE_FAIL,
	AZURE_SKIP    /* the rule needs input that was not given (-Domain, -ConfigurationPath, a PFX) */
};

struct azure_verdict {
	const char *rule;         /* X509v3, PrivateKey, KeyExchange, KeyLength, PfxEncryption, DomainName, Validity, Configuration */
	enum azure_status status;
	char reason[256];
	char fix[256];            /* empty when status is PASS or SKIP */
};

#define AZURE_RULES 8
#define AZURE_EXPIRY_WARN_DAYS 30

struct azure_input {
	const struct crypto_cert *cert;
	const struct crypto_pfx_info *pfx;  /* NULL for a store certificate */
	const char *domain;                 /* -Domain, or NULL */
	int configuration;                  /* -1: no .cscfg given; 0/1: its thumbprints include cert's */
	int64_t now;                        /* seconds since the epoch (UTC) */
};

/* Fills out[0..AZURE_RULES-1] in the order above; returns the number of FAIL verdicts. */
size_t azure_check(const struct azure_input *in, struct azure_verdict out[AZURE_RULES]);

/* "Pass", "Warning", "Fail", "Skipped". */
const char *azure_status_name(enum azure_status status);

/* The Azure DNS zones under which no CA issues a certificate (the docs name cloudapp.net). */
int azure_is_azure_name(const char *name);

#endif
