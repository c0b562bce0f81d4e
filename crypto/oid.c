#include <ctype.h>
#include <stddef.h>

#include "crypto/oid.h"

int
crypto_oid_is_valid(const char *text)
{
	int dots = 0;
	const char *s;

	if (text == NULL || !isdigit((unsigned char)*text))
		return 0;
	for (s = text; *s != '\0'; s++) {
		if (*s == '.') {
			if (s[1] == '.' || s[1] == '\0')
				return 0;
			dots++;
		} else if (!isdigit((unsigned char)*s))
			return 0;
	}
	return dots > 0;
}
