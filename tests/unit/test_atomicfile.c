/*
 * test_atomicfile.c: output files appear whole or not at all, with the mode
 * their content calls for whatever the umask (DESIGN §2.4).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
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

/*
 * Only a missing path or a regular file is replaced: a link (whatever it
 * points to), a FIFO, a socket or a device is refused, and stays what it was.
 */
static int
make_fifo(const char *p) { return mkfifo(p, 0600); }
static int
make_socket(const char *p)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), rc;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", p);
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return rc;
}
static int
make_device(const char *p) { return mknod(p, S_IFCHR | 0600, makedev(1, 3)); }
static int
make_link(const char *p) { return symlink("victim", p); }

static void
test_only_regular_files_are_replaced(void)
{
	static const struct {
		const char *name;
		int (*make)(const char *);
		mode_t type;
		const char *says;
		int needs_root;
	} cases[] = {
		{ "link", make_link, S_IFLNK, "is a symbolic link", 0 },
		{ "fifo", make_fifo, S_IFIFO, "is a FIFO; pkishim replaces only regular files", 0 },
		{ "sock", make_socket, S_IFSOCK, "is a socket", 0 },
		{ "null", make_device, S_IFCHR, "is a device", 1 },
	};
	struct pk_error err;
	struct stat st;
	size_t i;

	CU_ASSERT_EQUAL_FATAL(atomicfile_write(in_dir("victim"), "secret", 6, 0, &err), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].needs_root && geteuid() != 0)
			continue;
		CU_ASSERT_EQUAL_FATAL(cases[i].make(in_dir(cases[i].name)), 0);
		CU_ASSERT_NOT_EQUAL(atomicfile_write(in_dir(cases[i].name), "new", 3,
		    ATOMICFILE_FORCE, &err), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, cases[i].says));
		CU_ASSERT_TRUE(lstat(in_dir(cases[i].name), &st) == 0 &&
		    (st.st_mode & S_IFMT) == cases[i].type);
		/* A reader refuses it at once too (a FIFO would block a plain open). */
		if (cases[i].type != S_IFLNK) {
			unsigned char *data = NULL;
			size_t len;

			CU_ASSERT_EQUAL(atomicfile_read(in_dir(cases[i].name), 100, &data, &len,
			    &err), PK_ERR_IO);
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "is not a file."));
		}
		unlink(in_dir(cases[i].name));
	}
	CU_ASSERT_TRUE(content_is(in_dir("victim"), "secret"));
	CU_ASSERT_EQUAL(count_entries(".victim"), 0);
}

/* A temporary a killed writer left is removed by the next writer in its directory. */
static void
test_leftover_temporaries_are_removed(void)
{
	struct pk_error err;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f = fopen(in_dir(".left.pfx" FILELOCK_TEMP_MARK "abc123"), "w"));
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f = fopen(in_dir(".keep.pfx.XYZ"), "w"));
	fclose(f);
	CU_ASSERT_EQUAL(atomicfile_write(in_dir("left.pfx"), "k", 1, ATOMICFILE_SECRET, &err), 0);
	CU_ASSERT_EQUAL(count_entries(".left.pfx"), 0);
	CU_ASSERT_EQUAL(count_entries(".keep.pfx.XYZ"), 1);   /* not ours: left alone */
	unlink(in_dir(".keep.pfx.XYZ"));
}

/* A batch replaces every file or, when a rename fails half-way, restores the ones done. */
static int renames_left;
static int
rename_fails_after(const char *from, const char *to)
{
	if (renames_left-- == 0) {
		errno = EIO;
		return -1;
	}
	return rename(from, to);
}

static void
test_batch_is_all_or_none(void)
{
	static const char *const names[] = { "b1", "b2", "b3" };
	struct atomicfile_batch *b;
	struct pk_error err;
	size_t i, renamed = 99;

	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL_FATAL(atomicfile_write(in_dir(names[i]), "old", 3, 0, &err), 0);
	/* 1: every file replaced; 2: the third rename fails, the first two come back. */
	CU_ASSERT_PTR_NOT_NULL_FATAL(b = atomicfile_batch_new());
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(atomicfile_batch_add(b, in_dir(names[i]), "new", 3, 0, "old", 3,
		    &err), 0);
	CU_ASSERT_EQUAL(atomicfile_batch_commit(b, &renamed, &err), 0);
	CU_ASSERT_EQUAL(renamed, 3);
	atomicfile_batch_free(b);
	for (i = 0; i < 3; i++)
		CU_ASSERT_TRUE(content_is(in_dir(names[i]), "new"));

	CU_ASSERT_PTR_NOT_NULL_FATAL(b = atomicfile_batch_new());
	for (i = 0; i < 3; i++)
		CU_ASSERT_EQUAL(atomicfile_batch_add(b, in_dir(names[i]), "newer", 5, 0, "new", 3,
		    &err), 0);
	renames_left = 2;
	atomicfile_rename_hook = rename_fails_after;
	CU_ASSERT_EQUAL(atomicfile_batch_commit(b, &renamed, &err), PK_ERR_IO);
	atomicfile_rename_hook = rename;
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "were restored"));
	atomicfile_batch_free(b);
	for (i = 0; i < 3; i++) {
		CU_ASSERT_TRUE(content_is(in_dir(names[i]), "new"));
		unlink(in_dir(names[i]));
	}
	CU_ASSERT_EQUAL(count_entries(".b"), 0);
}

/* KEEP_ATTRS: the replacement has the old file's mode and extended attributes. */
static void
test_keep_attrs_keeps_mode_and_xattrs(void)
{
	struct pk_error err;
	char value[16] = "";

	CU_ASSERT_EQUAL_FATAL(atomicfile_write(in_dir("attrs"), "old", 3, 0, &err), 0);
	CU_ASSERT_EQUAL_FATAL(chmod(in_dir("attrs"), 0640), 0);
	if (setxattr(in_dir("attrs"), "user.pkishim", "kept", 4, 0) != 0) {
		/* tmpfs without user xattrs: the mode is still checked */
		CU_ASSERT_EQUAL(atomicfile_write(in_dir("attrs"), "new", 3,
		    ATOMICFILE_KEEP_ATTRS, &err), 0);
		CU_ASSERT_EQUAL(mode_of(in_dir("attrs")), 0640);
		return;
	}
	CU_ASSERT_EQUAL(atomicfile_write(in_dir("attrs"), "new", 3, ATOMICFILE_KEEP_ATTRS,
	    &err), 0);
	CU_ASSERT_EQUAL(mode_of(in_dir("attrs")), 0640);
	CU_ASSERT_EQUAL(getxattr(in_dir("attrs"), "user.pkishim", value, sizeof(value)), 4);
	CU_ASSERT_STRING_EQUAL(value, "kept");
}

/* A lock held elsewhere makes a writer wait, then fail naming the file, nothing changed. */
static void
test_a_held_lock_times_out(void)
{
	const char *target = in_dir("locked");
	struct pk_error err;
	int fd, status;
	pid_t child;

	CU_ASSERT_EQUAL_FATAL(atomicfile_write(target, "old", 3, 0, &err), 0);
	CU_ASSERT_TRUE_FATAL((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0);
	CU_ASSERT_EQUAL_FATAL(flock(fd, LOCK_EX), 0);
	if ((child = fork()) == 0) {
		close(fd);   /* the child's copy would hold the lock too: it shares our flock */
		setenv("PKISHIM_LOCK_TIMEOUT", "0.2", 1);
		_exit(atomicfile_write(target, "new", 3, 0, &err) == PK_ERR_IO &&
		    strstr(err.msg, "locked") != NULL && strstr(err.msg, "PKISHIM_LOCK_TIMEOUT") != NULL ? 0 : 1);
	}
	CU_ASSERT_EQUAL(waitpid(child, &status, 0), child);
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CU_ASSERT_TRUE(content_is(target, "old"));
	close(fd);
	CU_ASSERT_EQUAL(atomicfile_write(target, "new", 3, 0, &err), 0);
	CU_ASSERT_TRUE(content_is(target, "new"));
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
	{ "only regular files are replaced or read", test_only_regular_files_are_replaced },
	{ "leftover temporaries are removed by the next writer", test_leftover_temporaries_are_removed },
	{ "a batch is all or none", test_batch_is_all_or_none },
	{ "KEEP_ATTRS keeps mode and extended attributes", test_keep_attrs_keeps_mode_and_xattrs },
	{ "a held lock times out with a message", test_a_held_lock_times_out },
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
