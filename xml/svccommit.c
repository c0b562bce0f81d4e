/* svccommit.c: writing edited service files, atomically each and all or none together. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xml/svcfile_internal.h"

int (*svcfile_rename_hook)(const char *from, const char *to) = rename;

/* Refuses what must not be written: links, read-only files, files changed since they were read. */
static int
check_target(const struct svcfile *f, struct pk_error *err)
{
	struct stat now;

	if (!f->has_stat)
		return pk_fail(err, PK_ERR_USAGE, "'%s' was not read from a file.", f->path);
	if (lstat(f->path, &now) == -1)
		return pk_fail(err, PK_ERR_IO, "Cannot write '%s': %s.", f->path,
		    strerror(errno));
	if (S_ISLNK(now.st_mode))
		return pk_fail(err, PK_ERR_USAGE, "'%s' is a symbolic link; pkishim does "
		    "not write through links (give the file it points to).", f->path);
	if (now.st_dev != f->st.st_dev || now.st_ino != f->st.st_ino ||
	    now.st_size != f->st.st_size ||
	    now.st_mtim.tv_sec != f->st.st_mtim.tv_sec ||
	    now.st_mtim.tv_nsec != f->st.st_mtim.tv_nsec)
		return pk_fail(err, PK_ERR_IO, "'%s' changed while it was being updated.",
		    f->path);
	/* Like FileAttributes.ReadOnly: no write bit, whoever we are (root included). */
	if ((now.st_mode & 0222) == 0)
		return pk_fail(err, PK_ERR_USAGE, "'%s' is read-only.", f->path);
	if (access(f->path, W_OK) == -1)
		return pk_fail(err, PK_ERR_IO, "Cannot write '%s': %s.", f->path,
		    strerror(errno));
	return 0;
}

/* Writes data to a new temporary file next to path, with path's mode; *tmp is its name. */
static int
write_temp(const struct svcfile *f, const unsigned char *data, size_t len, char **tmp,
    struct pk_error *err)
{
	const char *slash = strrchr(f->path, '/');
	size_t dirlen = slash != NULL ? (size_t)(slash - f->path) + 1 : 0;
	size_t size = strlen(f->path) + 32, off = 0;
	char *name = NULL;
	ssize_t put;
	int fd = -1, rc;

	*tmp = NULL;
	if ((name = malloc(size)) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory writing '%s'.", f->path);
		goto out;
	}
	snprintf(name, size, "%.*s.%s.pkishim-XXXXXX", (int)dirlen, f->path,
	    f->path + dirlen);
	if ((fd = mkstemp(name)) == -1) {
		rc = pk_fail(err, PK_ERR_IO, "Cannot write next to '%s': %s.", f->path,
		    strerror(errno));
		free(name);
		name = NULL;
		goto out;
	}
	while (off < len) {
		put = write(fd, data + off, len - off);
		if (put == -1 && errno == EINTR)
			continue;
		if (put == -1) {
			rc = pk_fail(err, PK_ERR_IO, "Cannot write '%s': %s.", name,
			    strerror(errno));
			goto out;
		}
		off += (size_t)put;
	}
	/* The replacement keeps the file's mode (and owner, where we may set it). */
	if (fchmod(fd, f->st.st_mode & 07777) == -1) {
		rc = pk_fail(err, PK_ERR_IO, "Cannot set the mode of '%s': %s.", name,
		    strerror(errno));
		goto out;
	}
	if (geteuid() == 0 && fchown(fd, f->st.st_uid, f->st.st_gid) == -1) {
		rc = pk_fail(err, PK_ERR_IO, "Cannot set the owner of '%s': %s.", name,
		    strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		rc = pk_fail(err, PK_ERR_IO, "Cannot write '%s': %s.", name,
		    strerror(errno));
		goto out;
	}
	fd = -1;
	*tmp = name;
	name = NULL;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (name != NULL) {
		unlink(name);
		free(name);
	}
	return rc;
}

/* Puts a replaced file's original bytes back; best effort, reports the first failure. */
static int
restore(const struct svcfile *f)
{
	char *tmp = NULL;
	int rc;

	if ((rc = write_temp(f, f->orig, f->orig_len, &tmp, NULL)) != 0)
		return rc;
	if (rename(tmp, f->path) == -1) {
		unlink(tmp);
		rc = PK_ERR_IO;
	}
	free(tmp);
	return rc;
}

int
svcfile_commit(struct svcfile **files, size_t n, size_t *written, struct pk_error *err)
{
	char **tmps = NULL;
	size_t i, renamed = 0, k;
	int rc, lost = 0;

	if (written != NULL)
		*written = 0;
	if ((tmps = calloc(n + 1, sizeof(*tmps))) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	for (i = 0; i < n; i++)
		if (svcfile_dirty(files[i]) && (rc = check_target(files[i], err)) != 0)
			goto out;
	for (i = 0; i < n; i++)
		if (svcfile_dirty(files[i]) && (rc = write_temp(files[i], files[i]->bytes,
		    files[i]->len, &tmps[i], err)) != 0)
			goto out;
	for (i = 0; i < n; i++) {
		if (tmps[i] == NULL)
			continue;
		if (svcfile_rename_hook(tmps[i], files[i]->path) == -1) {
			int saved = errno;

			for (k = 0; k < i; k++)
				if (tmps[k] == NULL && svcfile_dirty(files[k]) &&
				    restore(files[k]) != 0)
					lost = 1;
			rc = pk_fail(err, PK_ERR_IO, "Cannot replace '%s': %s. %s", files[i]->path,
			    strerror(saved), lost ? "Some files already replaced could not be "
			    "restored." : "The files already replaced were restored; no file "
			    "changed.");
			goto out;
		}
		free(tmps[i]);
		tmps[i] = NULL;
		renamed++;
	}
	if (written != NULL)
		*written = renamed;
	rc = 0;
out:
	for (i = 0; tmps != NULL && i < n; i++) {
		if (tmps[i] != NULL)
			unlink(tmps[i]);
		free(tmps[i]);
	}
	free(tmps);
	return rc;
}
