/* secret.h: wiping passwords and key material outside crypto/, without OpenSSL headers. */
#ifndef PKISHIM_SECRET_H
#define PKISHIM_SECRET_H

#include <stddef.h>

/* Overwrites len bytes in a way the compiler cannot drop (OPENSSL_cleanse). */
void secret_wipe(void *ptr, size_t len);

/* Wipes a NUL-terminated string and frees it; NULL is fine. */
void secret_free(char *text);

#endif
