/*
 * lazyfs.c: a FUSE file system for tests that loses, at a simulated power cut,
 * everything POSIX does not promise to keep (after LazyFS, Alagoa et al.).
 *
 *   lazyfs BACKING MOUNTPOINT [FUSE options, e.g. -f]
 *
 * The view starts as a copy of BACKING, held in memory. Writes and namespace
 * changes (create, mkdir, link, rename, unlink, rmdir) change only the view.
 * BACKING receives, and so holds exactly, what was made durable:
 *   - a file's data and mode, by fsync or fdatasync of that file;
 *   - a directory's entries, by fsync of that directory.
 * The kernel never tells a FUSE file system about syncfs(2) or sync(2) (it
 * sends FUSE_SYNCFS to virtiofs only), so here, as on any FUSE file system,
 * they make nothing durable.
 *
 * The control file /.lazyfs (not listed) takes one command per write:
 *   crash [K]   a power cut: the first K namespace changes not yet durable
 *               reach BACKING too, in the order they were made (as a journal
 *               writes them; none without K), all other unsynced state is
 *               dropped, and the view is read again from BACKING
 * and reads as "pending N" (namespace changes not yet durable) followed by
 * one line per change, for messages.
 */
#define FUSE_USE_VERSION 31

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CONTROL "/.lazyfs"
#define MAX_DEPTH 64            /* bounds a walk of the durable tree */

struct bytes {
	unsigned char *p;
	size_t len, cap;
};

struct entry {
	char *name;
	struct node *node;
};

struct entries {
	struct entry *v;
	size_t n, cap;
};

struct node {
	struct node *next_all;      /* every node made, freed at unmount */
	int dir;
	ino_t ino;
	mode_t mode, dmode;         /* permission bits: in the view, durable */
	uid_t uid;
	gid_t gid;
	struct timespec mtime, ctime;
	struct bytes data, ddata;   /* a file's content: in the view, durable */
	struct entries cur, dur;    /* a directory's entries: in the view, durable */
};

/* One directory's part of a namespace change: dir[name] becomes node (NULL: removed). */
struct change {
	unsigned long seq;          /* the change it is part of (a rename has two parts) */
	struct node *dir;
	char *name;
	struct node *node;
};

static struct {
	char backing[PATH_MAX];
	struct node *root;
	struct node *all;
	ino_t next_ino;
	struct change *log;         /* the parts not yet durable, oldest first */
	size_t nlog, logcap;
	unsigned long seq;
	struct node control;
} fs;

static int
grow(void **v, size_t *cap, size_t need, size_t size)
{
	size_t want = *cap == 0 ? 8 : *cap;
	void *p;

	if (need <= *cap)
		return 0;
	while (want < need)
		want *= 2;
	if ((p = realloc(*v, want * size)) == NULL)
		return -ENOMEM;
	*v = p;
	*cap = want;
	return 0;
}

static int
bytes_set(struct bytes *b, const void *p, size_t len)
{
	if (grow((void **)&b->p, &b->cap, len, 1) != 0)
		return -ENOMEM;
	if (len > 0)
		memcpy(b->p, p, len);
	b->len = len;
	return 0;
}

static int
bytes_resize(struct bytes *b, size_t len)
{
	if (grow((void **)&b->p, &b->cap, len, 1) != 0)
		return -ENOMEM;
	if (len > b->len)
		memset(b->p + b->len, 0, len - b->len);
	b->len = len;
	return 0;
}

static struct node *
node_new(int dir, mode_t mode, uid_t uid, gid_t gid)
{
	struct node *n = calloc(1, sizeof(*n));

	if (n == NULL)
		return NULL;
	n->dir = dir;
	n->ino = ++fs.next_ino;
	n->mode = n->dmode = mode & 07777;
	n->uid = uid;
	n->gid = gid;
	clock_gettime(CLOCK_REALTIME, &n->mtime);
	n->ctime = n->mtime;
	n->next_all = fs.all;
	fs.all = n;
	return n;
}

static struct entry *
entry_find(struct entries *es, const char *name)
{
	size_t i;

	for (i = 0; i < es->n; i++)
		if (strcmp(es->v[i].name, name) == 0)
			return &es->v[i];
	return NULL;
}

/* es[name] = node; NULL removes the entry. */
static int
entry_set(struct entries *es, const char *name, struct node *node)
{
	struct entry *e = entry_find(es, name);

	if (e != NULL && node != NULL) {
		e->node = node;
		return 0;
	}
	if (e != NULL) {
		free(e->name);
		*e = es->v[--es->n];
		return 0;
	}
	if (node == NULL)
		return 0;
	if (grow((void **)&es->v, &es->cap, es->n + 1, sizeof(*es->v)) != 0 ||
	    (es->v[es->n].name = strdup(name)) == NULL)
		return -ENOMEM;
	es->v[es->n++].node = node;
	return 0;
}

static void
entries_free(struct entries *es)
{
	size_t i;

	for (i = 0; i < es->n; i++)
		free(es->v[i].name);
	free(es->v);
	memset(es, 0, sizeof(*es));
}

/* The view: the node a path names, or NULL. */
static struct node *
lookup(const char *path)
{
	char buf[PATH_MAX], *name, *save = NULL;
	struct node *n = fs.root;
	struct entry *e;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return NULL;
	for (name = strtok_r(buf, "/", &save); name != NULL; name = strtok_r(NULL, "/", &save)) {
		if (!n->dir || (e = entry_find(&n->cur, name)) == NULL)
			return NULL;
		n = e->node;
	}
	return n;
}

/* The directory that holds path, and path's last name (pointing into path). */
static struct node *
parent_of(const char *path, const char **name)
{
	char buf[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct node *d;

	if (slash == NULL || slash[1] == '\0' || (size_t)(slash - path) >= sizeof(buf))
		return NULL;
	memcpy(buf, path, (size_t)(slash - path));
	buf[slash - path] = '\0';
	*name = slash + 1;
	d = lookup(buf);
	return d != NULL && d->dir ? d : NULL;
}

/* BACKING: the durable image. */

static int
backing_remove(const char *path)
{
	char sub[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) == 0 ? 0 : -errno;
	if ((d = opendir(path)) == NULL)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) < (int)sizeof(sub))
			backing_remove(sub);
	}
	closedir(d);
	return rmdir(path) == 0 ? 0 : -errno;
}

static int
backing_write_file(const char *path, const struct node *n)
{
	int fd, rc = 0;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		return -errno;
	if ((n->ddata.len > 0 && write(fd, n->ddata.p, n->ddata.len) != (ssize_t)n->ddata.len) ||
	    fchmod(fd, n->dmode) != 0)
		rc = -EIO;
	close(fd);
	return rc;
}

/* Puts node, as it is durable, at path in BACKING, in place of whatever was there. */
static int
backing_put(const char *path, const struct node *n, int depth)
{
	char sub[PATH_MAX];
	size_t i;
	int rc;

	if (depth > MAX_DEPTH)
		return -ELOOP;
	if ((rc = backing_remove(path)) != 0)
		return rc;
	if (!n->dir)
		return backing_write_file(path, n);
	if (mkdir(path, 0700) != 0 || chmod(path, n->dmode) != 0)
		return -errno;
	for (i = 0; i < n->dur.n; i++) {
		if (snprintf(sub, sizeof(sub), "%s/%s", path, n->dur.v[i].name) >= (int)sizeof(sub))
			return -ENAMETOOLONG;
		if ((rc = backing_put(sub, n->dur.v[i].node, depth + 1)) != 0)
			return rc;
	}
	return 0;
}

/*
 * Calls fn with every BACKING path under which target is durable (reachable
 * from the root through durable entries). A file has as many as its links.
 */
static int
walk_durable(struct node *d, char *path, int depth, const struct node *target,
    int (*fn)(const char *, const struct node *))
{
	size_t i, len = strlen(path);
	int rc;

	if (d == target && (rc = fn(path, d)) != 0)
		return rc;
	if (!d->dir || depth > MAX_DEPTH)
		return 0;
	for (i = 0; i < d->dur.n; i++) {
		if (snprintf(path + len, PATH_MAX - len, "/%s", d->dur.v[i].name) >= (int)(PATH_MAX - len))
			return -ENAMETOOLONG;
		rc = walk_durable(d->dur.v[i].node, path, depth + 1, target, fn);
		path[len] = '\0';
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
durable_paths(const struct node *target, int (*fn)(const char *, const struct node *))
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s", fs.backing);
	return walk_durable(fs.root, path, 0, target, fn);
}

/* A walk_durable callback for a directory: its path, once. */
static char found_path[PATH_MAX];

static int
note_path(const char *path, const struct node *n)
{
	(void)n;
	snprintf(found_path, sizeof(found_path), "%s", path);
	return 1;
}

static int
rewrite_file(const char *path, const struct node *n)
{
	return backing_write_file(path, n);
}

static int
rechmod_dir(const char *path, const struct node *n)
{
	return chmod(path, n->dmode) == 0 ? 0 : -errno;
}

/* Makes dir[name] = node durable (NULL: the entry's removal), in BACKING if dir is reachable. */
static int
durable_set(struct node *dir, const char *name, struct node *node)
{
	struct entry *e = entry_find(&dir->dur, name);
	char path[PATH_MAX];
	int rc, reachable;

	if ((e == NULL && node == NULL) || (e != NULL && e->node == node))
		return 0;
	found_path[0] = '\0';
	reachable = durable_paths(dir, note_path) == 1;
	/* Before the entry changes: name may be the entry's own, which removal frees. */
	if (snprintf(path, sizeof(path), "%s/%s", found_path, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	if ((rc = entry_set(&dir->dur, name, node)) != 0)
		return rc;
	if (!reachable)
		return 0;               /* BACKING gets it with dir */
	return node == NULL ? backing_remove(path) : backing_put(path, node, 0);
}

static int
log_change(struct node *dir, const char *name, struct node *node, unsigned long seq)
{
	struct change *c;

	if (grow((void **)&fs.log, &fs.logcap, fs.nlog + 1, sizeof(*fs.log)) != 0)
		return -ENOMEM;
	c = &fs.log[fs.nlog];
	if ((c->name = strdup(name)) == NULL)
		return -ENOMEM;
	c->seq = seq;
	c->dir = dir;
	c->node = node;
	fs.nlog++;
	return 0;
}

/* The view's dir[name] = node, logged as one change (part of change seq). */
static int
view_set(struct node *dir, const char *name, struct node *node, unsigned long seq)
{
	int rc;

	if ((rc = entry_set(&dir->cur, name, node)) != 0)
		return rc;
	clock_gettime(CLOCK_REALTIME, &dir->mtime);
	dir->ctime = dir->mtime;
	return log_change(dir, name, node, seq);
}

static void
drop_log(size_t from)
{
	size_t i;

	for (i = from; i < fs.nlog; i++)
		free(fs.log[i].name);
	fs.nlog = from;
}

static int
sync_file(struct node *n)
{
	int rc;

	if ((rc = bytes_set(&n->ddata, n->data.p, n->data.len)) != 0)
		return rc;
	n->dmode = n->mode;
	return durable_paths(n, rewrite_file);
}

/* fsync of a directory: its entries, as the view has them, become durable. */
static int
sync_dir(struct node *d)
{
	size_t i, j;
	int rc;

	d->dmode = d->mode;
	if ((rc = durable_paths(d, rechmod_dir)) != 0)
		return rc;
	for (i = d->dur.n; i > 0; i--)
		if (entry_find(&d->cur, d->dur.v[i - 1].name) == NULL &&
		    (rc = durable_set(d, d->dur.v[i - 1].name, NULL)) != 0)
			return rc;
	for (i = 0; i < d->cur.n; i++)
		if ((rc = durable_set(d, d->cur.v[i].name, d->cur.v[i].node)) != 0)
			return rc;
	for (i = j = 0; i < fs.nlog; i++) {
		if (fs.log[i].dir == d)
			free(fs.log[i].name);
		else
			fs.log[j++] = fs.log[i];
	}
	fs.nlog = j;
	return 0;
}

/* Reads BACKING into a new view: what a machine finds after it restarts. */
static struct node *
load(const char *path, const struct stat *st)
{
	char sub[PATH_MAX];
	struct node *n, *child;
	struct dirent *de;
	struct stat cst;
	DIR *d;
	FILE *f = NULL;
	size_t got;

	if ((n = node_new(S_ISDIR(st->st_mode), st->st_mode, st->st_uid, st->st_gid)) == NULL)
		return NULL;
	n->mtime = st->st_mtim;
	n->ctime = st->st_ctim;
	if (!n->dir) {
		if ((f = fopen(path, "rbe")) == NULL || bytes_resize(&n->data, (size_t)st->st_size) != 0)
			goto fail;
		got = fread(n->data.p, 1, n->data.len, f);
		fclose(f);
		n->data.len = got;
		return bytes_set(&n->ddata, n->data.p, n->data.len) == 0 ? n : NULL;
	}
	if ((d = opendir(path)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) >= (int)sizeof(sub) ||
		    lstat(sub, &cst) != 0 || !(S_ISDIR(cst.st_mode) || S_ISREG(cst.st_mode)))
			continue;
		if ((child = load(sub, &cst)) == NULL || entry_set(&n->cur, de->d_name, child) != 0 ||
		    entry_set(&n->dur, de->d_name, child) != 0) {
			closedir(d);
			return NULL;
		}
	}
	closedir(d);
	return n;
fail:
	if (f != NULL)
		fclose(f);
	return NULL;
}

static int
reload(void)
{
	struct stat st;
	struct node *root;

	if (stat(fs.backing, &st) != 0 || (root = load(fs.backing, &st)) == NULL)
		return -EIO;
	fs.root = root;             /* the old nodes stay, unreachable, for open handles */
	return 0;
}

/* A power cut that lets the first keep pending changes through. */
static int
crash(size_t keep)
{
	size_t i, changes = 0;
	int rc = 0;

	for (i = 0; i < fs.nlog && rc == 0; i++) {
		if (i == 0 || fs.log[i].seq != fs.log[i - 1].seq)
			changes++;
		if (changes > keep)
			break;
		rc = durable_set(fs.log[i].dir, fs.log[i].name, fs.log[i].node);
	}
	drop_log(0);
	return rc != 0 ? rc : reload();
}

static size_t
pending(void)
{
	size_t i, changes = 0;

	for (i = 0; i < fs.nlog; i++)
		if (i == 0 || fs.log[i].seq != fs.log[i - 1].seq)
			changes++;
	return changes;
}

/* FUSE operations. A handle (fi->fh) is its node, which lives until unmount. */

static struct node *
node_of(const char *path, struct fuse_file_info *fi)
{
	if (fi != NULL && fi->fh != 0)
		return (struct node *)(uintptr_t)fi->fh;
	return path == NULL ? NULL : lookup(path);
}

static void *
lazy_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
	cfg->use_ino = 1;
	cfg->nullpath_ok = 1;
	cfg->hard_remove = 1;
	cfg->direct_io = 1;         /* no page cache: every read and write comes here */
	cfg->kernel_cache = 0;
	cfg->entry_timeout = cfg->attr_timeout = cfg->negative_timeout = 0;
	return NULL;
}

static int
lazy_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	struct node *n;

	memset(st, 0, sizeof(*st));
	if ((path != NULL && strcmp(path, CONTROL) == 0) || node_of(path, fi) == &fs.control) {
		st->st_mode = S_IFREG | 0600;
		st->st_nlink = 1;
		return 0;
	}
	if ((n = node_of(path, fi)) == NULL)
		return -ENOENT;
	st->st_ino = n->ino;
	st->st_mode = (n->dir ? S_IFDIR : S_IFREG) | n->mode;
	st->st_nlink = n->dir ? 2 : 1;
	st->st_uid = n->uid;
	st->st_gid = n->gid;
	st->st_size = n->dir ? 4096 : (off_t)n->data.len;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)((n->data.len + 511) / 512);
	st->st_atim = st->st_mtim = n->mtime;
	st->st_ctim = n->ctime;
	return 0;
}

static int
lazy_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
    struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	struct node *d = node_of(path, fi);
	size_t i;

	(void)off;
	(void)flags;
	if (d == NULL)
		return -ENOENT;
	if (!d->dir)
		return -ENOTDIR;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	for (i = 0; i < d->cur.n; i++)
		fill(buf, d->cur.v[i].name, NULL, 0, 0);
	return 0;
}

static int
lazy_opendir(const char *path, struct fuse_file_info *fi)
{
	struct node *d = lookup(path);

	if (d == NULL)
		return -ENOENT;
	if (!d->dir)
		return -ENOTDIR;
	fi->fh = (uintptr_t)d;
	return 0;
}

static int
lazy_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi)
{
	struct node *d = node_of(path, fi);

	(void)datasync;
	return d == NULL ? -ENOENT : sync_dir(d);
}

static int
add_node(const char *path, int dir, mode_t mode, struct node **out)
{
	struct fuse_context *ctx = fuse_get_context();
	const char *name;
	struct node *d, *n;

	if ((d = parent_of(path, &name)) == NULL)
		return -ENOENT;
	if (strcmp(path, CONTROL) == 0 || entry_find(&d->cur, name) != NULL)
		return -EEXIST;
	if ((n = node_new(dir, mode, ctx->uid, ctx->gid)) == NULL)
		return -ENOMEM;
	*out = n;
	return view_set(d, name, n, ++fs.seq);
}

static int
lazy_mkdir(const char *path, mode_t mode)
{
	struct node *n;

	return add_node(path, 1, mode, &n);
}

static int
lazy_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	struct node *n;
	int rc;

	if ((rc = add_node(path, 0, mode, &n)) != 0)
		return rc;
	fi->fh = (uintptr_t)n;
	return 0;
}

static int
lazy_open(const char *path, struct fuse_file_info *fi)
{
	struct node *n;

	if (strcmp(path, CONTROL) == 0) {
		fi->fh = (uintptr_t)&fs.control;
		return 0;
	}
	if ((n = lookup(path)) == NULL)
		return -ENOENT;
	if (n->dir)
		return -EISDIR;
	if ((fi->flags & O_TRUNC) && (fi->flags & O_ACCMODE) != O_RDONLY)
		n->data.len = 0;
	fi->fh = (uintptr_t)n;
	return 0;
}

static int
control_read(char *buf, size_t size, off_t off)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);
	int n;

	if (f == NULL)
		return -ENOMEM;
	fprintf(f, "pending %zu\n", pending());
	for (i = 0; i < fs.nlog; i++)
		fprintf(f, "%lu %s %s\n", fs.log[i].seq, fs.log[i].node == NULL ? "remove" : "set",
		    fs.log[i].name);
	fclose(f);
	if ((size_t)off >= len)
		n = 0;
	else {
		n = (int)(len - (size_t)off < size ? len - (size_t)off : size);
		memcpy(buf, text + off, (size_t)n);
	}
	free(text);
	return n;
}

static int
lazy_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct node *n = node_of(path, fi);
	size_t len;

	if (n == &fs.control)
		return control_read(buf, size, off);
	if (n == NULL)
		return -ENOENT;
	if ((size_t)off >= n->data.len)
		return 0;
	len = n->data.len - (size_t)off < size ? n->data.len - (size_t)off : size;
	memcpy(buf, n->data.p + off, len);
	return (int)len;
}

static int
control_write(const char *buf, size_t size)
{
	char cmd[64];
	unsigned long keep = 0;
	int rc;

	if (size >= sizeof(cmd))
		return -EINVAL;
	memcpy(cmd, buf, size);
	cmd[size] = '\0';
	if (sscanf(cmd, "crash %lu", &keep) != 1 && strcmp(cmd, "crash\n") != 0 &&
	    strcmp(cmd, "crash") != 0)
		return -EINVAL;
	return (rc = crash(keep)) != 0 ? rc : (int)size;
}

static int
lazy_write(const char *path, const char *buf, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	struct node *n = node_of(path, fi);

	if (n == &fs.control)
		return control_write(buf, size);
	if (n == NULL)
		return -ENOENT;
	if ((size_t)off + size > n->data.len && bytes_resize(&n->data, (size_t)off + size) != 0)
		return -ENOMEM;
	memcpy(n->data.p + off, buf, size);
	clock_gettime(CLOCK_REALTIME, &n->mtime);
	n->ctime = n->mtime;
	return (int)size;
}

static int
lazy_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	struct node *n = node_of(path, fi);

	if (n == &fs.control || (path != NULL && strcmp(path, CONTROL) == 0))
		return 0;
	if (n == NULL)
		return -ENOENT;
	if (n->dir)
		return -EISDIR;
	return bytes_resize(&n->data, (size_t)size);
}

static int
lazy_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	struct node *n = node_of(path, fi);

	(void)datasync;
	if (n == &fs.control)
		return 0;
	return n == NULL ? -ENOENT : sync_file(n);
}

static int
lazy_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	struct node *n = node_of(path, fi);

	if (n == NULL || n == &fs.control)
		return -ENOENT;
	n->mode = mode & 07777;
	clock_gettime(CLOCK_REALTIME, &n->ctime);
	return 0;
}

static int
lazy_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	struct node *n = node_of(path, fi);

	if (n == NULL || n == &fs.control)
		return -ENOENT;
	if (uid != (uid_t)-1)
		n->uid = uid;
	if (gid != (gid_t)-1)
		n->gid = gid;
	return 0;
}

static int
lazy_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	struct node *n = node_of(path, fi);

	if (n == NULL || n == &fs.control)
		return -ENOENT;
	if (tv[1].tv_nsec == UTIME_NOW)
		clock_gettime(CLOCK_REALTIME, &n->mtime);
	else if (tv[1].tv_nsec != UTIME_OMIT)
		n->mtime = tv[1];
	return 0;
}

static int
remove_name(const char *path, int dir)
{
	const char *name;
	struct node *d;
	struct entry *e;

	if ((d = parent_of(path, &name)) == NULL || (e = entry_find(&d->cur, name)) == NULL)
		return -ENOENT;
	if (dir && !e->node->dir)
		return -ENOTDIR;
	if (!dir && e->node->dir)
		return -EISDIR;
	if (dir && e->node->cur.n > 0)
		return -ENOTEMPTY;
	return view_set(d, name, NULL, ++fs.seq);
}

static int
lazy_unlink(const char *path)
{
	return remove_name(path, 0);
}

static int
lazy_rmdir(const char *path)
{
	return remove_name(path, 1);
}

/* Whether dir is anc or lies below it in the view. */
static int
below(const struct node *anc, const struct node *dir, int depth)
{
	size_t i;

	if (anc == dir)
		return 1;
	if (depth > MAX_DEPTH)
		return 1;
	for (i = 0; i < anc->cur.n; i++)
		if (anc->cur.v[i].node->dir && below(anc->cur.v[i].node, dir, depth + 1))
			return 1;
	return 0;
}

static int
lazy_rename(const char *from, const char *to, unsigned int flags)
{
	const char *fname, *tname;
	struct node *fd, *td, *n;
	struct entry *fe, *te;
	unsigned long seq;
	int rc;

	if (flags & ~(unsigned)RENAME_NOREPLACE)
		return -EINVAL;
	if ((fd = parent_of(from, &fname)) == NULL || (td = parent_of(to, &tname)) == NULL ||
	    (fe = entry_find(&fd->cur, fname)) == NULL)
		return -ENOENT;
	n = fe->node;
	if ((te = entry_find(&td->cur, tname)) != NULL) {
		if (te->node == n)
			return 0;
		if (flags & RENAME_NOREPLACE)
			return -EEXIST;
		if (te->node->dir && !n->dir)
			return -EISDIR;
		if (!te->node->dir && n->dir)
			return -ENOTDIR;
		if (te->node->dir && te->node->cur.n > 0)
			return -ENOTEMPTY;
	}
	if (n->dir && below(n, td, 0))
		return -EINVAL;
	seq = ++fs.seq;
	if ((rc = view_set(td, tname, n, seq)) != 0)
		return rc;
	return view_set(fd, fname, NULL, seq);
}

static int
lazy_link(const char *from, const char *to)
{
	const char *name;
	struct node *n, *d;

	if ((n = lookup(from)) == NULL)
		return -ENOENT;
	if (n->dir)
		return -EPERM;
	if ((d = parent_of(to, &name)) == NULL)
		return -ENOENT;
	if (entry_find(&d->cur, name) != NULL)
		return -EEXIST;
	return view_set(d, name, n, ++fs.seq);
}

static int
lazy_statfs(const char *path, struct statvfs *sv)
{
	(void)path;
	memset(sv, 0, sizeof(*sv));
	sv->f_bsize = sv->f_frsize = 4096;
	sv->f_blocks = sv->f_bfree = sv->f_bavail = 1u << 20;
	sv->f_files = sv->f_ffree = sv->f_favail = 1u << 20;
	sv->f_namemax = 255;
	return 0;
}

static void
lazy_destroy(void *data)
{
	struct node *n, *next;

	(void)data;
	drop_log(0);
	free(fs.log);
	for (n = fs.all; n != NULL; n = next) {
		next = n->next_all;
		free(n->data.p);
		free(n->ddata.p);
		entries_free(&n->cur);
		entries_free(&n->dur);
		free(n);
	}
	fs.all = NULL;
}

static const struct fuse_operations lazy_ops = {
	.init = lazy_init,
	.destroy = lazy_destroy,
	.getattr = lazy_getattr,
	.readdir = lazy_readdir,
	.opendir = lazy_opendir,
	.fsyncdir = lazy_fsyncdir,
	.mkdir = lazy_mkdir,
	.rmdir = lazy_rmdir,
	.create = lazy_create,
	.open = lazy_open,
	.read = lazy_read,
	.write = lazy_write,
	.truncate = lazy_truncate,
	.fsync = lazy_fsync,
	.chmod = lazy_chmod,
	.chown = lazy_chown,
	.utimens = lazy_utimens,
	.unlink = lazy_unlink,
	.rename = lazy_rename,
	.link = lazy_link,
	.statfs = lazy_statfs,
};

int
main(int argc, char *argv[])
{
	char **args;
	int i, n = 0, rc;

	if (argc < 3) {
		fprintf(stderr, "usage: lazyfs BACKING MOUNTPOINT [FUSE options]\n");
		return 2;
	}
	if (realpath(argv[1], fs.backing) == NULL) {
		fprintf(stderr, "lazyfs: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (reload() != 0) {
		fprintf(stderr, "lazyfs: cannot read %s\n", fs.backing);
		return 1;
	}
	/* One thread: the operations need no locks. */
	if ((args = calloc((size_t)argc + 2, sizeof(*args))) == NULL)
		return 1;
	args[n++] = argv[0];
	args[n++] = "-s";
	for (i = 2; i < argc; i++)
		args[n++] = argv[i];
	rc = fuse_main(n, args, &lazy_ops, NULL);
	free(args);
	if (fs.all != NULL)
		lazy_destroy(NULL);
	return rc;
}
