/* certout.c: certificates on a terminal, to a script, and to the PowerShell module. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmdlets/certout.h"
#include "cmdlets/cmdlet.h"
#include "cmdlets/json.h"
#include "crypto/certinfo.h"

#define PROVIDER "Microsoft.PowerShell.Security\\Certificate::"
#define THUMBPRINT_WIDTH 41
#define SUBJECT_WIDTH 20

/* Counts UTF-8 characters, as the table's column widths do. */
static size_t
display_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* A cell cut to width with "…" as pwsh 7 does (TableWriter), else padded. */
static void
print_cell(const char *text, size_t width, FILE *fp)
{
	size_t len = display_len(text), shown = 0;
	const char *s = text;

	if (len <= width) {
		fprintf(fp, "%s%*s", text, (int)(width - len), "");
		return;
	}
	for (; *s != '\0' && shown < width - 1; s++) {
		fputc(*s, fp);
		if (((unsigned char)s[1] & 0xc0) != 0x80)
			shown++;
	}
	fputs("\xe2\x80\xa6", fp);
}

static void
print_table(const struct certout_item *items, size_t n, FILE *fp)
{
	const char *group = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		char *subject = crypto_cert_subject(items[i].cert);
		char *eku = certinfo_eku_display(items[i].cert);
		int new_group = i == 0 || (items[i].parent != NULL) != (group != NULL) ||
		    (group != NULL && strcmp(group, items[i].parent) != 0);

		if (new_group) {
			if (i > 0)
				fputc('\n', fp);
			group = items[i].parent;
			if (group != NULL)
				fprintf(fp, "\n   PSParentPath: " PROVIDER "%s\n", group);
			fprintf(fp, "\n%-*s %-*s %s\n%-*s %-*s %s\n", THUMBPRINT_WIDTH,
			    "Thumbprint", SUBJECT_WIDTH, "Subject", "EnhancedKeyUsageList",
			    THUMBPRINT_WIDTH, "----------", SUBJECT_WIDTH, "-------",
			    "--------------------");
		}
		fprintf(fp, "%-*s ", THUMBPRINT_WIDTH, crypto_cert_thumbprint(items[i].cert));
		print_cell(subject != NULL ? subject : "", SUBJECT_WIDTH, fp);
		fprintf(fp, " %s\n", eku != NULL ? eku : "");
		free(subject);
		free(eku);
	}
	if (n > 0)
		fputc('\n', fp);
}

static void
iso_time(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void
print_json(const struct certout_item *it, FILE *fp)
{
	char *subject = crypto_cert_subject(it->cert);
	char *issuer = crypto_cert_issuer(it->cert);
	char *serial = crypto_cert_serial(it->cert);
	const char *thumb = crypto_cert_thumbprint(it->cert);
	char before[32], after[32], path[512] = "", parent[512] = "";

	iso_time(crypto_cert_not_before(it->cert), before);
	iso_time(crypto_cert_not_after(it->cert), after);
	if (it->parent != NULL) {
		snprintf(parent, sizeof(parent), PROVIDER "%s", it->parent);
		snprintf(path, sizeof(path), PROVIDER "%s\\%s", it->parent, thumb);
	}
	fputc('{', fp);
	json_field("Thumbprint", thumb, 1, fp);
	json_field("Subject", subject, 0, fp);
	json_field("Issuer", issuer, 0, fp);
	json_field("SerialNumber", serial, 0, fp);
	json_field("NotBefore", before, 0, fp);
	json_field("NotAfter", after, 0, fp);
	json_field("FriendlyName", crypto_cert_friendly_name(it->cert), 0, fp);
	fprintf(fp, ",\"HasPrivateKey\":%s", crypto_cert_has_key(it->cert) ? "true" : "false");
	json_field("PSParentPath", parent, 0, fp);
	json_field("PSPath", path, 0, fp);
	json_field("File", it->file, 0, fp);
	fputs("}\n", fp);
	free(subject);
	free(issuer);
	free(serial);
}

void
certout_print(const struct certout_item *items, size_t n, FILE *fp)
{
	size_t i;

	if (cmdlet_json_output()) {
		for (i = 0; i < n; i++)
			print_json(&items[i], fp);
	} else if (isatty(fileno(fp))) {
		print_table(items, n, fp);
	} else {
		/* What -Cert, -Signer and -CloneCert accept back, one per line. */
		for (i = 0; i < n; i++)
			if (items[i].parent != NULL)
				fprintf(fp, "Cert:\\%s\\%s\n", items[i].parent,
				    crypto_cert_thumbprint(items[i].cert));
			else
				fprintf(fp, "%s\n", crypto_cert_thumbprint(items[i].cert));
	}
}
