/* svcpath.c: -Path and -LiteralPath as PowerShell's file system provider reads them. */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "xml/svcfile.h"

void
svcfile_paths_free(char **paths, size_t count)
{
	size_t i;

	for (i = 0; paths != NULL && i < count; i++)
		free(paths[i]);
	free(paths);
}

/*
 * PowerShell pattern -> glob(3) pattern (used with GLOB_NOESCAPE): '\' becomes
 * '/', and "`c" becomes "[c]" so an escaped wildcard matches itself.
 */
static char *
to_glob(const char *pattern, int *wild)
{
	char *out = malloc(3 * strlen(pattern) + 1), *o = out;
	const char *p;

	*wild = 0;
	if (out == NULL)
		return NULL;
	for (p = pattern; *p != '\0'; p++) {
		if (*p == '`' && p[1] != '\0') {
			p++;
			if (*p == '*' || *p == '?' || *p == '[' || *p == ']') {
				*o++ = '[';
				*o++ = *p;
				*o++ = ']';
			} else
				*o++ = *p == '\\' ? '/' : *p;
			continue;
		}
		if (*p == '*' || *p == '?' || *p == '[')
			*wild = 1;
		*o++ = *p == '\\' ? '/' : *p;
	}
	*o = '\0';
	return out;
}

/* A literal path: '\' is a separator, a backtick in a plain path stays (as for -LiteralPath). */
static char *
to_literal(const char *path, int unescape)
{
	char *out = malloc(strlen(path) + 1), *o = out;
	const char *p;

	if (out == NULL)
		return NULL;
	for (p = path; *p != '\0'; p++) {
		if (unescape && *p == '`' && p[1] != '\0')
			p++;
		*o++ = *p == '\\' ? '/' : *p;
	}
	*o = '\0';
	return out;
}

static int
append(char ***paths, size_t *count, char *path)
{
	char **grown;

	if ((grown = realloc(*paths, (*count + 1) * sizeof(*grown))) == NULL) {
		free(path);
		return PK_ERR_NOMEM;
	}
	*paths = grown;
	(*paths)[(*count)++] = path;
	return 0;
}

struct ranked {
	const char *path;
	size_t at;
};

static int
by_path_then_place(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c != 0 ? c : (x->at > y->at) - (x->at < y->at);
}

/*
 * Drops later copies of a path, keeping the order of first appearance, in
 * O(n log n): thousands of matches are a real case (tests/bench).
 */
static int
drop_duplicates(char **paths, size_t *count)
{
	struct ranked *r;
	size_t i, kept = 0;

	if (*count < 2)
		return 0;
	if ((r = malloc(*count * sizeof(*r))) == NULL)
		return PK_ERR_NOMEM;
	for (i = 0; i < *count; i++)
		r[i] = (struct ranked){ paths[i], i };
	qsort(r, *count, sizeof(*r), by_path_then_place);
	for (i = 1; i < *count; i++)
		if (strcmp(r[i].path, r[i - 1].path) == 0) {
			free(paths[r[i].at]);
			paths[r[i].at] = NULL;
		}
	free(r);
	for (i = 0; i < *count; i++)
		if (paths[i] != NULL)
			paths[kept++] = paths[i];
	*count = kept;
	return 0;
}

int
svcfile_expand(const char *const *patterns, size_t npatterns, int literal, char ***out,
    size_t *outcount, struct pk_error *err)
{
	char **paths = NULL, *g = NULL;
	size_t count = 0, i, k;
	glob_t gl;
	int rc, wild, globbed = 0;

	*out = NULL;
	*outcount = 0;
	for (i = 0; i < npatterns; i++) {
		if ((g = literal ? to_literal(patterns[i], 0) : to_glob(patterns[i], &wild)) == NULL)
			goto nomem;
		if (literal || !wild) {
			char *plain = literal ? g : to_literal(patterns[i], 1);

			if (!literal)
				free(g);
			g = NULL;
			if (plain == NULL || append(&paths, &count, plain) != 0)
				goto nomem;
			continue;
		}
		memset(&gl, 0, sizeof(gl));
		rc = glob(g, GLOB_NOESCAPE, NULL, &gl);
		globbed = 1;
		if (rc == GLOB_NOMATCH || (rc == 0 && gl.gl_pathc == 0)) {
			rc = pk_fail(err, PK_ERR_NOT_FOUND, "Cannot find path '%s' because it "
			    "does not exist.", patterns[i]);
			goto out;
		}
		if (rc != 0)
			goto nomem;
		for (k = 0; k < gl.gl_pathc; k++) {
			char *copy = strdup(gl.gl_pathv[k]);

			if (copy == NULL || append(&paths, &count, copy) != 0)
				goto nomem;
		}
		globfree(&gl);
		globbed = 0;
		free(g);
		g = NULL;
	}
	if (drop_duplicates(paths, &count) != 0)
		goto nomem;
	*out = paths;
	*outcount = count;
	paths = NULL;
	count = 0;
	rc = 0;
	goto out;
nomem:
	rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory expanding paths.");
out:
	if (globbed)
		globfree(&gl);
	free(g);
	svcfile_paths_free(paths, count);
	return rc;
}
