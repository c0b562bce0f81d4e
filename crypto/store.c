/*
 * store.c: certificate stores as directories of password-less PFX files, one
 * per certificate, named <THUMBPRINT>.pfx: the layout .NET uses on Linux
 * (powershell-semantics.md §5.1), so pwsh and pkishim share CurrentUser stores.
 * One file holds a certificate and its key, so neither can appear without
 * the other, and atomicfile's rename makes every change all-or-nothing.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/atomicfile.h"
#include "crypto/certfile.h"
#include "crypto/pfx.h"
#include "crypto/pfxint.h"
#include "crypto/secret.h"
#include "crypto/store.h"
#include "crypto/storeowner.h"

#define SYSTEM_STORE_DIR "/var/lib/pkishim"
#define STORE_FILE_MAX (1u << 20)

static const char *
home_dir(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home != NULL && *home != '\0')
		return home;
	pw = getpwuid(geteuid());
	return pw != NULL ? pw->pw_dir : "/";
}

/* Store names are case-insensitive ("My", "MY"): directories use lower case, as .NET does. */
static char *
lower(const char *s)
{
	char *out = strdup(s), *c;

	for (c = out; c != NULL && *c != '\0'; c++)
		*c = (char)tolower((unsigned char)*c);
	return out;
}

/*
 * mkdir -p, each directory it creates 0700 whatever the umask, and durable:
 * its parent is synced before anything goes into it (a file's directory is
 * synced by atomicfile, but a new directory's own entry only by this).
 */
static int
make_dirs(const char *path, struct pk_error *err)
{
	char buf[4096], parent[4096], *p, *slash;
	struct stat st;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return pk_fail(err, PK_ERR_IO, "The path '%s' is too long.", path);
	for (p = buf + 1;; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (stat(buf, &st) != 0) {
			if (mkdir(buf, 0700) != 0 && errno != EEXIST)
				return pk_fail(err, PK_ERR_IO, "Cannot create the store directory "
				    "'%s': %s.", buf, strerror(errno));
			chmod(buf, 0700);
			snprintf(parent, sizeof(parent), "%s", buf);
			slash = strrchr(parent, '/');
			if (slash == NULL)
				snprintf(parent, sizeof(parent), ".");
			else
				slash[slash == parent ? 1 : 0] = '\0';
			/* A parent we may write in but not read cannot be opened to sync. */
			if (atomicfile_sync_dir(parent) != 0 && errno != EACCES)
				return pk_fail(err, PK_ERR_IO, "Cannot create the store directory "
				    "'%s': %s.", buf, strerror(errno));
		} else if (!S_ISDIR(st.st_mode))
			return pk_fail(err, PK_ERR_IO, "'%s' is not a directory.", buf);
		if (c == '\0')
			break;
		*p = '/';
	}
	return 0;
}

/* LocalMachine lives in the system directory when this user may write there. */
static int
system_dir_usable(void)
{
	struct stat st;

	if (stat(SYSTEM_STORE_DIR, &st) == 0)
		return S_ISDIR(st.st_mode) && access(SYSTEM_STORE_DIR, W_OK | X_OK) == 0;
	return access("/var/lib", W_OK | X_OK) == 0;
}

int
crypto_store_dir(enum crypto_store_location loc, const char *store, int create,
    char **dir, struct pk_error *err)
{
	const char *root = getenv("PKISHIM_STORE_ROOT");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *base, *below;
	char *name = lower(store), *out = NULL;
	int n, rc;

	*dir = NULL;
	if (name == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	/* base is the caller's; pkishim makes (and vouches for) what is below it. */
	if (root != NULL && *root != '\0') {
		base = root;
		below = crypto_store_location_name(loc);
	} else if (loc == CRYPTO_STORE_CURRENT_USER) {
		base = home_dir();
		below = ".dotnet/corefx/cryptography/x509stores";
	} else if (system_dir_usable()) {
		base = "/var/lib";
		below = "pkishim/LocalMachine";
	} else if (xdg != NULL && *xdg == '/') {
		base = xdg;
		below = "pkishim/LocalMachine";
	} else {
		base = home_dir();
		below = ".local/share/pkishim/LocalMachine";
	}
	n = asprintf(&out, "%s/%s/%s", base, below, name);
	free(name);
	if (n < 0)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	if ((create && (rc = make_dirs(out, err)) != 0) ||
	    (rc = store_owner_check_dirs(base, out, err)) != 0) {
		free(out);
		return rc;
	}
	*dir = out;
	return 0;
}

static char *
store_file(const char *dir, const char *thumbprint)
{
	char *path;
	size_t i, n = strlen(dir) + 1;

	if (asprintf(&path, "%s/%s.pfx", dir, thumbprint) < 0)
		return NULL;
	/* .NET names files by the upper-case thumbprint. */
	for (i = 0; i < 40 && path[n + i] != '\0'; i++)
		path[n + i] = (char)toupper((unsigned char)path[n + i]);
	return path;
}

/* A thumbprint names a file: 40 hex digits and nothing else may reach a path. */
static int
check_thumbprint(enum crypto_store_location loc, const char *store, const char *thumbprint,
    struct pk_error *err)
{
	size_t i;

	for (i = 0; i < 40; i++)
		if (!isxdigit((unsigned char)thumbprint[i]))
			break;
	if (i == 40 && thumbprint[40] == '\0')
		return 0;
	return pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find the X509 certificate at path "
	    "Cert:\\%s\\%s\\%s.", crypto_store_location_name(loc), store, thumbprint);
}

/* Whether cert is the one a store file's name gives: <THUMBPRINT>.pfx. */
static int
named_by(const char *path, const struct crypto_cert *cert)
{
	const char *base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	return strncasecmp(base, crypto_cert_thumbprint(cert), 40) == 0 &&
	    strcmp(base + 40, ".pfx") == 0;
}

static int
read_store_file(const char *path, unsigned flags, struct crypto_cert **out,
    struct pk_error *err)
{
	struct crypto_certlist list = { NULL, 0 };
	unsigned char *data = NULL;
	size_t len = 0, i;
	int rc;

	*out = NULL;
	if (store_owner_check_file(path) != 0)
		return pk_fail(err, PK_ERR_NOT_FOUND, "The store file '%s' is not the current "
		    "user's.", path);
	if ((rc = atomicfile_read(path, STORE_FILE_MAX, &data, &len, err)) != 0)
		return rc;
	if (flags & CRYPTO_STORE_READ_NO_KEY) {
		/*
		 * Without keys, the file's own certificate is the one its name
		 * gives; a file that holds no such certificate is read whole below.
		 */
		rc = pfx_decode(data, len, NULL, PFX_DECODE_NO_KEYS, &list, err);
		for (i = 0; rc == 0 && i < list.count && *out == NULL; i++)
			if (named_by(path, list.certs[i]))
				*out = list.certs[i];
		if (*out == NULL)
			crypto_certlist_clear(&list);
	}
	if (*out == NULL) {
		rc = crypto_pfx_decode(data, len, NULL, &list, err);
		/* The file's own certificate is the one with the key, else the only one. */
		for (i = 0; rc == 0 && i < list.count; i++)
			if (*out == NULL || crypto_cert_has_key(list.certs[i]))
				*out = list.certs[i];
	}
	secret_wipe(data, len);
	free(data);
	if (rc != 0)
		goto out;
	if (*out == NULL) {
		rc = pk_fail(err, PK_ERR_FORMAT, "The store file '%s' holds no certificate.", path);
		goto out;
	}
	crypto_cert_ref(*out);
out:
	crypto_certlist_clear(&list);
	return rc;
}

int
crypto_store_file(enum crypto_store_location loc, const char *store,
    const char *thumbprint, char **file, struct pk_error *err)
{
	char *dir = NULL;
	int rc;

	*file = NULL;
	if ((rc = check_thumbprint(loc, store, thumbprint, err)) != 0 ||
	    (rc = crypto_store_dir(loc, store, 0, &dir, err)) != 0)
		return rc;
	if ((*file = store_file(dir, thumbprint)) == NULL)
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	free(dir);
	return rc;
}

int
crypto_store_find(enum crypto_store_location loc, const char *store,
    const char *thumbprint, struct crypto_cert **out, char **file,
    struct pk_error *err)
{
	return crypto_store_find_ex(loc, store, thumbprint, 0, out, file, err);
}

int
crypto_store_find_ex(enum crypto_store_location loc, const char *store,
    const char *thumbprint, unsigned flags, struct crypto_cert **out, char **file,
    struct pk_error *err)
{
	char *path = NULL;
	int rc;

	*out = NULL;
	if (file != NULL)
		*file = NULL;
	if ((rc = crypto_store_file(loc, store, thumbprint, &path, err)) != 0)
		return rc;
	if (access(path, F_OK) != 0) {
		rc = pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find the X509 certificate at "
		    "path Cert:\\%s\\%s\\%s.", crypto_store_location_name(loc), store, thumbprint);
		goto out;
	}
	if ((rc = read_store_file(path, flags, out, err)) != 0)
		goto out;
	if (file != NULL) {
		*file = path;
		path = NULL;
	}
out:
	free(path);
	return rc;
}

int
crypto_store_add(enum crypto_store_location loc, const char *store,
    const struct crypto_cert *cert, char **file, struct pk_error *err)
{
	return crypto_store_add_ex(loc, store, cert, 0, file, err);
}

/*
 * The file is what .NET's store writes (powershell-semantics.md §5.1): a
 * password-less 3DES/SHA-1 PFX, so pwsh's X509Store reads it; the key set
 * follows the store's location as a Windows import makes it.
 */
/*
 * How a store file is encoded. It has no password, so PBE iterations protect
 * nothing (its mode, 0600, does); one iteration keeps every read cheap: with
 * .NET's 2000, the PKCS#12 KDF took 92% of an Export-Certificate's instructions.
 */
static struct crypto_pfx_options
entry_options(enum crypto_store_location loc, unsigned flags)
{
	struct crypto_pfx_options options = {
		.algorithm = CRYPTO_PFX_TRIPLEDES_SHA1, .keep_nonexportable = 1, .iterations = 1,
		.mark_nonexportable = (flags & CRYPTO_STORE_ADD_NONEXPORTABLE) != 0,
		.key_set = loc == CRYPTO_STORE_LOCAL_MACHINE ? CRYPTO_PFX_KEY_SET_MACHINE :
		    CRYPTO_PFX_KEY_SET_USER
	};

	return options;
}

int
crypto_store_add_ex(enum crypto_store_location loc, const char *store,
    const struct crypto_cert *cert, unsigned flags, char **file, struct pk_error *err)
{
	struct crypto_pfx_options options = entry_options(loc, flags);
	struct crypto_cert *present = NULL;
	struct filelock *lock = NULL;
	unsigned char *der = NULL;
	size_t len = 0;
	char *dir = NULL, *path = NULL;
	int rc;

	if (file != NULL)
		*file = NULL;
	if ((rc = crypto_store_dir(loc, store, 1, &dir, err)) != 0)
		return rc;
	if ((path = store_file(dir, crypto_cert_thumbprint(cert))) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	/*
	 * Decided under the entry's lock, held until the rename: adding without a
	 * key what is there already is a no-op (as .NET), so a key-less add can
	 * never replace the entry that holds the key, whoever writes at once.
	 */
	if ((rc = filelock_acquire((const char *const *)&path, 1, &lock, err)) != 0)
		goto out;
	if (!crypto_cert_has_key(cert) && read_store_file(path, 0, &present, NULL) == 0)
		goto done;
	if ((rc = crypto_pfx_encode((struct crypto_cert *const *)&cert, 1, NULL, &options,
	    &der, &len, err)) != 0)
		goto out;
	if ((rc = atomicfile_write(path, der, len, ATOMICFILE_SECRET, err)) != 0)
		goto out;
done:
	if (file != NULL) {
		*file = path;
		path = NULL;
	}
	rc = 0;
out:
	filelock_release(lock);
	if (der != NULL) {
		secret_wipe(der, len);
		free(der);
	}
	crypto_cert_free(present);
	free(path);
	free(dir);
	return rc;
}

/*
 * CertEnroll, behind New-SelfSignedCertificate, installs a self-signed
 * certificate in the store asked for and a second copy in the Intermediate
 * Certification Authorities store (CA) of the same location; published
 * scripts remove that copy, move it to Root or sign with it
 * (docs/windows-behaviours.md). Both files are one batch: one barrier, then
 * the renames, then each directory synced.
 */
int
crypto_store_enroll(enum crypto_store_location loc, const char *store,
    const struct crypto_cert *cert, char **file, struct pk_error *err)
{
	struct crypto_pfx_options options = entry_options(loc, 0);
	const char *stores[2] = { store, "CA" };
	char *paths[2] = { NULL, NULL }, *dir = NULL;
	struct atomicfile_batch *batch = NULL;
	struct filelock *lock = NULL;
	unsigned char *der = NULL;
	size_t i, len = 0;
	int rc;

	if (file != NULL)
		*file = NULL;
	if (!crypto_cert_self_signed(cert))
		return crypto_store_add(loc, store, cert, file, err);
	for (i = 0; i < 2; i++) {
		if ((rc = crypto_store_dir(loc, stores[i], 1, &dir, err)) != 0)
			goto out;
		paths[i] = store_file(dir, crypto_cert_thumbprint(cert));
		free(dir);
		dir = NULL;
		if (paths[i] == NULL) {
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
	}
	if ((rc = filelock_acquire((const char *const *)paths, 2, &lock, err)) != 0 ||
	    (rc = crypto_pfx_encode((struct crypto_cert *const *)&cert, 1, NULL, &options,
	    &der, &len, err)) != 0)
		goto out;
	if ((batch = atomicfile_batch_new()) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	for (i = 0; i < 2; i++)
		if ((rc = atomicfile_batch_add(batch, paths[i], der, len, ATOMICFILE_SECRET,
		    NULL, 0, err)) != 0)
			goto out;
	if ((rc = atomicfile_batch_commit(batch, NULL, err)) != 0)
		goto out;
	if (file != NULL) {
		*file = paths[0];
		paths[0] = NULL;
	}
out:
	atomicfile_batch_free(batch);
	filelock_release(lock);
	if (der != NULL) {
		secret_wipe(der, len);
		free(der);
	}
	free(paths[0]);
	free(paths[1]);
	return rc;
}

int
crypto_store_shared_with_dotnet(enum crypto_store_location loc)
{
	const char *root = getenv("PKISHIM_STORE_ROOT");

	return loc == CRYPTO_STORE_CURRENT_USER && (root == NULL || *root == '\0');
}

/* Only what a store holds goes: files, not subdirectories (rmdir then refuses). */
int
crypto_store_delete(enum crypto_store_location loc, const char *store, struct pk_error *err)
{
	char *dir = NULL, *file = NULL;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rc = 0;

	if ((rc = crypto_store_dir(loc, store, 0, &dir, err)) != 0)
		return rc;
	if ((d = opendir(dir)) == NULL) {
		rc = errno == ENOENT ? pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find the X509 "
		    "certificate store at path Cert:\\%s\\%s.", crypto_store_location_name(loc),
		    store) : pk_fail(err, PK_ERR_IO, "Cannot open '%s': %s.", dir, strerror(errno));
		free(dir);
		return rc;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (asprintf(&file, "%s/%s", dir, de->d_name) < 0) {
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			break;
		}
		if (lstat(file, &st) == 0 && !S_ISDIR(st.st_mode) && unlink(file) != 0 &&
		    errno != ENOENT)
			rc = pk_fail(err, PK_ERR_IO, "Cannot remove '%s': %s.", file,
			    strerror(errno));
		free(file);
	}
	closedir(d);
	if (rc == 0 && rmdir(dir) != 0)
		rc = pk_fail(err, PK_ERR_IO, "Cannot remove the store directory '%s': %s.",
		    dir, strerror(errno));
	free(dir);
	return rc;
}

static int
compare_thumbprints(const void *a, const void *b)
{
	return strcmp(crypto_cert_thumbprint(*(struct crypto_cert *const *)a),
	    crypto_cert_thumbprint(*(struct crypto_cert *const *)b));
}

int
crypto_store_list(enum crypto_store_location loc, const char *store,
    struct crypto_certlist *out, struct pk_error *err)
{
	return crypto_store_list_ex(loc, store, 0, out, err);
}

int
crypto_store_list_ex(enum crypto_store_location loc, const char *store,
    unsigned flags, struct crypto_certlist *out, struct pk_error *err)
{
	struct crypto_cert *cert;
	struct pk_error skipped;
	struct dirent *de;
	char *dir = NULL, *path;
	size_t first = out->count;
	DIR *d = NULL;
	int rc;

	if ((rc = crypto_store_dir(loc, store, 0, &dir, err)) != 0)
		return rc;
	if ((d = opendir(dir)) == NULL) {
		/* A store nobody wrote to yet is empty, as .NET shows it. */
		rc = errno == ENOENT ? 0 : pk_fail(err, PK_ERR_IO, "Cannot read the store "
		    "'%s': %s.", dir, strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n < 5 || strcmp(de->d_name + n - 4, ".pfx") != 0 || de->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0) {
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
		/* Entries that do not load are skipped, as .NET's store does; -Verbose says so. */
		if ((rc = read_store_file(path, flags, &cert, &skipped)) != 0)
			pk_verbose("Skipped the store entry '%s': %s", path, skipped.msg);
		else if (crypto_certlist_add(out, cert) != 0) {
			crypto_cert_free(cert);
			free(path);
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
		free(path);
	}
	if (out->count > first)   /* certs may still be NULL: nothing listed */
		qsort(out->certs + first, out->count - first, sizeof(*out->certs),
		    compare_thumbprints);
	rc = 0;
out:
	if (d != NULL)
		closedir(d);
	free(dir);
	return rc;
}

int
crypto_store_remove(enum crypto_store_location loc, const char *store,
    const char *thumbprint, struct pk_error *err)
{
	struct filelock *lock = NULL;
	char *path = NULL;
	int rc;

	if ((rc = crypto_store_file(loc, store, thumbprint, &path, err)) != 0)
		return rc;
	/* A missing store directory means a missing certificate: unlink says so below. */
	if (filelock_acquire((const char *const *)&path, 1, &lock, NULL) != 0)
		lock = NULL;
	if (unlink(path) != 0) {
		rc = errno == ENOENT ?
		    pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find the X509 certificate at path "
		    "Cert:\\%s\\%s\\%s.", crypto_store_location_name(loc), store, thumbprint) :
		    pk_fail(err, PK_ERR_IO, "Cannot remove '%s': %s.", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	filelock_release(lock);
	free(path);
	return rc;
}

/* The stores Windows has in both locations; others exist when their directory does. */
static const char *const standard_stores[] = { "My", "Root", "CA", "AuthRoot", "Disallowed",
	"TrustedPeople", "TrustedPublisher", "AddressBook", "Trust", "REQUEST",
	"TrustedDevices", "WebHosting", "Remote Desktop", "SmartCardRoot",
	"ClientAuthIssuer", NULL };

static int
is_standard_store(const char *store)
{
	size_t i;

	for (i = 0; standard_stores[i] != NULL; i++)
		if (strcasecmp(standard_stores[i], store) == 0)
			return 1;
	return 0;
}

int
crypto_store_exists(enum crypto_store_location loc, const char *store)
{
	struct stat st;
	char *dir = NULL;
	int exists;

	if (is_standard_store(store))
		return 1;
	if (crypto_store_dir(loc, store, 0, &dir, NULL) != 0)
		return 0;
	exists = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	free(dir);
	return exists;
}

static int
add_name(char ***names, size_t *n, const char *name)
{
	char **grown = realloc(*names, (*n + 1) * sizeof(*grown));

	if (grown == NULL)
		return PK_ERR_NOMEM;
	*names = grown;
	if ((grown[*n] = strdup(name)) == NULL)
		return PK_ERR_NOMEM;
	(*n)++;
	return 0;
}

int
crypto_store_names(enum crypto_store_location loc, char ***names, size_t *count,
    struct pk_error *err)
{
	char *dir = NULL, *slash;
	struct dirent *de;
	DIR *d = NULL;
	size_t i;
	int rc = 0;

	*names = NULL;
	*count = 0;
	for (i = 0; standard_stores[i] != NULL && rc == 0; i++)
		rc = add_name(names, count, standard_stores[i]);
	/* The other stores of a location are the directories beside "my". */
	if (rc == 0 && crypto_store_dir(loc, "my", 0, &dir, NULL) == 0 &&
	    (slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		d = opendir(dir);
	}
	while (d != NULL && rc == 0 && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' && !is_standard_store(de->d_name))
			rc = add_name(names, count, de->d_name);
	if (d != NULL)
		closedir(d);
	free(dir);
	if (rc != 0) {
		crypto_store_names_free(*names, *count);
		*names = NULL;
		*count = 0;
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	}
	return 0;
}

void
crypto_store_names_free(char **names, size_t count)
{
	while (count > 0)
		free(names[--count]);
	free(names);
}

int
crypto_store_path_parse_target(const char *text, struct crypto_store_path *path,
    struct pk_error *err)
{
	int rc;

	memset(path, 0, sizeof(*path));
	if (text == NULL)
		return pk_fail(err, PK_ERR_USAGE, "The current location is not in the Cert: "
		    "drive; give -CertStoreLocation, for example Cert:\\CurrentUser\\My.");
	if ((rc = crypto_store_path_parse(text, path, err)) != 0)
		return rc;
	if (path->store == NULL || path->thumbprint[0] != '\0')
		return pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find the X509 certificate store "
		    "at path %s.", text);
	if (!crypto_store_exists(path->location, path->store))
		return pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find the X509 certificate store "
		    "at path %s.", text);
	return 0;
}
