#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "crypto/internal.h"
#include "crypto/dn.h"
#include "crypto/oid.h"

#define DN_MAX_ATTRIBUTES 64

struct dn_key {
	const char *name;
	int nid;
	unsigned long mask;     /* the one string type the value is written as */
};

/* CertStrToName's X.500 keys (learn.microsoft.com, CertStrToNameW remarks). */
static const struct dn_key dn_keys[] = {
	{ "CN", NID_commonName, B_ASN1_UTF8STRING },
	{ "O", NID_organizationName, B_ASN1_UTF8STRING },
	{ "OU", NID_organizationalUnitName, B_ASN1_UTF8STRING },
	{ "L", NID_localityName, B_ASN1_UTF8STRING },
	{ "S", NID_stateOrProvinceName, B_ASN1_UTF8STRING },
	{ "ST", NID_stateOrProvinceName, B_ASN1_UTF8STRING },
	{ "C", NID_countryName, B_ASN1_PRINTABLESTRING },
	{ "E", NID_pkcs9_emailAddress, B_ASN1_IA5STRING },
	{ "EMAIL", NID_pkcs9_emailAddress, B_ASN1_IA5STRING },
	{ "STREET", NID_streetAddress, B_ASN1_UTF8STRING },
	{ "DC", NID_domainComponent, B_ASN1_IA5STRING },
	{ "T", NID_title, B_ASN1_UTF8STRING },
	{ "TITLE", NID_title, B_ASN1_UTF8STRING },
	{ "G", NID_givenName, B_ASN1_UTF8STRING },
	{ "GIVENNAME", NID_givenName, B_ASN1_UTF8STRING },
	{ "I", NID_initials, B_ASN1_UTF8STRING },
	{ "INITIALS", NID_initials, B_ASN1_UTF8STRING },
	{ "SN", NID_surname, B_ASN1_UTF8STRING },
	{ "SERIALNUMBER", NID_serialNumber, B_ASN1_PRINTABLESTRING },
	{ "POSTALCODE", NID_postalCode, B_ASN1_UTF8STRING },
	{ "POBOX", NID_postOfficeBox, B_ASN1_UTF8STRING },
	{ "PHONE", NID_telephoneNumber, B_ASN1_PRINTABLESTRING },
	{ "DESCRIPTION", NID_description, B_ASN1_UTF8STRING },
	{ "UID", NID_userId, B_ASN1_UTF8STRING },
};

struct dn_attribute {
	ASN1_OBJECT *object;
	unsigned long mask;
	char *value;
	int joins_previous;     /* after '+': same RDN as the attribute before */
};

struct dn_parser {
	const char *p;
	char separator;
	struct dn_attribute attrs[DN_MAX_ATTRIBUTES];
	size_t count;
};

static void
parser_clear(struct dn_parser *ps)
{
	size_t i;

	for (i = 0; i < ps->count; i++) {
		ASN1_OBJECT_free(ps->attrs[i].object);
		free(ps->attrs[i].value);
	}
	ps->count = 0;
}

static void
skip_spaces(struct dn_parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r' || *ps->p == '\n')
		ps->p++;
}

static int
lookup_key(const char *key, struct dn_attribute *attr, struct pk_error *err)
{
	size_t i;
	const char *oid = key;

	for (i = 0; i < sizeof(dn_keys) / sizeof(dn_keys[0]); i++) {
		if (strcasecmp(dn_keys[i].name, key) == 0) {
			attr->object = OBJ_nid2obj(dn_keys[i].nid);
			attr->mask = dn_keys[i].mask;
			return 0;
		}
	}
	if (strncasecmp(key, "OID.", 4) == 0)
		oid = key + 4;
	if (crypto_oid_is_valid(oid) && (attr->object = OBJ_txt2obj(oid, 1)) != NULL) {
		attr->mask = B_ASN1_UTF8STRING;
		return 0;
	}
	ERR_clear_error();
	return pk_fail(err, PK_ERR_USAGE,
	    "The name attribute '%s' is not known: use CN, O, OU, L, S, C, E, "
	    "STREET, DC, T, G, I, SN, SERIALNUMBER or a dotted OID.", key);
}

/* Reads "key" up to '=' into attr. */
static int
parse_key(struct dn_parser *ps, struct dn_attribute *attr, const char *text,
    struct pk_error *err)
{
	const char *start, *end;
	char key[128];

	skip_spaces(ps);
	start = ps->p;
	while (*ps->p != '\0' && *ps->p != '=' && *ps->p != ps->separator &&
	    *ps->p != '+')
		ps->p++;
	if (*ps->p != '=')
		return pk_fail(err, PK_ERR_USAGE,
		    "The name '%s' is not valid: every part must be key=value.",
		    text);
	end = ps->p;
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	if (end == start || (size_t)(end - start) >= sizeof(key))
		return pk_fail(err, PK_ERR_USAGE,
		    "The name '%s' is not valid: a part has no key before '='.",
		    text);
	memcpy(key, start, (size_t)(end - start));
	key[end - start] = '\0';
	ps->p++;    /* '=' */
	return lookup_key(key, attr, err);
}

/*
 * Whether the separator at p starts another key=value part. One that does not
 * ("CN=HOST @ Sitecore, Inc.") belongs to the value: Windows makes such a
 * certificate with the comma in the CN (docs/windows-behaviours.md).
 */
static int
starts_part(const char *p, char separator)
{
	const char *q = p + 1;

	while (isspace((unsigned char)*q))
		q++;
	if (*q == '\0' || *q == separator || *q == '+')
		return 1;    /* an empty part: refused as one */
	for (; *q != '\0' && *q != separator && *q != '+'; q++)
		if (*q == '=')
			return 1;
	return 0;
}

/* Reads a value, quoted or bare, up to a separator that starts a part, '+' or the end. */
static int
parse_value(struct dn_parser *ps, struct dn_attribute *attr, const char *text,
    struct pk_error *err)
{
	const char *start, *end;
	char *out;
	size_t n = 0;

	skip_spaces(ps);
	if ((out = malloc(strlen(ps->p) + 1)) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	attr->value = out;
	if (*ps->p == '"') {
		for (ps->p++;; ps->p++) {
			if (*ps->p == '\0')
				return pk_fail(err, PK_ERR_USAGE,
				    "The name '%s' is not valid: a quoted value "
				    "has no closing quote.", text);
			if (*ps->p == '"') {
				if (ps->p[1] != '"')
					break;
				ps->p++;
			}
			out[n++] = *ps->p;
		}
		ps->p++;
		skip_spaces(ps);
		if (*ps->p != '\0' && *ps->p != ps->separator && *ps->p != '+')
			return pk_fail(err, PK_ERR_USAGE,
			    "The name '%s' is not valid: text follows a quoted "
			    "value.", text);
	} else {
		start = ps->p;
		while (*ps->p != '\0' && *ps->p != '+' &&
		    (*ps->p != ps->separator || !starts_part(ps->p, ps->separator)))
			ps->p++;
		end = ps->p;
		while (end > start && isspace((unsigned char)end[-1]))
			end--;
		n = (size_t)(end - start);
		memcpy(out, start, n);
	}
	out[n] = '\0';
	return 0;
}

/* The separator: ';' when one stands outside quotes, else ','. */
static char
separator_of(const char *text)
{
	int quoted = 0;

	for (; *text != '\0'; text++) {
		if (*text == '"')
			quoted = !quoted;
		else if (*text == ';' && !quoted)
			return ';';
	}
	return ',';
}

static int
parse_all(struct dn_parser *ps, const char *text, struct pk_error *err)
{
	struct dn_attribute *attr;
	int joins = 0, rc;

	ps->p = text;
	ps->separator = separator_of(text);
	for (;;) {
		if (ps->count == DN_MAX_ATTRIBUTES)
			return pk_fail(err, PK_ERR_LIMIT,
			    "The name has more than %d attributes.",
			    DN_MAX_ATTRIBUTES);
		attr = &ps->attrs[ps->count++];
		attr->joins_previous = joins;
		if ((rc = parse_key(ps, attr, text, err)) != 0 ||
		    (rc = parse_value(ps, attr, text, err)) != 0)
			return rc;
		if (*ps->p == '\0')
			return 0;
		joins = *ps->p == '+';
		ps->p++;
		skip_spaces(ps);
		if (*ps->p == '\0')
			return pk_fail(err, PK_ERR_USAGE,
			    "The name '%s' is not valid: it ends with a separator.",
			    text);
	}
}

static int
add_attribute(X509_NAME *name, const struct dn_attribute *attr, int set,
    struct pk_error *err)
{
	ASN1_STRING *str = NULL;
	X509_NAME_ENTRY *entry = NULL;
	char label[80];
	int rc = 0;

	/* Sizes 0, 0: no X.520 upper bound, as CryptoAPI does not apply one. */
	if (ASN1_mbstring_ncopy(&str, (const unsigned char *)attr->value, -1,
	    MBSTRING_UTF8, attr->mask, 0, 0) < 0) {
		ERR_clear_error();
		OBJ_obj2txt(label, sizeof(label), attr->object, 0);
		rc = pk_fail(err, PK_ERR_USAGE,
		    "The value '%s' cannot be written as %s %s.", attr->value,
		    label, attr->mask == B_ASN1_PRINTABLESTRING ?
		    "(a PrintableString: letters, digits, space and '()+,-./:=?)" :
		    attr->mask == B_ASN1_IA5STRING ? "(ASCII only)" :
		    "(it is not UTF-8)");
		goto out;
	}
	if ((entry = X509_NAME_ENTRY_create_by_OBJ(NULL, attr->object,
	    ASN1_STRING_type(str), ASN1_STRING_get0_data(str),
	    ASN1_STRING_length(str))) == NULL ||
	    !X509_NAME_add_entry(name, entry, -1, set)) {
		rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Building the name failed");
		goto out;
	}
out:
	ASN1_STRING_free(str);
	X509_NAME_ENTRY_free(entry);
	return rc;
}

int
crypto_dn_parse(const char *text, X509_NAME **out, struct pk_error *err)
{
	struct dn_parser ps;
	X509_NAME *name = NULL;
	size_t first, last, i;
	int rc;

	*out = NULL;
	memset(&ps, 0, sizeof(ps));
	while (text != NULL && isspace((unsigned char)*text))
		text++;
	if (text == NULL || *text == '\0') {
		rc = pk_fail(err, PK_ERR_USAGE, "The subject name is empty.");
		goto out;
	}
	if (strchr(text, '=') == NULL) {
		/* No key at all: the whole string is a common name. */
		ps.attrs[0].object = OBJ_nid2obj(NID_commonName);
		ps.attrs[0].mask = B_ASN1_UTF8STRING;
		if ((ps.attrs[0].value = strdup(text)) == NULL) {
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
		ps.count = 1;
		while ((i = strlen(ps.attrs[0].value)) > 0 &&
		    isspace((unsigned char)ps.attrs[0].value[i - 1]))
			ps.attrs[0].value[i - 1] = '\0';
	} else if ((rc = parse_all(&ps, text, err)) != 0)
		goto out;
	if ((name = X509_NAME_new()) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	/* Last RDN of the string first (CryptoAPI's order); within an RDN, as given. */
	last = ps.count;
	while (last > 0) {
		first = last - 1;
		while (first > 0 && ps.attrs[first].joins_previous)
			first--;
		for (i = first; i < last; i++)
			if ((rc = add_attribute(name, &ps.attrs[i],
			    i == first ? 0 : -1, err)) != 0)
				goto out;
		last = first;
	}
	*out = name;
	name = NULL;
	rc = 0;
out:
	parser_clear(&ps);
	X509_NAME_free(name);
	return rc;
}

int
crypto_dn_encode(const char *text, unsigned char **der, size_t *len,
    struct pk_error *err)
{
	X509_NAME *name = NULL;
	unsigned char *buf = NULL;
	int n, rc;

	*der = NULL;
	*len = 0;
	if ((rc = crypto_dn_parse(text, &name, err)) != 0)
		goto out;
	if ((n = i2d_X509_NAME(name, &buf)) <= 0) {
		rc = crypto_fail_openssl(err, PK_ERR_CRYPTO, "Encoding the name failed");
		goto out;
	}
	*der = buf;
	*len = (size_t)n;
	rc = 0;
out:
	X509_NAME_free(name);
	return rc;
}
