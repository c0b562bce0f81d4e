/*
 * filelock.c: flock(2) on the target's directory, chosen over git's
 * "<file>.lock" (O_CREAT|O_EXCL) because a SIGKILLed holder leaves nothing
 * behind to remove, and over fcntl/OFD record locks because those need a
 * descriptor open for writing (a directory cannot be) and fcntl locks vanish
 * when any descriptor of the file is closed. flock exists on Linux and macOS.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "crypto/filelock.h"

/* The directories this process holds, with how many acquisitions hold each. */
struct held {
	dev_t dev;
	ino_t ino;
	int fd;
	unsigned refs;
	struct held *next;
};

static struct held *held_dirs;

struct filelock {
	struct held **dirs;
	size_t n;
};

struct wanted {
	const char *path;        /* the target that names the directory, for messages */
	char dir[PATH_MAX];
	dev_t dev;
	ino_t ino;
};

int
filelock_split(const char *path, char *dir, size_t dirlen, const char **base)
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

static struct held *
find_held(dev_t dev, ino_t ino)
{
	struct held *h;

	for (h = held_dirs; h != NULL; h = h->next)
		if (h->dev == dev && h->ino == ino)
			return h;
	return NULL;
}

int
filelock_held(dev_t dev, ino_t ino)
{
	return find_held(dev, ino) != NULL;
}

static double
lock_timeout(void)
{
	const char *text = getenv("PKISHIM_LOCK_TIMEOUT");
	char *end;
	double t;

	if (text == NULL || *text == '\0')
		return 10;
	t = strtod(text, &end);
	return *end != '\0' || t < 0 || t != t ? 10 : t;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Removes what killed writers left: with the directory locked, no live writer owns it. */
static void
remove_leftovers(int dirfd)
{
	struct dirent *de;
	int fd = dup(dirfd);
	DIR *d;

	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] == '.' && strstr(de->d_name, FILELOCK_TEMP_MARK) != NULL)
			unlinkat(dirfd, de->d_name, 0);
	closedir(d);
}

/* Waits for the directory's lock; re-checks that the path still names the locked directory. */
static int
lock_dir(const struct wanted *w, double deadline, int *out, struct pk_error *err)
{
	struct stat st, again;
	useconds_t pause_us = 1000;
	int fd;

	for (;;) {
		if ((fd = open(w->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			return pk_fail(err, pk_errno_code(errno, PK_ERR_DIR_NOT_FOUND),
			    "Could not find a part of the path '%s'.", w->path);
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (fstat(fd, &st) == 0 && stat(w->dir, &again) == 0 &&
			    st.st_dev == again.st_dev && st.st_ino == again.st_ino) {
				*out = fd;
				return 0;
			}
			close(fd);      /* the directory was replaced meanwhile: lock the new one */
			continue;
		}
		close(fd);
		if (errno != EWOULDBLOCK && errno != EINTR)
			return pk_fail(err, PK_ERR_IO, "Cannot lock the directory of '%s': %s.",
			    w->path, strerror(errno));
		if (now() >= deadline)
			return pk_fail(err, PK_ERR_IO, "Cannot write '%s': another pkishim "
			    "command has been writing in '%s' for longer than %g seconds "
			    "(PKISHIM_LOCK_TIMEOUT); nothing was changed.", w->path, w->dir,
			    lock_timeout());
		usleep(pause_us);
		if (pause_us < 50000)
			pause_us *= 2;
	}
}

static int
compare_wanted(const void *a, const void *b)
{
	const struct wanted *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return 0;
}

int
filelock_acquire(const char *const *paths, size_t n, struct filelock **out,
    struct pk_error *err)
{
	struct filelock *lock = NULL;
	struct wanted *w = NULL;
	double deadline = now() + lock_timeout();
	const char *base;
	struct stat st;
	size_t i, k = 0;
	int rc, fd = -1;

	*out = NULL;
	if ((lock = calloc(1, sizeof(*lock))) == NULL ||
	    (w = calloc(n + 1, sizeof(*w))) == NULL ||
	    (lock->dirs = calloc(n + 1, sizeof(*lock->dirs))) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	for (i = 0; i < n; i++) {
		w[k].path = paths[i];
		if (filelock_split(paths[i], w[k].dir, sizeof(w[k].dir), &base) != 0) {
			rc = pk_fail(err, PK_ERR_IO, "'%s' does not name a file.", paths[i]);
			goto out;
		}
		/* Paths come sorted, so one directory's files follow each other: one stat each. */
		if (k > 0 && strcmp(w[k].dir, w[k - 1].dir) == 0) {
			w[k].dev = w[k - 1].dev;
			w[k].ino = w[k - 1].ino;
			k++;
			continue;
		}
		if (stat(w[k].dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			rc = pk_fail(err, PK_ERR_DIR_NOT_FOUND, "Could not find a part of the path "
			    "'%s'.", paths[i]);
			goto out;
		}
		w[k].dev = st.st_dev;
		w[k].ino = st.st_ino;
		k++;
	}
	qsort(w, k, sizeof(*w), compare_wanted);
	for (i = 0; i < k; i++) {
		struct held *h;

		if (i > 0 && compare_wanted(&w[i], &w[i - 1]) == 0)
			continue;
		if ((h = find_held(w[i].dev, w[i].ino)) == NULL) {
			if ((h = calloc(1, sizeof(*h))) == NULL) {
				rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
				goto out;
			}
			if ((rc = lock_dir(&w[i], deadline, &fd, err)) != 0) {
				free(h);
				goto out;
			}
			h->dev = w[i].dev;
			h->ino = w[i].ino;
			if (fstat(fd, &st) == 0) {      /* what was locked, if it was replaced */
				h->dev = st.st_dev;
				h->ino = st.st_ino;
			}
			h->fd = fd;
			h->next = held_dirs;
			held_dirs = h;
			remove_leftovers(fd);
		}
		h->refs++;
		lock->dirs[lock->n++] = h;
	}
	*out = lock;
	lock = NULL;
	rc = 0;
out:
	filelock_release(lock);
	free(w);
	return rc;
}

void
filelock_release(struct filelock *lock)
{
	struct held **p, *h;
	size_t i;

	if (lock == NULL)
		return;
	for (i = 0; i < lock->n; i++) {
		h = lock->dirs[i];
		if (--h->refs > 0)
			continue;
		for (p = &held_dirs; *p != h; p = &(*p)->next)
			;
		*p = h->next;
		close(h->fd);          /* closing the only descriptor drops the flock */
		free(h);
	}
	free(lock->dirs);
	free(lock);
}
