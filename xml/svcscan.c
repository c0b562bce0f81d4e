/* svcscan.c: finds thumbprint values in the original bytes of a well-formed service file. */
#include <string.h>

#include "xml/svcfile_internal.h"

/*
 * libxml2 reports elements but not the byte offsets of attribute values, and
 * for UTF-16 its buffer is a UTF-8 copy. So we walk the original bytes
 * ourselves, as code units (one byte, or two for UTF-16): XML markup is all
 * ASCII, so a unit above 0x7F is only ever "some character". libxml2 has
 * already accepted the document as well-formed and without DOCTYPE, which
 * leaves five things a '<' can start: a comment, CDATA, a processing
 * instruction (or the declaration), an end tag, a start tag. Counting start
 * tags gives the same ordinals as libxml2's startElement callbacks.
 */
struct cursor {
	const unsigned char *p;
	size_t n;                    /* units */
	size_t i;                    /* current unit */
	int unit;
	int big_endian;
	size_t base;                 /* bytes before unit 0 (the BOM) */
};

static unsigned
at(const struct cursor *c, size_t i)
{
	const unsigned char *u;

	if (i >= c->n)
		return 0;
	if (c->unit == 1)
		return c->p[i];
	u = c->p + 2 * i;
	return c->big_endian ? (unsigned)(u[0] << 8 | u[1]) : (unsigned)(u[1] << 8 | u[0]);
}

static int
looking_at(const struct cursor *c, const char *s)
{
	size_t k;

	for (k = 0; s[k] != '\0'; k++)
		if (at(c, c->i + k) != (unsigned char)s[k])
			return 0;
	return 1;
}

/* Moves to the next unit equal to ch, or to the end. */
static void
skip_to(struct cursor *c, unsigned ch)
{
	const unsigned char *hit;

	if (c->unit == 1) {
		hit = c->i < c->n ? memchr(c->p + c->i, (int)ch, c->n - c->i) : NULL;
		c->i = hit != NULL ? (size_t)(hit - c->p) : c->n;
		return;
	}
	while (c->i < c->n && at(c, c->i) != ch)
		c->i++;
}

/* Moves past the next occurrence of s; 0 when it is missing. */
static int
skip_past(struct cursor *c, const char *s)
{
	size_t len = strlen(s);

	while (c->i < c->n) {
		skip_to(c, (unsigned char)s[0]);
		if (c->i >= c->n)
			break;
		if (looking_at(c, s)) {
			c->i += len;
			return 1;
		}
		c->i++;
	}
	return 0;
}

static int
is_space(unsigned ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Records the thumbprint value of the start tag at c (just after its name). */
static int
scan_attributes(struct cursor *c, struct svcfile_entry *entry)
{
	for (;;) {
		size_t name_start, name_end, value_start;
		unsigned quote;

		while (c->i < c->n && is_space(at(c, c->i)))
			c->i++;
		if (c->i >= c->n)
			return -1;
		if (at(c, c->i) == '>' || at(c, c->i) == '/')
			return 0;
		name_start = c->i;
		while (c->i < c->n && !is_space(at(c, c->i)) && at(c, c->i) != '=')
			c->i++;
		name_end = c->i;
		while (c->i < c->n && is_space(at(c, c->i)))
			c->i++;
		if (at(c, c->i) != '=')
			return -1;
		c->i++;
		while (c->i < c->n && is_space(at(c, c->i)))
			c->i++;
		quote = at(c, c->i);
		if (quote != '"' && quote != '\'')
			return -1;
		value_start = ++c->i;
		skip_to(c, quote);
		if (c->i >= c->n)
			return -1;
		if (entry != NULL && name_end - name_start == 10) {
			struct cursor probe = *c;

			probe.i = name_start;
			if (looking_at(&probe, "thumbprint")) {
				entry->has_value = 1;
				entry->value_off = c->base + value_start * (size_t)c->unit;
				entry->value_len = (c->i - value_start) * (size_t)c->unit;
			}
		}
		c->i++;
	}
}

/* Whether the bytes we found hold what libxml2 read; skipped where they may legitimately differ. */
static int
agrees(const struct svcfile *f, const struct svcfile_entry *e)
{
	const char *want = e->pub.thumbprint;
	size_t k, units = e->value_len / (size_t)f->unit;
	struct cursor c;

	if (want == NULL)
		return 0;
	memset(&c, 0, sizeof(c));
	c.p = f->orig + e->value_off;
	c.n = units;
	c.unit = f->unit;
	c.big_endian = f->big_endian;
	for (k = 0; k < units; k++) {
		unsigned ch = at(&c, k);

		/* References and white space are normalised by the parser (XML 1.0 §3.3.3). */
		if (ch == '&' || ch == '\t' || ch == '\r' || ch == '\n' ||
		    (f->unit == 2 && ch > 0x7F))
			return 1;
	}
	if (strlen(want) != units)
		return 0;
	for (k = 0; k < units; k++)
		if (at(&c, k) != (unsigned char)want[k])
			return 0;
	return 1;
}

int
svcfile_scan(struct svcfile *f, struct pk_error *err)
{
	struct cursor c;
	unsigned long ordinal = 0;
	size_t next = 0, k;
	int rc;

	memset(&c, 0, sizeof(c));
	c.p = f->orig + f->bom;
	c.unit = f->unit;
	c.big_endian = f->big_endian;
	c.base = f->bom;
	c.n = (f->orig_len - f->bom) / (size_t)f->unit;
	/* Entries from endpoints (ordinal 0) come last and have no value to find. */
	while (next < f->nentries && f->entries[next].ordinal == 0)
		next++;
	while (next < f->nentries && skip_past(&c, "<")) {
		if (looking_at(&c, "!--")) {
			if (!skip_past(&c, "-->"))
				break;
		} else if (looking_at(&c, "![CDATA[")) {
			if (!skip_past(&c, "]]>"))
				break;
		} else if (looking_at(&c, "?")) {
			if (!skip_past(&c, "?>"))
				break;
		} else if (looking_at(&c, "/")) {
			if (!skip_past(&c, ">"))
				break;
		} else if (looking_at(&c, "!")) {
			break;
		} else {
			struct svcfile_entry *e = NULL;

			ordinal++;
			if (f->entries[next].ordinal == ordinal)
				e = &f->entries[next];
			while (c.i < c.n && !is_space(at(&c, c.i)) &&
			    at(&c, c.i) != '>' && at(&c, c.i) != '/')
				c.i++;
			if (scan_attributes(&c, e) != 0)
				break;
			if (e != NULL) {
				do
					next++;
				while (next < f->nentries && f->entries[next].ordinal == 0);
			}
		}
	}
	for (k = 0; k < f->nentries; k++) {
		struct svcfile_entry *e = &f->entries[k];

		if (e->ordinal == 0)
			continue;
		if (next < f->nentries || (e->pub.thumbprint != NULL) != e->has_value ||
		    (e->has_value && !agrees(f, e))) {
			rc = pk_fail(err, PK_ERR_FORMAT, "'%s': cannot locate the thumbprint "
			    "of certificate '%s' (line %u) in the file's bytes; the file "
			    "is left as it is.", f->path, e->pub.name, e->pub.line);
			goto out;
		}
	}
	rc = 0;
out:
	return rc;
}
