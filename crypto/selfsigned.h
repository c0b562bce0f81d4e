/* selfsigned.h: the certificate New-SelfSignedCertificate makes, built the way Windows builds it. */
#ifndef PKISHIM_CRYPTO_SELFSIGNED_H
#define PKISHIM_CRYPTO_SELFSIGNED_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/cert.h"
#include "crypto/error.h"

/* -Type, members in the order the cmdlet's documentation lists them. */
enum crypto_cert_type {
	CRYPTO_TYPE_CUSTOM,
	CRYPTO_TYPE_CODE_SIGNING,
	CRYPTO_TYPE_DOCUMENT_ENCRYPTION,
	CRYPTO_TYPE_SSL_SERVER,                 /* the default */
	CRYPTO_TYPE_DOCUMENT_ENCRYPTION_LEGACY_CSP
};

/* -KeyUsage members: X509KeyUsageFlags values, which are the KU BIT STRING's bytes. */
enum crypto_key_usage {
	CRYPTO_KU_NONE = 0,
	CRYPTO_KU_ENCIPHER_ONLY = 0x0001,
	CRYPTO_KU_CRL_SIGN = 0x0002,
	CRYPTO_KU_CERT_SIGN = 0x0004,
	CRYPTO_KU_KEY_AGREEMENT = 0x0008,
	CRYPTO_KU_DATA_ENCIPHERMENT = 0x0010,
	CRYPTO_KU_KEY_ENCIPHERMENT = 0x0020,
	CRYPTO_KU_NON_REPUDIATION = 0x0040,
	CRYPTO_KU_DIGITAL_SIGNATURE = 0x0080,
	CRYPTO_KU_DECIPHER_ONLY = 0x8000
};

/* -KeyUsageProperty: the CNG key's usage property (NCRYPT_ALLOW_*); no certificate field. */
enum crypto_key_usage_property {
	CRYPTO_KUP_NONE = 0,
	CRYPTO_KUP_DECRYPT = 0x1,
	CRYPTO_KUP_SIGN = 0x2,
	CRYPTO_KUP_KEY_AGREEMENT = 0x4,
	CRYPTO_KUP_ALL = 0xffffff
};

/* -CurveExport */
enum crypto_curve_export {
	CRYPTO_CURVE_EXPORT_NONE,               /* the provider's default: a named curve */
	CRYPTO_CURVE_EXPORT_PARAMETERS,         /* explicit ECParameters */
	CRYPTO_CURVE_EXPORT_NAME                /* namedCurve */
};

/*
 * Every New-SelfSignedCertificate parameter that means something off Windows.
 * Zero means "not given" throughout, so a request starts as {0} plus what the
 * caller sets. Strings are borrowed for the duration of the call.
 */
struct crypto_selfsigned_request {
	const char *subject;                    /* -Subject; NULL: CN=<first DnsName> */
	const char *const *dns_names;           /* -DnsName, in order */
	size_t ndns_names;
	enum crypto_cert_type type;             /* used when type_given */
	int type_given;
	unsigned key_usage;                     /* enum crypto_key_usage bits, when key_usage_given */
	int key_usage_given;                    /* -KeyUsage was passed (None gives 0) */
	unsigned key_usage_property;            /* enum crypto_key_usage_property */
	const char *const *text_extensions;     /* -TextExtension, in order */
	size_t ntext_extensions;
	const char *const *suppress_oids;       /* -SuppressOid */
	size_t nsuppress_oids;
	int smime_capabilities;                 /* -SmimeCapabilities */
	const char *key_algorithm;              /* -KeyAlgorithm; NULL: RSA */
	int key_length;                         /* -KeyLength; 0: default */
	enum crypto_curve_export curve_export;  /* -CurveExport */
	const char *hash_algorithm;             /* -HashAlgorithm; NULL: SHA256 */
	int alternate_signature;                /* -AlternateSignatureAlgorithm: RSASSA-PSS */
	int not_before_given, not_after_given;
	int64_t not_before, not_after;          /* -NotBefore/-NotAfter, seconds since 1970 UTC */
	const char *serial_number;              /* -SerialNumber, hex; NULL: random */
	const char *friendly_name;              /* -FriendlyName (a store property) */
	int non_exportable;                     /* -KeyExportPolicy NonExportable (alone) */
	enum crypto_keyspec key_spec;           /* -KeySpec */
	const char *provider;                   /* -Provider; NULL: chosen as Windows does */
	const char *container;                  /* -Container; NULL: te-<guid>; "x*": x<guid> */
	int machine_key;                        /* the target is a LocalMachine store */
	int64_t now;                            /* creation time; 0: the clock (tests set it) */
};

/*
 * Makes the certificate and its new key. signer (-Signer) must hold a private
 * key; NULL makes it self-signed. clone (-CloneCert) supplies subject,
 * extensions, key type and validity span; NULL for none. On success *out
 * (caller frees) is the certificate with its key and store properties.
 * Errors: PK_ERR_USAGE (a parameter is wrong: length, curve, hash, dates,
 * serial, subject, suppressed OID, provider and key spec), PK_ERR_FORMAT (a
 * malformed -TextExtension or -Subject), PK_ERR_UNSUPPORTED (a hardware
 * provider), PK_ERR_CRYPTO.
 */
int crypto_selfsigned_create(const struct crypto_selfsigned_request *req,
    const struct crypto_cert *signer, const struct crypto_cert *clone,
    struct crypto_cert **out, struct pk_error *err);

/* The subject a request would get, as given or derived (for -WhatIf). Caller frees. */
char *crypto_selfsigned_subject_text(const struct crypto_selfsigned_request *req,
    const struct crypto_cert *clone);

#endif
