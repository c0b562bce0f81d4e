/* secret.h: wiping passwords and key material outside crypto/, without OpenSSL headers. */
#ifndef PKISHIM_SECRET_H
#define PKISHIM_SECRET_H

#include <stddef.h>

/* Overwrites len bytes in a way the compiler cannot drop (OPENSSL_cleanse). */
void secret_wipe(void *ptr, size_t len);

/* Wipes a NUL-terminated string and frees it; NULL is fine. */
void secret_free(char *text);

/*
 * Keeps the process's memory (passwords, keys) out of core files and away
 * from other users' debuggers for the rest of its life, as OpenSSH's agent
 * does: no core file (RLIMIT_CORE 0) anywhere; on Linux
 * prctl(PR_SET_DUMPABLE, 0), which also makes /proc/<pid>/ root's, so
 * ptrace and /proc/<pid>/mem|environ are closed to every other unprivileged
 * process, the same user's included; on macOS ptrace(PT_DENY_ATTACH).
 * Returns 0, or -1 when the system refused (errno set).
 */
int secret_protect_process(void);

#endif
