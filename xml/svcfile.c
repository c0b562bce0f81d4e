/* svcfile.c: a loaded service file: what was found in it, and the strings it owns. */
#include <stdlib.h>
#include <string.h>

#include "xml/svcfile_internal.h"

void
svcfile_free(struct svcfile *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nstrings; i++)
		free(f->strings[i]);
	free(f->strings);
	if (f->bytes != f->orig)
		free(f->bytes);
	free(f->orig);
	free(f->entries);
	free(f->roles);
	free(f->path);
	free(f);
}

const char *
svcfile_keep(struct svcfile *file, const char *s, size_t len)
{
	char **grown;
	char *copy;

	if ((copy = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	grown = realloc(file->strings, (file->nstrings + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(copy);
		return NULL;
	}
	file->strings = grown;
	file->strings[file->nstrings++] = copy;
	return copy;
}

enum svcfile_kind
svcfile_kind(const struct svcfile *f)
{
	return f->kind;
}

const char *
svcfile_path(const struct svcfile *f)
{
	return f->path;
}

size_t
svcfile_count(const struct svcfile *f)
{
	return f->nentries;
}

const struct svcfile_cert *
svcfile_cert(const struct svcfile *f, size_t i)
{
	return i < f->nentries ? &f->entries[i].pub : NULL;
}

size_t
svcfile_role_count(const struct svcfile *f)
{
	return f->nroles;
}

const struct svcfile_role *
svcfile_role(const struct svcfile *f, size_t i)
{
	return i < f->nroles ? &f->roles[i] : NULL;
}

const unsigned char *
svcfile_bytes(const struct svcfile *f, size_t *len)
{
	*len = f->len;
	return f->bytes;
}

const char *
svcfile_encoding(const struct svcfile *f)
{
	if (f->unit == 2)
		return f->big_endian ? "UTF-16BE" : "UTF-16LE";
	return f->bom ? "UTF-8 with BOM" : "UTF-8";
}

int
svcfile_dirty(const struct svcfile *f)
{
	return f->bytes != f->orig &&
	    (f->len != f->orig_len || memcmp(f->bytes, f->orig, f->len) != 0);
}

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int
svcfile_name_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	while (*a != '\0' && fold((unsigned char)*a) == fold((unsigned char)*b))
		a++, b++;
	return *a == '\0' && *b == '\0';
}
