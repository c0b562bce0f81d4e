/* json.h: writing JSON strings, for --pkishim-json and PKISHIM_OUTPUT=json. */
#ifndef PKISHIM_JSON_H
#define PKISHIM_JSON_H

#include <stdio.h>

/* Writes s as a quoted JSON string, NULL as null. */
void json_string(const char *s, FILE *fp);

/* Writes "name":"value" preceded by a comma unless first. */
void json_field(const char *name, const char *value, int first, FILE *fp);

#endif
