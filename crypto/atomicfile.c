/*
 * atomicfile.c: a temporary file beside the target, written whole, synced and
 * renamed over it (acme-client's serialise()), so a reader or a crash sees
 * the old file or the new one.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/atomicfile.h"

static int
split_dir(const char *path, char *dir, size_t dirlen, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL) {
		snprintf(dir, dirlen, ".");
		*base = path;
	} else if (slash == path) {
		snprintf(dir, dirlen, "/");
		*base = slash + 1;
	} else {
		if ((size_t)(slash - path) >= dirlen)
			return -1;
		snprintf(dir, dirlen, "%.*s", (int)(slash - path), path);
		*base = slash + 1;
	}
	return **base == '\0' ? -1 : 0;
}

static int
check_target(const char *path, unsigned flags, struct pk_error *err)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		return pk_fail(err, pk_errno_code(errno, PK_ERR_DIR_NOT_FOUND),
		    "Cannot access '%s': %s.", path, strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return pk_fail(err, PK_ERR_PERMISSION, "Access to the path '%s' is denied: it is a "
		    "directory.", path);
	if (flags & ATOMICFILE_NO_CLOBBER)
		return pk_fail(err, PK_ERR_EXISTS, "The file '%s' already exists.", path);
	/* Judged by the mode, not access(2), so root is refused like everyone else. */
	if (S_ISREG(st.st_mode) && (st.st_mode & 0222) == 0 && !(flags & ATOMICFILE_FORCE))
		return pk_fail(err, PK_ERR_PERMISSION, "Access to the path '%s' is denied: the file "
		    "is read-only (use -Force to replace it).", path);
	return 0;
}

static int
write_all(int fd, const unsigned char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
atomicfile_write(const char *path, const void *data, size_t len, unsigned flags,
    struct pk_error *err)
{
	char dir[PATH_MAX], tmp[PATH_MAX];
	const char *base;
	struct stat st;
	int fd = -1, rc;

	tmp[0] = '\0';
	if (split_dir(path, dir, sizeof(dir), &base) != 0)
		return pk_fail(err, PK_ERR_IO, "'%s' does not name a file.", path);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return pk_fail(err, PK_ERR_DIR_NOT_FOUND, "Could not find a part of the path "
		    "'%s'.", path);
	if ((rc = check_target(path, flags, err)) != 0)
		return rc;
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, base) >= (int)sizeof(tmp))
		return pk_fail(err, PK_ERR_IO, "The path '%s' is too long.", path);
	/* mkstemp opens with O_EXCL and mode 0600; fchmod sets the mode whatever the umask. */
	if ((fd = mkstemp(tmp)) < 0) {
		rc = pk_fail(err, pk_errno_code(errno, PK_ERR_DIR_NOT_FOUND),
		    "Cannot create a file in '%s': %s.", dir,
		    strerror(errno));
		tmp[0] = '\0';
		goto out;
	}
	if (fchmod(fd, flags & ATOMICFILE_SECRET ? 0600 : 0644) != 0 ||
	    write_all(fd, data, len) != 0 || fsync(fd) != 0) {
		rc = pk_fail(err, PK_ERR_IO, "Cannot write '%s': %s.", path, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = pk_fail(err, PK_ERR_IO, "Cannot write '%s': %s.", path, strerror(errno));
		goto out;
	}
	fd = -1;
	/* -NoClobber must still hold if the file appeared meanwhile: link(2) never replaces. */
	if (flags & ATOMICFILE_NO_CLOBBER) {
		if (link(tmp, path) != 0) {
			rc = errno == EEXIST ?
			    pk_fail(err, PK_ERR_EXISTS, "The file '%s' already exists.", path) :
			    pk_fail(err, PK_ERR_IO, "Cannot write '%s': %s.", path, strerror(errno));
			goto out;
		}
		unlink(tmp);
	} else if (rename(tmp, path) != 0) {
		rc = pk_fail(err, PK_ERR_IO, "Cannot write '%s': %s.", path, strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp[0] != '\0')
		unlink(tmp);
	return rc;
}

int
atomicfile_read(const char *path, size_t max, unsigned char **data, size_t *len,
    struct pk_error *err)
{
	unsigned char *buf = NULL;
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd, rc;

	*data = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return pk_fail(err, pk_errno_code(errno, PK_ERR_FILE_NOT_FOUND),
		    errno == ENOENT ? "Cannot find path '%s' because it does not exist." :
		    "Cannot read '%s': %s.", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = pk_fail(err, PK_ERR_IO, "'%s' is not a file.", path);
		goto out;
	}
	if ((size_t)st.st_size > max) {
		rc = pk_fail(err, PK_ERR_LIMIT, "'%s' is larger than %zu bytes.", path, max);
		goto out;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = pk_fail(err, PK_ERR_IO, "Cannot read '%s': %s.", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

char *
atomicfile_native_path(const char *arg)
{
	char *path, *c;

	if ((path = strdup(arg)) == NULL)
		return NULL;
	for (c = path; *c != '\0'; c++)
		if (*c == '\\')
			*c = '/';
	return path;
}
