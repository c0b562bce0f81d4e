/*
 * Get-StoreCertificate: what Get-ChildItem and Get-Item show of a Cert:\ path
 * on Windows (reference/pki-cmdlets.md §6), for bash and for the module's
 * Cert:\ proxies: the locations, the stores of a location, the certificates
 * of a store, or one certificate, with the provider's filters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdlets/certout.h"
#include "cmdlets/cmdlet.h"
#include "cmdlets/json.h"
#include "crypto/storewalk.h"

#define SWITCH "System.Management.Automation.SwitchParameter"
#define PROVIDER "Microsoft.PowerShell.Security\\Certificate::"

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
	char path[512];
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
		snprintf(path, sizeof(path), PROVIDER "%s", where);
		json_field("PSPath", path, 0, stdout);
		fputs("}\n", stdout);
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

/* The provider's dynamic filters, as the parameters give them. */
static struct crypto_store_filter
filter_of(const struct binding *b)
{
	const struct bound *eku = binder_get(b, "Eku"), *dns = binder_get(b, "DnsName");
	const struct bound *days = binder_get(b, "ExpiringInDays");
	struct crypto_store_filter f;

	memset(&f, 0, sizeof(f));
	f.ekus = (const char *const *)eku->items;
	f.nekus = eku->nitems;
	f.dns_name = dns->present ? dns->text : NULL;
	f.ssl_server_authentication = binder_get(b, "SSLServerAuthentication")->on;
	f.code_signing = binder_get(b, "CodeSigningCert")->on;
	f.document_encryption = binder_get(b, "DocumentEncryptionCert")->on;
	f.expiring = days->present;
	f.expiring_in_days = days->number;
	return f;
}

/* Shows a path's containers at once; moves its certificates to certs, printed last. */
static int
show(struct crypto_store_items *found, struct crypto_store_items *certs)
{
	struct crypto_store_item *grown;
	size_t i;

	for (i = 0; i < found->count; i++) {
		struct crypto_store_item *it = &found->items[i];

		if (it->kind == CRYPTO_STORE_ITEM_LOCATION)
			print_location(it->location, it->store_names, it->nstore_names);
		else if (it->kind == CRYPTO_STORE_ITEM_STORE)
			print_store(it->location, it->store);
		else {
			grown = realloc(certs->items, (certs->count + 1) * sizeof(*grown));
			if (grown == NULL)
				return PK_ERR_NOMEM;
			certs->items = grown;
			certs->items[certs->count++] = *it;
			memset(it, 0, sizeof(*it));
		}
	}
	return 0;
}

static int
body(const struct binding *b, struct pk_error *err)
{
	const struct bound *paths = binder_get(b, "Path");
	struct crypto_store_filter filter = filter_of(b);
	struct crypto_store_items certs = { NULL, 0 };
	struct certout_item *items = NULL;
	unsigned flags = (binder_get(b, "Item")->on ? CRYPTO_STORE_WALK_ITEM : 0u) |
	    (binder_get(b, "Recurse")->on ? CRYPTO_STORE_WALK_RECURSE : 0u);
	size_t i, matched, empty = 0, failed = 0;
	int rc = 0;

	for (i = 0; i < paths->nitems; i++) {
		struct crypto_store_items found = { NULL, 0 };
		int walked = crypto_store_walk(paths->items[i], flags, &filter, &found,
		    &matched, err);

		rc = show(&found, &certs);
		crypto_store_items_clear(&found);
		if (rc != 0 || walked == PK_ERR_NOMEM) {
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
		if (walked != 0) {
			if (b->error_action == ACTION_STOP) {
				rc = walked;
				goto out;
			}
			cmdlet_error(b, walked, paths->items[i], "%s", err->msg);
			failed++;
		} else if (matched == 0 && strpbrk(paths->items[i], "*?[") != NULL)
			empty++;
	}
	if ((items = calloc(certs.count + 1, sizeof(*items))) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	for (i = 0; i < certs.count; i++) {
		items[i].cert = certs.items[i].cert;
		items[i].parent = certs.items[i].parent;
		items[i].file = certs.items[i].file;
	}
	certout_print(items, certs.count, stdout);
	/* A wildcard that matches nothing is no error in pwsh, but Test-Path needs to know. */
	if (failed > 0 || empty > 0)
		rc = CMDLET_ERRORS_REPORTED;
out:
	crypto_store_items_clear(&certs);
	free(items);
	return rc;
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
