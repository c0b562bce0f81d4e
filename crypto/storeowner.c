/*
 * storeowner.c: whose store it is. Another user who could write a store
 * directory, or any directory above it that pkishim made, could plant a
 * certificate the victim then trusts (Cert:\CurrentUser\Root), or swap a
 * file between a check and a read; .NET refuses such a store ("The owner of
 * '...' is not the current user.") and so does pkishim. Once every directory
 * is the user's alone, nobody else can add, rename or replace a file in it,
 * so checking a file's owner before reading it leaves no race to win.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/storeowner.h"

static const char *
user_name(void)
{
	struct passwd *pw = getpwuid(geteuid());

	return pw != NULL ? pw->pw_name : "$(id -un)";
}

/*
 * A group write bit is harmless when the group is the user's private group
 * (same name, no other members), as umask 002 systems make every directory.
 */
static int
group_is_private(gid_t gid)
{
	struct passwd *pw = getpwuid(geteuid());
	struct group *gr = getgrgid(gid);

	return pw != NULL && gr != NULL && gid == pw->pw_gid &&
	    strcmp(gr->gr_name, pw->pw_name) == 0 &&
	    (gr->gr_mem == NULL || gr->gr_mem[0] == NULL ||
	    (strcmp(gr->gr_mem[0], pw->pw_name) == 0 && gr->gr_mem[1] == NULL));
}

/* 0 when path is a directory only its user can change, 1 when it is missing. */
static int
check_dir(const char *path, struct pk_error *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return errno == ENOENT ? 1 : pk_fail(err, PK_ERR_IO, "Cannot use the store "
		    "directory '%s': %s.", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return pk_fail(err, PK_ERR_IO, "'%s' is not a directory.", path);
	if (st.st_uid != geteuid())
		return pk_fail(err, PK_ERR_IO, "The owner of '%s' is not the current user. "
		    "A store must belong to its user alone (another user could plant "
		    "certificates in it): remove the directory, or have root give it to "
		    "you with chown -R %s '%s'.", path, user_name(), path);
	if ((st.st_mode & S_IWOTH) || ((st.st_mode & S_IWGRP) && !group_is_private(st.st_gid)))
		return pk_fail(err, PK_ERR_IO, "The store directory '%s' is writable by other "
		    "users (mode %04o), who could plant certificates in it; make it "
		    "private with chmod 0700 '%s'.", path, (unsigned)(st.st_mode & 07777),
		    path);
	return 0;
}

int
store_owner_check_dirs(const char *base, const char *dir, struct pk_error *err)
{
	char buf[4096];
	size_t n = strlen(base), at;
	int rc;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return pk_fail(err, PK_ERR_IO, "The path '%s' is too long.", dir);
	if (strncmp(dir, base, n) != 0 || dir[n] != '/')
		return pk_fail(err, PK_ERR_IO, "The store directory '%s' is not under '%s'.",
		    dir, base);
	/* Each directory below base, from the top; a missing one ends the walk. */
	for (at = n + 1;; at++) {
		char c = dir[at];

		if (c != '/' && c != '\0')
			continue;
		if (dir[at - 1] != '/') {
			buf[at] = '\0';
			rc = check_dir(buf, err);
			buf[at] = c;
			if (rc != 0)
				return rc > 0 ? 0 : rc;
		}
		if (c == '\0')
			return 0;
	}
}

int
store_owner_check_file(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return 0;
	if (st.st_uid != geteuid()) {
		pk_warn("Ignoring the store file '%s': its owner (uid %u) is not the current "
		    "user, so another user may have put it there; remove it if you do not "
		    "know where it came from.", path, (unsigned)st.st_uid);
		return -1;
	}
	if ((st.st_mode & 077) != 0 && S_ISREG(st.st_mode))
		(void)chmod(path, 0600);   /* as .NET repairs it; the read goes on either way */
	return 0;
}
