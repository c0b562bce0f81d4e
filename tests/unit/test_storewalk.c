/*
 * test_storewalk.c: what Cert:\ paths show (locations, stores, certificates)
 * and the provider's filters, over a private PKISHIM_STORE_ROOT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "crypto/selfsigned.h"
#include "crypto/storewalk.h"
#include "cunit_run.h"

#define DAY 86400

static char root[] = "/tmp/pkishim-storewalk-test.XXXXXX";

/* The fixture's certificates, by the name each case uses. */
static const struct fixture {
	const char *name;
	enum crypto_cert_type type;
	const char *dns;
	int days;                   /* until it expires */
	int with_key;
	enum crypto_store_location location;
	const char *store;
} fixtures[] = {
	{ "web", CRYPTO_TYPE_SSL_SERVER, "www.contoso.com", 365, 1, CRYPTO_STORE_CURRENT_USER, "My" },
	{ "code", CRYPTO_TYPE_CODE_SIGNING, NULL, 365, 1, CRYPTO_STORE_CURRENT_USER, "My" },
	{ "nokey", CRYPTO_TYPE_CODE_SIGNING, NULL, 365, 0, CRYPTO_STORE_CURRENT_USER,
	  "TrustedPublisher" },
	{ "doc", CRYPTO_TYPE_DOCUMENT_ENCRYPTION, NULL, 10, 1, CRYPTO_STORE_LOCAL_MACHINE, "My" },
};
#define NFIXTURES (sizeof(fixtures) / sizeof(fixtures[0]))
static char thumbprints[NFIXTURES][41];

static int
add_fixture(size_t i, struct pk_error *err)
{
	const struct fixture *fx = &fixtures[i];
	struct crypto_selfsigned_request req;
	struct crypto_cert *made = NULL, *stored = NULL;
	const char *dns[1] = { fx->dns };
	char subject[64];
	unsigned char *der = NULL;
	size_t len;
	int rc;

	memset(&req, 0, sizeof(req));
	snprintf(subject, sizeof(subject), "CN=%s", fx->name);
	req.subject = subject;
	req.dns_names = fx->dns != NULL ? dns : NULL;
	req.ndns_names = fx->dns != NULL;
	req.type = fx->type;
	req.type_given = 1;
	req.key_algorithm = "ECDSA_nistP256";
	req.not_after_given = 1;
	req.not_after = (int64_t)time(NULL) + (int64_t)fx->days * DAY;
	if ((rc = crypto_selfsigned_create(&req, NULL, NULL, &made, err)) != 0)
		return rc;
	snprintf(thumbprints[i], sizeof(thumbprints[i]), "%s", crypto_cert_thumbprint(made));
	stored = crypto_cert_ref(made);
	if (!fx->with_key) {
		crypto_cert_free(stored);
		stored = NULL;
		if ((rc = crypto_cert_der(made, &der, &len, err)) == 0)
			rc = crypto_cert_from_mem(der, len, &stored, err);
		free(der);
	}
	if (rc == 0)
		rc = crypto_store_add(fx->location, fx->store, stored, NULL, err);
	crypto_cert_free(stored);
	crypto_cert_free(made);
	return rc;
}

static int
setup(void)
{
	struct pk_error err;
	size_t i;

	if (mkdtemp(root) == NULL)
		return 1;
	setenv("PKISHIM_STORE_ROOT", root, 1);
	for (i = 0; i < NFIXTURES; i++)
		if (add_fixture(i, &err) != 0) {
			fprintf(stderr, "fixture %s: %s\n", fixtures[i].name, err.msg);
			return 1;
		}
	return 0;
}

static int
teardown(void)
{
	return cunit_remove_tree(root);
}

static size_t
store_count(enum crypto_store_location loc)
{
	char **names = NULL;
	size_t n = 0;

	crypto_store_names(loc, &names, &n, NULL);
	crypto_store_names_free(names, n);
	return n;
}

static int
by_letter(const void *a, const void *b)
{
	return *(const char *)a - *(const char *)b;
}

/*
 * Counts the items of each kind, and checks the certificates against want:
 * the first letters of the fixtures' names, in any order.
 */
static void
tally(const struct crypto_store_items *items, size_t kinds[3], const char *want,
    const char *label)
{
	char got[NFIXTURES + 1] = "", sorted[NFIXTURES + 1];
	size_t i, k;

	kinds[0] = kinds[1] = kinds[2] = 0;
	for (i = 0; i < items->count; i++) {
		kinds[items->items[i].kind]++;
		if (items->items[i].kind != CRYPTO_STORE_ITEM_CERT)
			continue;
		for (k = 0; k < NFIXTURES; k++)
			if (strcmp(crypto_cert_thumbprint(items->items[i].cert),
			    thumbprints[k]) == 0 && strlen(got) < NFIXTURES)
				strncat(got, fixtures[k].name, 1);
	}
	snprintf(sorted, sizeof(sorted), "%s", want);
	qsort(got, strlen(got), 1, by_letter);
	qsort(sorted, strlen(sorted), 1, by_letter);
	if (strcmp(got, sorted) != 0)
		fprintf(stderr, "\n  %s: certificates \"%s\", want \"%s\"\n", label, got, sorted);
	CU_ASSERT_STRING_EQUAL(got, sorted);
	CU_ASSERT_EQUAL(kinds[2], strlen(want));
}

static void
test_paths_show_locations_stores_and_certificates(void)
{
	enum { CU_STORES = -1, LM_STORES = -2 };
	static const struct {
		const char *path;
		unsigned flags;
		int locations, stores;      /* stores: a count, or all of a location's */
		const char *certs;          /* first letters of the fixtures, in any order */
	} cases[] = {
		{ "Cert:\\", 0, 2, 0, "" },
		{ "Cert:\\", CRYPTO_STORE_WALK_ITEM, 2, 0, "" },
		{ "cert:/", 0, 2, 0, "" },
		{ "Cert:\\CurrentUser", 0, 0, CU_STORES, "" },
		{ "Cert:\\LocalMachine\\", 0, 0, LM_STORES, "" },
		{ "Cert:\\CurrentUser", CRYPTO_STORE_WALK_ITEM, 1, 0, "" },
		{ "Cert:\\Current*", 0, 1, 0, "" },
		{ "Cert:\\CurrentUser\\My", CRYPTO_STORE_WALK_ITEM, 0, 1, "" },
		{ "Cert:\\CurrentUser\\Trusted*", 0, 0, 3, "" },
		{ "Cert:\\", CRYPTO_STORE_WALK_RECURSE, 0, 0, "wcnd" },
		{ "Cert:\\CurrentUser\\My", 0, 0, 0, "wc" },
		{ "Cert:\\LocalMachine", CRYPTO_STORE_WALK_RECURSE, 0, 0, "d" },
		{ "Microsoft.PowerShell.Security\\Certificate::LocalMachine\\my", 0, 0, 0, "d" },
		{ "Cert:\\CurrentUser\\TrustedPublisher\\*", 0, 0, 0, "n" },
		{ "Cert:\\CurrentUser\\TrustedPublisher\\*", CRYPTO_STORE_WALK_ITEM, 0, 0, "n" },
	};
	size_t i, kinds[3];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct crypto_store_items items = { NULL, 0 };
		struct pk_error err;
		size_t matched = 0;
		int want = cases[i].stores;

		if (want == CU_STORES)
			want = (int)store_count(CRYPTO_STORE_CURRENT_USER);
		else if (want == LM_STORES)
			want = (int)store_count(CRYPTO_STORE_LOCAL_MACHINE);
		CU_ASSERT_EQUAL(crypto_store_walk(cases[i].path, cases[i].flags, NULL, &items,
		    &matched, &err), 0);
		tally(&items, kinds, cases[i].certs, cases[i].path);
		if (kinds[0] != (size_t)cases[i].locations || kinds[1] != (size_t)want)
			fprintf(stderr, "\n  %s: %zu locations, %zu stores\n", cases[i].path,
			    kinds[0], kinds[1]);
		CU_ASSERT_EQUAL(kinds[0], (size_t)cases[i].locations);
		CU_ASSERT_EQUAL(kinds[1], (size_t)want);
		CU_ASSERT(matched >= items.count && matched > 0);
		crypto_store_items_clear(&items);
	}
}

static void
test_a_certificate_path_names_its_store_file(void)
{
	struct crypto_store_items items = { NULL, 0 };
	char path[128], want_tail[64];
	size_t matched;

	snprintf(path, sizeof(path), "Cert:\\CurrentUser\\my\\%s", thumbprints[0]);
	CU_ASSERT_EQUAL(crypto_store_walk(path, 0, NULL, &items, &matched, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(items.count, 1);
	CU_ASSERT_EQUAL(items.items[0].kind, CRYPTO_STORE_ITEM_CERT);
	CU_ASSERT_STRING_EQUAL(items.items[0].parent, "CurrentUser\\my");
	CU_ASSERT_STRING_EQUAL(items.items[0].store, "my");
	snprintf(want_tail, sizeof(want_tail), "/%s.pfx", thumbprints[0]);
	CU_ASSERT_STRING_EQUAL(items.items[0].file + strlen(items.items[0].file) -
	    strlen(want_tail), want_tail);
	CU_ASSERT_EQUAL(access(items.items[0].file, R_OK), 0);
	crypto_store_items_clear(&items);
}

static void
test_filters_keep_what_the_provider_keeps(void)
{
	static const char *const server_auth[] = { "1.3.6.1.5.5.7.3.1" };
	static const char *const no_such_eku[] = { "1.2.3.4" };
	static const struct {
		const char *label;
		struct crypto_store_filter filter;
		const char *certs;          /* first letters of the fixtures, in any order */
	} cases[] = {
		{ "no filter", { 0 }, "wcnd" },
		{ "-DnsName *.contoso.com", { .dns_name = "*.contoso.com" }, "w" },
		{ "-DnsName WWW.CONTOSO.COM", { .dns_name = "WWW.CONTOSO.COM" }, "w" },
		{ "-Eku server authentication", { .ekus = server_auth, .nekus = 1 }, "w" },
		{ "-Eku nothing anyone has", { .ekus = no_such_eku, .nekus = 1 }, "" },
		{ "-SSLServerAuthentication", { .ssl_server_authentication = 1 }, "w" },
		{ "-CodeSigningCert: with a key only", { .code_signing = 1 }, "c" },
		{ "-DocumentEncryptionCert", { .document_encryption = 1 }, "d" },
		{ "-ExpiringInDays 30", { .expiring = 1, .expiring_in_days = 30 }, "d" },
		{ "-ExpiringInDays 0", { .expiring = 1, .expiring_in_days = 0 }, "" },
		{ "-ExpiringInDays 400", { .expiring = 1, .expiring_in_days = 400 }, "wcnd" },
	};
	size_t i, kinds[3];

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct crypto_store_items items = { NULL, 0 };
		size_t matched;

		CU_ASSERT_EQUAL(crypto_store_walk("Cert:\\", CRYPTO_STORE_WALK_RECURSE,
		    &cases[i].filter, &items, &matched, NULL), 0);
		tally(&items, kinds, cases[i].certs, cases[i].label);
		crypto_store_items_clear(&items);
	}
}

static void
test_what_matches_nothing_and_what_is_not_there(void)
{
	static const struct {
		const char *path;
		int rc;
		const char *says;           /* in the error, or NULL */
	} cases[] = {
		{ "Cert:\\CurrentUser\\My\\Z*", 0, NULL },
		{ "Cert:\\Q*", 0, NULL },
		{ "Cert:\\CurrentUser\\Nope*", 0, NULL },
		{ "Cert:\\CurrentUser\\Nope", PK_ERR_NOT_FOUND,
		  "Cannot find the X509 certificate store at path Cert:\\CurrentUser\\Nope." },
		{ "Cert:\\CurrentUser\\My\\0000000000000000000000000000000000000000",
		  PK_ERR_NOT_FOUND, NULL },
		{ "C:\\certs", PK_ERR_NOT_FOUND, NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct crypto_store_items items = { NULL, 0 };
		struct pk_error err = { 0, "" };
		size_t matched = 99;

		CU_ASSERT_EQUAL(crypto_store_walk(cases[i].path, 0, NULL, &items, &matched,
		    &err), cases[i].rc);
		CU_ASSERT_EQUAL(items.count, 0);
		CU_ASSERT_EQUAL(matched, 0);
		if (cases[i].says != NULL)
			CU_ASSERT_STRING_EQUAL(err.msg, cases[i].says);
		crypto_store_items_clear(&items);
	}
}

static CU_TestInfo walk_tests[] = {
	{ "paths show locations, stores and certificates", test_paths_show_locations_stores_and_certificates },
	{ "a certificate path names its store file", test_a_certificate_path_names_its_store_file },
	{ "filters keep what the provider keeps", test_filters_keep_what_the_provider_keeps },
	{ "what matches nothing, and what is not there", test_what_matches_nothing_and_what_is_not_there },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "store walk", setup, teardown, NULL, NULL, walk_tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
