/* svccommit.c: writing edited service files through the one atomic writer, all or none. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/atomicfile.h"
#include "xml/svcfile_internal.h"

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

int
svcfile_commit(struct svcfile **files, size_t n, size_t *written, struct pk_error *err)
{
	struct atomicfile_batch *batch = NULL;
	struct filelock *lock = NULL;
	const char **paths = NULL;
	size_t i, k = 0;
	int rc;

	if (written != NULL)
		*written = 0;
	if ((paths = calloc(n + 1, sizeof(*paths))) == NULL ||
	    (batch = atomicfile_batch_new()) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	for (i = 0; i < n; i++)
		if (svcfile_dirty(files[i]))
			paths[k++] = files[i]->path;
	/* All directories locked in one stable order (a no-op when the caller holds them). */
	if ((rc = filelock_acquire(paths, k, &lock, err)) != 0)
		goto out;
	for (i = 0; i < n; i++)
		if (svcfile_dirty(files[i]) && (rc = check_target(files[i], err)) != 0)
			goto out;
	for (i = 0; i < n; i++)
		if (svcfile_dirty(files[i]) && (rc = atomicfile_batch_add(batch, files[i]->path,
		    files[i]->bytes, files[i]->len, ATOMICFILE_FORCE | ATOMICFILE_KEEP_ATTRS,
		    files[i]->orig, files[i]->orig_len, err)) != 0)
			goto out;
	rc = atomicfile_batch_commit(batch, written, err);
out:
	atomicfile_batch_free(batch);
	filelock_release(lock);
	free(paths);
	return rc;
}
