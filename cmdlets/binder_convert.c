/*
 * binder_convert.c: string to typed value, with the texts PowerShell's binder
 * uses when a conversion fails (powershell-semantics.md §2).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmdlets/binder_convert.h"

#define SECURESTRING_TEXT "System.Security.SecureString"

int
binder_own(struct binding *b, void *ptr)
{
	void **grown;

	if (ptr == NULL)
		return PK_ERR_NOMEM;
	grown = realloc(b->owned, (b->nowned + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(ptr);
		return PK_ERR_NOMEM;
	}
	b->owned = grown;
	b->owned[b->nowned++] = ptr;
	return 0;
}


static int
is_mandatory(const struct param *p)
{
	return p->mandatory != 0;
}

/* "System.Int32[]" names its element type without the brackets. */
static void
element_type(const struct param *p, char *out, size_t len)
{
	size_t n = strlen(p->type_name);

	if (n >= 2 && strcmp(p->type_name + n - 2, "[]") == 0)
		n -= 2;
	snprintf(out, len, "%.*s", (int)n, p->type_name);
}

static int
fail_convert(const struct convert_ctx *cx, const char *value, const char *why)
{
	char type[160];

	element_type(cx->param, type, sizeof(type));
	return pk_fail(cx->err, PK_ERR_USAGE, "Cannot bind parameter '%s'. Cannot "
	    "convert value \"%s\" to type \"%s\". Error: \"%s\"", cx->name, value, type, why);
}

/*
 * Parser.ScanNumber's grammar: sign, 0x hex, 0b binary, decimal, an optional
 * type suffix and kb/mb/gb/tb/pb multiplier; blank is 0; then a fall-back
 * through double ("2048.0"), as LanguagePrimitives.ConvertStringToInteger does.
 */
int
convert_int(const char *text, int32_t *out, const char **why)
{
	static const char *const multipliers[] = { "kb", "mb", "gb", "tb", "pb" };
	const char *s = text;
	char *end;
	long long value;
	int negative = 0, base = 10;
	size_t i;
	double d;

	*why = NULL;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0') {
		*out = 0;
		return 0;
	}
	if (*s == '+' || *s == '-')
		negative = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	if (!isxdigit((unsigned char)*s))
		goto try_double;
	errno = 0;
	value = strtoll(s, &end, base);
	if (errno == ERANGE)
		goto overflow;
	if (*end == 'l' || *end == 'L')
		end++;
	for (i = 0; i < sizeof(multipliers) / sizeof(multipliers[0]); i++)
		if (strncasecmp(end, multipliers[i], 2) == 0) {
			int k;

			for (k = 0; k <= (int)i; k++) {
				if (value > LLONG_MAX / 1024)
					goto overflow;
				value *= 1024;
			}
			end += 2;
			break;
		}
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0')
		goto try_double;
	if (negative)
		value = -value;
	if (value < INT32_MIN || value > INT32_MAX)
		goto overflow;
	*out = (int32_t)value;
	return 0;
try_double:
	errno = 0;
	d = strtod(text, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (end == text || *end != '\0' || errno == ERANGE || isnan(d)) {
		*why = "format";
		return -1;
	}
	d = nearbyint(d);   /* .NET's Convert rounds half to even, as nearbyint does */
	if (d < INT32_MIN || d > INT32_MAX)
		goto overflow;
	*out = (int32_t)d;
	return 0;
overflow:
	*why = "overflow";
	return -1;
}

/* Switches take bool and numbers only (§1.2); pwsh sends $true as "True". */
int
convert_switch(const char *text, int *on)
{
	static const struct { const char *text; int on; } words[] = {
		{ "True", 1 }, { "$true", 1 }, { "False", 0 }, { "$false", 0 },
	};
	const char *why;
	int32_t n;
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(text, words[i].text) == 0) {
			*on = words[i].on;
			return 0;
		}
	if (*text != '\0' && convert_int(text, &n, &why) == 0) {
		*on = n != 0;
		return 0;
	}
	return -1;
}

static int
parse_digits(const char **s, int count, int *out)
{
	int i, v = 0;

	for (i = 0; i < count; i++) {
		if (!isdigit((unsigned char)(*s)[i]))
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += count;
	*out = v;
	return 0;
}

/* Up to two digits, as "M/d/yyyy H:mm" allows. */
static int
parse_small(const char **s, int *out)
{
	if (!isdigit((unsigned char)**s))
		return -1;
	*out = 0;
	while (isdigit((unsigned char)**s) && *out < 100)
		*out = *out * 10 + (*(*s)++ - '0');
	return 0;
}

static int
parse_clock(const char **s, struct tm *tm)
{
	const char *p = *s;

	if (parse_small(&p, &tm->tm_hour) != 0 || *p++ != ':' ||
	    parse_small(&p, &tm->tm_min) != 0)
		return -1;
	if (*p == ':') {
		p++;
		if (parse_small(&p, &tm->tm_sec) != 0)
			return -1;
		if (*p == '.' || *p == ',')
			for (p++; isdigit((unsigned char)*p); p++)
				;   /* certificates keep whole seconds */
	}
	while (*p == ' ')
		p++;
	if (strncasecmp(p, "AM", 2) == 0 || strncasecmp(p, "PM", 2) == 0) {
		if (tm->tm_hour < 1 || tm->tm_hour > 12)
			return -1;
		tm->tm_hour = tm->tm_hour % 12 + (toupper((unsigned char)*p) == 'P' ? 12 : 0);
		p += 2;
	}
	*s = p;
	return 0;
}

/*
 * DateTime.Parse with the invariant culture, for the forms scripts and pwsh
 * produce: ISO 8601 (with Z or an offset, or local), and the "G" form pwsh
 * passes to native commands, MM/dd/yyyy HH:mm:ss. A time without a zone is
 * local time, as in .NET.
 */
int
convert_datetime(const char *text, int64_t *out)
{
	struct tm tm;
	const char *p = text;
	int zone = 0, offset = 0, sign, oh, om;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	while (*p == ' ')
		p++;
	if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	    isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) && p[4] == '-') {
		if (parse_digits(&p, 4, &tm.tm_year) != 0 || *p++ != '-' ||
		    parse_digits(&p, 2, &tm.tm_mon) != 0 || *p++ != '-' ||
		    parse_digits(&p, 2, &tm.tm_mday) != 0)
			return -1;
		if ((*p == 'T' || *p == 't' || *p == ' ') && isdigit((unsigned char)p[1])) {
			p++;
			if (parse_clock(&p, &tm) != 0)
				return -1;
		}
	} else {
		if (parse_small(&p, &tm.tm_mon) != 0 || *p++ != '/' ||
		    parse_small(&p, &tm.tm_mday) != 0 || *p++ != '/' ||
		    parse_digits(&p, 4, &tm.tm_year) != 0)
			return -1;
		while (*p == ' ')
			p++;
		if (isdigit((unsigned char)*p) && parse_clock(&p, &tm) != 0)
			return -1;
	}
	if (*p == 'Z' || *p == 'z') {
		zone = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (parse_digits(&p, 2, &oh) != 0)
			return -1;
		if (*p == ':')
			p++;
		if (parse_digits(&p, 2, &om) != 0)
			return -1;
		zone = 1;
		offset = sign * (oh * 3600 + om * 60);
	}
	while (*p == ' ')
		p++;
	if (*p != '\0' || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59 ||
	    tm.tm_year < 1)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if (zone) {
		struct tm check = tm;

		t = timegm(&tm);
		/* timegm normalises 02/30 into March; .NET refuses it. */
		if (tm.tm_mday != check.tm_mday || tm.tm_mon != check.tm_mon)
			return -1;
		*out = (int64_t)t - offset;
	} else {
		int mday = tm.tm_mday, mon = tm.tm_mon;

		tm.tm_isdst = -1;
		t = mktime(&tm);
		if (tm.tm_mday != mday || tm.tm_mon != mon)
			return -1;
		*out = (int64_t)t;
	}
	return 0;
}

/* ConvertStringToEnum: exact (any case) first, then a unique prefix (EnumMinimumDisambiguation). */
int
convert_enum_member(const char *const *members, const char *text)
{
	size_t len = strlen(text);
	int i, found = -1, count = 0;

	for (i = 0; members[i] != NULL; i++)
		if (strcasecmp(members[i], text) == 0)
			return i;
	if (len == 0)
		return -1;
	for (i = 0; members[i] != NULL; i++)
		if (strncasecmp(members[i], text, len) == 0) {
			found = i;
			count++;
		}
	return count == 1 ? found : count == 0 ? -1 : -2;
}

static void
join_members(const char *const *members, const char *sep, const char *text,
    int prefix_only, char *out, size_t len)
{
	size_t i, n = strlen(text);

	out[0] = '\0';
	for (i = 0; members[i] != NULL; i++) {
		if (prefix_only && strncasecmp(members[i], text, n) != 0)
			continue;
		snprintf(out + strlen(out), len - strlen(out), "%s%s",
		    out[0] != '\0' ? sep : "", members[i]);
	}
}

int
convert_enum_value(const struct param *p, int member)
{
	return p->member_values != NULL ? p->member_values[member] : member;
}

/*
 * A number for an enum, as a script passes 128 or (CertSign -bor CRLSign):
 * the member with that value, else (for an array) the single-bit members that
 * add up to it, as names joined by ','. Returns 0 and fills out, 1 when text
 * is no number, -1 when no members make the value.
 */
static int
numeric_members(const struct param *p, const char *text, int allow_several, char *out, size_t len)
{
	char *end;
	long value, rest;
	int m;

	if (!isdigit((unsigned char)text[0]))
		return 1;
	value = strtol(text, &end, 10);
	if (*end != '\0')
		return 1;
	out[0] = '\0';
	for (m = 0; p->members[m] != NULL; m++)
		if (convert_enum_value(p, m) == value) {
			snprintf(out, len, "%s", p->members[m]);
			return 0;
		}
	if (!allow_several || value <= 0)
		return -1;
	rest = value;
	for (m = 0; p->members[m] != NULL; m++) {
		long bit = convert_enum_value(p, m);

		if (bit > 0 && (bit & (bit - 1)) == 0 && (rest & bit) == bit) {
			rest &= ~bit;
			snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? "," : "",
			    p->members[m]);
		}
	}
	return rest == 0 ? 0 : -1;
}

static int
refuse_enum_values(const struct convert_ctx *cx, const char *text)
{
	char list[1024], type[160];

	element_type(cx->param, type, sizeof(type));
	join_members(cx->param->members, ",", "", 0, list, sizeof(list));
	return pk_fail(cx->err, PK_ERR_USAGE, "Cannot bind parameter '%s'. Cannot "
	    "convert value \"%s\" to type \"%s\" due to enumeration values that are "
	    "not valid. Specify one of the following enumeration values and try "
	    "again. The possible enumeration values are \"%s\".", cx->name, text,
	    type, list);
}

static int
bind_enum_value(const struct convert_ctx *cx, const char *text, int *member)
{
	const struct param *p = cx->param;
	char list[1024], why[1400], named[160];
	int m;

	if (p->flags & PARAM_VALIDATESET) {
		/* ValidateSet compares whole values, ignoring case. */
		for (m = 0; p->members[m] != NULL; m++)
			if (strcasecmp(p->members[m], text) == 0) {
				*member = m;
				return 0;
			}
		join_members(p->members, ",", "", 0, list, sizeof(list));
		return pk_fail(cx->err, PK_ERR_USAGE, "Cannot validate argument on "
		    "parameter '%s'. The argument \"%s\" does not belong to the set \"%s\" "
		    "specified by the ValidateSet attribute. Supply an argument that is in "
		    "the set and then try the command again.", cx->name, text, list);
	}
	/* Enum.Parse takes "A,B"; these enums are not [Flags], so a pair is refused. */
	if (strchr(text, ',') != NULL)
		return refuse_enum_values(cx, text);
	switch (numeric_members(p, text, 0, named, sizeof(named))) {
	case 0:
		text = named;
		break;
	case -1:
		return refuse_enum_values(cx, text);
	}
	m = convert_enum_member(p->members, text);
	if (m >= 0) {
		*member = m;
		return 0;
	}
	if (m == -2) {
		join_members(p->members, ", ", text, 1, list, sizeof(list));
		snprintf(why, sizeof(why), "The identifier name %s cannot be processed "
		    "because it is either too similar or identical to the following "
		    "enumerator names: %s. Use a more specific identifier name.", text, list);
	} else {
		join_members(p->members, ", ", "", 0, list, sizeof(list));
		snprintf(why, sizeof(why), "Unable to match the identifier name %s to a "
		    "valid enumerator name. Specify one of the following enumerator names "
		    "and try again:\n%s", text, list);
	}
	return fail_convert(cx, text, why);
}

static char *
dup_range(const char *s, size_t n)
{
	char *out = malloc(n + 1);

	if (out != NULL) {
		memcpy(out, s, n);
		out[n] = '\0';
	}
	return out;
}

/*
 * A pwsh array literal reaches a native command as its source text ("'a','b'",
 * §3.2 quirk), so a piece wholly inside quotes loses them; '' inside single
 * quotes is one quote.
 */
static char *
unquote(const char *s, size_t n)
{
	char *out, *w;
	size_t i;

	if (n < 2 || !((s[0] == '\'' && s[n - 1] == '\'') || (s[0] == '"' && s[n - 1] == '"')))
		return dup_range(s, n);
	if ((out = malloc(n)) == NULL)
		return NULL;
	for (i = 1, w = out; i + 1 < n; i++) {
		*w++ = s[i];
		if (s[0] == '\'' && s[i] == '\'' && s[i + 1] == '\'' && i + 2 < n)
			i++;
	}
	*w = '\0';
	return out;
}

/* An -TextExtension item starts "<oid>=", so a comma before one starts a new item. */
static int
starts_oid_item(const char *s)
{
	int dots = 0;

	if (!isdigit((unsigned char)*s))
		return 0;
	for (; isdigit((unsigned char)*s) || *s == '.'; s++)
		dots += *s == '.';
	return dots > 0 && *s == '=';
}

static int
add_item(const struct convert_ctx *cx, struct bound *v, const char *s, size_t n)
{
	const char **grown;
	char *item;

	if ((item = unquote(s, n)) == NULL || binder_own(cx->b, item) != 0)
		return PK_ERR_NOMEM;
	grown = realloc(v->items, (v->nitems + 1) * sizeof(*grown));
	if (grown == NULL)
		return PK_ERR_NOMEM;
	v->items = grown;
	v->items[v->nitems++] = item;
	return 0;
}

/* Splits "a,b" and "'a','b'" at commas outside quotes (§2.5, DESIGN §2.1). */
static int
split_items(const struct convert_ctx *cx, const char *text, struct bound *v)
{
	const char *start = text, *p;
	char quote = 0;
	int rc;

	for (p = text; *p != '\0'; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			continue;
		}
		if ((*p == '\'' || *p == '"') && p == start) {
			quote = *p;
			continue;
		}
		if (*p != ',')
			continue;
		if ((cx->param->flags & PARAM_OID_ITEMS) && !starts_oid_item(p + 1) &&
		    !(p[1] == '\'' || p[1] == '"'))
			continue;
		if (p > start && (rc = add_item(cx, v, start, (size_t)(p - start))) != 0)
			return rc;
		start = p + 1;
	}
	if (p > start)
		return add_item(cx, v, start, (size_t)(p - start));
	return 0;
}

static int
append_one(const struct convert_ctx *cx, const char *raw, struct bound *v)
{
	size_t first = v->nitems, i;
	int rc;

	char names[1024];

	if (cx->param->kind == PARAM_CERT)
		return add_item(cx, v, raw, strlen(raw));
	/* A combined value (CertSign -bor CRLSign reaches argv as "6") is its members. */
	if (cx->param->kind == PARAM_ENUMS && strchr(raw, ',') == NULL &&
	    numeric_members(cx->param, raw, 1, names, sizeof(names)) == 0)
		raw = names;
	if ((rc = split_items(cx, raw, v)) != 0)
		return rc;
	if (cx->param->kind != PARAM_ENUMS)
		return 0;
	for (i = first; i < v->nitems; i++) {
		int member, *grown;

		if ((rc = bind_enum_value(cx, v->items[i], &member)) != 0)
			return rc;
		grown = realloc(v->members, (i + 1) * sizeof(*grown));
		if (grown == NULL)
			return PK_ERR_NOMEM;
		v->members = grown;
		v->members[i] = member;
		v->items[i] = cx->param->members[member];
	}
	return 0;
}

int
convert_append(const struct convert_ctx *cx, const char *raw, struct bound *v)
{
	return append_one(cx, raw, v);
}

static int
check_empty(const struct convert_ctx *cx, const char *value)
{
	if (*value != '\0')
		return 0;
	if (cx->param->flags & PARAM_NOT_NULL_OR_EMPTY)
		return pk_fail(cx->err, PK_ERR_USAGE, "Cannot validate argument on "
		    "parameter '%s'. The argument is null or empty. Provide an argument "
		    "that is not null or empty, and then try the command again.", cx->name);
	if (is_mandatory(cx->param))
		return pk_fail(cx->err, PK_ERR_USAGE, "Cannot bind argument to parameter "
		    "'%s' because it is an empty string.", cx->name);
	return 0;
}

static int
bind_path(const struct convert_ctx *cx, const char *raw, struct bound *v)
{
	char *copy, *c;

	/* pwsh on Unix reads '\' as the alternate separator: ".\x.pfx" is "./x.pfx" (§7). */
	if ((copy = strdup(raw)) == NULL || binder_own(cx->b, copy) != 0)
		return PK_ERR_NOMEM;
	for (c = copy; *c != '\0'; c++)
		if (*c == '\\')
			*c = '/';
	v->text = copy;
	return 0;
}

int
convert_bind(const struct convert_ctx *cx, const char **raw, size_t nraw,
    struct bound *v)
{
	const char *why;
	size_t i;
	int rc;

	if (nraw == 0)
		return pk_fail(cx->err, PK_ERR_USAGE, "Missing an argument for parameter "
		    "'%s'. Specify a parameter of type '%s' and try again.", cx->name,
		    cx->param->type_name);
	switch (cx->param->kind) {
	case PARAM_STRINGS:
	case PARAM_ENUMS:
	case PARAM_CERT:
		for (i = 0; i < nraw; i++)
			if ((rc = check_empty(cx, raw[i])) != 0 ||
			    (rc = append_one(cx, raw[i], v)) != 0)
				return rc;
		v->text = raw[0];
		return 0;
	case PARAM_SWITCH:
		if (convert_switch(raw[0], &v->on) != 0)
			return pk_fail(cx->err, PK_ERR_USAGE, "Cannot convert 'System.String' "
			    "to the type 'System.Management.Automation.SwitchParameter' "
			    "required by parameter '%s'. ", cx->name);
		return 0;
	case PARAM_INT:
		if (convert_int(raw[0], &v->number, &why) == 0)
			return 0;
		if (strcmp(why, "overflow") == 0)
			return fail_convert(cx, raw[0],
			    "Value was either too large or too small for an Int32.");
		{
			char msg[512];

			snprintf(msg, sizeof(msg), "The input string '%s' was not in a "
			    "correct format.", raw[0]);
			return fail_convert(cx, raw[0], msg);
		}
	case PARAM_DATETIME:
		v->text = raw[0];
		if (convert_datetime(raw[0], &v->time) == 0)
			return 0;
		{
			char msg[512];

			snprintf(msg, sizeof(msg), "String '%s' was not recognized as a valid "
			    "DateTime.", raw[0]);
			return fail_convert(cx, raw[0], msg);
		}
	case PARAM_ENUM:
		if ((rc = bind_enum_value(cx, raw[0], &v->member)) != 0)
			return rc;
		v->text = cx->param->members[v->member];
		return 0;
	case PARAM_PATH:
		if ((rc = check_empty(cx, raw[0])) != 0)
			return rc;
		return bind_path(cx, raw[0], v);
	case PARAM_SECURE:
		return convert_check_secure(cx, raw[0]);
	case PARAM_STRING:
	case PARAM_OBJECT:
		if ((rc = check_empty(cx, raw[0])) != 0)
			return rc;
		v->text = raw[0];
		if (cx->param->flags & PARAM_VALIDATESET)
			return bind_enum_value(cx, raw[0], &v->member);
		return 0;
	}
	return pk_fail(cx->err, PK_ERR_USAGE, "Parameter '%s' has an unknown kind.", cx->name);
}

int
convert_check_secure(const struct convert_ctx *cx, const char *value)
{
	if (strcmp(value, SECURESTRING_TEXT) == 0)
		return pk_fail(cx->err, PK_ERR_USAGE, "Cannot bind parameter '%s'. pwsh "
		    "passed the text \"%s\" instead of the password: a SecureString cannot "
		    "reach a native command. Use the PkiShim module (it passes the password "
		    "off the command line), or give the password on a descriptor named by "
		    "PKISHIM_PASSWORD_FD.", cx->name, SECURESTRING_TEXT);
	return 0;
}
