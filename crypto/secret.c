#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>

#if defined(__linux__)
#include <sys/prctl.h>
#elif defined(__APPLE__)
#include <sys/ptrace.h>
#endif

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

int
secret_protect_process(void)
{
	struct rlimit none = { 0, 0 };
	int rc = setrlimit(RLIMIT_CORE, &none);

#if defined(__linux__)
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		rc = -1;
#elif defined(__APPLE__)
	if (ptrace(PT_DENY_ATTACH, 0, 0, 0) != 0)
		rc = -1;
#endif
	return rc;
}
