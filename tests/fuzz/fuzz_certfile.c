/* fuzz_certfile.c: every certificate reader (DER, PEM, PKCS#7, SST, PFX) on the same bytes. */
#include <stdint.h>

#include "crypto/certfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crypto_certlist list = { NULL, 0 };
	struct pk_error err;

	crypto_certfile_load_mem(data, size, "password", &list, &err);
	crypto_certlist_clear(&list);
	crypto_certfile_load_mem(data, size, NULL, &list, &err);
	crypto_certlist_clear(&list);
	return 0;
}
