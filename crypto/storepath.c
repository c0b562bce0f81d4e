/*
 * storepath.c: Cert:\ paths as the certificate provider reads them
 * (pki-cmdlets.md §6): the drive or the provider-qualified form, '\' or '/',
 * any case; location, store, thumbprint.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "crypto/store.h"

#define PROVIDER_PREFIX "Microsoft.PowerShell.Security\\Certificate::"
#define SHORT_PREFIX "Certificate::"

static const char *const location_names[] = {
	[CRYPTO_STORE_CURRENT_USER] = "CurrentUser",
	[CRYPTO_STORE_LOCAL_MACHINE] = "LocalMachine",
};

/* The text after the drive or provider prefix, or NULL when there is none. */
static const char *
after_prefix(const char *text)
{
	if (strncasecmp(text, "Cert:", 5) == 0)
		return text + 5;
	if (strncasecmp(text, PROVIDER_PREFIX, strlen(PROVIDER_PREFIX)) == 0)
		return text + strlen(PROVIDER_PREFIX);
	if (strncasecmp(text, "Microsoft.PowerShell.Security/Certificate::", 43) == 0)
		return text + 43;
	if (strncasecmp(text, SHORT_PREFIX, strlen(SHORT_PREFIX)) == 0)
		return text + strlen(SHORT_PREFIX);
	return NULL;
}

int
crypto_store_path_is_cert(const char *text)
{
	return text != NULL && after_prefix(text) != NULL;
}

static int
is_thumbprint(const char *s, size_t len)
{
	size_t i;

	if (len != 40)
		return 0;
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Splits the rest of the path at '\' or '/', skipping empty parts. */
static size_t
components(const char *rest, const char **part, size_t *len, size_t max)
{
	size_t n = 0;

	while (*rest != '\0') {
		size_t k = strcspn(rest, "\\/");

		if (k > 0) {
			if (n == max)
				return max + 1;
			part[n] = rest;
			len[n++] = k;
		}
		rest += k;
		if (*rest != '\0')
			rest++;
	}
	return n;
}

int
crypto_store_path_parse(const char *text, struct crypto_store_path *out,
    struct pk_error *err)
{
	const char *rest, *part[3];
	size_t len[3], n;

	memset(out, 0, sizeof(*out));
	if ((rest = after_prefix(text)) == NULL)
		return pk_fail(err, PK_ERR_NOT_FOUND, "Cannot process the path because path "
		    "%s is not a valid certificate provider path.", text);
	n = components(rest, part, len, 3);
	if (n > 3 || (n == 3 && !is_thumbprint(part[2], len[2])))
		return pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find the X509 certificate at "
		    "path %s.", text);
	if (n == 0)
		return 0;
	out->has_location = 1;
	if (len[0] == 11 && strncasecmp(part[0], "CurrentUser", 11) == 0)
		out->location = CRYPTO_STORE_CURRENT_USER;
	else if (len[0] == 12 && strncasecmp(part[0], "LocalMachine", 12) == 0)
		out->location = CRYPTO_STORE_LOCAL_MACHINE;
	else
		return pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find the certificate store "
		    "because the specified X509 store location %.*s is not valid.",
		    (int)len[0], part[0]);
	if (n >= 2) {
		/* A store name becomes a directory name: no dots alone, nothing odd. */
		if ((len[1] <= 2 && part[1][0] == '.') ||
		    (out->store = strndup(part[1], len[1])) == NULL)
			return pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find the X509 "
			    "certificate store at path %s.", text);
	}
	if (n == 3) {
		size_t i;

		for (i = 0; i < 40; i++)
			out->thumbprint[i] = (char)toupper((unsigned char)part[2][i]);
		out->thumbprint[40] = '\0';
	}
	return 0;
}

void
crypto_store_path_clear(struct crypto_store_path *path)
{
	free(path->store);
	memset(path, 0, sizeof(*path));
}

const char *
crypto_store_location_name(enum crypto_store_location loc)
{
	return location_names[loc];
}

char *
crypto_store_path_parent(const struct crypto_store_path *path)
{
	char *out;

	if (!path->has_location)
		return strdup("");
	if (path->store == NULL)
		return strdup(location_names[path->location]);
	if (asprintf(&out, "%s\\%s", location_names[path->location], path->store) < 0)
		return NULL;
	return out;
}
