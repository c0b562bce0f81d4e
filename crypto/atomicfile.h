/* atomicfile.h: output files that appear whole or not at all (DESIGN §2.4). */
#ifndef PKISHIM_CRYPTO_ATOMICFILE_H
#define PKISHIM_CRYPTO_ATOMICFILE_H

#include <stddef.h>

#include "crypto/error.h"

enum atomicfile_flag {
	ATOMICFILE_SECRET = 1u << 0,      /* mode 0600 (it holds a key), else 0644; whatever the umask */
	ATOMICFILE_NO_CLOBBER = 1u << 1,  /* an existing target is an error (-NoClobber) */
	ATOMICFILE_FORCE = 1u << 2        /* a read-only target may be replaced (-Force) */
};

/*
 * Writes data to path through a temporary file in the same directory
 * (O_EXCL|O_NOFOLLOW, fsync, rename), so readers see the old file or the new
 * one, never a part. A directory as path is an error. Without
 * ATOMICFILE_FORCE a read-only target is refused, as Export-PfxCertificate
 * does. On any failure the temporary file is removed and the target is
 * untouched. Errors: PK_ERR_EXISTS, PK_ERR_NOT_FOUND (no such directory),
 * PK_ERR_IO.
 */
int atomicfile_write(const char *path, const void *data, size_t len, unsigned flags,
    struct pk_error *err);

/*
 * A path parameter as pwsh reads it on Unix, where '\' is the alternate
 * separator (powershell-semantics.md §7): ".\x.pfx" becomes "./x.pfx".
 * Caller frees; NULL without memory.
 */
char *atomicfile_native_path(const char *arg);

/*
 * Reads a whole regular file of at most max bytes. On success *data (caller
 * frees; NUL-terminated past len) and *len are set.
 */
int atomicfile_read(const char *path, size_t max, unsigned char **data, size_t *len,
    struct pk_error *err);

#endif
