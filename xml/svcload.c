/* svcload.c: reading a service file: its bytes, their encoding, then the parse and the scan. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xml/svcfile_internal.h"

/*
 * The byte order mark decides the code unit (XML 1.0 Appendix F). UTF-16
 * without a mark is recognised by "<?" as libxml2 does; UTF-32 and EBCDIC
 * are refused because no service file uses them.
 */
static int
detect_encoding(struct svcfile *f, struct pk_error *err)
{
	const unsigned char *b = f->orig;
	size_t n = f->orig_len;

	f->unit = 1;
	if (n >= 4 && ((b[0] == 0 && b[1] == 0) || (b[2] == 0 && b[3] == 0)))
		return pk_fail(err, PK_ERR_FORMAT, "'%s' is UTF-32 or binary; service "
		    "files are UTF-8 or UTF-16.", f->path);
	if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
		f->bom = 3;
	else if (n >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
		f->unit = 2;
		f->bom = 2;
	} else if (n >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
		f->unit = 2;
		f->big_endian = 1;
		f->bom = 2;
	} else if (n >= 4 && b[0] == '<' && b[1] == 0 && b[2] == '?' && b[3] == 0)
		f->unit = 2;
	else if (n >= 4 && b[0] == 0 && b[1] == '<' && b[2] == 0 && b[3] == '?') {
		f->unit = 2;
		f->big_endian = 1;
	} else if (n >= 4 && b[0] == 0x4C && b[1] == 0x6F && b[2] == 0xA7 && b[3] == 0x94)
		return pk_fail(err, PK_ERR_FORMAT, "'%s' is EBCDIC; service files are "
		    "UTF-8 or UTF-16.", f->path);
	if (f->unit == 2 && (n - f->bom) % 2 != 0)
		return pk_fail(err, PK_ERR_FORMAT, "'%s' is UTF-16 with an odd number of "
		    "bytes.", f->path);
	return 0;
}

/* Takes ownership of data (malloc'ed, len bytes). */
static int
load_bytes(unsigned char *data, size_t len, const char *label, struct svcfile **out,
    struct pk_error *err)
{
	struct svcfile *f = NULL;
	int rc;

	*out = NULL;
	if ((f = calloc(1, sizeof(*f))) == NULL || (f->path = strdup(label)) == NULL) {
		free(data);
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory reading '%s'.", label);
		goto out;
	}
	f->orig = f->bytes = data;
	f->orig_len = f->len = len;
	if (len == 0) {
		rc = pk_fail(err, PK_ERR_FORMAT, "'%s' is empty; it is not a service file.",
		    label);
		goto out;
	}
	if ((rc = detect_encoding(f, err)) != 0 || (rc = svcfile_parse(f, err)) != 0)
		goto out;
	if (f->kind == SVCFILE_CONFIGURATION && (rc = svcfile_scan(f, err)) != 0)
		goto out;
	*out = f;
	f = NULL;
	rc = 0;
out:
	svcfile_free(f);
	return rc;
}

int
svcfile_from_mem(const void *data, size_t len, const char *label, struct svcfile **out,
    struct pk_error *err)
{
	unsigned char *copy;

	*out = NULL;
	if (len > SVCFILE_MAX_SIZE)
		return pk_fail(err, PK_ERR_LIMIT, "'%s' is larger than %u bytes; service "
		    "files are a few kilobytes.", label, SVCFILE_MAX_SIZE);
	if ((copy = malloc(len + 1)) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory reading '%s'.", label);
	memcpy(copy, data, len);
	return load_bytes(copy, len, label, out, err);
}

int
svcfile_load(const char *path, struct svcfile **out, struct pk_error *err)
{
	struct stat st;
	unsigned char *data = NULL;
	size_t len = 0;
	ssize_t got;
	int fd = -1, rc;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) == -1) {
		if (errno == ENOENT)
			rc = pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find path '%s' because "
			    "it does not exist.", path);
		else
			rc = pk_fail(err, PK_ERR_IO, "Cannot read '%s': %s.", path,
			    strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) == -1) {
		rc = pk_fail(err, PK_ERR_IO, "Cannot read '%s': %s.", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = pk_fail(err, PK_ERR_FORMAT, "'%s' is not a file.", path);
		goto out;
	}
	/* The size is checked before anything is read, so a huge file costs nothing. */
	if (st.st_size > (off_t)SVCFILE_MAX_SIZE) {
		rc = pk_fail(err, PK_ERR_LIMIT, "'%s' is larger than %u bytes; service "
		    "files are a few kilobytes.", path, SVCFILE_MAX_SIZE);
		goto out;
	}
	if ((data = malloc((size_t)st.st_size + 1)) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory reading '%s'.", path);
		goto out;
	}
	while (len <= (size_t)st.st_size) {
		got = read(fd, data + len, (size_t)st.st_size + 1 - len);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1) {
			rc = pk_fail(err, PK_ERR_IO, "Cannot read '%s': %s.", path,
			    strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		len += (size_t)got;
	}
	if (len != (size_t)st.st_size) {
		rc = pk_fail(err, PK_ERR_IO, "'%s' changed while it was read.", path);
		goto out;
	}
	rc = load_bytes(data, len, path, out, err);
	data = NULL;
	if (rc == 0) {
		(*out)->st = st;
		(*out)->has_stat = 1;
	}
out:
	free(data);
	if (fd != -1)
		close(fd);
	return rc;
}
