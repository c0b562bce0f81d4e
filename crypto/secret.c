#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "crypto/secret.h"

void
secret_wipe(void *ptr, size_t len)
{
	if (ptr != NULL)
		OPENSSL_cleanse(ptr, len);
}

void
secret_free(char *text)
{
	if (text == NULL)
		return;
	OPENSSL_cleanse(text, strlen(text));
	free(text);
}
