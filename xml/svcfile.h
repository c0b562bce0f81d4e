/* svcfile.h: Azure Cloud Services .cscfg/.csdef files: read their certificates, splice new thumbprints. */
#ifndef PKISHIM_XML_SVCFILE_H
#define PKISHIM_XML_SVCFILE_H

#include <stddef.h>
#include <stdio.h>

#include "crypto/error.h"

/*
 * A service file is parsed with libxml2 (namespace-aware, no network, no DTD,
 * no entity expansion; any DOCTYPE is refused because no service file has
 * one), and located in its ORIGINAL bytes by a small scanner of our own: the
 * n-th start tag libxml2 reports is the n-th start tag in the bytes, so an
 * attribute value's byte range is exact. An edit replaces exactly that range;
 * every other byte (BOM, UTF-16, CRLF, quotes, spacing, comments) stays.
 *
 * Names (roles, certificates) match case-insensitively in ASCII, as
 * Microsoft's own check in New-AzCloudService does (it compares with
 * PowerShell's -eq); the platform's rule is not documented.
 */

/*
 * Real files are a few KB. libxml2's push parser, handed the whole file,
 * refuses more than 10,000,000 bytes of look-ahead; 4 MiB stays below that
 * in any encoding (none more than doubles in UTF-8).
 */
#define SVCFILE_MAX_SIZE (4u * 1024 * 1024)
#define SVCFILE_MAX_DEPTH 64                   /* real files nest 6 deep */

enum svcfile_kind {
	SVCFILE_CONFIGURATION = 1,   /* .cscfg: ServiceConfiguration */
	SVCFILE_DEFINITION = 2       /* .csdef: ServiceDefinition */
};

/* One certificate row. Strings are UTF-8, owned by the file; NULL when absent. */
struct svcfile_cert {
	const char *role;
	const char *name;
	unsigned line;               /* line of the element (or endpoint) */
	/* configuration */
	const char *thumbprint;      /* as written (entities decoded) */
	const char *algorithm;       /* thumbprintAlgorithm */
	/* definition */
	int declared;                /* 1: a <Certificate>; 0: only an endpoint names it */
	const char *store_location;
	const char *store_name;
	const char *permission_level;
	const char *endpoints;       /* "HttpsIn,NetTcp": endpoints whose certificate= names it */
};

/* A role as written (a cscfg Role, a csdef WebRole/WorkerRole). */
struct svcfile_role {
	const char *name;
	unsigned line;
};

struct svcfile;

/*
 * Reads and parses path. The file must be a regular file of at most
 * SVCFILE_MAX_SIZE bytes. On success *out (free with svcfile_free) is set.
 * Errors: PK_ERR_NOT_FOUND, PK_ERR_IO, PK_ERR_LIMIT, PK_ERR_FORMAT (not
 * well-formed, with the line; or not a service file).
 */
int svcfile_load(const char *path, struct svcfile **out, struct pk_error *err);
/* The same from memory; label names the data in messages. */
int svcfile_from_mem(const void *data, size_t len, const char *label,
    struct svcfile **out, struct pk_error *err);
void svcfile_free(struct svcfile *file);

enum svcfile_kind svcfile_kind(const struct svcfile *file);
const char *svcfile_path(const struct svcfile *file);
size_t svcfile_count(const struct svcfile *file);
const struct svcfile_cert *svcfile_cert(const struct svcfile *file, size_t i);
size_t svcfile_role_count(const struct svcfile *file);
const struct svcfile_role *svcfile_role(const struct svcfile *file, size_t i);
/* The current bytes: the original ones with the edits made so far. */
const unsigned char *svcfile_bytes(const struct svcfile *file, size_t *len);
/* "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE". */
const char *svcfile_encoding(const struct svcfile *file);

/* ASCII case-insensitive equality: the one rule for role and certificate names. */
int svcfile_name_eq(const char *a, const char *b);

/*
 * Normalises a thumbprint typed by a user: ASCII white space and the invisible
 * marks certmgr's dialog copies (U+200E, U+200F, U+202A-U+202E, U+FEFF) are
 * removed, letters upper-cased; the rest must be exactly 40 hex digits.
 * out receives 40 digits and a NUL.
 */
int svcfile_thumbprint_normalize(const char *text, char out[41], struct pk_error *err);

/*
 * Whether a thumbprint as written is what the schema documentation asks for:
 * exactly 40 upper-case hex digits. Returns NULL when it is, else a sentence
 * fragment saying what is wrong ("is empty", "has 39 characters, not 40", ...).
 */
const char *svcfile_thumbprint_problem(const char *thumbprint);

/*
 * Sets the thumbprint of the certificate called name, in role when role is
 * not NULL, else in every role that has one, by splicing the value into the
 * bytes. thumbprint must already be normalised (ASCII). The file must be a
 * configuration. *changed (may be NULL) counts the values that differed.
 * Errors: PK_ERR_NOT_FOUND (no such role or name; nothing changed),
 * PK_ERR_FORMAT (not a configuration, or a matching certificate without a
 * thumbprint attribute).
 */
int svcfile_set_thumbprint(struct svcfile *file, const char *role, const char *name,
    const char *thumbprint, size_t *changed, struct pk_error *err);

/*
 * Writes every file that has edits, all or none: each new content goes to a
 * temporary file next to its target (same mode), then all are renamed into
 * place; if one rename fails, the files already replaced get their original
 * bytes back. Files that are symbolic links, read-only, or changed on disk
 * since they were loaded are refused before anything is written.
 * *written (may be NULL) counts the files replaced.
 */
int svcfile_commit(struct svcfile **files, size_t n, size_t *written,
    struct pk_error *err);
/* Whether the file has edits that change its bytes. */
int svcfile_dirty(const struct svcfile *file);

/*
 * Expands -Path patterns as PowerShell does for the file system: '*', '?' and
 * '[...]' are wildcards, a backtick escapes the next character, '\' is a
 * separator; a pattern that matches nothing, or a plain path that does not
 * exist, is an error. With literal, paths are taken as they are. Matches are
 * sorted, duplicates dropped. On success *paths (free with svcfile_paths_free)
 * holds *count paths.
 */
int svcfile_expand(const char *const *patterns, size_t npatterns, int literal,
    char ***paths, size_t *count, struct pk_error *err);
void svcfile_paths_free(char **paths, size_t count);

/* One problem Test-ServiceCertificate reports. */
struct svcfile_problem {
	const char *file;      /* the file the line refers to */
	unsigned line;
	char *role;
	char *name;            /* certificate name, or NULL for a role problem */
	char *message;         /* a full sentence */
};

struct svcfile_problems {
	struct svcfile_problem *items;
	size_t count;
};

/*
 * Looks a thumbprint up in a store: returns 1 when present, 0 when absent,
 * or a negative PK_ERR_* with err set when the store cannot be read.
 * store_name is the csdef storeName (or NULL when the definition gives none).
 */
typedef int (*svcfile_store_lookup)(void *ctx, const char *store_name,
    const char *thumbprint, struct pk_error *err);

/*
 * Checks a definition against a configuration (DESIGN §3): every csdef
 * Certificate and endpoint certificate= needs an entry in the same cscfg role
 * with a well-formed thumbprint (40 upper-case hex digits) and algorithm sha1;
 * every cscfg certificate must be declared in the csdef role or named by an
 * endpoint, unless it is a plugin's (Microsoft.WindowsAzure.Plugins.*); every
 * csdef role needs a cscfg role. With lookup, every well-formed thumbprint
 * must be in the store. Appends to out; returns 0 (even with problems) or a
 * negative code when the check itself failed.
 */
int svcfile_check(const struct svcfile *cfg, const struct svcfile *def,
    svcfile_store_lookup lookup, void *lookup_ctx,
    struct svcfile_problems *out, struct pk_error *err);
void svcfile_problems_clear(struct svcfile_problems *problems);

/*
 * Whether a configuration's <Certificate> elements name thumbprint (40
 * upper-case digits); thumbprints as written are normalised first, so a
 * lower-case or spaced one still counts.
 */
int svcfile_references_thumbprint(const struct svcfile *cfg, const char *thumbprint);

#endif
