/* fileattrs.c: extended attributes through Linux's and macOS's different <sys/xattr.h>. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#if defined(__linux__) || defined(__APPLE__)
#include <sys/xattr.h>
#define HAVE_XATTR 1
#endif

#include "crypto/fileattrs.h"

#ifdef HAVE_XATTR
#ifdef __APPLE__
#define list_attrs(p, b, n) listxattr((p), (b), (n), XATTR_NOFOLLOW)
#define get_attr(p, a, b, n) getxattr((p), (a), (b), (n), 0, XATTR_NOFOLLOW)
#define set_attr(fd, a, b, n) fsetxattr((fd), (a), (b), (n), 0, 0)
#else
#define list_attrs(p, b, n) llistxattr((p), (b), (n))
#define get_attr(p, a, b, n) lgetxattr((p), (a), (b), (n))
#define set_attr(fd, a, b, n) fsetxattr((fd), (a), (b), (n), 0)
#endif

static int
skippable(int e)
{
	return e == ENOTSUP || e == EPERM || e == EACCES || e == ENODATA;
}

int
fileattrs_copy_xattrs(const char *path, int fd)
{
	char *names = NULL, *name, *value = NULL;
	ssize_t nlen, vlen;
	int rc = -1;

	if ((nlen = list_attrs(path, NULL, 0)) <= 0)
		return nlen < 0 && !skippable(errno) ? -1 : 0;
	if ((names = malloc((size_t)nlen)) == NULL ||
	    (nlen = list_attrs(path, names, (size_t)nlen)) < 0)
		goto out;
	for (name = names; name < names + nlen; name += strlen(name) + 1) {
		if ((vlen = get_attr(path, name, NULL, 0)) < 0) {
			if (skippable(errno))
				continue;
			goto out;
		}
		free(value);
		if ((value = malloc((size_t)vlen + 1)) == NULL ||
		    (vlen = get_attr(path, name, value, (size_t)vlen)) < 0)
			goto out;
		if (set_attr(fd, name, value, (size_t)vlen) != 0 && !skippable(errno))
			goto out;
	}
	rc = 0;
out:
	free(value);
	free(names);
	return rc;
}
#else
int
fileattrs_copy_xattrs(const char *path, int fd)
{
	(void)path;
	(void)fd;
	return 0;
}
#endif
