/*
 * pkishim_abi.h: the flat C interface of libpkishim, for the Cert: provider
 * (ps/Provider, C#) and any other language binding. Only ints, opaque
 * handles, UTF-8 strings and (pointer, length) buffers cross it; every
 * certificate and store decision is made behind it, in crypto/.
 *
 * Paths are what PowerShell gives a provider ("\CurrentUser\My\<T>",
 * "CurrentUser/My", "" for the root) or full Cert:\ paths. Functions return
 * 0 or a negative PKISHIM_E_* code; the message and Windows' error id of the
 * last failure are kept per thread. Thread-safe: no state is shared between calls.
 */
#ifndef PKISHIM_ABI_H
#define PKISHIM_ABI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define PKISHIM_API __attribute__((visibility("default")))
#else
#define PKISHIM_API
#endif

/* Raised whenever a function's meaning or signature changes; bindings check it at load. */
#define PKISHIM_ABI_VERSION 2

/* The error codes: pk_err's values (crypto/error.h). */
enum pkishim_error {
	PKISHIM_E_USAGE = -1, PKISHIM_E_NOMEM = -2, PKISHIM_E_IO = -3,
	PKISHIM_E_NOT_FOUND = -4, PKISHIM_E_EXISTS = -5, PKISHIM_E_FORMAT = -6,
	PKISHIM_E_PASSWORD = -7, PKISHIM_E_UNSUPPORTED = -8,
	PKISHIM_E_NOT_EXPORTABLE = -9, PKISHIM_E_CRYPTO = -10, PKISHIM_E_LIMIT = -11
};

/* What a path names. */
enum pkishim_kind {
	PKISHIM_KIND_NONE = 0,          /* nothing (a well-formed path that does not exist) */
	PKISHIM_KIND_ROOT = 1,          /* Cert:\ */
	PKISHIM_KIND_LOCATION = 2,
	PKISHIM_KIND_STORE = 3,
	PKISHIM_KIND_CERT = 4
};

/* pkishim_walk's flags: crypto/storewalk.h's. */
enum pkishim_walk_flag {
	PKISHIM_WALK_ITEM = 1,          /* the item itself (Get-Item), not its children */
	PKISHIM_WALK_RECURSE = 2
};

/* pkishim_walk's filter switches (the provider's dynamic parameters). */
enum pkishim_filter_flag {
	PKISHIM_FILTER_SSL_SERVER = 1,
	PKISHIM_FILTER_CODE_SIGNING = 2,
	PKISHIM_FILTER_DOCUMENT_ENCRYPTION = 4
};

typedef struct pkishim_cursor pkishim_cursor;

PKISHIM_API int pkishim_abi_version(void);
/* The last failure of this thread: a sentence for the user, "" when none. */
PKISHIM_API const char *pkishim_last_error(void);
PKISHIM_API int pkishim_last_error_code(void);
/* Windows' ErrorId for it ("CannotDeleteUserStore", "PathNotFound", ...). */
PKISHIM_API const char *pkishim_last_error_id(void);
/* Frees what a function handed out (pkishim_cursor_der's buffer). */
PKISHIM_API void pkishim_free(void *p);

/* What path names (a PKISHIM_KIND_*), or a negative code for a malformed path. */
PKISHIM_API int pkishim_path_kind(const char *path);
/* Whether a store's files are .NET's own X509Store directory (1) or pkishim's (0). */
PKISHIM_API int pkishim_store_is_dotnet(const char *path);

/*
 * Walks what path shows (storewalk.h): flags PKISHIM_WALK_*; filter
 * PKISHIM_FILTER_* switches; ekus: neku patterns; dns_name a pattern or
 * NULL; expiring_in_days < 0: off. *matched: what the path matched
 * (containers included). The cursor starts before the first item.
 */
PKISHIM_API int pkishim_walk(const char *path, int flags, int filter,
    const char *const *ekus, int neku, const char *dns_name, int expiring_in_days,
    pkishim_cursor **out, int *matched);
/* Moves to the next item: 1, or 0 at the end. */
PKISHIM_API int pkishim_cursor_next(pkishim_cursor *c);
/* The current item: kind, "CurrentUser"/"LocalMachine", store (NULL for a location). */
PKISHIM_API int pkishim_cursor_kind(const pkishim_cursor *c);
PKISHIM_API const char *pkishim_cursor_location(const pkishim_cursor *c);
PKISHIM_API const char *pkishim_cursor_store(const pkishim_cursor *c);
/* A certificate's thumbprint and the store file holding it (password-less PFX). */
PKISHIM_API const char *pkishim_cursor_thumbprint(const pkishim_cursor *c);
PKISHIM_API const char *pkishim_cursor_file(const pkishim_cursor *c);
/* Its friendly name (the certificate bag's friendlyName), or NULL when it has none. */
PKISHIM_API const char *pkishim_cursor_friendly_name(const pkishim_cursor *c);
/* A certificate's DER encoding; *der is freed with pkishim_free. */
PKISHIM_API int pkishim_cursor_der(const pkishim_cursor *c, unsigned char **der, size_t *len);
/* A location's store names. */
PKISHIM_API int pkishim_cursor_store_count(const pkishim_cursor *c);
PKISHIM_API const char *pkishim_cursor_store_name(const pkishim_cursor *c, int i);
PKISHIM_API void pkishim_cursor_free(pkishim_cursor *c);

/*
 * Remove-Item: a certificate (and its key: a store file holds both, so
 * delete_key changes nothing), or a LocalMachine store with its certificates.
 * CurrentUser stores, locations and the root are refused as on Windows.
 */
PKISHIM_API int pkishim_remove(const char *path, int delete_key);
/* Move-Item: a certificate to another store of its location. */
PKISHIM_API int pkishim_move(const char *path, const char *dest_store);
/* New-Item: a LocalMachine store (CurrentUser ones are refused as on Windows). */
PKISHIM_API int pkishim_store_create(const char *path);
/* X509Store.Add: a DER, PEM or password-less PFX certificate into a store. */
PKISHIM_API int pkishim_store_add(const char *store_path, const unsigned char *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
