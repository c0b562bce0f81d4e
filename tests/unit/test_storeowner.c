/*
 * test_storeowner.c: which store directories and files are trusted. Each
 * case shapes a directory tree (modes; owners when the test runs as root,
 * which CI does) and asks the store to list it.
 */
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

#define OTHER_UID 65534

static char root[] = "/tmp/pkishim-owner-test.XXXXXX";
static char warned[1024];

static void
remember_warning(const char *message)
{
	snprintf(warned, sizeof(warned), "%s", message);
}

static struct crypto_cert *
make_cert(void)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");

	return crypto_cert_wrap(testcert_self_signed("owner", 7, key), key);
}

enum target { LOCATION_DIR, STORE_DIR, STORE_FILE };

struct owner_case {
	const char *title;
	enum target target;
	mode_t mode;            /* 0: leave the mode */
	int other_owner;        /* 1: chown to OTHER_UID, 2: its group to OTHER_UID's (root only) */
	int expect;             /* the list's result */
	size_t listed;          /* certificates listed when it succeeds */
	const char *text;       /* in the error, or the warning */
	mode_t file_mode_after; /* STORE_FILE: its mode afterwards; 0: not checked */
};

static const struct owner_case cases[] = {
	{ "the user's own 0700 store lists", STORE_DIR, 0700, 0, 0, 1, NULL, 0 },
	{ "a 0755 store lists (readable is not writable)", STORE_DIR, 0755, 0, 0, 1, NULL, 0 },
	{ "a world-writable store is refused", STORE_DIR, 0777, 0, PK_ERR_IO, 0,
	    "is writable by other users (mode 0777), who could plant certificates in it; "
	    "make it private with chmod 0700", 0 },
	{ "a group-writable store of a shared group is refused", STORE_DIR, 0770, 2, PK_ERR_IO,
	    0, "(mode 0770)", 0 },
	{ "a group-writable store of root's own group lists (umask 002 systems)", STORE_DIR,
	    0770, 0, 0, 1, NULL, 0 },
	{ "a world-writable location directory above it is refused", LOCATION_DIR, 0777, 0,
	    PK_ERR_IO, 0, "/CurrentUser' is writable by other users", 0 },
	{ "another user's store is refused", STORE_DIR, 0, 1, PK_ERR_IO, 0,
	    "is not the current user. A store must belong to its user alone", 0 },
	{ "another user's location directory is refused", LOCATION_DIR, 0, 1, PK_ERR_IO, 0,
	    "/CurrentUser' is not the current user.", 0 },
	{ "a 0644 store file is repaired to 0600 and listed", STORE_FILE, 0644, 0, 0, 1, NULL,
	    0600 },
	{ "a 0666 store file is repaired to 0600 and listed", STORE_FILE, 0666, 0, 0, 1, NULL,
	    0600 },
	{ "another user's store file is skipped with a warning", STORE_FILE, 0600, 1, 0, 0,
	    "its owner (uid 65534) is not the current user", 0600 },
};

static void
test_every_case(void)
{
	struct crypto_cert *cert = make_cert();
	char location[512], store[512], *file = NULL;
	struct pk_error err;
	size_t i;

	snprintf(location, sizeof(location), "%s/CurrentUser", root);
	snprintf(store, sizeof(store), "%s/CurrentUser/my", root);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct owner_case *c = &cases[i];
		struct crypto_certlist list = { NULL, 0 };
		const char *path;
		struct stat st;
		int got;

		printf("\n  %s", c->title);
		if ((c->other_owner || c->mode == 0770) && geteuid() != 0) {
			printf(" (skipped: needs root to give a file away)");
			continue;
		}
		if (access(location, F_OK) == 0)
			cunit_remove_tree(location);
		CU_ASSERT_EQUAL_FATAL(crypto_store_add(CRYPTO_STORE_CURRENT_USER, "My", cert,
		    &file, &err), 0);
		path = c->target == LOCATION_DIR ? location : c->target == STORE_DIR ? store : file;
		if (c->mode != 0)
			CU_ASSERT_EQUAL(chmod(path, c->mode), 0);
		if (c->other_owner)
			CU_ASSERT_EQUAL(chown(path, c->other_owner == 1 ? OTHER_UID : (uid_t)-1,
			    OTHER_UID), 0);
		warned[0] = '\0';
		memset(&err, 0, sizeof(err));
		got = crypto_store_list(CRYPTO_STORE_CURRENT_USER, "My", &list, &err);
		CU_ASSERT_EQUAL(got, c->expect);
		if (got == 0)
			CU_ASSERT_EQUAL(list.count, c->listed);
		if (c->text != NULL)
			CU_ASSERT_PTR_NOT_NULL(strstr(c->expect != 0 ? err.msg : warned, c->text));
		if (c->text == NULL)
			CU_ASSERT_STRING_EQUAL(warned, "");
		if (c->file_mode_after != 0 && stat(file, &st) == 0)
			CU_ASSERT_EQUAL(st.st_mode & 07777, c->file_mode_after);
		/* Adding is refused as listing is, before anything is written. */
		if (c->expect != 0)
			CU_ASSERT_EQUAL(crypto_store_add(CRYPTO_STORE_CURRENT_USER, "My", cert,
			    NULL, &err), c->expect);
		printf(": %d %s%s", got, err.msg, warned);
		crypto_certlist_clear(&list);
		free(file);
		file = NULL;
	}
	crypto_cert_free(cert);
}

static int
setup(void)
{
	if (mkdtemp(root) == NULL)
		return 1;
	setenv("PKISHIM_STORE_ROOT", root, 1);
	pk_set_warning_sink(remember_warning);
	return 0;
}

static int
teardown(void)
{
	return cunit_remove_tree(root);
}

static CU_TestInfo tests[] = {
	{ "stores and files are trusted only when the user's alone", test_every_case },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "storeowner", setup, teardown, NULL, NULL, tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
