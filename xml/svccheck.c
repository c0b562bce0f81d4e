/* svccheck.c: a definition checked against a configuration (Test-ServiceCertificate). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml/svcfile_internal.h"

/* Certificates plugins declare for themselves: they appear only in the .cscfg. */
#define PLUGIN_PREFIX "Microsoft.WindowsAzure.Plugins."

void
svcfile_problems_clear(struct svcfile_problems *p)
{
	size_t i;

	for (i = 0; i < p->count; i++) {
		free(p->items[i].role);
		free(p->items[i].name);
		free(p->items[i].message);
	}
	free(p->items);
	p->items = NULL;
	p->count = 0;
}

static int add(struct svcfile_problems *p, const struct svcfile *f, unsigned line,
    const char *role, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int
add(struct svcfile_problems *p, const struct svcfile *f, unsigned line,
    const char *role, const char *name, const char *fmt, ...)
{
	struct svcfile_problem *grown, *item;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	grown = realloc(p->items, (p->count + 1) * sizeof(*grown));
	if (grown == NULL)
		return PK_ERR_NOMEM;
	p->items = grown;
	item = &p->items[p->count];
	memset(item, 0, sizeof(*item));
	item->file = f->path;
	item->line = line;
	item->role = strdup(role != NULL ? role : "");
	item->name = name != NULL ? strdup(name) : NULL;
	item->message = strdup(msg);
	p->count++;
	if (item->role == NULL || (name != NULL && item->name == NULL) ||
	    item->message == NULL)
		return PK_ERR_NOMEM;
	return 0;
}

static int
has_role(const struct svcfile *f, const char *role)
{
	size_t i;

	for (i = 0; i < f->nroles; i++)
		if (svcfile_name_eq(f->roles[i].name, role))
			return 1;
	return 0;
}

static const struct svcfile_entry *
find(const struct svcfile *f, const char *role, const char *name)
{
	size_t i;

	for (i = 0; i < f->nentries; i++)
		if (svcfile_name_eq(f->entries[i].pub.role, role) &&
		    svcfile_name_eq(f->entries[i].pub.name, name))
			return &f->entries[i];
	return NULL;
}

/* The definition's side: roles and certificates the configuration must provide. */
static int
check_definition(const struct svcfile *cfg, const struct svcfile *def,
    struct svcfile_problems *out)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < def->nroles && rc == 0; i++)
		if (!has_role(cfg, def->roles[i].name))
			rc = add(out, def, def->roles[i].line, def->roles[i].name, NULL,
			    "Role '%s' has no Role element in the configuration '%s'.",
			    def->roles[i].name, cfg->path);
	for (i = 0; i < def->nentries && rc == 0; i++) {
		const struct svcfile_cert *d = &def->entries[i].pub;

		if (!has_role(cfg, d->role) || find(cfg, d->role, d->name) != NULL)
			continue;
		if (d->declared)
			rc = add(out, def, d->line, d->role, d->name, "Role '%s': certificate "
			    "'%s' is declared in the definition but has no Certificate in "
			    "the configuration.", d->role, d->name);
		else
			rc = add(out, def, d->line, d->role, d->name, "Role '%s': endpoint "
			    "'%s' uses certificate '%s', which has no Certificate in the "
			    "configuration.", d->role, d->endpoints, d->name);
	}
	return rc;
}

/* One configuration certificate: its thumbprint, algorithm, declaration and store. */
static int
check_entry(const struct svcfile *cfg, const struct svcfile *def,
    const struct svcfile_cert *c, svcfile_store_lookup lookup, void *ctx,
    struct svcfile_problems *out, struct pk_error *err)
{
	const struct svcfile_entry *d = find(def, c->role, c->name);
	const char *why = svcfile_thumbprint_problem(c->thumbprint);
	int rc = 0, found;

	if (has_role(def, c->role) && d == NULL &&
	    strncmp(c->name, PLUGIN_PREFIX, strlen(PLUGIN_PREFIX)) != 0)
		rc = add(out, cfg, c->line, c->role, c->name, "Role '%s': certificate '%s' "
		    "is not declared in the definition '%s'.", c->role, c->name, def->path);
	if (rc == 0 && why != NULL)
		rc = add(out, cfg, c->line, c->role, c->name, "Role '%s': certificate "
		    "'%s' %s.", c->role, c->name, why);
	if (rc == 0 && c->thumbprint != NULL && c->algorithm == NULL)
		rc = add(out, cfg, c->line, c->role, c->name, "Role '%s': certificate "
		    "'%s' has no thumbprintAlgorithm (it must be sha1).", c->role, c->name);
	else if (rc == 0 && c->algorithm != NULL && strcmp(c->algorithm, "sha1") != 0)
		rc = add(out, cfg, c->line, c->role, c->name, "Role '%s': certificate "
		    "'%s' has thumbprintAlgorithm '%s'; the only one supported is sha1.",
		    c->role, c->name, c->algorithm);
	if (rc != 0 || why != NULL || lookup == NULL)
		return rc;
	found = lookup(ctx, d != NULL ? d->pub.store_name : NULL, c->thumbprint, err);
	if (found < 0)
		return found;
	if (!found)
		rc = add(out, cfg, c->line, c->role, c->name, "Role '%s': certificate '%s' "
		    "with thumbprint %s is not in the certificate store%s%s%s.", c->role,
		    c->name, c->thumbprint, d != NULL && d->pub.store_name != NULL ?
		    " '" : "", d != NULL && d->pub.store_name != NULL ?
		    d->pub.store_name : "", d != NULL && d->pub.store_name != NULL ?
		    "'" : "");
	return rc;
}

int
svcfile_check(const struct svcfile *cfg, const struct svcfile *def,
    svcfile_store_lookup lookup, void *ctx, struct svcfile_problems *out,
    struct pk_error *err)
{
	size_t i;
	int rc;

	if (cfg->kind != SVCFILE_CONFIGURATION) {
		rc = pk_fail(err, PK_ERR_FORMAT, "'%s' is not a service configuration "
		    "(.cscfg).", cfg->path);
		goto out;
	}
	if (def->kind != SVCFILE_DEFINITION) {
		rc = pk_fail(err, PK_ERR_FORMAT, "'%s' is not a service definition "
		    "(.csdef).", def->path);
		goto out;
	}
	if ((rc = check_definition(cfg, def, out)) != 0)
		goto nomem;
	for (i = 0; i < cfg->nroles; i++)
		if (!has_role(def, cfg->roles[i].name) &&
		    (rc = add(out, cfg, cfg->roles[i].line, cfg->roles[i].name, NULL,
		    "Role '%s' is not in the definition '%s'.", cfg->roles[i].name,
		    def->path)) != 0)
			goto nomem;
	for (i = 0; i < cfg->nentries; i++) {
		rc = check_entry(cfg, def, &cfg->entries[i].pub, lookup, ctx, out, err);
		if (rc == PK_ERR_NOMEM)
			goto nomem;
		if (rc != 0)
			goto out;
	}
	rc = 0;
	goto out;
nomem:
	rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
out:
	return rc;
}
