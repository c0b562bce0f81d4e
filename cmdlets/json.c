#include "cmdlets/json.h"

void
json_string(const char *s, FILE *fp)
{
	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c < 0x20 || c == 0x7f)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

void
json_field(const char *name, const char *value, int first, FILE *fp)
{
	if (!first)
		fputc(',', fp);
	json_string(name, fp);
	fputc(':', fp);
	json_string(value, fp);
}
