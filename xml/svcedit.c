/* svcedit.c: thumbprint rules and the byte-exact edit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml/svcfile_internal.h"

/*
 * The invisible marks that come along when a thumbprint is copied from the
 * certificate dialog (U+200E LEFT-TO-RIGHT MARK is the known one; its
 * siblings and U+FEFF behave the same). Returns their UTF-8 length at s, or 0.
 */
static size_t
invisible_mark(const unsigned char *s)
{
	if (s[0] == 0xE2 && s[1] == 0x80 &&
	    (s[2] == 0x8E || s[2] == 0x8F || (s[2] >= 0xAA && s[2] <= 0xAE)))
		return 3;
	if (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		return 3;
	return 0;
}

static int
is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

int
svcfile_thumbprint_normalize(const char *text, char out[41], struct pk_error *err)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = 0, skip;

	out[0] = '\0';
	while (*s != '\0') {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') {
			s++;
			continue;
		}
		if ((skip = invisible_mark(s)) != 0) {
			s += skip;
			continue;
		}
		if (!is_hex(*s))
			return pk_fail(err, PK_ERR_USAGE, "The thumbprint '%s' is not valid: "
			    "it must be 40 hexadecimal digits (a SHA-1 hash).", text);
		if (n < 40)
			out[n] = (char)(*s >= 'a' ? *s - 'a' + 'A' : *s);
		n++;
		s++;
	}
	if (n != 40) {
		out[0] = '\0';
		return pk_fail(err, PK_ERR_USAGE, "The thumbprint '%s' is not valid: it has "
		    "%zu hexadecimal digits, a SHA-1 thumbprint has 40.", text, n);
	}
	out[40] = '\0';
	return 0;
}

const char *
svcfile_thumbprint_problem(const char *t)
{
	size_t n, i;
	int lower = 0;

	if (t == NULL)
		return "has no thumbprint attribute";
	if (t[0] == '\0')
		return "has an empty thumbprint";
	for (i = 0; t[i] != '\0'; i++) {
		if (invisible_mark((const unsigned char *)t + i))
			return "has an invisible character (U+200E or similar, copied "
			    "from the certificate dialog) in its thumbprint";
		if (t[i] == ' ' || t[i] == '\t')
			return "has white space in its thumbprint";
		if (!is_hex((unsigned char)t[i]))
			return "has a thumbprint that is not hexadecimal";
		if (t[i] >= 'a')
			lower = 1;
	}
	n = i;
	if (n != 40)
		return n < 40 ? "has a thumbprint shorter than 40 hexadecimal digits" :
		    "has a thumbprint longer than 40 hexadecimal digits";
	/* schema-cscfg-role: "hexadecimal digits ... uppercase letters". */
	if (lower)
		return "has a thumbprint in lower case (the schema asks for upper-case "
		    "hexadecimal digits)";
	return NULL;
}

/* Replaces entry's value with value (ASCII) in the current bytes. */
static int
splice(struct svcfile *f, size_t index, const char *value, struct pk_error *err)
{
	struct svcfile_entry *e = &f->entries[index];
	size_t vlen = strlen(value), newbytes = vlen * (size_t)f->unit, len, k;
	unsigned char *buf;

	len = f->len - e->value_len + newbytes;
	if ((buf = malloc(len + 1)) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory editing '%s'.", f->path);
	memcpy(buf, f->bytes, e->value_off);
	for (k = 0; k < vlen; k++) {
		unsigned char *u = buf + e->value_off + k * (size_t)f->unit;

		if (f->unit == 1)
			u[0] = (unsigned char)value[k];
		else if (f->big_endian) {
			u[0] = 0;
			u[1] = (unsigned char)value[k];
		} else {
			u[0] = (unsigned char)value[k];
			u[1] = 0;
		}
	}
	memcpy(buf + e->value_off + newbytes, f->bytes + e->value_off + e->value_len,
	    f->len - e->value_off - e->value_len);
	if (f->bytes != f->orig)
		free(f->bytes);
	f->bytes = buf;
	f->len = len;
	/* Later values move by the difference. */
	for (k = 0; k < f->nentries; k++)
		if (f->entries[k].has_value && f->entries[k].value_off > e->value_off)
			f->entries[k].value_off = f->entries[k].value_off + newbytes -
			    e->value_len;
	e->value_len = newbytes;
	return 0;
}

int
svcfile_set_thumbprint(struct svcfile *f, const char *role, const char *name,
    const char *thumbprint, size_t *changed, struct pk_error *err)
{
	const char *kept;
	size_t i, matched = 0, differ = 0;
	int role_found = role == NULL, rc;

	if (changed != NULL)
		*changed = 0;
	if (f->kind != SVCFILE_CONFIGURATION) {
		rc = pk_fail(err, PK_ERR_FORMAT, "'%s' is a service definition (.csdef); "
		    "thumbprints are set in the service configuration (.cscfg).", f->path);
		goto out;
	}
	for (i = 0; i < f->nroles && !role_found; i++)
		role_found = svcfile_name_eq(f->roles[i].name, role);
	if (!role_found) {
		rc = pk_fail(err, PK_ERR_NOT_FOUND, "'%s' has no role named '%s'.",
		    f->path, role);
		goto out;
	}
	/* Check every match before the first edit, so a failure changes nothing. */
	for (i = 0; i < f->nentries; i++) {
		const struct svcfile_entry *e = &f->entries[i];

		if (!svcfile_name_eq(e->pub.name, name) ||
		    (role != NULL && !svcfile_name_eq(e->pub.role, role)))
			continue;
		if (!e->has_value) {
			rc = pk_fail(err, PK_ERR_FORMAT, "'%s' line %u: certificate '%s' in "
			    "role '%s' has no thumbprint attribute to set.", f->path,
			    e->pub.line, e->pub.name, e->pub.role);
			goto out;
		}
		matched++;
	}
	if (matched == 0) {
		if (role != NULL)
			rc = pk_fail(err, PK_ERR_NOT_FOUND, "'%s' has no certificate named "
			    "'%s' in role '%s'.", f->path, name, role);
		else
			rc = pk_fail(err, PK_ERR_NOT_FOUND, "'%s' has no certificate named "
			    "'%s' in any role.", f->path, name);
		goto out;
	}
	for (i = 0; i < f->nentries; i++) {
		struct svcfile_entry *e = &f->entries[i];

		if (!svcfile_name_eq(e->pub.name, name) ||
		    (role != NULL && !svcfile_name_eq(e->pub.role, role)))
			continue;
		/* A value that already matches byte for byte is left alone. */
		if (strcmp(e->pub.thumbprint, thumbprint) == 0 &&
		    e->value_len == strlen(thumbprint) * (size_t)f->unit)
			continue;
		if ((rc = splice(f, i, thumbprint, err)) != 0)
			goto out;
		if ((kept = svcfile_keep(f, thumbprint, strlen(thumbprint))) == NULL) {
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory editing '%s'.", f->path);
			goto out;
		}
		e->pub.thumbprint = kept;
		differ++;
	}
	if (changed != NULL)
		*changed = differ;
	rc = 0;
out:
	return rc;
}
