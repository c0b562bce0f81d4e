#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "crypto/internal.h"
#include "crypto/dn.h"
#include "crypto/oid.h"
#include "crypto/textext.h"

#define OID_UPN "1.3.6.1.4.1.311.20.2.3"            /* szOID_NT_PRINCIPAL_NAME */
#define OID_GUID "1.3.6.1.4.1.311.25.1"             /* szOID_NTDS_REPLICATION */
#define OID_APPLICATION_POLICIES "1.3.6.1.4.1.311.21.10"

/* One '&'-separated token of a {text} body, split at its first '='. */
struct token {
	char name[32];
	char *value;            /* points into the caller's copy */
};

void
crypto_textext_clear(struct crypto_textext *ext)
{
	if (ext == NULL)
		return;
	free(ext->oid);
	free(ext->value);
	memset(ext, 0, sizeof(*ext));
}

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/*
 * Cuts the next '&'-separated token off *cursor. Returns 0 at the end,
 * 1 with tok set, or a negative code for a token without '='
 * (bare_ok allows one, with an empty name).
 */
static int
next_token(char **cursor, struct token *tok, int bare_ok, struct pk_error *err)
{
	char *s, *amp, *eq, *name;

	do {
		if ((s = *cursor) == NULL)
			return 0;
		if ((amp = strchr(s, '&')) != NULL) {
			*amp = '\0';
			*cursor = amp + 1;
		} else
			*cursor = NULL;
		s = trim(s);
	} while (*s == '\0');      /* "a=1&&b=2" and a trailing '&' are harmless */
	if ((eq = strchr(s, '=')) == NULL) {
		if (!bare_ok)
			return pk_fail(err, PK_ERR_FORMAT,
			    "The token '%s' is not valid: expected name=value.", s);
		tok->name[0] = '\0';
		tok->value = s;
		return 1;
	}
	*eq = '\0';
	name = trim(s);
	tok->value = trim(eq + 1);
	if (strlen(name) >= sizeof(tok->name) || *name == '\0')
		return pk_fail(err, PK_ERR_FORMAT,
		    "The token '%s=%s' is not valid: its name is missing or too long.",
		    name, tok->value);
	strcpy(tok->name, name);
	return 1;
}

static ASN1_OBJECT *
oid_object(const char *text, struct pk_error *err)
{
	ASN1_OBJECT *obj = NULL;

	if (!crypto_oid_is_valid(text) || (obj = OBJ_txt2obj(text, 1)) == NULL) {
		ERR_clear_error();
		pk_fail(err, PK_ERR_FORMAT,
		    "'%s' is not an object identifier (expected dotted digits "
		    "such as 1.3.6.1.5.5.7.3.1).", text);
	}
	return obj;
}

/*
 * Keeps the DER of an encoded extension value in ext; n <= 0 means encoding
 * failed. derp is read here, after the i2d call in the caller's argument
 * list has filled it: C leaves the order of argument evaluation open.
 */
static int
take_der(struct crypto_textext *ext, unsigned char **derp, int n, struct pk_error *err)
{
	unsigned char *der = *derp;

	*derp = NULL;
	if (n <= 0)
		return crypto_fail_openssl(err, PK_ERR_CRYPTO,
		    "Encoding the extension failed");
	if ((ext->value = malloc((size_t)n)) == NULL) {
		OPENSSL_free(der);
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	}
	memcpy(ext->value, der, (size_t)n);
	ext->value_len = (size_t)n;
	OPENSSL_free(der);
	return 0;
}

static int
text_eku(char *body, struct crypto_textext *ext, struct pk_error *err)
{
	EXTENDED_KEY_USAGE *eku = NULL;
	ASN1_OBJECT *obj;
	unsigned char *der = NULL;
	char *item, *next;
	int rc;

	if ((eku = sk_ASN1_OBJECT_new_null()) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	for (item = body; item != NULL; item = next) {
		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		item = trim(item);
		if (*item == '\0') {
			rc = pk_fail(err, PK_ERR_FORMAT,
			    "The enhanced key usage list is empty or has an empty "
			    "entry: give OIDs separated by commas.");
			goto out;
		}
		if ((obj = oid_object(item, err)) == NULL) {
			rc = err != NULL ? err->code : PK_ERR_FORMAT;
			goto out;
		}
		if (!sk_ASN1_OBJECT_push(eku, obj)) {
			ASN1_OBJECT_free(obj);
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
	}
	rc = take_der(ext, &der, i2d_EXTENDED_KEY_USAGE(eku, &der), err);
out:
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return rc;
}

static int
ia5_value(const char *value, ASN1_IA5STRING **out, const char *what,
    struct pk_error *err)
{
	const unsigned char *p;

	*out = NULL;
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		if (*p >= 0x80)
			return pk_fail(err, PK_ERR_FORMAT,
			    "The %s '%s' must be ASCII (an IA5String).", what, value);
	if ((*out = ASN1_IA5STRING_new()) == NULL ||
	    !ASN1_STRING_set(*out, value, -1)) {
		ASN1_IA5STRING_free(*out);
		*out = NULL;
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	}
	return 0;
}

/* "{12345678-1234-1234-1234-123456789abc}" (braces optional) in GUID memory order. */
static int
guid_bytes(const char *text, unsigned char out[16])
{
	static const int groups[] = { 8, 4, 4, 4, 12 };
	unsigned char be[16];
	const char *s = text;
	size_t g, n = 0;
	int i, braced = *s == '{';

	if (braced)
		s++;
	for (g = 0; g < 5; g++) {
		for (i = 0; i < groups[g]; i += 2) {
			if (!isxdigit((unsigned char)s[0]) ||
			    !isxdigit((unsigned char)s[1]))
				return 0;
			be[n++] = (unsigned char)OPENSSL_hexchar2int(s[0]) << 4 |
			    (unsigned char)OPENSSL_hexchar2int(s[1]);
			s += 2;
		}
		if (g < 4 && *s++ != '-')
			return 0;
	}
	if ((braced && *s++ != '}') || *s != '\0')
		return 0;
	/* Data1, Data2 and Data3 are little-endian in memory; Data4 is bytes. */
	out[0] = be[3]; out[1] = be[2]; out[2] = be[1]; out[3] = be[0];
	out[4] = be[5]; out[5] = be[4];
	out[6] = be[7]; out[7] = be[6];
	memcpy(out + 8, be + 8, 8);
	return 1;
}

static int
other_name(GENERAL_NAME *gen, const char *oid, int type, const void *data,
    int len, struct pk_error *err)
{
	ASN1_OBJECT *obj = NULL;
	ASN1_STRING *str = NULL;
	ASN1_TYPE *value = NULL;

	if ((obj = OBJ_txt2obj(oid, 1)) == NULL ||
	    (str = ASN1_STRING_type_new(type)) == NULL ||
	    !ASN1_STRING_set(str, data, len) ||
	    (value = ASN1_TYPE_new()) == NULL) {
		ASN1_OBJECT_free(obj);
		ASN1_STRING_free(str);
		ASN1_TYPE_free(value);
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	}
	ASN1_TYPE_set(value, type, str);
	if (!GENERAL_NAME_set0_othername(gen, obj, value)) {
		ASN1_OBJECT_free(obj);
		ASN1_TYPE_free(value);
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	}
	return 0;
}

/* Fills gen from one SAN token. */
static int
san_name(const struct token *tok, GENERAL_NAME *gen, struct pk_error *err)
{
	ASN1_IA5STRING *ia5 = NULL;
	ASN1_OCTET_STRING *ip = NULL;
	ASN1_OBJECT *obj = NULL;
	X509_NAME *dn = NULL;
	unsigned char guid[16];
	int rc;

	if (*tok->value == '\0')
		return pk_fail(err, PK_ERR_FORMAT,
		    "The subject alternative name token '%s=' has no value.",
		    tok->name);
	if (strcasecmp(tok->name, "DNS") == 0 || strcasecmp(tok->name, "Email") == 0 ||
	    strcasecmp(tok->name, "URL") == 0) {
		int type = toupper((unsigned char)tok->name[0]) == 'D' ? GEN_DNS :
		    toupper((unsigned char)tok->name[0]) == 'E' ? GEN_EMAIL : GEN_URI;
		if ((rc = ia5_value(tok->value, &ia5, tok->name, err)) != 0)
			return rc;
		GENERAL_NAME_set0_value(gen, type, ia5);
		return 0;
	}
	if (strcasecmp(tok->name, "IPAddress") == 0) {
		if ((ip = a2i_IPADDRESS(tok->value)) == NULL) {
			ERR_clear_error();
			return pk_fail(err, PK_ERR_FORMAT,
			    "'%s' is not an IPv4 or IPv6 address.", tok->value);
		}
		GENERAL_NAME_set0_value(gen, GEN_IPADD, ip);
		return 0;
	}
	if (strcasecmp(tok->name, "RegisteredID") == 0) {
		if ((obj = oid_object(tok->value, err)) == NULL)
			return PK_ERR_FORMAT;
		GENERAL_NAME_set0_value(gen, GEN_RID, obj);
		return 0;
	}
	if (strcasecmp(tok->name, "DirectoryName") == 0) {
		if ((rc = crypto_dn_parse(tok->value, &dn, err)) != 0)
			return rc;
		GENERAL_NAME_set0_value(gen, GEN_DIRNAME, dn);
		return 0;
	}
	if (strcasecmp(tok->name, "UPN") == 0)
		return other_name(gen, OID_UPN, V_ASN1_UTF8STRING, tok->value,
		    (int)strlen(tok->value), err);
	if (strcasecmp(tok->name, "GUID") == 0) {
		if (!guid_bytes(tok->value, guid))
			return pk_fail(err, PK_ERR_FORMAT,
			    "'%s' is not a GUID (expected "
			    "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}).", tok->value);
		return other_name(gen, OID_GUID, V_ASN1_OCTET_STRING, guid, 16, err);
	}
	return pk_fail(err, PK_ERR_FORMAT,
	    "The subject alternative name type '%s' is not known: use DNS, "
	    "IPAddress, Email, UPN, URL, DirectoryName, RegisteredID or GUID.",
	    tok->name);
}

static int
text_san(char *body, struct crypto_textext *ext, struct pk_error *err)
{
	GENERAL_NAMES *names = NULL;
	GENERAL_NAME *gen = NULL;
	unsigned char *der = NULL;
	struct token tok;
	char *cursor = body;
	int rc;

	if ((names = sk_GENERAL_NAME_new_null()) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	while ((rc = next_token(&cursor, &tok, 0, err)) == 1) {
		if ((gen = GENERAL_NAME_new()) == NULL) {
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
		if ((rc = san_name(&tok, gen, err)) != 0)
			goto out;
		if (!sk_GENERAL_NAME_push(names, gen)) {
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
		gen = NULL;
	}
	if (rc < 0)
		goto out;
	if (sk_GENERAL_NAME_num(names) == 0) {
		rc = pk_fail(err, PK_ERR_FORMAT,
		    "The subject alternative name text is empty: give tokens "
		    "such as DNS=www.contoso.com&IPAddress=10.0.0.1.");
		goto out;
	}
	rc = take_der(ext, &der, i2d_GENERAL_NAMES(names, &der), err);
out:
	GENERAL_NAME_free(gen);
	sk_GENERAL_NAME_pop_free(names, GENERAL_NAME_free);
	return rc;
}

static int
boolean_value(const char *text, int *out)
{
	if (strcasecmp(text, "true") == 0 || strcmp(text, "1") == 0)
		*out = 1;
	else if (strcasecmp(text, "false") == 0 || strcmp(text, "0") == 0)
		*out = 0;
	else
		return 0;
	return 1;
}

/*
 * certutil shows basic constraints as "Subject Type=End Entity" and "Path Length
 * Constraint=None", and scripts (MSIX's signing certificates above all) write
 * them back as {text}Subject Type:End Entity, which Windows accepts: a bare token
 * with ':' is read as name=value, and those two names are known.
 */
static void
split_colon(struct token *tok)
{
	char *colon;

	if (tok->name[0] == '\0' && (colon = strchr(tok->value, ':')) != NULL &&
	    (size_t)(colon - tok->value) < sizeof(tok->name)) {
		*colon = '\0';
		strcpy(tok->name, trim(tok->value));
		tok->value = trim(colon + 1);
	}
}

static int
text_basic_constraints(char *body, struct crypto_textext *ext,
    struct pk_error *err)
{
	BASIC_CONSTRAINTS *bc = NULL;
	unsigned char *der = NULL;
	struct token tok;
	char *cursor = body, *end;
	long pathlen = -1;
	int ca = 0, rc;

	while ((rc = next_token(&cursor, &tok, 1, err)) == 1) {
		split_colon(&tok);
		if (tok.name[0] == '\0' || strcasecmp(tok.name, "CA") == 0) {
			if (!boolean_value(tok.value, &ca)) {
				rc = pk_fail(err, PK_ERR_FORMAT,
				    "The basic constraints value CA='%s' is not "
				    "valid: use true, false, 1 or 0.", tok.value);
				goto out;
			}
		} else if (strcasecmp(tok.name, "Subject Type") == 0) {
			if (strcasecmp(tok.value, "CA") != 0 &&
			    strcasecmp(tok.value, "End Entity") != 0) {
				rc = pk_fail(err, PK_ERR_FORMAT,
				    "The basic constraints value Subject Type='%s' is "
				    "not valid: use CA or End Entity.", tok.value);
				goto out;
			}
			ca = strcasecmp(tok.value, "CA") == 0;
		} else if (strcasecmp(tok.name, "Path Length Constraint") == 0 &&
		    strcasecmp(tok.value, "None") == 0) {
			pathlen = -1;
		} else if (strcasecmp(tok.name, "pathlength") == 0 ||
		    strcasecmp(tok.name, "pathlen") == 0 ||
		    strcasecmp(tok.name, "Path Length Constraint") == 0) {
			pathlen = strtol(tok.value, &end, 10);
			if (!isdigit((unsigned char)*tok.value) || *end != '\0' ||
			    pathlen > 255) {
				rc = pk_fail(err, PK_ERR_FORMAT,
				    "The path length '%s' is not valid: use a "
				    "number from 0 to 255.", tok.value);
				goto out;
			}
		} else {
			rc = pk_fail(err, PK_ERR_FORMAT,
			    "The basic constraints token '%s' is not known: use "
			    "CA=true|false and pathlength=<n>.", tok.name);
			goto out;
		}
	}
	if (rc < 0)
		goto out;
	/*
	 * A path length with CA=false is encoded as given, SEQUENCE { INTEGER n },
	 * as CryptoAPI encodes it: Azure IoT's published ca-certs.ps1 makes its
	 * leaf certificates so on Windows (docs/windows-behaviours.md), although
	 * RFC 5280 4.2.1.9 asks CAs not to.
	 */
	if ((bc = BASIC_CONSTRAINTS_new()) == NULL ||
	    (pathlen >= 0 && ((bc->pathlen = ASN1_INTEGER_new()) == NULL ||
	    !ASN1_INTEGER_set(bc->pathlen, pathlen)))) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	bc->ca = ca ? 0xff : 0;
	rc = take_der(ext, &der, i2d_BASIC_CONSTRAINTS(bc, &der), err);
	/* Every Windows-made sample has it critical, {critical} or not. */
	ext->critical = 1;
out:
	BASIC_CONSTRAINTS_free(bc);
	return rc;
}

static int
add_qualifier(POLICYINFO *policy, const struct token *tok, struct pk_error *err)
{
	POLICYQUALINFO *qual = NULL;
	int rc = 0;

	if ((qual = POLICYQUALINFO_new()) == NULL)
		goto nomem;
	if (strcasecmp(tok->name, "URL") == 0) {
		qual->pqualid = OBJ_nid2obj(NID_id_qt_cps);
		if ((rc = ia5_value(tok->value, &qual->d.cpsuri, "URL", err)) != 0)
			goto out;
	} else {
		qual->pqualid = OBJ_nid2obj(NID_id_qt_unotice);
		if ((qual->d.usernotice = USERNOTICE_new()) == NULL ||
		    (qual->d.usernotice->exptext =
		    ASN1_STRING_type_new(V_ASN1_UTF8STRING)) == NULL ||
		    !ASN1_STRING_set(qual->d.usernotice->exptext, tok->value, -1))
			goto nomem;
	}
	if ((policy->qualifiers == NULL &&
	    (policy->qualifiers = sk_POLICYQUALINFO_new_null()) == NULL) ||
	    !sk_POLICYQUALINFO_push(policy->qualifiers, qual))
		goto nomem;
	return 0;
nomem:
	rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
out:
	POLICYQUALINFO_free(qual);
	return rc;
}

static int
text_policies(char *body, struct crypto_textext *ext, struct pk_error *err)
{
	CERTIFICATEPOLICIES *policies = NULL;
	POLICYINFO *policy = NULL;
	unsigned char *der = NULL;
	struct token tok;
	char *cursor = body;
	int rc;

	if ((policies = sk_POLICYINFO_new_null()) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	while ((rc = next_token(&cursor, &tok, 0, err)) == 1) {
		if (strcasecmp(tok.name, "OID") == 0) {
			if ((policy = POLICYINFO_new()) == NULL ||
			    !sk_POLICYINFO_push(policies, policy)) {
				POLICYINFO_free(policy);
				rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
				goto out;
			}
			ASN1_OBJECT_free(policy->policyid);
			if ((policy->policyid = oid_object(tok.value, err)) == NULL) {
				rc = PK_ERR_FORMAT;
				goto out;
			}
		} else if (strcasecmp(tok.name, "URL") == 0 ||
		    strcasecmp(tok.name, "Notice") == 0) {
			if (policy == NULL) {
				rc = pk_fail(err, PK_ERR_FORMAT,
				    "The policy qualifier %s= comes before any "
				    "OID=: start each policy with OID=<oid>.",
				    tok.name);
				goto out;
			}
			if ((rc = add_qualifier(policy, &tok, err)) != 0)
				goto out;
		} else {
			rc = pk_fail(err, PK_ERR_FORMAT,
			    "The policy token '%s' is not supported here: use "
			    "OID=, URL= and Notice=.", tok.name);
			goto out;
		}
	}
	if (rc < 0)
		goto out;
	if (sk_POLICYINFO_num(policies) == 0) {
		rc = pk_fail(err, PK_ERR_FORMAT,
		    "The policy text is empty: give OID=<policy>.");
		goto out;
	}
	rc = take_der(ext, &der, i2d_CERTIFICATEPOLICIES(policies, &der), err);
out:
	sk_POLICYINFO_pop_free(policies, POLICYINFO_free);
	return rc;
}

/* Length of one complete DER TLV at p (definite lengths only), or 0. */
static size_t
der_tlv_length(const unsigned char *p, size_t len)
{
	size_t i = 1, n, body = 0;

	if (len < 2)
		return 0;
	if ((p[0] & 0x1f) == 0x1f) {
		while (i < len && (p[i] & 0x80))
			i++;
		i++;
	}
	if (i >= len)
		return 0;
	if (p[i] < 0x80)
		body = p[i++];
	else {
		n = p[i++] & 0x7f;
		if (n == 0 || n > sizeof(size_t) || i + n > len)
			return 0;
		while (n-- > 0)
			body = body << 8 | p[i++];
	}
	if (body > len - i)
		return 0;
	return i + body;
}

/* Checks that der is one DER value, and of the right type for a known extension. */
static int
check_der(const char *oid, const unsigned char *der, size_t len,
    struct pk_error *err)
{
	const X509V3_EXT_METHOD *method;
	const unsigned char *p = der;
	ASN1_OBJECT *obj;
	void *decoded = NULL;
	int nid, ok;

	if (len == 0 || der_tlv_length(der, len) != len)
		return pk_fail(err, PK_ERR_FORMAT,
		    "The value of extension %s is not one complete DER value.", oid);
	obj = OBJ_txt2obj(oid, 1);
	nid = obj != NULL ? OBJ_obj2nid(obj) : NID_undef;
	ASN1_OBJECT_free(obj);
	if (nid == NID_undef || (method = X509V3_EXT_get_nid(nid)) == NULL ||
	    method->it == NULL) {
		ERR_clear_error();
		return 0;
	}
	decoded = ASN1_item_d2i(NULL, &p, (long)len, ASN1_ITEM_ptr(method->it));
	ok = decoded != NULL && p == der + len;
	ASN1_item_free(decoded, ASN1_ITEM_ptr(method->it));
	ERR_clear_error();
	if (!ok)
		return pk_fail(err, PK_ERR_FORMAT,
		    "The value of extension %s (%s) does not decode as that "
		    "extension.", oid, OBJ_nid2ln(nid));
	return 0;
}

static int
hex_value(const char *oid, const char *body, struct crypto_textext *ext,
    struct pk_error *err)
{
	unsigned char *buf;
	size_t n = 0;
	int hi, lo;

	if ((buf = malloc(strlen(body) / 2 + 1)) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	ext->value = buf;
	for (;;) {
		while (isspace((unsigned char)*body))
			body++;
		if (*body == '\0')
			break;
		hi = OPENSSL_hexchar2int((unsigned char)body[0]);
		lo = body[1] != '\0' ? OPENSSL_hexchar2int((unsigned char)body[1]) : -1;
		if (hi < 0 || lo < 0)
			return pk_fail(err, PK_ERR_FORMAT,
			    "The {hex} value of extension %s is not pairs of hex "
			    "digits (at '%.8s').", oid, body);
		buf[n++] = (unsigned char)(hi << 4 | lo);
		body += 2;
	}
	ext->value_len = n;
	return check_der(oid, buf, n, err);
}

static int
base64_value(const char *oid, const char *body, struct crypto_textext *ext,
    struct pk_error *err)
{
	EVP_ENCODE_CTX *ctx = NULL;
	unsigned char *buf = NULL;
	size_t inlen = strlen(body);
	int n = 0, tail = 0, rc;

	if (inlen > (1u << 20)) {
		rc = pk_fail(err, PK_ERR_LIMIT, "The value of extension %s is too long.", oid);
		goto out;
	}
	if ((ctx = EVP_ENCODE_CTX_new()) == NULL ||
	    (buf = malloc(inlen / 4 * 3 + 3)) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	EVP_DecodeInit(ctx);
	if (EVP_DecodeUpdate(ctx, buf, &n, (const unsigned char *)body, (int)inlen) < 0 ||
	    EVP_DecodeFinal(ctx, buf + n, &tail) < 0) {
		ERR_clear_error();
		rc = pk_fail(err, PK_ERR_FORMAT,
		    "The value of extension %s is neither {text}, {hex} nor valid "
		    "base64.", oid);
		goto out;
	}
	ext->value = buf;
	ext->value_len = (size_t)(n + tail);
	buf = NULL;
	rc = check_der(oid, ext->value, ext->value_len, err);
out:
	EVP_ENCODE_CTX_free(ctx);
	free(buf);
	return rc;
}

static int
text_value(const char *oid, char *body, struct crypto_textext *ext,
    struct pk_error *err)
{
	if (strcmp(oid, "2.5.29.37") == 0)
		return text_eku(body, ext, err);
	if (strcmp(oid, "2.5.29.17") == 0)
		return text_san(body, ext, err);
	if (strcmp(oid, "2.5.29.19") == 0)
		return text_basic_constraints(body, ext, err);
	if (strcmp(oid, "2.5.29.32") == 0 || strcmp(oid, OID_APPLICATION_POLICIES) == 0)
		return text_policies(body, ext, err);
	return pk_fail(err, PK_ERR_UNSUPPORTED,
	    "The {text} form is not supported for extension %s: give its value "
	    "with {hex} or base64.", oid);
}

int
crypto_textext_parse(const char *text, struct crypto_textext *out,
    struct pk_error *err)
{
	struct crypto_textext ext;
	char *copy = NULL, *oid, *body, *eq;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&ext, 0, sizeof(ext));
	if (text == NULL || (copy = strdup(text)) == NULL) {
		rc = pk_fail(err, text == NULL ? PK_ERR_USAGE : PK_ERR_NOMEM,
		    text == NULL ? "The text extension is empty." : "Out of memory.");
		goto out;
	}
	if ((eq = strchr(copy, '=')) == NULL) {
		rc = pk_fail(err, PK_ERR_FORMAT,
		    "The text extension '%s' is not valid: expected "
		    "<oid>={text}..., <oid>={hex}... or <oid>=<base64>.", text);
		goto out;
	}
	*eq = '\0';
	oid = trim(copy);
	if (!crypto_oid_is_valid(oid)) {
		rc = pk_fail(err, PK_ERR_FORMAT,
		    "The text extension '%s' is not valid: '%s' is not an object "
		    "identifier.", text, oid);
		goto out;
	}
	if ((ext.oid = strdup(oid)) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	body = eq + 1;
	while (isspace((unsigned char)*body))
		body++;
	if (strncasecmp(body, "{critical}", 10) == 0) {
		ext.critical = ext.critical_given = 1;
		body += 10;
	}
	if (strncasecmp(body, "{text}", 6) == 0)
		rc = text_value(ext.oid, body + 6, &ext, err);
	else if (strncasecmp(body, "{hex}", 5) == 0)
		rc = hex_value(ext.oid, body + 5, &ext, err);
	else if (*body == '{')
		rc = pk_fail(err, PK_ERR_FORMAT,
		    "The text extension '%s' is not valid: after '=' expected "
		    "{critical}, {text}, {hex} or base64.", text);
	else
		rc = base64_value(ext.oid, body, &ext, err);
	if (rc != 0)
		goto out;
	*out = ext;
	memset(&ext, 0, sizeof(ext));
out:
	crypto_textext_clear(&ext);
	free(copy);
	return rc;
}
