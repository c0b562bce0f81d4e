/* fuzz_storepath.c: the Cert:\ path parser and the -Cert resolver's text forms. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crypto_store_path path;
	struct pk_error err;
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (crypto_store_path_parse(text, &path, &err) == 0) {
		free(crypto_store_path_parent(&path));
		/* A parsed thumbprint is exactly 40 upper-case hex digits or nothing. */
		if (path.thumbprint[0] != '\0' && strlen(path.thumbprint) != 40)
			abort();
	}
	crypto_store_path_clear(&path);
	free(text);
	return 0;
}
