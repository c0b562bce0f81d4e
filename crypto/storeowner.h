/* storeowner.h: a store is trusted only when its user owns it (private to crypto/). */
#ifndef PKISHIM_CRYPTO_STOREOWNER_H
#define PKISHIM_CRYPTO_STOREOWNER_H

#include "crypto/error.h"

/*
 * Checks dir and every directory between base and it (base itself is the
 * caller's: $HOME, $PKISHIM_STORE_ROOT, /var/lib): each that exists must be
 * owned by the effective user and not writable by group or others, as .NET
 * requires of its store directories. Missing ones are fine (nothing to
 * trust yet). Fails with PK_ERR_IO and a message saying how to fix it.
 */
int store_owner_check_dirs(const char *base, const char *dir, struct pk_error *err);

/*
 * Whether a store file may be read: 0 when it is the user's (a mode wider
 * than 0600 is narrowed to 0600 first, as .NET repairs it), else a warning
 * and -1. A missing file is the caller's to report (0).
 */
int store_owner_check_file(const char *path);

#endif
