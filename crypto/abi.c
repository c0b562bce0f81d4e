/*
 * abi.c: libpkishim's flat interface (pkishim_abi.h) over the store code:
 * the Cert: provider's operations, each one call into crypto/store*.c.
 * Windows' refusals (CertificateProvider.cs) are decided here, not in C#.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto/certfile.h"
#include "crypto/pkishim_abi.h"
#include "crypto/store.h"
#include "crypto/storewalk.h"

struct pkishim_cursor {
	struct crypto_store_items items;
	size_t next;                    /* the current item is items[next - 1] */
};

/* The last failure of this thread. */
static _Thread_local struct pk_error last;
static _Thread_local const char *last_id = "";

static int fail_with(const char *id, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A failure with Windows' error id for it. */
static int
fail_with(const char *id, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last.msg, sizeof(last.msg), fmt, ap);
	va_end(ap);
	last.code = code;
	last_id = id;
	return code;
}

/* Keeps a failure's code and message; the id follows from the code. */
static int
failed(int rc)
{
	if (rc == 0)
		return 0;
	last.code = rc;
	if (last.msg[0] == '\0')
		snprintf(last.msg, sizeof(last.msg), "%s", pk_strerror(rc));
	last_id = rc == PK_ERR_NOT_FOUND ? "PathNotFound" : rc == PK_ERR_EXISTS ?
	    "ItemExists" : "CertificateProviderError";
	return rc;
}

static void
reset(void)
{
	last.code = 0;
	last.msg[0] = '\0';
	last_id = "";
}

/* A provider path ("\CurrentUser\My", "") as the Cert:\ path the store code parses. */
static char *
cert_path(const char *path)
{
	char *out;

	if (path == NULL)
		path = "";
	if (crypto_store_path_is_cert(path))
		return strdup(path);
	while (*path == '\\' || *path == '/')
		path++;
	if (asprintf(&out, "Cert:\\%s", path) < 0)
		return NULL;
	return out;
}

static int
parse(const char *path, struct crypto_store_path *out)
{
	char *text = cert_path(path);
	int rc;

	memset(out, 0, sizeof(*out));
	if (text == NULL)
		return failed(pk_fail(&last, PK_ERR_NOMEM, "Out of memory."));
	rc = crypto_store_path_parse(text, out, &last);
	free(text);
	return failed(rc);
}

int
pkishim_abi_version(void)
{
	return PKISHIM_ABI_VERSION;
}

const char *
pkishim_last_error(void)
{
	return last.msg;
}

int
pkishim_last_error_code(void)
{
	return last.code;
}

const char *
pkishim_last_error_id(void)
{
	return last_id;
}

void
pkishim_free(void *p)
{
	free(p);
}

static int
kind_of(const struct crypto_store_path *p)
{
	struct crypto_cert *cert = NULL;

	if (!p->has_location)
		return PKISHIM_KIND_ROOT;
	if (p->store == NULL)
		return PKISHIM_KIND_LOCATION;
	if (!crypto_store_exists(p->location, p->store))
		return PKISHIM_KIND_NONE;
	if (p->thumbprint[0] == '\0')
		return PKISHIM_KIND_STORE;
	if (crypto_store_find(p->location, p->store, p->thumbprint, &cert, NULL, NULL) != 0)
		return PKISHIM_KIND_NONE;
	crypto_cert_free(cert);
	return PKISHIM_KIND_CERT;
}

int
pkishim_path_kind(const char *path)
{
	struct crypto_store_path p;
	int rc;

	reset();
	if ((rc = parse(path, &p)) != 0) {
		/* A path beyond the provider's depth names nothing; only garbage is an error. */
		return rc == PK_ERR_NOT_FOUND ? (reset(), PKISHIM_KIND_NONE) : rc;
	}
	rc = kind_of(&p);
	crypto_store_path_clear(&p);
	return rc;
}

int
pkishim_store_is_dotnet(const char *path)
{
	struct crypto_store_path p;
	int rc;

	reset();
	if ((rc = parse(path, &p)) != 0)
		return rc;
	rc = p.has_location && crypto_store_shared_with_dotnet(p.location);
	crypto_store_path_clear(&p);
	return rc;
}

int
pkishim_walk(const char *path, int flags, int filter, const char *const *ekus, int neku,
    const char *dns_name, int expiring_in_days, pkishim_cursor **out, int *matched)
{
	struct crypto_store_filter f = {
		.ekus = ekus, .nekus = neku > 0 ? (size_t)neku : 0, .dns_name = dns_name,
		.ssl_server_authentication = (filter & PKISHIM_FILTER_SSL_SERVER) != 0,
		.code_signing = (filter & PKISHIM_FILTER_CODE_SIGNING) != 0,
		.document_encryption = (filter & PKISHIM_FILTER_DOCUMENT_ENCRYPTION) != 0,
		.expiring = expiring_in_days >= 0, .expiring_in_days = expiring_in_days
	};
	unsigned walk_flags = ((flags & PKISHIM_WALK_ITEM) ? CRYPTO_STORE_WALK_ITEM : 0u) |
	    ((flags & PKISHIM_WALK_RECURSE) ? CRYPTO_STORE_WALK_RECURSE : 0u);
	struct pkishim_cursor *c;
	size_t n = 0;
	char *text;
	int rc;

	reset();
	*out = NULL;
	if (matched != NULL)
		*matched = 0;
	if ((c = calloc(1, sizeof(*c))) == NULL || (text = cert_path(path)) == NULL) {
		free(c);
		return failed(pk_fail(&last, PK_ERR_NOMEM, "Out of memory."));
	}
	rc = crypto_store_walk(text, walk_flags, &f, &c->items, &n, &last);
	free(text);
	if (rc != 0) {
		pkishim_cursor_free(c);
		return failed(rc);
	}
	if (matched != NULL)
		*matched = (int)n;
	*out = c;
	return 0;
}

int
pkishim_cursor_next(pkishim_cursor *c)
{
	if (c->next >= c->items.count)
		return 0;
	c->next++;
	return 1;
}

static const struct crypto_store_item *
current(const pkishim_cursor *c)
{
	return c->next > 0 ? &c->items.items[c->next - 1] : NULL;
}

int
pkishim_cursor_kind(const pkishim_cursor *c)
{
	const struct crypto_store_item *it = current(c);

	if (it == NULL)
		return PKISHIM_KIND_NONE;
	return it->kind == CRYPTO_STORE_ITEM_LOCATION ? PKISHIM_KIND_LOCATION :
	    it->kind == CRYPTO_STORE_ITEM_STORE ? PKISHIM_KIND_STORE : PKISHIM_KIND_CERT;
}

const char *
pkishim_cursor_location(const pkishim_cursor *c)
{
	const struct crypto_store_item *it = current(c);

	return it != NULL ? crypto_store_location_name(it->location) : NULL;
}

const char *
pkishim_cursor_store(const pkishim_cursor *c)
{
	const struct crypto_store_item *it = current(c);

	return it != NULL ? it->store : NULL;
}

const char *
pkishim_cursor_thumbprint(const pkishim_cursor *c)
{
	const struct crypto_store_item *it = current(c);

	return it != NULL && it->cert != NULL ? crypto_cert_thumbprint(it->cert) : NULL;
}

const char *
pkishim_cursor_file(const pkishim_cursor *c)
{
	const struct crypto_store_item *it = current(c);

	return it != NULL ? it->file : NULL;
}

const char *
pkishim_cursor_friendly_name(const pkishim_cursor *c)
{
	const struct crypto_store_item *it = current(c);
	const char *name = it != NULL && it->cert != NULL ? crypto_cert_friendly_name(it->cert) : NULL;

	return name != NULL && name[0] != '\0' ? name : NULL;
}

int
pkishim_cursor_der(const pkishim_cursor *c, unsigned char **der, size_t *len)
{
	const struct crypto_store_item *it = current(c);

	reset();
	*der = NULL;
	*len = 0;
	if (it == NULL || it->cert == NULL)
		return fail_with("NotACertificate", PK_ERR_USAGE, "%s",
		    "The current item is not a certificate.");
	return failed(crypto_cert_der(it->cert, der, len, &last));
}

int
pkishim_cursor_store_count(const pkishim_cursor *c)
{
	const struct crypto_store_item *it = current(c);

	return it != NULL ? (int)it->nstore_names : 0;
}

const char *
pkishim_cursor_store_name(const pkishim_cursor *c, int i)
{
	const struct crypto_store_item *it = current(c);

	if (it == NULL || i < 0 || (size_t)i >= it->nstore_names)
		return NULL;
	return it->store_names[i];
}

void
pkishim_cursor_free(pkishim_cursor *c)
{
	if (c == NULL)
		return;
	crypto_store_items_clear(&c->items);
	free(c);
}

/* The certificate path names, which must exist. */
static int
existing_cert(const struct crypto_store_path *p, const char *path)
{
	struct crypto_cert *cert = NULL;
	int rc;

	if (!crypto_store_exists(p->location, p->store))
		return fail_with("PathNotFound", PK_ERR_NOT_FOUND,
		    "Cannot find the X509 certificate store at path %s.", path);
	if ((rc = crypto_store_find(p->location, p->store, p->thumbprint, &cert, NULL,
	    &last)) != 0)
		return failed(rc);
	crypto_cert_free(cert);
	return 0;
}

int
pkishim_remove(const char *path, int delete_key)
{
	struct crypto_store_path p;
	int rc;

	(void)delete_key;
	reset();
	if ((rc = parse(path, &p)) != 0)
		return rc;
	if (p.thumbprint[0] != '\0') {
		if ((rc = existing_cert(&p, path)) == 0)
			rc = failed(crypto_store_remove(p.location, p.store, p.thumbprint, &last));
	} else if (p.store == NULL)
		rc = fail_with("CannotRemoveContainer", PK_ERR_USAGE, "%s",
		    "Remove-Item cannot remove a certificate store location or the Cert:\\ root.");
	else if (p.location == CRYPTO_STORE_CURRENT_USER)
		rc = fail_with("CannotDeleteUserStore", PK_ERR_UNSUPPORTED,
		    "Cannot remove the store %s: certificate stores under CurrentUser cannot be "
		    "deleted.", p.store);
	else
		rc = failed(crypto_store_delete(p.location, p.store, &last));
	crypto_store_path_clear(&p);
	return rc;
}

int
pkishim_move(const char *path, const char *dest_store)
{
	struct crypto_store_path from, to;
	struct crypto_cert *cert = NULL;
	int rc;

	reset();
	if ((rc = parse(path, &from)) != 0)
		return rc;
	if ((rc = parse(dest_store, &to)) != 0) {
		crypto_store_path_clear(&from);
		return rc;
	}
	if (from.thumbprint[0] == '\0')
		rc = fail_with("CannotMoveContainer", PK_ERR_USAGE, "Cannot move %s: only "
		    "certificates can be moved.", path);
	else if (to.store == NULL || to.thumbprint[0] != '\0' ||
	    !crypto_store_exists(to.location, to.store))
		rc = fail_with("InvalidDestStore", PK_ERR_USAGE, "The destination %s is not "
		    "an existing certificate store.", dest_store);
	else if (to.location != from.location)
		rc = fail_with("CannotMoveCrossContext", PK_ERR_USAGE, "%s", "Cannot move a "
		    "certificate between CurrentUser and LocalMachine.");
	else if (strcasecmp(to.store, from.store) == 0)
		rc = fail_with("CannotMoveToSameStore", PK_ERR_USAGE, "%s", "The source and the "
		    "destination are the same store.");
	else if ((rc = existing_cert(&from, path)) == 0 &&
	    (rc = failed(crypto_store_find(from.location, from.store, from.thumbprint, &cert,
	    NULL, &last))) == 0 &&
	    (rc = failed(crypto_store_add_ex(to.location, to.store, cert,
	    crypto_cert_exportable(cert) ? 0u : CRYPTO_STORE_ADD_NONEXPORTABLE, NULL,
	    &last))) == 0)
		rc = failed(crypto_store_remove(from.location, from.store, from.thumbprint,
		    &last));
	crypto_cert_free(cert);
	crypto_store_path_clear(&from);
	crypto_store_path_clear(&to);
	return rc;
}

int
pkishim_store_create(const char *path)
{
	struct crypto_store_path p;
	char *dir = NULL;
	int rc;

	reset();
	if ((rc = parse(path, &p)) != 0)
		return rc;
	if (p.store == NULL || p.thumbprint[0] != '\0')
		rc = fail_with("CannotCreateItem", PK_ERR_USAGE, "New-Item can only create a "
		    "certificate store, under Cert:\\LocalMachine; %s is not one.", path);
	else if (p.location == CRYPTO_STORE_CURRENT_USER)
		rc = fail_with("CannotCreateUserStore", PK_ERR_UNSUPPORTED, "Cannot create the "
		    "store %s: certificate stores cannot be created under CurrentUser.", p.store);
	else if (crypto_store_exists(p.location, p.store))
		rc = fail_with("ItemExists", PK_ERR_EXISTS, "The certificate store %s already "
		    "exists.", path);
	else
		rc = failed(crypto_store_dir(p.location, p.store, 1, &dir, &last));
	free(dir);
	crypto_store_path_clear(&p);
	return rc;
}

int
pkishim_store_add(const char *store_path, const unsigned char *data, size_t len)
{
	struct crypto_certlist list = { NULL, 0 };
	struct crypto_store_path p;
	size_t i, chosen = 0;
	int rc;

	reset();
	if ((rc = parse(store_path, &p)) != 0)
		return rc;
	if (p.store == NULL || p.thumbprint[0] != '\0')
		rc = fail_with("InvalidDestStore", PK_ERR_USAGE, "%s is not a certificate store.",
		    store_path);
	else if ((rc = failed(crypto_certfile_load_mem(data, len, NULL, &list, &last))) == 0) {
		/* A PFX's own certificate is the one with the key. */
		for (i = 0; i < list.count; i++)
			if (crypto_cert_has_key(list.certs[i]))
				chosen = i;
		rc = list.count == 0 ? fail_with("InvalidCertificate", PK_ERR_FORMAT, "%s",
		    "No certificate was given.") : failed(crypto_store_add_ex(p.location,
		    p.store, list.certs[chosen], crypto_cert_exportable(list.certs[chosen]) ?
		    0u : CRYPTO_STORE_ADD_NONEXPORTABLE, NULL, &last));
	}
	crypto_certlist_clear(&list);
	crypto_store_path_clear(&p);
	return rc;
}
