/*
 * storeresolve.c: what a -Cert, -Signer or -CloneCert argument can hold, in
 * the shapes scripts give it (script-corpus.md §2.2): a Cert:\ path, a
 * thumbprint, a file, or the text pwsh makes of an X509Certificate2.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto/atomicfile.h"
#include "crypto/certfile.h"
#include "crypto/store.h"

/* 40 hex digits, spaces allowed between them (as certmgr shows thumbprints). */
static int
parse_thumbprint(const char *text, char out[41])
{
	size_t n = 0;

	for (; *text != '\0'; text++) {
		if (*text == ' ' || *text == '\t')
			continue;
		if (!isxdigit((unsigned char)*text) || n == 40)
			return 0;
		out[n++] = (char)toupper((unsigned char)*text);
	}
	out[n] = '\0';
	return n == 40;
}

/* X509Certificate2.ToString(): "[Thumbprint]" then the value on the next line. */
static int
thumbprint_from_text(const char *text, char out[41])
{
	const char *at = strstr(text, "[Thumbprint]");
	char line[128];
	size_t n;

	if (at == NULL)
		return 0;
	at += strlen("[Thumbprint]");
	while (*at == '\r' || *at == '\n')
		at++;
	n = strcspn(at, "\r\n");
	if (n >= sizeof(line))
		return 0;
	memcpy(line, at, n);
	line[n] = '\0';
	return parse_thumbprint(line, out);
}

/* A JSON line of PKISHIM_OUTPUT=json (cmdlets/certout.h): its "Thumbprint" member. */
static int
thumbprint_from_json(const char *text, char out[41])
{
	static const char key[] = "\"Thumbprint\":\"";
	const char *at;
	char value[41];

	if (*text != '{' || (at = strstr(text, key)) == NULL)
		return 0;
	at += strlen(key);
	if (strlen(at) < 41 || at[40] != '"')
		return 0;
	memcpy(value, at, 40);
	value[40] = '\0';
	return parse_thumbprint(value, out);
}

/* Every store of a location that has a directory: where a bare thumbprint may live. */
static int
find_anywhere(const char *thumbprint, unsigned flags, struct crypto_certlist *out,
    struct pk_error *err)
{
	static const enum crypto_store_location locations[] = {
		CRYPTO_STORE_CURRENT_USER, CRYPTO_STORE_LOCAL_MACHINE
	};
	size_t i;
	int rc;

	for (i = 0; i < sizeof(locations) / sizeof(locations[0]); i++) {
		char *my = NULL, *parent, *slash;
		struct dirent *de;
		DIR *d;

		if ((rc = crypto_store_dir(locations[i], "my", 0, &my, err)) != 0)
			return rc;
		parent = my;
		if ((slash = strrchr(parent, '/')) != NULL)
			*slash = '\0';
		if ((d = opendir(parent)) == NULL) {
			free(my);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			struct crypto_cert *cert = NULL;

			if (de->d_name[0] == '.')
				continue;
			if (crypto_store_find_ex(locations[i], de->d_name, thumbprint, flags,
			    &cert, NULL, NULL) == 0) {
				closedir(d);
				free(my);
				if (crypto_certlist_add(out, cert) != 0) {
					crypto_cert_free(cert);
					return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
				}
				return 0;
			}
		}
		closedir(d);
		free(my);
	}
	return pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find a certificate with the "
	    "thumbprint %s in any store.", thumbprint);
}

static int
resolve_store_path(const char *ref, unsigned flags, struct crypto_certlist *out,
    struct pk_error *err)
{
	struct crypto_store_path path;
	struct crypto_cert *cert = NULL;
	int rc;

	if ((rc = crypto_store_path_parse(ref, &path, err)) != 0)
		return rc;
	if (path.store == NULL)
		rc = pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find the X509 certificate at "
		    "path %s.", ref);
	else if (path.thumbprint[0] == '\0')
		rc = crypto_store_list_ex(path.location, path.store, flags, out, err);
	else if ((rc = crypto_store_find_ex(path.location, path.store, path.thumbprint,
	    flags, &cert, NULL, err)) == 0 && crypto_certlist_add(out, cert) != 0) {
		crypto_cert_free(cert);
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	}
	crypto_store_path_clear(&path);
	return rc;
}

int
crypto_store_resolve(const char *ref, const char *password,
    struct crypto_certlist *out, struct pk_error *err)
{
	return crypto_store_resolve_ex(ref, password, 0, out, err);
}

int
crypto_store_resolve_ex(const char *ref, const char *password, unsigned flags,
    struct crypto_certlist *out, struct pk_error *err)
{
	char thumbprint[41], *file = NULL, *text;
	struct stat st;
	size_t n;
	int rc;

	/* Captured output arrives with its newline: what surrounds the reference is not part of it. */
	while (isspace((unsigned char)*ref))
		ref++;
	for (n = strlen(ref); n > 0 && isspace((unsigned char)ref[n - 1]); n--)
		continue;
	if ((text = strndup(ref, n)) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	if (crypto_store_path_is_cert(text)) {
		rc = resolve_store_path(text, flags, out, err);
		goto out;
	}
	if (parse_thumbprint(text, thumbprint) || thumbprint_from_text(text, thumbprint) ||
	    thumbprint_from_json(text, thumbprint)) {
		rc = find_anywhere(thumbprint, flags, out, err);
		goto out;
	}
	/* A file path; '\' is a separator, as pwsh reads ".\cert.cer". */
	if ((file = atomicfile_native_path(text)) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
		rc = crypto_certfile_load(file, password, out, err);
	else
		rc = pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find the certificate '%s': it is "
		    "not a Cert:\\ path, a thumbprint, or a certificate file.", text);
out:
	free(file);
	free(text);
	return rc;
}
