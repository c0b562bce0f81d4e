/*
 * test_store.c: the store (add, find, list, remove, resolve), in a private
 * PKISHIM_STORE_ROOT, under a hostile umask.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/CUnit.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "crypto/internal.h"
#include "crypto/store.h"
#include "cunit_run.h"
#include "testcert.h"

static char root[] = "/tmp/pkishim-store-test.XXXXXX";

/* A self-signed certificate with a fresh key, made with OpenSSL alone. */
static struct crypto_cert *
make_cert(const char *cn, int with_key)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = testcert_self_signed(cn, 42, key);

	if (!with_key) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	return crypto_cert_wrap(x, key);
}

static int
setup(void)
{
	if (mkdtemp(root) == NULL)
		return 1;
	setenv("PKISHIM_STORE_ROOT", root, 1);
	umask(0);   /* whatever the umask, keys stay private */
	return 0;
}

static int
teardown(void)
{
	return cunit_remove_tree(root);
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_mode & 07777 : 0;
}

static void
test_add_find_remove(void)
{
	struct crypto_cert *cert = make_cert("store-a", 1), *found = NULL;
	struct pk_error err;
	char *file = NULL, *dir = NULL;

	CU_ASSERT_EQUAL_FATAL(crypto_store_add(CRYPTO_STORE_CURRENT_USER, "My", cert, &file, &err), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(file);
	CU_ASSERT_PTR_NOT_NULL(strstr(file, "/CurrentUser/my/"));
	CU_ASSERT_PTR_NOT_NULL(strstr(file, crypto_cert_thumbprint(cert)));
	CU_ASSERT_EQUAL(mode_of(file), 0600);
	CU_ASSERT_EQUAL(crypto_store_dir(CRYPTO_STORE_CURRENT_USER, "MY", 0, &dir, &err), 0);
	CU_ASSERT_EQUAL(mode_of(dir), 0700);

	CU_ASSERT_EQUAL(crypto_store_find(CRYPTO_STORE_CURRENT_USER, "my",
	    crypto_cert_thumbprint(cert), &found, NULL, &err), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(found);
	CU_ASSERT_STRING_EQUAL(crypto_cert_thumbprint(found), crypto_cert_thumbprint(cert));
	CU_ASSERT_TRUE(crypto_cert_has_key(found));
	crypto_cert_free(found);
	found = NULL;

	/* a lower-case thumbprint names the same file; a path never reaches the file system */
	{
		char lower[41];
		size_t i;

		for (i = 0; i < 41; i++)
			lower[i] = (char)tolower((unsigned char)crypto_cert_thumbprint(cert)[i]);
		CU_ASSERT_EQUAL(crypto_store_find(CRYPTO_STORE_CURRENT_USER, "My", lower, &found,
		    NULL, &err), 0);
		crypto_cert_free(found);
		found = NULL;
	}
	CU_ASSERT_EQUAL(crypto_store_find(CRYPTO_STORE_CURRENT_USER, "My", "../../etc/passwd",
	    &found, NULL, &err), PK_ERR_NOT_FOUND);
	CU_ASSERT_EQUAL(crypto_store_remove(CRYPTO_STORE_CURRENT_USER, "My", "../x", &err),
	    PK_ERR_NOT_FOUND);
	CU_ASSERT_EQUAL(crypto_store_remove(CRYPTO_STORE_CURRENT_USER, "My",
	    crypto_cert_thumbprint(cert), &err), 0);
	CU_ASSERT_EQUAL(access(file, F_OK), -1);
	CU_ASSERT_EQUAL(crypto_store_find(CRYPTO_STORE_CURRENT_USER, "My",
	    crypto_cert_thumbprint(cert), &found, NULL, &err), PK_ERR_NOT_FOUND);
	CU_ASSERT_EQUAL(crypto_store_remove(CRYPTO_STORE_CURRENT_USER, "My",
	    crypto_cert_thumbprint(cert), &err), PK_ERR_NOT_FOUND);
	free(file);
	free(dir);
	crypto_cert_free(cert);
}

static void
test_properties_survive(void)
{
	struct crypto_cert *cert = make_cert("store-b", 1), *found = NULL;
	struct pk_error err;

	cert->exportable = 0;
	cert->key_spec = CRYPTO_KEYSPEC_SIGNATURE;
	cert->friendly_name = strdup("Friendly");
	CU_ASSERT_EQUAL_FATAL(crypto_store_add(CRYPTO_STORE_LOCAL_MACHINE, "My", cert, NULL, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_store_find(CRYPTO_STORE_LOCAL_MACHINE, "My",
	    crypto_cert_thumbprint(cert), &found, NULL, &err), 0);
	CU_ASSERT_FALSE(crypto_cert_exportable(found));
	CU_ASSERT_EQUAL(crypto_cert_keyspec(found), CRYPTO_KEYSPEC_SIGNATURE);
	CU_ASSERT_STRING_EQUAL(crypto_cert_friendly_name(found), "Friendly");
	crypto_cert_free(found);
	crypto_cert_free(cert);
}

/* Import-PfxCertificate without -Exportable; and the key set follows the store's location. */
static void
test_import_policy_and_key_set(void)
{
	struct crypto_cert *cert = make_cert("store-d", 1), *found = NULL;
	struct pk_error err;

	CU_ASSERT_TRUE(crypto_cert_exportable(cert));
	CU_ASSERT_EQUAL_FATAL(crypto_store_add_ex(CRYPTO_STORE_CURRENT_USER, "Imported", cert,
	    CRYPTO_STORE_ADD_NONEXPORTABLE, NULL, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_store_find(CRYPTO_STORE_CURRENT_USER, "Imported",
	    crypto_cert_thumbprint(cert), &found, NULL, &err), 0);
	CU_ASSERT_FALSE(crypto_cert_exportable(found));
	CU_ASSERT_FALSE(found->machine_key);
	crypto_cert_free(found);
	found = NULL;
	CU_ASSERT_EQUAL_FATAL(crypto_store_add_ex(CRYPTO_STORE_LOCAL_MACHINE, "Imported", cert,
	    0, NULL, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_store_find(CRYPTO_STORE_LOCAL_MACHINE, "Imported",
	    crypto_cert_thumbprint(cert), &found, NULL, &err), 0);
	CU_ASSERT_TRUE(crypto_cert_exportable(found));
	CU_ASSERT_TRUE(found->machine_key);
	crypto_cert_free(found);
	crypto_cert_free(cert);
}

/* A file that does not load is skipped by a listing, as .NET skips it. */
static void
test_listing_skips_damaged_files(void)
{
	struct crypto_cert *cert = make_cert("store-e", 1), *found = NULL;
	struct crypto_certlist list = { NULL, 0 };
	struct pk_error err;
	char *dir = NULL, path[512];
	FILE *f;

	CU_ASSERT_EQUAL_FATAL(crypto_store_add(CRYPTO_STORE_CURRENT_USER, "Damaged", cert, NULL,
	    &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_store_dir(CRYPTO_STORE_CURRENT_USER, "Damaged", 0, &dir,
	    &err), 0);
	snprintf(path, sizeof(path), "%s/0000000000000000000000000000000000000000.pfx", dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f = fopen(path, "w"));
	fputs("not a pfx", f);
	fclose(f);
	CU_ASSERT_EQUAL(crypto_store_list(CRYPTO_STORE_CURRENT_USER, "Damaged", &list, &err), 0);
	CU_ASSERT_EQUAL(list.count, 1);
	CU_ASSERT_EQUAL(crypto_store_find(CRYPTO_STORE_CURRENT_USER, "Damaged",
	    "0000000000000000000000000000000000000000", &found, NULL, &err), PK_ERR_FORMAT);
	CU_ASSERT_PTR_NULL(found);
	crypto_certlist_clear(&list);
	crypto_cert_free(cert);
	free(dir);
}

static void
test_adding_without_key_keeps_the_key(void)
{
	struct crypto_cert *cert = make_cert("store-c", 1), *bare, *found = NULL;
	struct pk_error err;
	unsigned char *der = NULL;
	size_t len;

	CU_ASSERT_EQUAL_FATAL(crypto_store_add(CRYPTO_STORE_CURRENT_USER, "My", cert, NULL, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_cert_der(cert, &der, &len, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_cert_from_mem(der, len, &bare, &err), 0);
	CU_ASSERT_EQUAL(crypto_store_add(CRYPTO_STORE_CURRENT_USER, "My", bare, NULL, &err), 0);
	CU_ASSERT_EQUAL(crypto_store_find(CRYPTO_STORE_CURRENT_USER, "My",
	    crypto_cert_thumbprint(cert), &found, NULL, &err), 0);
	CU_ASSERT_TRUE(found != NULL && crypto_cert_has_key(found));
	crypto_cert_free(found);
	crypto_cert_free(bare);
	crypto_cert_free(cert);
	free(der);
}

static void
test_list_and_resolve(void)
{
	struct crypto_cert *a = make_cert("list-a", 1), *b = make_cert("list-b", 0);
	struct crypto_certlist list = { NULL, 0 };
	struct pk_error err;
	char ref[256];
	size_t i;

	CU_ASSERT_EQUAL_FATAL(crypto_store_add(CRYPTO_STORE_CURRENT_USER, "Root", a, NULL, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_store_add(CRYPTO_STORE_CURRENT_USER, "Root", b, NULL, &err), 0);
	CU_ASSERT_EQUAL(crypto_store_list(CRYPTO_STORE_CURRENT_USER, "root", &list, &err), 0);
	CU_ASSERT_EQUAL(list.count, 2);
	for (i = 1; i < list.count; i++)
		CU_ASSERT(strcmp(crypto_cert_thumbprint(list.certs[i - 1]),
		    crypto_cert_thumbprint(list.certs[i])) < 0);
	crypto_certlist_clear(&list);

	/* Every form a -Cert argument takes. */
	snprintf(ref, sizeof(ref), "cert:\\currentuser\\root\\%s", crypto_cert_thumbprint(a));
	CU_ASSERT_EQUAL(crypto_store_resolve(ref, NULL, &list, &err), 0);
	snprintf(ref, sizeof(ref), "Cert:/CurrentUser/Root/%s", crypto_cert_thumbprint(b));
	CU_ASSERT_EQUAL(crypto_store_resolve(ref, NULL, &list, &err), 0);
	CU_ASSERT_EQUAL(crypto_store_resolve(crypto_cert_thumbprint(a), NULL, &list, &err), 0);
	snprintf(ref, sizeof(ref), "[Subject]\n  CN=list-a\n\n[Thumbprint]\n  %s\n",
	    crypto_cert_thumbprint(a));
	CU_ASSERT_EQUAL(crypto_store_resolve(ref, NULL, &list, &err), 0);
	/* captured with its newline, and the JSON line of PKISHIM_OUTPUT=json */
	snprintf(ref, sizeof(ref), "Cert:\\CurrentUser\\Root\\%s\n", crypto_cert_thumbprint(a));
	CU_ASSERT_EQUAL(crypto_store_resolve(ref, NULL, &list, &err), 0);
	snprintf(ref, sizeof(ref), "{\"Thumbprint\":\"%s\",\"Subject\":\"CN=list-b\"}\n",
	    crypto_cert_thumbprint(b));
	CU_ASSERT_EQUAL(crypto_store_resolve(ref, NULL, &list, &err), 0);
	CU_ASSERT_EQUAL(crypto_store_resolve("Cert:\\CurrentUser\\Root", NULL, &list, &err), 0);
	CU_ASSERT_EQUAL(list.count, 8);
	CU_ASSERT_STRING_EQUAL(crypto_cert_thumbprint(list.certs[5]), crypto_cert_thumbprint(b));
	CU_ASSERT_EQUAL(crypto_store_resolve("Cert:\\CurrentUser\\Root\\"
	    "0000000000000000000000000000000000000000", NULL, &list, &err), PK_ERR_NOT_FOUND);
	CU_ASSERT_EQUAL(crypto_store_resolve("/no/such/file.cer", NULL, &list, &err), PK_ERR_NOT_FOUND);
	crypto_certlist_clear(&list);
	crypto_cert_free(a);
	crypto_cert_free(b);
}

/* Export-Certificate's read: the certificate its file is named by, the key left encrypted. */
static void
test_read_without_key(void)
{
	struct crypto_cert *a = make_cert("nokey-a", 1), *b = make_cert("nokey-b", 1);
	struct crypto_cert *found = NULL;
	struct crypto_certlist list = { NULL, 0 };
	struct pk_error err;
	char *file = NULL, *copy = NULL, *dir = NULL, cmd[8192];

	CU_ASSERT_EQUAL_FATAL(crypto_store_add(CRYPTO_STORE_CURRENT_USER, "NoKey", a, &file,
	    &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_store_find_ex(CRYPTO_STORE_CURRENT_USER, "NoKey",
	    crypto_cert_thumbprint(a), CRYPTO_STORE_READ_NO_KEY, &found, NULL, &err), 0);
	CU_ASSERT_STRING_EQUAL(crypto_cert_thumbprint(found), crypto_cert_thumbprint(a));
	CU_ASSERT_FALSE(crypto_cert_has_key(found));
	crypto_cert_free(found);
	found = NULL;
	CU_ASSERT_EQUAL(crypto_store_find(CRYPTO_STORE_CURRENT_USER, "NoKey",
	    crypto_cert_thumbprint(a), &found, NULL, &err), 0);
	CU_ASSERT_TRUE(crypto_cert_has_key(found));
	crypto_cert_free(found);
	found = NULL;
	CU_ASSERT_EQUAL(crypto_store_resolve_ex("Cert:\\CurrentUser\\NoKey", NULL,
	    CRYPTO_STORE_READ_NO_KEY, &list, &err), 0);
	CU_ASSERT_EQUAL(list.count, 1);
	if (list.count == 1)
		CU_ASSERT_FALSE(crypto_cert_has_key(list.certs[0]));
	crypto_certlist_clear(&list);

	/* A file that holds no certificate of its name is read whole, as before. */
	CU_ASSERT_EQUAL_FATAL(crypto_store_dir(CRYPTO_STORE_CURRENT_USER, "NoKey", 0, &dir,
	    &err), 0);
	CU_ASSERT_FATAL(asprintf(&copy, "%s/%s.pfx", dir, crypto_cert_thumbprint(b)) > 0);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", file, copy);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	CU_ASSERT_EQUAL(crypto_store_find_ex(CRYPTO_STORE_CURRENT_USER, "NoKey",
	    crypto_cert_thumbprint(b), CRYPTO_STORE_READ_NO_KEY, &found, NULL, &err), 0);
	if (found != NULL) {
		CU_ASSERT_STRING_EQUAL(crypto_cert_thumbprint(found), crypto_cert_thumbprint(a));
		CU_ASSERT_TRUE(crypto_cert_has_key(found));
	}
	crypto_cert_free(found);
	crypto_cert_free(a);
	crypto_cert_free(b);
	free(file);
	free(copy);
	free(dir);
}

static void
test_empty_store_lists_nothing(void)
{
	struct crypto_certlist list = { NULL, 0 };
	struct pk_error err;

	CU_ASSERT_EQUAL(crypto_store_list(CRYPTO_STORE_LOCAL_MACHINE, "Nothing", &list, &err), 0);
	CU_ASSERT_EQUAL(list.count, 0);
}

static CU_TestInfo store_tests[] = {
	{ "a certificate is added with its key in a 0600 file and removed", test_add_find_remove },
	{ "export policy, KeySpec and friendly name survive the store", test_properties_survive },
	{ "an import is recorded non-exportable; the key set follows the location", test_import_policy_and_key_set },
	{ "a listing skips files that do not load", test_listing_skips_damaged_files },
	{ "adding a certificate without its key keeps the stored key", test_adding_without_key_keeps_the_key },
	{ "stores list in thumbprint order and resolve every -Cert form", test_list_and_resolve },
	{ "a store nobody wrote to is empty", test_empty_store_lists_nothing },
	{ "a read without keys gives the file's certificate, its key left encrypted", test_read_without_key },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "store", setup, teardown, NULL, NULL, store_tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
