/*
 * Get-StoreCertificate: what Get-ChildItem and Get-Item show of a Cert:\ path
 * on Windows (reference/pki-cmdlets.md §6), for bash and for the module's
 * Cert:\ proxies: the locations, the stores of a location, the certificates
 * of a store, or one certificate, with the provider's filters.
 */
#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmdlets/certout.h"
#include "cmdlets/cmdlet.h"
#include "cmdlets/json.h"
#include "crypto/certinfo.h"
#include "crypto/store.h"

#define SWITCH "System.Management.Automation.SwitchParameter"
#define PROVIDER "Microsoft.PowerShell.Security\\Certificate::"
#define DAY_SECONDS 86400

static const struct param params[] = {
	{ .name = "Path", .kind = PARAM_STRINGS, .type_name = "System.String[]", .position = 0,
	  .mandatory = 1u, .flags = PARAM_PIPELINE_VALUE | PARAM_PIPELINE_PROPERTY | PARAM_WILDCARDS,
	  .help = "Cert:\\ paths: Cert:\\, a location, a store, or a certificate (wildcards in the thumbprint)." },
	{ .name = "Item", .kind = PARAM_SWITCH, .type_name = SWITCH, .position = PARAM_NAMED,
	  .help = "Show the item the path names (Get-Item), not its children (Get-ChildItem)." },
	{ .name = "Recurse", .kind = PARAM_SWITCH, .type_name = SWITCH, .position = PARAM_NAMED,
	  .help = "Every certificate below the path." },
	{ .name = "DnsName", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .flags = PARAM_WILDCARDS,
	  .help = "Only certificates with a matching name in DnsNameList." },
	{ .name = "Eku", .kind = PARAM_STRINGS, .type_name = "System.String[]",
	  .position = PARAM_NAMED, .flags = PARAM_WILDCARDS,
	  .help = "Only certificates whose EnhancedKeyUsageList matches every pattern." },
	{ .name = "ExpiringInDays", .kind = PARAM_INT, .type_name = "System.Int32",
	  .position = PARAM_NAMED, .help = "Only certificates that expire within that many days (0: expired)." },
	{ .name = "SSLServerAuthentication", .kind = PARAM_SWITCH, .type_name = SWITCH,
	  .position = PARAM_NAMED, .help = "Only certificates for Server Authentication." },
	{ .name = "CodeSigningCert", .kind = PARAM_SWITCH, .type_name = SWITCH,
	  .position = PARAM_NAMED, .help = "Only Code Signing certificates with a private key." },
	{ .name = "DocumentEncryptionCert", .kind = PARAM_SWITCH, .type_name = SWITCH,
	  .position = PARAM_NAMED, .help = "Only Document Encryption certificates." },
};

static const struct command command = {
	.name = "Get-StoreCertificate",
	.synopsis = "Lists Cert:\\ locations, stores and certificates, as Get-ChildItem and Get-Item do on Windows.",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.output_type = "System.Security.Cryptography.X509Certificates.X509Certificate2",
};

/* What -Path found: certificates to print, and containers (locations, stores). */
struct found {
	struct crypto_certlist certs;
	char **parents;     /* per certificate: "CurrentUser\My" */
	char **files;       /* per certificate: its store file */
	size_t nparents;
	size_t matched;     /* items the current path matched */
};

/* The provider's dynamic filters (CertificateProvider.cs), all of which must hold. */
static int
wanted(const struct binding *b, const struct crypto_cert *cert)
{
	const struct bound *eku = binder_get(b, "Eku"), *dns = binder_get(b, "DnsName");
	const struct bound *days = binder_get(b, "ExpiringInDays");
	size_t i;
	int ok = 1;

	for (i = 0; ok && i < eku->nitems; i++)
		ok = certinfo_matches_eku(cert, eku->items[i]);
	if (ok && binder_get(b, "SSLServerAuthentication")->on)
		ok = certinfo_matches_eku(cert, "1.3.6.1.5.5.7.3.1");
	if (ok && binder_get(b, "CodeSigningCert")->on)
		ok = certinfo_matches_eku(cert, "1.3.6.1.5.5.7.3.3") && crypto_cert_has_key(cert);
	if (ok && binder_get(b, "DocumentEncryptionCert")->on)
		ok = certinfo_matches_eku(cert, "1.3.6.1.4.1.311.80.1");
	if (ok && dns->present)
		ok = certinfo_matches_dns(cert, dns->text);
	if (ok && days->present)
		ok = crypto_cert_not_after(cert) <= (int64_t)time(NULL) +
		    (int64_t)days->number * DAY_SECONDS;
	return ok;
}

static int
add_cert(struct found *f, struct crypto_cert *cert, enum crypto_store_location loc,
    const char *store, struct pk_error *err)
{
	char **parents, **files, *dir = NULL;
	int rc;

	if ((rc = crypto_store_dir(loc, store, 0, &dir, err)) != 0)
		return rc;
	parents = realloc(f->parents, (f->nparents + 1) * sizeof(*parents));
	if (parents != NULL)
		f->parents = parents;
	files = realloc(f->files, (f->nparents + 1) * sizeof(*files));
	if (files != NULL)
		f->files = files;
	if (parents == NULL || files == NULL ||
	    asprintf(&f->parents[f->nparents], "%s\\%s", crypto_store_location_name(loc),
	    store) < 0) {
		free(dir);
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	}
	/* store.h's layout: <dir>/<THUMBPRINT>.pfx */
	if (asprintf(&f->files[f->nparents], "%s/%s.pfx", dir,
	    crypto_cert_thumbprint(cert)) < 0) {
		free(f->parents[f->nparents]);
		free(dir);
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	}
	free(dir);
	if (crypto_certlist_add(&f->certs, crypto_cert_ref(cert)) != 0) {
		crypto_cert_free(cert);
		free(f->parents[f->nparents]);
		free(f->files[f->nparents]);
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	}
	f->nparents++;
	f->matched++;
	return 0;
}

static void
print_store(enum crypto_store_location loc, const char *store)
{
	const char *where = crypto_store_location_name(loc);
	char path[512];

	snprintf(path, sizeof(path), PROVIDER "%s\\%s", where, store);
	if (cmdlet_json_output()) {
		fputc('{', stdout);
		json_field("Name", store, 1, stdout);
		json_field("Location", where, 0, stdout);
		json_field("PSPath", path, 0, stdout);
		fputs("}\n", stdout);
	} else if (isatty(STDOUT_FILENO))
		printf("\nName : %s\n\n", store);
	else
		printf("Cert:\\%s\\%s\n", where, store);
}

static void
print_location(enum crypto_store_location loc, char **names, size_t n)
{
	const char *where = crypto_store_location_name(loc);
	size_t i;

	if (cmdlet_json_output()) {
		fputc('{', stdout);
		json_field("Location", where, 1, stdout);
		fputs(",\"StoreNames\":[", stdout);
		for (i = 0; i < n; i++) {
			if (i > 0)
				fputc(',', stdout);
			json_string(names[i], stdout);
		}
		fputc(']', stdout);
		fprintf(stdout, ",\"PSPath\":\"" PROVIDER "%s\"}\n", where);
		return;
	}
	if (!isatty(STDOUT_FILENO)) {
		printf("Cert:\\%s\n", where);
		return;
	}
	printf("\nLocation   : %s\nStoreNames : {", where);
	for (i = 0; i < n; i++)
		printf("%s%s", i ? ", " : "", names[i]);
	printf("}\n\n");
}

/* A location as an item: its name and store names. */
static int
show_location(enum crypto_store_location loc, struct pk_error *err)
{
	char **names = NULL;
	size_t n = 0;
	int rc;

	if ((rc = crypto_store_names(loc, &names, &n, err)) == 0)
		print_location(loc, names, n);
	crypto_store_names_free(names, n);
	return rc;
}

static int
list_store(const struct binding *b, enum crypto_store_location loc, const char *store,
    const char *pattern, struct found *f, struct pk_error *err)
{
	struct crypto_certlist list = { NULL, 0 };
	size_t i;
	int rc;

	if ((rc = crypto_store_list(loc, store, &list, err)) != 0)
		return rc;
	for (i = 0; i < list.count && rc == 0; i++)
		if ((pattern == NULL || fnmatch(pattern, crypto_cert_thumbprint(list.certs[i]),
		    FNM_CASEFOLD) == 0) && wanted(b, list.certs[i]))
			rc = add_cert(f, list.certs[i], loc, store, err);
	crypto_certlist_clear(&list);
	return rc;
}

/* A location's stores, or with -Recurse their certificates. */
static int
list_location(const struct binding *b, enum crypto_store_location loc, const char *pattern,
    int recurse, struct found *f, struct pk_error *err)
{
	char **names = NULL;
	size_t n = 0, i;
	int rc;

	rc = crypto_store_names(loc, &names, &n, err);
	for (i = 0; i < n && rc == 0; i++) {
		if (pattern != NULL && fnmatch(pattern, names[i], FNM_CASEFOLD) != 0)
			continue;
		f->matched++;
		if (recurse)
			rc = list_store(b, loc, names[i], NULL, f, err);
		else
			print_store(loc, names[i]);
	}
	crypto_store_names_free(names, n);
	return rc;
}

/*
 * One -Path: Cert:\, a location, a store or a certificate; a wildcard in the
 * last part filters the children of the part before it.
 */
static int
visit(const struct binding *b, const char *text, struct found *f, struct pk_error *err)
{
	static const enum crypto_store_location locations[] = {
		CRYPTO_STORE_CURRENT_USER, CRYPTO_STORE_LOCAL_MACHINE
	};
	int item = binder_get(b, "Item")->on, recurse = binder_get(b, "Recurse")->on;
	struct crypto_store_path path;
	struct crypto_cert *cert = NULL;
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
	if ((rc = crypto_store_path_parse(copy, &path, err)) != 0)
		goto out;
	if (!path.has_location) {
		for (i = 0; i < 2 && rc == 0; i++) {
			if (pattern != NULL && fnmatch(pattern,
			    crypto_store_location_name(locations[i]), FNM_CASEFOLD) != 0)
				continue;
			f->matched++;
			rc = recurse ? list_location(b, locations[i], NULL, 1, f, err) :
			    show_location(locations[i], err);
		}
	} else if (path.store == NULL) {
		if (item && pattern == NULL) {
			f->matched++;
			rc = show_location(path.location, err);
		} else
			rc = list_location(b, path.location, pattern, recurse, f, err);
	} else if (!crypto_store_exists(path.location, path.store)) {
		rc = pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find the X509 certificate store at "
		    "path %s.", text);
	} else if (path.thumbprint[0] == '\0') {
		if (item && pattern == NULL) {
			f->matched++;
			print_store(path.location, path.store);
		} else
			rc = list_store(b, path.location, path.store, pattern, f, err);
	} else if ((rc = crypto_store_find(path.location, path.store, path.thumbprint, &cert,
	    NULL, err)) == 0 && wanted(b, cert))
		rc = add_cert(f, cert, path.location, path.store, err);
out:
	crypto_cert_free(cert);
	crypto_store_path_clear(&path);
	free(copy);
	return rc;
}

static int
body(const struct binding *b, struct pk_error *err)
{
	const struct bound *paths = binder_get(b, "Path");
	struct certout_item *items = NULL;
	struct found f;
	size_t i, empty = 0, failed = 0;
	int rc = 0;

	memset(&f, 0, sizeof(f));
	for (i = 0; i < paths->nitems; i++) {
		f.matched = 0;
		if ((rc = visit(b, paths->items[i], &f, err)) != 0) {
			if (rc == PK_ERR_NOMEM || b->error_action == ACTION_STOP)
				goto out;
			cmdlet_error(b, "%s", err->msg);
			failed++;
			rc = 0;
		} else if (f.matched == 0 && strpbrk(paths->items[i], "*?[") != NULL)
			empty++;
	}
	if ((items = calloc(f.certs.count + 1, sizeof(*items))) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	for (i = 0; i < f.certs.count; i++) {
		items[i].cert = f.certs.certs[i];
		items[i].parent = f.parents[i];
		items[i].file = f.files[i];
	}
	certout_print(items, f.certs.count, stdout);
	/* A wildcard that matches nothing is no error in pwsh, but Test-Path needs to know. */
	if (failed > 0 || empty > 0)
		rc = CMDLET_ERRORS_REPORTED;
out:
	for (i = 0; i < f.nparents; i++) {
		free(f.parents[i]);
		free(f.files[i]);
	}
	free(f.parents);
	free(f.files);
	crypto_certlist_clear(&f.certs);
	free(items);
	return rc;
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
