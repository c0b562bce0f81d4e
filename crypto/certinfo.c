#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509v3.h>

#include "crypto/certinfo.h"
#include "crypto/internal.h"

/* The names Windows' OID table gives the usages New-SelfSignedCertificate writes. */
static const struct {
	const char *oid;
	const char *name;
} eku_names[] = {
	{ "1.3.6.1.5.5.7.3.1", "Server Authentication" },
	{ "1.3.6.1.5.5.7.3.2", "Client Authentication" },
	{ "1.3.6.1.5.5.7.3.3", "Code Signing" },
	{ "1.3.6.1.5.5.7.3.4", "Secure Email" },
	{ "1.3.6.1.5.5.7.3.8", "Time Stamping" },
	{ "1.3.6.1.5.5.7.3.9", "OCSP Signing" },
	{ "1.3.6.1.4.1.311.80.1", "Document Encryption" },
	{ "1.3.6.1.4.1.311.10.3.4", "Encrypting File System" },
	{ "1.3.6.1.4.1.311.20.2.2", "Smart Card Logon" },
	{ "1.3.6.1.4.1.311.10.3.12", "Document Signing" },
};

static const char *
eku_name(const char *oid)
{
	size_t i;

	for (i = 0; i < sizeof(eku_names) / sizeof(eku_names[0]); i++)
		if (strcmp(eku_names[i].oid, oid) == 0)
			return eku_names[i].name;
	return oid;
}

char *
certinfo_eku_display(const struct crypto_cert *cert)
{
	EXTENDED_KEY_USAGE *eku;
	char *out = NULL, oid[128];
	size_t len = 3, used = 0;
	int i, n;

	eku = X509_get_ext_d2i(cert->x509, NID_ext_key_usage, NULL, NULL);
	if (eku == NULL)
		return strdup("");
	n = sk_ASN1_OBJECT_num(eku);
	for (i = 0; i < n; i++) {
		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 1);
		len += strlen(eku_name(oid)) + 2;
	}
	if ((out = malloc(len)) == NULL)
		goto out;
	if (n > 1)
		out[used++] = '{';
	for (i = 0; i < n; i++) {
		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 1);
		used += (size_t)snprintf(out + used, len - used, "%s%s", i ? ", " : "",
		    eku_name(oid));
	}
	if (n > 1)
		out[used++] = '}';
	out[used] = '\0';
out:
	EXTENDED_KEY_USAGE_free(eku);
	return out;
}

int
certinfo_dns_names(const struct crypto_cert *cert, char ***names, size_t *count)
{
	GENERAL_NAMES *san;
	char **list = NULL;
	size_t n = 0;
	int i, rc = PK_ERR_NOMEM;

	*names = NULL;
	*count = 0;
	san = X509_get_ext_d2i(cert->x509, NID_subject_alt_name, NULL, NULL);
	if (san == NULL)
		return 0;
	if ((list = calloc((size_t)sk_GENERAL_NAME_num(san) + 1, sizeof(*list))) == NULL)
		goto out;
	for (i = 0; i < sk_GENERAL_NAME_num(san); i++) {
		const GENERAL_NAME *gn = sk_GENERAL_NAME_value(san, i);
		const ASN1_IA5STRING *dns;

		if (gn->type != GEN_DNS)
			continue;
		dns = gn->d.dNSName;
		if ((list[n] = strndup((const char *)ASN1_STRING_get0_data(dns),
		    (size_t)ASN1_STRING_length(dns))) == NULL)
			goto out;
		n++;
	}
	*names = list;
	*count = n;
	list = NULL;
	rc = 0;
out:
	if (list != NULL) {
		for (i = 0; (size_t)i < n; i++)
			free(list[i]);
		free(list);
	}
	GENERAL_NAMES_free(san);
	return rc;
}

int
certinfo_matches_eku(const struct crypto_cert *cert, const char *pattern)
{
	EXTENDED_KEY_USAGE *eku;
	char oid[128];
	int i, hit = 0;

	eku = X509_get_ext_d2i(cert->x509, NID_ext_key_usage, NULL, NULL);
	for (i = 0; eku != NULL && i < sk_ASN1_OBJECT_num(eku) && !hit; i++) {
		OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i), 1);
		hit = fnmatch(pattern, oid, 0) == 0 ||
		    fnmatch(pattern, eku_name(oid), FNM_CASEFOLD) == 0;
	}
	EXTENDED_KEY_USAGE_free(eku);
	return hit;
}

int
certinfo_matches_dns(const struct crypto_cert *cert, const char *pattern)
{
	char **names = NULL, *subject = crypto_cert_subject(cert);
	size_t n = 0, i;
	int hit = 0;

	/* DnsNameList: the CN of a one-RDN subject, and the SAN's DNS names. */
	if (subject != NULL && strncmp(subject, "CN=", 3) == 0 && strchr(subject, ',') == NULL)
		hit = fnmatch(pattern, subject + 3, FNM_CASEFOLD) == 0;
	if (!hit && certinfo_dns_names(cert, &names, &n) == 0)
		for (i = 0; i < n && !hit; i++)
			hit = fnmatch(pattern, names[i], FNM_CASEFOLD) == 0;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(subject);
	return hit;
}
