/* atomicfile.h: the one writer of every file pkishim writes (DESIGN §2.3, §2.4). */
#ifndef PKISHIM_CRYPTO_ATOMICFILE_H
#define PKISHIM_CRYPTO_ATOMICFILE_H

#include <stddef.h>

#include "crypto/error.h"
#include "crypto/filelock.h"

/*
 * This header exposes no OpenSSL type: it is built as its own small library
 * (pkatomic) that both crypto/ and xml/ link.
 */
enum atomicfile_flag {
	ATOMICFILE_SECRET = 1u << 0,      /* mode 0600 (it holds a key), else 0644; whatever the umask */
	ATOMICFILE_NO_CLOBBER = 1u << 1,  /* an existing target is an error (-NoClobber) */
	ATOMICFILE_FORCE = 1u << 2,       /* a read-only target may be replaced (-Force) */
	ATOMICFILE_KEEP_ATTRS = 1u << 3   /* keep the replaced file's mode, owner, xattrs */
};

/*
 * Writes data to path through a temporary file in the same directory
 * (".<name>.pkishim-tmp.<random>", mode 0600 until the final mode is set),
 * synced, renamed over path, and the directory synced, under path's lock
 * (filelock.h). Readers and a crash see the old file or the new one.
 * Only a missing path or a regular file is replaced: a directory, device,
 * FIFO, socket or symbolic link is refused. Without ATOMICFILE_FORCE a
 * read-only target is refused. On failure nothing changed and no temporary
 * is left. Errors: PK_ERR_EXISTS, PK_ERR_NOT_FOUND (no such directory),
 * PK_ERR_USAGE (a link), PK_ERR_IO.
 */
int atomicfile_write(const char *path, const void *data, size_t len, unsigned flags,
    struct pk_error *err);

/*
 * A batch writes many files and pays for durability once: add writes each
 * temporary; commit syncs them all with one barrier (syncfs on Linux, fsync
 * of each elsewhere, F_FULLFSYNC once per filesystem on macOS), renames them
 * in the order added, then syncs each distinct directory once. If a rename
 * fails, the files already renamed get restore_data back (when given) and
 * commit fails. Add takes the lock of the target's directory unless this
 * process holds it (take the locks of all targets first with
 * filelock_acquire when they are in several directories, to keep a stable
 * order). Free removes the temporaries not committed and releases the locks
 * the batch took.
 */
struct atomicfile_batch;

struct atomicfile_batch *atomicfile_batch_new(void);
int atomicfile_batch_add(struct atomicfile_batch *batch, const char *path,
    const void *data, size_t len, unsigned flags, const void *restore_data,
    size_t restore_len, struct pk_error *err);
/* *renamed (may be NULL) counts the files replaced. */
int atomicfile_batch_commit(struct atomicfile_batch *batch, size_t *renamed,
    struct pk_error *err);
void atomicfile_batch_free(struct atomicfile_batch *batch);
/*
 * Makes the entries of directory dir durable (fsync, F_FULLFSYNC on macOS):
 * after mkdir, sync the parent. 0, or -1 with errno.
 */
int atomicfile_sync_dir(const char *dir);
/* rename(2), replaceable by tests to fail a commit half-way. */
extern int (*atomicfile_rename_hook)(const char *from, const char *to);

/*
 * A path parameter as pwsh reads it on Unix, where '\' is the alternate
 * separator (powershell-semantics.md §7): ".\x.pfx" becomes "./x.pfx".
 * Caller frees; NULL without memory.
 */
char *atomicfile_native_path(const char *arg);

/*
 * Reads a whole regular file of at most max bytes. Anything else (FIFO,
 * device, socket, directory) is refused at once ("'f.cer' is not a file."),
 * without blocking and without opening a device. On success *data (caller
 * frees; NUL-terminated past len) and *len are set.
 */
int atomicfile_read(const char *path, size_t max, unsigned char **data, size_t *len,
    struct pk_error *err);

#endif
