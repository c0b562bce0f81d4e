/* fuzz_textext.c: New-SelfSignedCertificate's -TextExtension grammar. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/oid.h"
#include "crypto/textext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crypto_textext ext;
	struct pk_error err;
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&ext, 0, sizeof(ext));
	if (crypto_textext_parse(text, &ext, &err) == 0 &&
	    (ext.oid == NULL || !crypto_oid_is_valid(ext.oid)))
		abort();
	crypto_textext_clear(&ext);
	free(text);
	return 0;
}
