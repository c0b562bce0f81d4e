/* svcfile_internal.h: what the xml/ files share about a loaded service file. */
#ifndef PKISHIM_XML_SVCFILE_INTERNAL_H
#define PKISHIM_XML_SVCFILE_INTERNAL_H

#include <sys/types.h>
#include <sys/stat.h>

#include "xml/svcfile.h"

#define SVCFILE_NS_CONFIGURATION \
	"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration"
#define SVCFILE_NS_DEFINITION \
	"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition"

/* A certificate row and where its thumbprint value lies in the bytes. */
struct svcfile_entry {
	struct svcfile_cert pub;
	unsigned long ordinal;       /* 1-based index of its start tag in document order */
	int has_value;               /* a thumbprint attribute was found in the bytes */
	size_t value_off;            /* byte offset of the value (after the quote) */
	size_t value_len;            /* its length in bytes */
};

struct svcfile {
	char *path;
	enum svcfile_kind kind;
	unsigned char *orig;         /* the bytes as read */
	size_t orig_len;
	unsigned char *bytes;        /* current bytes; == orig until the first edit */
	size_t len;
	int unit;                    /* 1 (UTF-8 and other 8-bit) or 2 (UTF-16) */
	int big_endian;              /* UTF-16BE */
	size_t bom;                  /* bytes of byte order mark */
	struct svcfile_entry *entries;
	size_t nentries;
	struct svcfile_role *roles;
	size_t nroles;
	char **strings;              /* every string the rows point to */
	size_t nstrings;
	int has_stat;                /* loaded from a file: st is its identity */
	struct stat st;
};

/* Keeps a copy of s[0..len) owned by file; NULL without memory. */
const char *svcfile_keep(struct svcfile *file, const char *s, size_t len);

/* Parses file->orig with libxml2 and fills kind, roles and entries. */
int svcfile_parse(struct svcfile *file, struct pk_error *err);

/* Finds each entry's thumbprint value in the original bytes (svcscan.c). */
int svcfile_scan(struct svcfile *file, struct pk_error *err);

#endif
