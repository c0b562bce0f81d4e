/*
 * test_atomicfile.c: output files appear whole or not at all, with the mode
 * their content calls for whatever the umask (DESIGN §2.4).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include "crypto/atomicfile.h"
#include "cunit_run.h"

static char dir[] = "/tmp/pkishim-atomicfile-test.XXXXXX";

static int
setup(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	umask(0);
	return 0;
}

static int
teardown(void)
{
	return cunit_remove_tree(dir);
}

static char *
in_dir(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? st.st_mode & 07777 : 0;
}

/* Entries in dir whose names start with prefix (temporary files start with '.'). */
static int
count_entries(const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
		    strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	if (d != NULL)
		closedir(d);
	return n;
}

static int
content_is(const char *path, const char *want)
{
	struct pk_error err;
	unsigned char *data = NULL;
	size_t len = 0;
	int same;

	if (atomicfile_read(path, 1024, &data, &len, &err) != 0)
		return 0;
	same = len == strlen(want) && memcmp(data, want, len) == 0;
	free(data);
	return same;
}

static void
test_modes_follow_the_content_not_the_umask(void)
{
	static const struct { unsigned flags; mode_t mode; } cases[] = {
		{ ATOMICFILE_SECRET, 0600 },
		{ 0, 0644 },
		{ ATOMICFILE_SECRET | ATOMICFILE_FORCE, 0600 },
	};
	struct pk_error err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL(atomicfile_write(in_dir("mode"), "x", 1, cases[i].flags, &err), 0);
		CU_ASSERT_EQUAL(mode_of(in_dir("mode")), cases[i].mode);
	}
	CU_ASSERT_EQUAL(count_entries("."), 0);
}

static void
test_replacing_keeps_old_or_new_never_part(void)
{
	struct pk_error err;

	CU_ASSERT_EQUAL(atomicfile_write(in_dir("replace"), "old", 3, 0, &err), 0);
	CU_ASSERT_TRUE(content_is(in_dir("replace"), "old"));
	CU_ASSERT_EQUAL(atomicfile_write(in_dir("replace"), "brand new", 9, 0, &err), 0);
	CU_ASSERT_TRUE(content_is(in_dir("replace"), "brand new"));
	CU_ASSERT_EQUAL(atomicfile_write(in_dir("replace"), "", 0, 0, &err), 0);
	CU_ASSERT_TRUE(content_is(in_dir("replace"), ""));
	CU_ASSERT_EQUAL(count_entries("."), 0);
}

static void
test_no_clobber_wins_over_force(void)
{
	struct pk_error err;

	CU_ASSERT_EQUAL(atomicfile_write(in_dir("kept"), "first", 5, 0, &err), 0);
	CU_ASSERT_EQUAL(atomicfile_write(in_dir("kept"), "second", 6,
	    ATOMICFILE_NO_CLOBBER | ATOMICFILE_FORCE, &err), PK_ERR_EXISTS);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "already exists"));
	CU_ASSERT_TRUE(content_is(in_dir("kept"), "first"));
	CU_ASSERT_EQUAL(atomicfile_write(in_dir("fresh"), "new", 3, ATOMICFILE_NO_CLOBBER, &err), 0);
	CU_ASSERT_TRUE(content_is(in_dir("fresh"), "new"));
	CU_ASSERT_EQUAL(count_entries("."), 0);
}

static void
test_read_only_needs_force(void)
{
	struct pk_error err;

	CU_ASSERT_EQUAL(atomicfile_write(in_dir("ro"), "one", 3, 0, &err), 0);
	chmod(in_dir("ro"), 0444);
	CU_ASSERT_EQUAL(atomicfile_write(in_dir("ro"), "two", 3, 0, &err), PK_ERR_PERMISSION);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "read-only"));
	CU_ASSERT_TRUE(content_is(in_dir("ro"), "one"));
	CU_ASSERT_EQUAL(atomicfile_write(in_dir("ro"), "three", 5, ATOMICFILE_FORCE, &err), 0);
	CU_ASSERT_TRUE(content_is(in_dir("ro"), "three"));
	CU_ASSERT_EQUAL(count_entries("."), 0);
}

static void
test_bad_targets_leave_nothing(void)
{
	static const struct { const char *name; int rc; } cases[] = {
		{ "adir", PK_ERR_PERMISSION },          /* a directory (.NET: UnauthorizedAccessException) */
		{ "missing/out.pfx", PK_ERR_DIR_NOT_FOUND },
		{ "afile/out.pfx", PK_ERR_DIR_NOT_FOUND },  /* a file where a directory should be */
		{ "adir/", PK_ERR_IO },                 /* names no file */
	};
	struct pk_error err;
	size_t i;

	mkdir(in_dir("adir"), 0700);
	CU_ASSERT_EQUAL_FATAL(atomicfile_write(in_dir("afile"), "f", 1, 0, &err), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err.msg[0] = '\0';
		CU_ASSERT_EQUAL(atomicfile_write(in_dir(cases[i].name), "x", 1, 0, &err),
		    cases[i].rc);
		CU_ASSERT(err.msg[0] != '\0');
	}
	CU_ASSERT_EQUAL(count_entries("."), 0);
	CU_ASSERT_EQUAL(count_entries("missing"), 0);
}

/* A symbolic link as target is replaced; the file it pointed to is untouched. */
static void
test_a_link_is_replaced_not_followed(void)
{
	struct pk_error err;
	char victim[256];

	snprintf(victim, sizeof(victim), "%s", in_dir("victim"));
	CU_ASSERT_EQUAL_FATAL(atomicfile_write(victim, "secret", 6, 0, &err), 0);
	CU_ASSERT_EQUAL_FATAL(symlink(victim, in_dir("link")), 0);
	CU_ASSERT_EQUAL(atomicfile_write(in_dir("link"), "new", 3, ATOMICFILE_SECRET, &err), 0);
	CU_ASSERT_TRUE(content_is(in_dir("victim"), "secret"));
	CU_ASSERT_TRUE(content_is(in_dir("link"), "new"));
	CU_ASSERT_EQUAL(mode_of(in_dir("link")), 0600);
}

static void
test_read_limits_and_errors(void)
{
	struct pk_error err;
	unsigned char *data = NULL;
	size_t len = 0;

	CU_ASSERT_EQUAL_FATAL(atomicfile_write(in_dir("big"), "0123456789", 10, 0, &err), 0);
	CU_ASSERT_EQUAL(atomicfile_read(in_dir("big"), 9, &data, &len, &err), PK_ERR_LIMIT);
	CU_ASSERT_PTR_NULL(data);
	CU_ASSERT_EQUAL(atomicfile_read(in_dir("big"), 10, &data, &len, &err), 0);
	CU_ASSERT_TRUE(len == 10 && data[10] == '\0');
	free(data);
	CU_ASSERT_EQUAL(atomicfile_read(in_dir("nothing"), 10, &data, &len, &err), PK_ERR_FILE_NOT_FOUND);
	CU_ASSERT_EQUAL(atomicfile_read(dir, 10, &data, &len, &err), PK_ERR_IO);
}

/* pwsh on Unix reads '\' as a separator in paths (powershell-semantics.md §7). */
static void
test_native_path_turns_backslashes(void)
{
	static const struct { const char *arg, *want; } cases[] = {
		{ ".\\my-cert-file.pfx", "./my-cert-file.pfx" },
		{ "..\\out\\x.cer", "../out/x.cer" },
		{ "/srv/certs/x.pfx", "/srv/certs/x.pfx" },
		{ "plain.pfx", "plain.pfx" },
		{ "", "" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = atomicfile_native_path(cases[i].arg);

		CU_ASSERT_PTR_NOT_NULL_FATAL(got);
		CU_ASSERT_STRING_EQUAL(got, cases[i].want);
		free(got);
	}
}

static CU_TestInfo tests[] = {
	{ "modes follow the content, not the umask", test_modes_follow_the_content_not_the_umask },
	{ "replacing a file gives the old or the new, never a part", test_replacing_keeps_old_or_new_never_part },
	{ "NoClobber refuses an existing file and wins over Force", test_no_clobber_wins_over_force },
	{ "a read-only file is replaced only with Force", test_read_only_needs_force },
	{ "directories and missing directories fail and leave nothing", test_bad_targets_leave_nothing },
	{ "a symbolic link is replaced, not followed", test_a_link_is_replaced_not_followed },
	{ "reading is bounded and reports missing files", test_read_limits_and_errors },
	{ ".\\x.pfx means ./x.pfx", test_native_path_turns_backslashes },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "atomicfile", setup, teardown, NULL, NULL, tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
