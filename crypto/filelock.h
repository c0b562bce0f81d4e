/* filelock.h: one writer at a time per directory of targets (DESIGN §2.3, README "Safety"). */
#ifndef PKISHIM_CRYPTO_FILELOCK_H
#define PKISHIM_CRYPTO_FILELOCK_H

#include <stddef.h>
#include <sys/types.h>

#include "crypto/error.h"

/*
 * A lock is flock(2) LOCK_EX on the directory that holds a target. The
 * directory is never replaced by a write, so no lock file is needed and
 * none can be left behind; the kernel drops the lock when its holder exits,
 * SIGKILL included. Locks nest within a process (counted), so a command that
 * locks its targets may call writers that lock them again.
 *
 * Locking several targets takes their directories in (device, inode) order,
 * so two commands never wait on each other in a cycle. A lock not granted
 * within PKISHIM_LOCK_TIMEOUT seconds (default 10; 0 = try once) fails with
 * PK_ERR_IO, a message naming the file, and nothing held.
 *
 * Under a newly taken lock, temporaries a killed writer left in that
 * directory (".<name>.pkishim-tmp.<random>") are removed: with the lock
 * held, no live writer owns them.
 */
struct filelock;

int filelock_acquire(const char *const *paths, size_t n, struct filelock **out,
    struct pk_error *err);
/* Releases what filelock_acquire took; NULL is allowed. */
void filelock_release(struct filelock *lock);
/* Whether this process holds the lock of the directory (dev, ino). */
int filelock_held(dev_t dev, ino_t ino);

/* The directory of path ("." or "/" when it has none) and its last component. */
int filelock_split(const char *path, char *dir, size_t dirlen, const char **base);

#define FILELOCK_TEMP_MARK ".pkishim-tmp."

#endif
