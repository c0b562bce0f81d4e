/* svcparse.c: libxml2's SAX2 pass over a service file: kind, roles, certificates. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "xml/svcfile_internal.h"

/* What an open element is, for the few paths that matter. */
enum slot {
	SLOT_OTHER,
	SLOT_ROOT,
	SLOT_ROLE,
	SLOT_CERTIFICATES
};

/* An endpoint's certificate= reference, joined to the rows after the parse. */
struct endpoint_ref {
	const char *role;
	const char *cert;
	const char *endpoint;
	unsigned line;
};

struct parse_state {
	struct svcfile *file;
	xmlParserCtxtPtr ctxt;
	const char *ns;              /* namespace of the root, once known */
	enum slot slots[SVCFILE_MAX_DEPTH + 1];
	int depth;
	unsigned long ordinal;
	const char *role;            /* the open role's name */
	unsigned role_line;
	struct endpoint_ref *refs;
	size_t nrefs;
	int failed;                  /* an error of ours: stop and report it */
	int doctype;
	struct pk_error *err;
	char xml_error[512];         /* libxml2's first error */
	int xml_error_line;
};

static void stop(struct parse_state *st, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
stop(struct parse_state *st, int code, const char *fmt, ...)
{
	char msg[sizeof(((struct pk_error *)0)->msg)];
	va_list ap;

	if (!st->failed) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		pk_fail(st->err, code, "%s", msg);
	}
	st->failed = 1;
	xmlStopParser(st->ctxt);
}

/*
 * An attribute value as SAX2 hands it over. Without entity substitution
 * libxml2 keeps "&amp;" as the character reference "&#38;" (its default
 * handler decodes it later); nothing else is left encoded because no entity
 * can be declared (DOCTYPE is refused).
 */
static const char *
keep_value(struct parse_state *st, const xmlChar *value, const xmlChar *end)
{
	const char *v = (const char *)value;
	size_t len = (size_t)(end - value), i, o;
	char *tmp;
	const char *kept;

	if (memchr(v, '&', len) == NULL)
		return svcfile_keep(st->file, v, len);
	if ((tmp = malloc(len + 1)) == NULL)
		return NULL;
	for (i = o = 0; i < len; i++) {
		if (len - i >= 5 && memcmp(v + i, "&#38;", 5) == 0) {
			tmp[o++] = '&';
			i += 4;
		} else
			tmp[o++] = v[i];
	}
	kept = svcfile_keep(st->file, tmp, o);
	free(tmp);
	return kept;
}

/* The value of the unprefixed attribute called name, kept; NULL when absent. */
static const char *
attribute(struct parse_state *st, int nattrs, const xmlChar **attrs,
    const char *name, int *nomem)
{
	const char *kept;
	int i;

	for (i = 0; i < nattrs; i++) {
		const xmlChar **a = attrs + 5 * i;

		if (a[2] != NULL || strcmp((const char *)a[0], name) != 0)
			continue;
		if ((kept = keep_value(st, a[3], a[4])) == NULL)
			*nomem = 1;
		return kept;
	}
	return NULL;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
add_entry(struct parse_state *st, struct svcfile_entry *entry)
{
	struct svcfile *f = st->file;
	struct svcfile_entry *grown;

	grown = realloc(f->entries, (f->nentries + 1) * sizeof(*grown));
	if (grown == NULL)
		return PK_ERR_NOMEM;
	f->entries = grown;
	f->entries[f->nentries++] = *entry;
	return 0;
}

static int
add_role(struct parse_state *st, const char *name, unsigned line)
{
	struct svcfile *f = st->file;
	struct svcfile_role *grown;

	grown = realloc(f->roles, (f->nroles + 1) * sizeof(*grown));
	if (grown == NULL)
		return PK_ERR_NOMEM;
	f->roles = grown;
	f->roles[f->nroles].name = name;
	f->roles[f->nroles].line = line;
	f->nroles++;
	return 0;
}

static int
add_ref(struct parse_state *st, const char *cert, const char *endpoint, unsigned line)
{
	struct endpoint_ref *grown;

	grown = realloc(st->refs, (st->nrefs + 1) * sizeof(*grown));
	if (grown == NULL)
		return PK_ERR_NOMEM;
	st->refs = grown;
	st->refs[st->nrefs].role = st->role;
	st->refs[st->nrefs].cert = cert;
	st->refs[st->nrefs].endpoint = endpoint != NULL ? endpoint : "";
	st->refs[st->nrefs].line = line;
	st->nrefs++;
	return 0;
}

static void
root_element(struct parse_state *st, const char *local, const char *uri)
{
	if (uri != NULL && strcmp(local, "ServiceConfiguration") == 0 &&
	    strcmp(uri, SVCFILE_NS_CONFIGURATION) == 0)
		st->file->kind = SVCFILE_CONFIGURATION;
	else if (uri != NULL && strcmp(local, "ServiceDefinition") == 0 &&
	    strcmp(uri, SVCFILE_NS_DEFINITION) == 0)
		st->file->kind = SVCFILE_DEFINITION;
	else {
		stop(st, PK_ERR_FORMAT, "'%s' is not a service configuration (.cscfg) "
		    "or definition (.csdef): its root element is '%s' instead of "
		    "ServiceConfiguration or ServiceDefinition in the "
		    "ServiceHosting/2008/10 namespace.", st->file->path, local);
		return;
	}
	st->ns = st->file->kind == SVCFILE_CONFIGURATION ?
	    SVCFILE_NS_CONFIGURATION : SVCFILE_NS_DEFINITION;
	st->slots[1] = SLOT_ROOT;
}

static void
start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **nss, int nattrs, int ndefaulted,
    const xmlChar **attrs)
{
	struct parse_state *st = ctx;
	const char *local = (const char *)localname;
	enum slot parent;
	int ours, nomem = 0;
	unsigned line;

	(void)prefix, (void)nns, (void)nss, (void)ndefaulted;
	if (st->failed)
		return;
	st->ordinal++;
	st->depth++;
	if (st->depth > SVCFILE_MAX_DEPTH) {
		stop(st, PK_ERR_LIMIT, "'%s' nests elements deeper than %d levels; "
		    "service files are not that deep.", st->file->path, SVCFILE_MAX_DEPTH);
		return;
	}
	st->slots[st->depth] = SLOT_OTHER;
	if (st->depth == 1) {
		root_element(st, local, (const char *)uri);
		return;
	}
	line = (unsigned)xmlSAX2GetLineNumber(st->ctxt);
	parent = st->slots[st->depth - 1];
	ours = uri != NULL && strcmp((const char *)uri, st->ns) == 0;
	if (!ours)
		return;
	if (parent == SLOT_ROOT && (st->file->kind == SVCFILE_CONFIGURATION ?
	    strcmp(local, "Role") == 0 : ends_with(local, "Role"))) {
		st->slots[st->depth] = SLOT_ROLE;
		st->role = attribute(st, nattrs, attrs, "name", &nomem);
		if (st->role == NULL && !nomem)
			st->role = svcfile_keep(st->file, "", 0);
		st->role_line = line;
		if (st->role == NULL || add_role(st, st->role, line) != 0)
			nomem = 1;
	} else if (parent == SLOT_ROLE && strcmp(local, "Certificates") == 0) {
		st->slots[st->depth] = SLOT_CERTIFICATES;
	} else if (parent == SLOT_CERTIFICATES && strcmp(local, "Certificate") == 0) {
		struct svcfile_entry e;

		memset(&e, 0, sizeof(e));
		e.ordinal = st->ordinal;
		e.pub.role = st->role;
		e.pub.line = line;
		e.pub.name = attribute(st, nattrs, attrs, "name", &nomem);
		if (e.pub.name == NULL)
			e.pub.name = "";
		if (st->file->kind == SVCFILE_CONFIGURATION) {
			e.pub.thumbprint = attribute(st, nattrs, attrs, "thumbprint", &nomem);
			e.pub.algorithm = attribute(st, nattrs, attrs,
			    "thumbprintAlgorithm", &nomem);
		} else {
			e.pub.declared = 1;
			e.pub.store_location = attribute(st, nattrs, attrs,
			    "storeLocation", &nomem);
			e.pub.store_name = attribute(st, nattrs, attrs, "storeName", &nomem);
			e.pub.permission_level = attribute(st, nattrs, attrs,
			    "permissionLevel", &nomem);
		}
		if (!nomem && add_entry(st, &e) != 0)
			nomem = 1;
	} else if (st->file->kind == SVCFILE_DEFINITION && st->role != NULL &&
	    st->depth > 2 && ends_with(local, "Endpoint")) {
		/* InputEndpoint (in Endpoints, or the 2010 InputEndpoints wrapper). */
		const char *cert = attribute(st, nattrs, attrs, "certificate", &nomem);

		if (cert != NULL && add_ref(st, cert,
		    attribute(st, nattrs, attrs, "name", &nomem), line) != 0)
			nomem = 1;
	}
	if (nomem)
		stop(st, PK_ERR_NOMEM, "Out of memory reading '%s'.", st->file->path);
}

static void
end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct parse_state *st = ctx;

	(void)localname, (void)prefix, (void)uri;
	if (st->failed || st->depth <= 0)
		return;
	if (st->slots[st->depth] == SLOT_ROLE)
		st->role = NULL;
	st->depth--;
}

/*
 * Service files never carry a DOCTYPE. Refusing it at once (before the
 * internal subset is read) leaves no way to declare an entity, so neither
 * external entities nor entity expansion bombs can reach us.
 */
static void
internal_subset(void *ctx, const xmlChar *name, const xmlChar *external_id,
    const xmlChar *system_id)
{
	struct parse_state *st = ctx;

	(void)name, (void)external_id, (void)system_id;
	st->doctype = 1;
	stop(st, PK_ERR_FORMAT, "'%s' has a DOCTYPE declaration; service files have "
	    "none, and pkishim does not read DTDs or entities.", st->file->path);
}

static xmlEntityPtr
get_entity(void *ctx, const xmlChar *name)
{
	(void)ctx, (void)name;
	return NULL;
}

static void
structured_error(void *ctx, xmlErrorPtr error)
{
	struct parse_state *st = ctx;
	size_t n;

	if (error == NULL || error->level < XML_ERR_ERROR || st->xml_error[0] != '\0')
		return;
	snprintf(st->xml_error, sizeof(st->xml_error), "%s",
	    error->message != NULL ? error->message : "malformed XML");
	n = strlen(st->xml_error);
	while (n > 0 && (st->xml_error[n - 1] == '\n' || st->xml_error[n - 1] == ' '))
		st->xml_error[--n] = '\0';
	st->xml_error_line = error->line;
}

/* Joins endpoint references to the definition's rows (or adds rows for names only endpoints use). */
static int
join_endpoints(struct parse_state *st)
{
	struct svcfile *f = st->file;
	size_t i, j;

	for (i = 0; i < st->nrefs; i++) {
		struct endpoint_ref *r = &st->refs[i];
		struct svcfile_entry *hit = NULL;
		const char *joined;
		size_t a, b;
		char *tmp;

		for (j = 0; j < f->nentries && hit == NULL; j++)
			if (svcfile_name_eq(f->entries[j].pub.role, r->role) &&
			    svcfile_name_eq(f->entries[j].pub.name, r->cert))
				hit = &f->entries[j];
		if (hit == NULL) {
			struct svcfile_entry e;

			memset(&e, 0, sizeof(e));
			e.pub.role = r->role;
			e.pub.name = r->cert;
			e.pub.line = r->line;
			if (add_entry(st, &e) != 0)
				return PK_ERR_NOMEM;
			hit = &f->entries[f->nentries - 1];
		}
		a = hit->pub.endpoints != NULL ? strlen(hit->pub.endpoints) : 0;
		b = strlen(r->endpoint);
		if ((tmp = malloc(a + b + 2)) == NULL)
			return PK_ERR_NOMEM;
		snprintf(tmp, a + b + 2, "%s%s%s", a ? hit->pub.endpoints : "",
		    a ? "," : "", r->endpoint);
		joined = svcfile_keep(f, tmp, strlen(tmp));
		free(tmp);
		if (joined == NULL)
			return PK_ERR_NOMEM;
		hit->pub.endpoints = joined;
	}
	return 0;
}

int
svcfile_parse(struct svcfile *file, struct pk_error *err)
{
	struct parse_state st;
	xmlSAXHandler sax;
	xmlParserCtxtPtr ctxt = NULL;
	int rc;

	memset(&st, 0, sizeof(st));
	st.file = file;
	st.err = err;
	if (file->orig_len > INT_MAX) {
		rc = pk_fail(err, PK_ERR_LIMIT, "'%s' is too large.", file->path);
		goto out;
	}
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = start_element;
	sax.endElementNs = end_element;
	sax.internalSubset = internal_subset;
	sax.getEntity = get_entity;
	sax.getParameterEntity = get_entity;
	sax.serror = structured_error;
	if ((ctxt = xmlCreatePushParserCtxt(&sax, &st, NULL, 0, file->path)) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory reading '%s'.", file->path);
		goto out;
	}
	/*
	 * No XML_PARSE_NOENT (no entity substitution), no DTDLOAD/DTDATTR/DTDVALID,
	 * NONET for good measure, and never XML_PARSE_HUGE: libxml2 keeps its own
	 * limits on names, text and depth.
	 */
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	ctxt->replaceEntities = 0;
	ctxt->loadsubset = 0;
	ctxt->validate = 0;
	st.ctxt = ctxt;
	/*
	 * libxml2's pull parser over memory tries to refill its buffer before
	 * almost every token, which cost more than the parse of a small file; the
	 * push parser is handed every byte at once and never does.
	 */
	xmlParseChunk(ctxt, (const char *)file->orig, (int)file->orig_len, 1);
	if (st.failed) {
		rc = err != NULL ? err->code : PK_ERR_FORMAT;
		goto out;
	}
	if (!ctxt->wellFormed || st.xml_error[0] != '\0') {
		rc = pk_fail(err, PK_ERR_FORMAT, "'%s' is not well-formed XML: line %d: %s.",
		    file->path, st.xml_error_line,
		    st.xml_error[0] != '\0' ? st.xml_error : "malformed XML");
		goto out;
	}
	if (file->kind == 0) {
		rc = pk_fail(err, PK_ERR_FORMAT, "'%s' has no root element.", file->path);
		goto out;
	}
	if ((rc = join_endpoints(&st)) != 0) {
		pk_fail(err, rc, "Out of memory reading '%s'.", file->path);
		goto out;
	}
	rc = 0;
out:
	free(st.refs);
	if (ctxt != NULL)
		xmlFreeParserCtxt(ctxt);
	return rc;
}
