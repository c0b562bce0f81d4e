/* svcout.c: rows of service files as a PowerShell table, tab-separated lines, or JSON lines. */
#include <stdio.h>
#include <string.h>

#include "cmdlets/json.h"
#include "cmdlets/svcout.h"

#define MAX_COLUMNS 6

static const char *const cfg_headers[] = {
	"Role", "Name", "Thumbprint", "ThumbprintAlgorithm", NULL
};
static const char *const def_headers[] = {
	"Role", "Name", "StoreLocation", "StoreName", "PermissionLevel", "Endpoints", NULL
};

static const char *
kind_name(const struct svcfile *f)
{
	return svcfile_kind(f) == SVCFILE_CONFIGURATION ? "Configuration" : "Definition";
}

/* The row's columns in header order; absent values are "". */
static size_t
columns(const struct svcfile *f, const struct svcfile_cert *c, const char *col[MAX_COLUMNS])
{
	size_t n = 0, i;

	col[n++] = c->role;
	col[n++] = c->name;
	if (svcfile_kind(f) == SVCFILE_CONFIGURATION) {
		col[n++] = c->thumbprint;
		col[n++] = c->algorithm;
	} else {
		col[n++] = c->store_location;
		col[n++] = c->store_name;
		col[n++] = c->permission_level;
		col[n++] = c->endpoints;
	}
	for (i = 0; i < n; i++)
		if (col[i] == NULL)
			col[i] = "";
	return n;
}

/* Characters on screen: UTF-8 continuation bytes take no column. */
static size_t
width(const char *s)
{
	size_t w = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void
put_plain(const char *s, FILE *fp)
{
	for (; *s != '\0'; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7F ? ' ' : *s, fp);
}

static void
put_padded(const char *s, size_t w, FILE *fp)
{
	size_t have = width(s);

	put_plain(s, fp);
	while (have++ < w)
		fputc(' ', fp);
}

static int
selected(const struct svcfile_cert *c, const char *role, const char *name)
{
	return (role == NULL || svcfile_name_eq(c->role, role)) &&
	    (name == NULL || svcfile_name_eq(c->name, name));
}

static void
print_table(const struct svcfile *f, const char *role, const char *name, FILE *fp)
{
	const char *const *headers = svcfile_kind(f) == SVCFILE_CONFIGURATION ? cfg_headers :
	    def_headers;
	const char *col[MAX_COLUMNS];
	size_t w[MAX_COLUMNS], ncol = 0, i, k, rows = 0;

	for (i = 0; i < svcfile_count(f); i++)
		rows += selected(svcfile_cert(f, i), role, name);
	if (rows == 0)
		return;
	while (headers[ncol] != NULL) {
		w[ncol] = strlen(headers[ncol]);
		ncol++;
	}
	for (i = 0; i < svcfile_count(f); i++) {
		if (!selected(svcfile_cert(f, i), role, name))
			continue;
		columns(f, svcfile_cert(f, i), col);
		for (k = 0; k < ncol; k++)
			if (width(col[k]) > w[k])
				w[k] = width(col[k]);
	}
	fprintf(fp, "\n    Path: ");
	put_plain(svcfile_path(f), fp);
	fprintf(fp, "\n\n");
	for (k = 0; k < ncol; k++) {
		put_padded(headers[k], k + 1 < ncol ? w[k] : 0, fp);
		fputc(k + 1 < ncol ? ' ' : '\n', fp);
	}
	for (k = 0; k < ncol; k++) {
		size_t d;

		for (d = 0; d < strlen(headers[k]); d++)
			fputc('-', fp);
		for (; k + 1 < ncol && d < w[k]; d++)
			fputc(' ', fp);
		fputc(k + 1 < ncol ? ' ' : '\n', fp);
	}
	for (i = 0; i < svcfile_count(f); i++) {
		if (!selected(svcfile_cert(f, i), role, name))
			continue;
		columns(f, svcfile_cert(f, i), col);
		for (k = 0; k < ncol; k++) {
			put_padded(col[k], k + 1 < ncol ? w[k] : 0, fp);
			fputc(k + 1 < ncol ? ' ' : '\n', fp);
		}
	}
}

static void
put_json_field(const char *key, const char *value, FILE *fp)
{
	fprintf(fp, ",\"%s\":", key);
	json_string(value, fp);
}

static void
print_json(const struct svcfile *f, const struct svcfile_cert *c, FILE *fp)
{
	fputs("{\"Path\":", fp);
	json_string(svcfile_path(f), fp);
	put_json_field("Kind", kind_name(f), fp);
	put_json_field("Role", c->role, fp);
	put_json_field("Name", c->name, fp);
	if (svcfile_kind(f) == SVCFILE_CONFIGURATION) {
		put_json_field("Thumbprint", c->thumbprint, fp);
		put_json_field("ThumbprintAlgorithm", c->algorithm, fp);
	} else {
		fprintf(fp, ",\"Declared\":%s", c->declared ? "true" : "false");
		put_json_field("StoreLocation", c->store_location, fp);
		put_json_field("StoreName", c->store_name, fp);
		put_json_field("PermissionLevel", c->permission_level, fp);
		put_json_field("Endpoints", c->endpoints, fp);
	}
	fprintf(fp, ",\"Line\":%u}\n", c->line);
}

void
svcfile_print(struct svcfile *const *files, size_t n, const char *role, const char *name,
    enum svcfile_format format, FILE *fp)
{
	const char *col[MAX_COLUMNS];
	size_t i, j, k, ncol;

	for (i = 0; i < n; i++) {
		const struct svcfile *f = files[i];

		if (format == SVCFILE_FORMAT_TABLE) {
			print_table(f, role, name, fp);
			continue;
		}
		for (j = 0; j < svcfile_count(f); j++) {
			if (!selected(svcfile_cert(f, j), role, name))
				continue;
			if (format == SVCFILE_FORMAT_JSON) {
				print_json(f, svcfile_cert(f, j), fp);
				continue;
			}
			put_plain(svcfile_path(f), fp);
			fprintf(fp, "\t%s", kind_name(f));
			ncol = columns(f, svcfile_cert(f, j), col);
			for (k = 0; k < ncol; k++) {
				fputc('\t', fp);
				put_plain(col[k], fp);
			}
			fputc('\n', fp);
		}
	}
	if (format == SVCFILE_FORMAT_TABLE && n > 0)
		fputc('\n', fp);
}

void
svcfile_print_problems(const struct svcfile_problems *p, enum svcfile_format format,
    FILE *fp)
{
	size_t i;

	for (i = 0; i < p->count; i++) {
		const struct svcfile_problem *it = &p->items[i];

		if (format != SVCFILE_FORMAT_JSON) {
			put_plain(it->file, fp);
			fprintf(fp, ":%u: ", it->line);
			put_plain(it->message, fp);
			fputc('\n', fp);
			continue;
		}
		fputs("{\"Path\":", fp);
		json_string(it->file, fp);
		fprintf(fp, ",\"Line\":%u", it->line);
		put_json_field("Role", it->role, fp);
		put_json_field("Name", it->name, fp);
		put_json_field("Message", it->message, fp);
		fputs("}\n", fp);
	}
}
