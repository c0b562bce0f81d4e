/*
 * storewalk.c: Get-ChildItem and Get-Item over Cert:\ (reference/pki-cmdlets.md
 * §6): the locations, the stores of a location, the certificates of a store,
 * or one certificate, with the provider's filters.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/certinfo.h"
#include "crypto/storewalk.h"

#define DAY_SECONDS 86400
#define OID_SERVER_AUTH "1.3.6.1.5.5.7.3.1"
#define OID_CODE_SIGNING "1.3.6.1.5.5.7.3.3"
#define OID_DOCUMENT_ENCRYPTION "1.3.6.1.4.1.311.80.1"

static const enum crypto_store_location locations[] = {
	CRYPTO_STORE_CURRENT_USER, CRYPTO_STORE_LOCAL_MACHINE
};

/* What one walk shares between its steps. */
struct walk {
	const struct crypto_store_filter *filter;
	struct crypto_store_items *out;
	size_t matched;
	struct pk_error *err;
};

static int
passes(const struct crypto_store_filter *f, const struct crypto_cert *cert)
{
	size_t i;

	if (f == NULL)
		return 1;
	for (i = 0; i < f->nekus; i++)
		if (!certinfo_matches_eku(cert, f->ekus[i]))
			return 0;
	if (f->ssl_server_authentication && !certinfo_matches_eku(cert, OID_SERVER_AUTH))
		return 0;
	if (f->code_signing && (!certinfo_matches_eku(cert, OID_CODE_SIGNING) ||
	    !crypto_cert_has_key(cert)))
		return 0;
	if (f->document_encryption && !certinfo_matches_eku(cert, OID_DOCUMENT_ENCRYPTION))
		return 0;
	if (f->dns_name != NULL && !certinfo_matches_dns(cert, f->dns_name))
		return 0;
	if (f->expiring && crypto_cert_not_after(cert) >
	    (int64_t)time(NULL) + (int64_t)f->expiring_in_days * DAY_SECONDS)
		return 0;
	return 1;
}

static void
item_clear(struct crypto_store_item *item)
{
	free(item->store);
	free(item->parent);
	free(item->file);
	crypto_cert_free(item->cert);
	crypto_store_names_free(item->store_names, item->nstore_names);
	memset(item, 0, sizeof(*item));
}

/* Moves a whole item to the end of the list; clears it when there is no room. */
static int
push(struct walk *w, struct crypto_store_item *item)
{
	struct crypto_store_items *out = w->out;
	struct crypto_store_item *grown;

	grown = realloc(out->items, (out->count + 1) * sizeof(*grown));
	if (grown == NULL) {
		item_clear(item);
		return pk_fail(w->err, PK_ERR_NOMEM, "Out of memory.");
	}
	out->items = grown;
	out->items[out->count++] = *item;
	w->matched++;
	return 0;
}

static int
add_location(struct walk *w, enum crypto_store_location loc)
{
	struct crypto_store_item item = { .kind = CRYPTO_STORE_ITEM_LOCATION, .location = loc };
	int rc;

	if ((rc = crypto_store_names(loc, &item.store_names, &item.nstore_names, w->err)) != 0) {
		item_clear(&item);
		return rc;
	}
	return push(w, &item);
}

static int
add_store(struct walk *w, enum crypto_store_location loc, const char *store)
{
	struct crypto_store_item item = { .kind = CRYPTO_STORE_ITEM_STORE, .location = loc };

	if ((item.store = strdup(store)) == NULL)
		return pk_fail(w->err, PK_ERR_NOMEM, "Out of memory.");
	return push(w, &item);
}

/* Takes over cert whatever happens. */
static int
add_cert(struct walk *w, struct crypto_cert *cert, enum crypto_store_location loc,
    const char *store)
{
	struct crypto_store_item item = { .kind = CRYPTO_STORE_ITEM_CERT, .location = loc,
	    .cert = cert };
	struct crypto_store_path where = { 1, loc, (char *)store, "" };
	int rc;

	if ((rc = crypto_store_file(loc, store, crypto_cert_thumbprint(cert), &item.file,
	    w->err)) != 0) {
		item_clear(&item);
		return rc;
	}
	if ((item.store = strdup(store)) == NULL ||
	    (item.parent = crypto_store_path_parent(&where)) == NULL) {
		item_clear(&item);
		return pk_fail(w->err, PK_ERR_NOMEM, "Out of memory.");
	}
	return push(w, &item);
}

/* The certificates of a store whose thumbprints match pattern (NULL: all). */
static int
walk_store(struct walk *w, enum crypto_store_location loc, const char *store,
    const char *pattern)
{
	struct crypto_certlist list = { NULL, 0 };
	size_t i;
	int rc;

	if ((rc = crypto_store_list(loc, store, &list, w->err)) != 0)
		return rc;
	for (i = 0; i < list.count && rc == 0; i++)
		if ((pattern == NULL || fnmatch(pattern, crypto_cert_thumbprint(list.certs[i]),
		    FNM_CASEFOLD) == 0) && passes(w->filter, list.certs[i]))
			rc = add_cert(w, crypto_cert_ref(list.certs[i]), loc, store);
	crypto_certlist_clear(&list);
	return rc;
}

/* A location's stores matching pattern, or with recurse their certificates. */
static int
walk_location(struct walk *w, enum crypto_store_location loc, const char *pattern,
    int recurse)
{
	char **names = NULL;
	size_t n = 0, i;
	int rc;

	rc = crypto_store_names(loc, &names, &n, w->err);
	for (i = 0; i < n && rc == 0; i++) {
		if (pattern != NULL && fnmatch(pattern, names[i], FNM_CASEFOLD) != 0)
			continue;
		if (recurse) {
			w->matched++;
			rc = walk_store(w, loc, names[i], NULL);
		} else
			rc = add_store(w, loc, names[i]);
	}
	crypto_store_names_free(names, n);
	return rc;
}

static int
walk_path(struct walk *w, const char *text, const struct crypto_store_path *path,
    const char *pattern, unsigned flags)
{
	int item = (flags & CRYPTO_STORE_WALK_ITEM) && pattern == NULL;
	int recurse = (flags & CRYPTO_STORE_WALK_RECURSE) != 0;
	struct crypto_cert *cert = NULL;
	size_t i;
	int rc = 0;

	if (!path->has_location) {
		for (i = 0; i < 2 && rc == 0; i++) {
			if (pattern != NULL && fnmatch(pattern,
			    crypto_store_location_name(locations[i]), FNM_CASEFOLD) != 0)
				continue;
			if (recurse) {
				w->matched++;
				rc = walk_location(w, locations[i], NULL, 1);
			} else
				rc = add_location(w, locations[i]);
		}
		return rc;
	}
	if (path->store == NULL)
		return item ? add_location(w, path->location) :
		    walk_location(w, path->location, pattern, recurse);
	if (!crypto_store_exists(path->location, path->store))
		return pk_fail(w->err, PK_ERR_NOT_FOUND, "Cannot find the X509 certificate "
		    "store at path %s.", text);
	if (path->thumbprint[0] == '\0')
		return item ? add_store(w, path->location, path->store) :
		    walk_store(w, path->location, path->store, pattern);
	if ((rc = crypto_store_find(path->location, path->store, path->thumbprint, &cert,
	    NULL, w->err)) != 0)
		return rc;
	if (!passes(w->filter, cert)) {
		crypto_cert_free(cert);
		return 0;
	}
	return add_cert(w, cert, path->location, path->store);
}

int
crypto_store_walk(const char *text, unsigned flags, const struct crypto_store_filter *filter,
    struct crypto_store_items *out, size_t *matched, struct pk_error *err)
{
	struct walk w = { filter, out, 0, err };
	struct crypto_store_path path;
	char *copy, *end, *pattern = NULL;
	size_t i;
	int rc;

	memset(&path, 0, sizeof(path));
	if ((copy = strdup(text)) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	end = copy + strlen(copy);
	while (end > copy && (end[-1] == '\\' || end[-1] == '/'))
		*--end = '\0';
	for (i = strlen(copy); i > 0 && copy[i - 1] != '\\' && copy[i - 1] != '/'; i--)
		;
	if (i > 0 && strpbrk(copy + i, "*?[") != NULL) {
		pattern = copy + i;
		copy[i - 1] = '\0';
	}
	if ((rc = crypto_store_path_parse(copy, &path, err)) == 0)
		rc = walk_path(&w, text, &path, pattern, flags);
	crypto_store_path_clear(&path);
	free(copy);
	if (matched != NULL)
		*matched = w.matched;
	return rc;
}

void
crypto_store_items_clear(struct crypto_store_items *items)
{
	size_t i;

	for (i = 0; i < items->count; i++)
		item_clear(&items->items[i]);
	free(items->items);
	items->items = NULL;
	items->count = 0;
}
