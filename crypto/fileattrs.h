/* fileattrs.h: what a replaced file keeps besides its bytes (owner, extended attributes). */
#ifndef PKISHIM_CRYPTO_FILEATTRS_H
#define PKISHIM_CRYPTO_FILEATTRS_H

/*
 * Copies every extended attribute of the file at path (not following a link)
 * onto the open file fd: POSIX ACLs (system.posix_acl_access), SELinux labels
 * (security.selinux), user.* and the rest. Attributes the filesystem or our
 * privileges cannot set (ENOTSUP, EPERM, EACCES) are skipped: a replacement
 * is never refused for them. Returns 0, or -1 with errno for other failures.
 * Without extended attribute support in the system, does nothing.
 */
int fileattrs_copy_xattrs(const char *path, int fd);

#endif
