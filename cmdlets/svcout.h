/* svcout.h: how the service-file commands show certificates and problems. */
#ifndef PKISHIM_SVCOUT_H
#define PKISHIM_SVCOUT_H

#include <stdio.h>

#include "xml/svcfile.h"

/* How commands print rows (Get-ServiceCertificate, Set-ServiceCertificate -PassThru). */
enum svcfile_format {
	SVCFILE_FORMAT_TABLE,   /* PowerShell's table, grouped by file: for a terminal */
	SVCFILE_FORMAT_TSV,     /* one tab-separated line per certificate: for scripts */
	SVCFILE_FORMAT_JSON     /* one JSON object per line: for the PowerShell module */
};

/*
 * Prints the certificate rows of files to fp, only those of role and name
 * when they are not NULL (svcfile_name_eq). TSV columns: path, kind
 * ("Configuration" or "Definition"), role, name, then thumbprint and
 * algorithm (configuration) or storeLocation, storeName, permissionLevel and
 * endpoints (definition); empty for absent values; control characters become
 * spaces. Formatting only: the caller chose fp.
 */
void svcfile_print(struct svcfile *const *files, size_t n, const char *role,
    const char *name, enum svcfile_format format, FILE *fp);
/* Prints problems: "file:line: message" lines, or JSON objects. */
void svcfile_print_problems(const struct svcfile_problems *problems,
    enum svcfile_format format, FILE *fp);

#endif
