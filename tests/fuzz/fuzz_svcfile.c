/*
 * fuzz_svcfile.c: random service files plus a thumbprint edit. Invariant: the
 * edit changes only bytes inside one attribute value, and the result parses
 * back with the new value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xml/svcfile.h"

#define NEW_THUMBPRINT "0123456789ABCDEF0123456789ABCDEF01234567"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_edit(const unsigned char *old, size_t oldlen, const unsigned char *new, size_t newlen)
{
	size_t a = 0, s = 0, i;

	while (a < oldlen && a < newlen && old[a] == new[a])
		a++;
	while (s < oldlen - a && s < newlen - a && old[oldlen - 1 - s] == new[newlen - 1 - s])
		s++;
	/* What changed lies inside one attribute value, where '<' cannot stand (XML 1.0 §3.1). */
	for (i = a; i < oldlen - s; i++)
		if (old[i] == '<')
			abort();
	for (i = a; i < newlen - s; i++)
		if (memchr(NEW_THUMBPRINT, new[i], 40) == NULL && new[i] != 0)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct svcfile *file = NULL, *again = NULL;
	struct pk_error err;
	const struct svcfile_cert *c;
	const unsigned char *bytes;
	unsigned char *old = NULL;
	size_t len, oldlen, i, matches = 0;
	char role[256], name[256];

	if (svcfile_from_mem(data, size, "fuzz", &file, &err) != 0 ||
	    svcfile_kind(file) != SVCFILE_CONFIGURATION || svcfile_count(file) == 0)
		goto out;
	c = svcfile_cert(file, size % svcfile_count(file));
	if (c->thumbprint == NULL || c->role == NULL || c->name == NULL ||
	    strlen(c->role) >= sizeof(role) || strlen(c->name) >= sizeof(name))
		goto out;
	strcpy(role, c->role);
	strcpy(name, c->name);
	for (i = 0; i < svcfile_count(file); i++) {
		const struct svcfile_cert *o = svcfile_cert(file, i);

		matches += svcfile_name_eq(o->role, role) && svcfile_name_eq(o->name, name);
	}
	bytes = svcfile_bytes(file, &oldlen);
	if ((old = malloc(oldlen + 1)) == NULL)
		goto out;
	memcpy(old, bytes, oldlen);
	if (svcfile_set_thumbprint(file, role, name, NEW_THUMBPRINT, NULL, &err) != 0)
		goto out;
	bytes = svcfile_bytes(file, &len);
	/* One matching certificate: one changed range. Several: each value checked below. */
	if (matches == 1)
		check_edit(old, oldlen, bytes, len);
	if (svcfile_from_mem(bytes, len, "fuzz-again", &again, &err) != 0)
		abort();
	for (i = 0; i < svcfile_count(again); i++) {
		c = svcfile_cert(again, i);
		if (svcfile_name_eq(c->role, role) && svcfile_name_eq(c->name, name) &&
		    (c->thumbprint == NULL || strcmp(c->thumbprint, NEW_THUMBPRINT) != 0))
			abort();
	}
out:
	free(old);
	svcfile_free(again);
	svcfile_free(file);
	return 0;
}
