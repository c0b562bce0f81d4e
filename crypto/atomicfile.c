/*
 * atomicfile.c: the one writer. Each target gets a temporary beside it,
 * written whole; a batch syncs all its temporaries with one barrier, renames
 * them, then syncs each directory once (git's core.fsyncMethod=batch), so a
 * reader or a crash sees each file old or new, never empty or partial.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/magic.h>
#include <sys/vfs.h>
#endif

#include "crypto/atomicfile.h"
#include "crypto/fileattrs.h"

/* Up to this many temporaries stay open to be fsynced one by one; more are synced by syncfs. */
#define KEEP_OPEN_MAX 64

int (*atomicfile_rename_hook)(const char *from, const char *to) = rename;

struct entry {
	char *path;
	char *tmp;                  /* NULL once renamed or removed */
	int fd;                     /* the temporary, while open */
	unsigned flags;
	const void *restore;
	size_t restore_len;
	dev_t dir_dev;
	ino_t dir_ino;
	int renamed;
};

struct dir_id {
	dev_t dev;
	ino_t ino;
	char *path;
	int fs_synced;              /* the barrier synced this directory's filesystem */
};

struct atomicfile_batch {
	struct entry *entries;
	size_t n, cap;
	struct filelock **locks;    /* the locks add took */
	size_t nlocks, locks_cap;
	char last_dir[PATH_MAX];    /* the directory of the last add, and its identity */
	struct stat last_dir_st;
	struct dir_id *dirs;        /* the distinct directories, each synced once */
	size_t ndirs, dirs_cap;
};

/* The strongest sync the system has: F_FULLFSYNC on macOS reaches the medium. */
static int
full_sync(int fd)
{
#ifdef F_FULLFSYNC
	if (fcntl(fd, F_FULLFSYNC) == 0)
		return 0;
#endif
	return fsync(fd);
}

int
atomicfile_sync_dir(const char *dir)
{
	int fd, rc, saved;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = full_sync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	/* Some filesystems cannot sync a directory; their renames are then as durable as they get. */
	return rc != 0 && (errno == EINVAL || errno == ENOTSUP) ? 0 : rc;
}

static const char *
kind_of(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "not a regular file";
}

/* Only a missing path or a regular file may be replaced. *exists and *st say what is there. */
static int
check_target(const char *path, unsigned flags, struct stat *st, int *exists,
    struct pk_error *err)
{
	*exists = 0;
	if (lstat(path, st) != 0) {
		if (errno == ENOENT)
			return 0;
		return pk_fail(err, pk_errno_code(errno, PK_ERR_DIR_NOT_FOUND),
		    "Cannot access '%s': %s.", path, strerror(errno));
	}
	*exists = 1;
	if (S_ISDIR(st->st_mode))
		return pk_fail(err, PK_ERR_PERMISSION, "Access to the path '%s' is denied: it is a "
		    "directory.", path);
	if (S_ISLNK(st->st_mode))
		return pk_fail(err, PK_ERR_USAGE, "'%s' is a symbolic link; pkishim does "
		    "not write through links (give the file it points to).", path);
	if (!S_ISREG(st->st_mode))
		return pk_fail(err, PK_ERR_IO, "'%s' is %s; pkishim replaces only regular "
		    "files.", path, kind_of(st->st_mode));
	if (flags & ATOMICFILE_NO_CLOBBER)
		return pk_fail(err, PK_ERR_EXISTS, "The file '%s' already exists.", path);
	/* Judged by the mode, not access(2), so root is refused like everyone else. */
	if ((st->st_mode & 0222) == 0 && !(flags & ATOMICFILE_FORCE))
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

/* The replacement keeps the old file's owner (where we may set it) and extended attributes. */
static int
keep_attrs(const char *path, const struct stat *old, int fd)
{
	if ((old->st_uid != geteuid() || old->st_gid != getegid()) &&
	    fchown(fd, old->st_uid, old->st_gid) != 0 && (errno != EPERM || geteuid() == 0))
		return -1;
	return fileattrs_copy_xattrs(path, fd);
}

/* Writes e's temporary: mkstemp's 0600 until everything is in, then the final mode. */
static int
write_temp(struct entry *e, const void *data, size_t len, const char *dir,
    const char *base, int sync_now, struct pk_error *err)
{
	struct stat old;
	int exists, rc;
	mode_t mode;

	if ((rc = check_target(e->path, e->flags, &old, &exists, err)) != 0)
		return rc;
	if (asprintf(&e->tmp, "%s/.%s" FILELOCK_TEMP_MARK "XXXXXX", dir, base) < 0) {
		e->tmp = NULL;
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	}
	if ((e->fd = mkstemp(e->tmp)) < 0) {
		rc = pk_fail(err, pk_errno_code(errno, PK_ERR_DIR_NOT_FOUND),
		    "Cannot create a file in '%s': %s.", dir, strerror(errno));
		free(e->tmp);
		e->tmp = NULL;
		return rc;
	}
	mode = e->flags & ATOMICFILE_SECRET ? 0600 : 0644;
	if ((e->flags & ATOMICFILE_KEEP_ATTRS) && exists)
		mode = old.st_mode & 07777;
	if (write_all(e->fd, data, len) != 0 ||
	    ((e->flags & ATOMICFILE_KEEP_ATTRS) && exists && keep_attrs(e->path, &old, e->fd) != 0) ||
	    fchmod(e->fd, mode) != 0 || (sync_now && full_sync(e->fd) != 0))
		return pk_fail(err, PK_ERR_IO, "Cannot write '%s': %s.", e->path, strerror(errno));
	if (!sync_now)
		return 0;               /* kept open for the barrier */
	if (close(e->fd) != 0) {
		e->fd = -1;
		return pk_fail(err, PK_ERR_IO, "Cannot write '%s': %s.", e->path, strerror(errno));
	}
	e->fd = -1;
	return 0;
}

struct atomicfile_batch *
atomicfile_batch_new(void)
{
	return calloc(1, sizeof(struct atomicfile_batch));
}

static int
grow(void **items, size_t *cap, size_t need, size_t size)
{
	size_t want = *cap == 0 ? 8 : *cap;
	void *p;

	if (need <= *cap)
		return 0;
	while (want < need)
		want *= 2;
	if ((p = realloc(*items, want * size)) == NULL)
		return -1;
	*items = p;
	*cap = want;
	return 0;
}

/* The directory's lock, taken unless this process holds it already. */
static int
ensure_locked(struct atomicfile_batch *b, const char *path, const struct stat *dirst,
    struct pk_error *err)
{
	struct filelock *lock;
	int rc;

	if (filelock_held(dirst->st_dev, dirst->st_ino))
		return 0;
	if (grow((void **)&b->locks, &b->locks_cap, b->nlocks + 1, sizeof(*b->locks)) != 0)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	if ((rc = filelock_acquire(&path, 1, &lock, err)) != 0)
		return rc;
	b->locks[b->nlocks++] = lock;
	return 0;
}

/* Remembers a directory the batch writes in, once. */
static int
note_dir(struct atomicfile_batch *b, const char *dir, const struct stat *st,
    struct pk_error *err)
{
	size_t i;

	for (i = 0; i < b->ndirs; i++)
		if (b->dirs[i].dev == st->st_dev && b->dirs[i].ino == st->st_ino)
			return 0;
	if (grow((void **)&b->dirs, &b->dirs_cap, b->ndirs + 1, sizeof(*b->dirs)) != 0 ||
	    (b->dirs[b->ndirs].path = strdup(dir)) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	b->dirs[b->ndirs].dev = st->st_dev;
	b->dirs[b->ndirs].ino = st->st_ino;
	b->dirs[b->ndirs].fs_synced = 0;
	b->ndirs++;
	return 0;
}

int
atomicfile_batch_add(struct atomicfile_batch *b, const char *path, const void *data,
    size_t len, unsigned flags, const void *restore_data, size_t restore_len,
    struct pk_error *err)
{
	char dir[PATH_MAX];
	const char *base;
	struct stat st;
	struct entry *e;
	int rc, sync_now;

	if (filelock_split(path, dir, sizeof(dir), &base) != 0)
		return pk_fail(err, PK_ERR_IO, "'%s' does not name a file.", path);
	if (b->last_dir[0] != '\0' && strcmp(dir, b->last_dir) == 0)
		st = b->last_dir_st;
	else {
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
			return pk_fail(err, PK_ERR_DIR_NOT_FOUND, "Could not find a part of the "
			    "path '%s'.", path);
		if ((rc = ensure_locked(b, path, &st, err)) != 0 ||
		    (rc = note_dir(b, dir, &st, err)) != 0)
			return rc;
		snprintf(b->last_dir, sizeof(b->last_dir), "%s", dir);
		b->last_dir_st = st;
	}
	if (grow((void **)&b->entries, &b->cap, b->n + 1, sizeof(*b->entries)) != 0)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	e = &b->entries[b->n];
	memset(e, 0, sizeof(*e));
	e->fd = -1;
	e->flags = flags;
	e->restore = restore_data;
	e->restore_len = restore_len;
	e->dir_dev = st.st_dev;
	e->dir_ino = st.st_ino;
	if ((e->path = strdup(path)) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	b->n++;
#ifdef __linux__
	/* Linux: the first temporaries wait open for fsync; beyond that syncfs covers them. */
	sync_now = 0;
#else
	sync_now = 1;
#endif
	rc = write_temp(e, data, len, dir, base, sync_now, err);
#ifdef __linux__
	if (rc == 0 && b->n > KEEP_OPEN_MAX && e->fd >= 0) {
		close(e->fd);
		e->fd = -1;
	}
#endif
	return rc;
}

#ifdef __linux__
/*
 * Whether syncfs(2) on fd's filesystem makes every file's data durable: on
 * these, whose kernel drivers commit and flush. Not on FUSE, whose kernel side
 * passes syncfs to virtiofs only, so a FUSE daemon never hears of it
 * (tests/cmd/test_power_loss.sh lost files that way), nor where we cannot
 * tell: there each temporary gets its own fsync.
 */
static int
syncfs_is_barrier(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) != 0)
		return 0;
	switch ((unsigned long)sf.f_type) {
	case EXT4_SUPER_MAGIC:      /* ext2, ext3, ext4 */
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case F2FS_SUPER_MAGIC:
	case 0x2fc12fc1:            /* ZFS */
	case OVERLAYFS_SUPER_MAGIC: /* syncs its upper layer */
	case TMPFS_MAGIC:           /* nothing on it outlives a power cut */
		return 1;
	default:
		return 0;
	}
}
#endif

/* The barrier: every temporary's bytes reach the disk before any rename. */
static int
barrier(struct atomicfile_batch *b, struct pk_error *err)
{
	size_t i, k;
	int fd, rc, whole_fs;

	for (i = 0; i < b->n; i++) {
		struct entry *e = &b->entries[i];

		if (e->fd >= 0) {
			if (fsync(e->fd) != 0 || close(e->fd) != 0) {
				e->fd = -1;
				return pk_fail(err, PK_ERR_IO, "Cannot write '%s': %s.", e->path,
				    strerror(errno));
			}
			e->fd = -1;
			continue;
		}
		for (k = 0; k < b->ndirs; k++)
			if (b->dirs[k].fs_synced && b->dirs[k].dev == e->dir_dev)
				break;
		if (k < b->ndirs)
			continue;
		/*
		 * Closed temporaries: Linux syncs their filesystem once where syncfs
		 * is a barrier, else each file; macOS flushes the drive once.
		 */
		if ((fd = open(e->tmp, O_RDONLY | O_CLOEXEC)) < 0)
			return pk_fail(err, PK_ERR_IO, "Cannot write '%s': %s.", e->path,
			    strerror(errno));
#ifdef __linux__
		whole_fs = syncfs_is_barrier(fd);
		rc = whole_fs ? syncfs(fd) : fsync(fd);
#else
		whole_fs = 1;
		rc = full_sync(fd);
#endif
		if (rc != 0) {
			close(fd);
			return pk_fail(err, PK_ERR_IO, "Cannot write '%s': %s.", e->path,
			    strerror(errno));
		}
		close(fd);
		for (k = 0; whole_fs && k < b->ndirs; k++)
			if (b->dirs[k].dev == e->dir_dev && b->dirs[k].ino == e->dir_ino)
				b->dirs[k].fs_synced = 1;
	}
	return 0;
}

static int
put_in_place(struct entry *e)
{
	if (e->flags & ATOMICFILE_NO_CLOBBER) {
		if (link(e->tmp, e->path) != 0)
			return -1;
		unlink(e->tmp);
		return 0;
	}
	return atomicfile_rename_hook(e->tmp, e->path);
}

/* Puts the bytes of the files already replaced back; whether all came back. */
static int
restore(struct atomicfile_batch *b, size_t upto)
{
	struct atomicfile_batch *undo = atomicfile_batch_new();
	size_t i;
	int ok = undo != NULL;

	for (i = 0; ok && i < upto; i++)
		if (b->entries[i].renamed && (b->entries[i].restore == NULL ||
		    atomicfile_batch_add(undo, b->entries[i].path, b->entries[i].restore,
		    b->entries[i].restore_len, ATOMICFILE_FORCE | ATOMICFILE_KEEP_ATTRS, NULL, 0,
		    NULL) != 0))
			ok = 0;
	if (ok && atomicfile_batch_commit(undo, NULL, NULL) != 0)
		ok = 0;
	atomicfile_batch_free(undo);
	return ok;
}

int
atomicfile_batch_commit(struct atomicfile_batch *b, size_t *renamed, struct pk_error *err)
{
	size_t i, count = 0;
	int rc;

	if (renamed != NULL)
		*renamed = 0;
	if ((rc = barrier(b, err)) != 0)
		return rc;
	for (i = 0; i < b->n; i++) {
		struct entry *e = &b->entries[i];

		if (put_in_place(e) != 0) {
			int saved = errno;

			if (saved == EEXIST && (e->flags & ATOMICFILE_NO_CLOBBER))
				rc = pk_fail(err, PK_ERR_EXISTS, "The file '%s' already exists.",
				    e->path);
			else
				rc = pk_fail(err, PK_ERR_IO, "Cannot replace '%s': %s.%s", e->path,
				    strerror(saved), count == 0 ? "" : restore(b, i) ?
				    " The files already replaced were restored; no file changed." :
				    " Some files already replaced could not be restored.");
			return rc;
		}
		free(e->tmp);
		e->tmp = NULL;
		e->renamed = 1;
		count++;
	}
	if (renamed != NULL)
		*renamed = count;
	/* One sync per distinct directory makes the renames durable. */
	for (i = 0; i < b->ndirs; i++)
		if (atomicfile_sync_dir(b->dirs[i].path) != 0)
			return pk_fail(err, PK_ERR_IO, "The files in '%s' were replaced but the "
			    "directory could not be synced: %s.", b->dirs[i].path, strerror(errno));
	return 0;
}

void
atomicfile_batch_free(struct atomicfile_batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n; i++) {
		if (b->entries[i].fd >= 0)
			close(b->entries[i].fd);
		if (b->entries[i].tmp != NULL)
			unlink(b->entries[i].tmp);
		free(b->entries[i].tmp);
		free(b->entries[i].path);
	}
	free(b->entries);
	for (i = 0; i < b->ndirs; i++)
		free(b->dirs[i].path);
	free(b->dirs);
	for (i = b->nlocks; i > 0; i--)
		filelock_release(b->locks[i - 1]);
	free(b->locks);
	free(b);
}

int
atomicfile_write(const char *path, const void *data, size_t len, unsigned flags,
    struct pk_error *err)
{
	struct atomicfile_batch *b = atomicfile_batch_new();
	int rc;

	if (b == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	if ((rc = atomicfile_batch_add(b, path, data, len, flags, NULL, 0, err)) == 0)
		rc = atomicfile_batch_commit(b, NULL, err);
	atomicfile_batch_free(b);
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
	/* stat first, so a device is never opened; O_NONBLOCK, so a FIFO swapped in cannot block. */
	if (stat(path, &st) != 0)
		return pk_fail(err, pk_errno_code(errno, PK_ERR_FILE_NOT_FOUND),
		    errno == ENOENT ? "Cannot find path '%s' because it does not exist." :
		    "Cannot read '%s': %s.", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return pk_fail(err, PK_ERR_IO, "'%s' is not a file.", path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0)
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
