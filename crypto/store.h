/* store.h: the certificate stores behind Cert:\CurrentUser\... and Cert:\LocalMachine\... paths. */
#ifndef PKISHIM_CRYPTO_STORE_H
#define PKISHIM_CRYPTO_STORE_H

#include <stddef.h>

#include "crypto/cert.h"
#include "crypto/error.h"

/*
 * Layout (DESIGN §2.3): every certificate is one password-less PFX file named
 * <THUMBPRINT>.pfx holding the certificate and, when it has one, its key.
 *   PKISHIM_STORE_ROOT set:  $PKISHIM_STORE_ROOT/<Location>/<Store>/
 *   CurrentUser otherwise:   ~/.dotnet/corefx/cryptography/x509stores/<store lower-case>/
 *                            (.NET's own layout, so pwsh's [X509Store] sees the same files)
 *   LocalMachine otherwise:  /var/lib/pkishim/LocalMachine/<Store>/ when writable,
 *                            else ${XDG_DATA_HOME:-~/.local/share}/pkishim/LocalMachine/<Store>/
 * Directories are 0700 and files 0600 whatever the umask; writes are atomic.
 */

enum crypto_store_location {
	CRYPTO_STORE_CURRENT_USER,
	CRYPTO_STORE_LOCAL_MACHINE
};

/* A parsed Cert:\ path. Strings are owned by the struct. */
struct crypto_store_path {
	int has_location;               /* "Cert:\" alone names no location */
	enum crypto_store_location location;
	char *store;                    /* store name as typed ("My", "my", "Root"), or NULL */
	char thumbprint[41];            /* upper-case; empty when the path names a store */
};

/*
 * Parses "Cert:\LocalMachine\My\<thumbprint>" in any case, with '\' or '/',
 * with or without the "Microsoft.PowerShell.Security\Certificate::" prefix.
 * Returns PK_ERR_NOT_FOUND (with the provider's message) for what is not a
 * certificate provider path.
 */
int crypto_store_path_parse(const char *text, struct crypto_store_path *out,
    struct pk_error *err);
void crypto_store_path_clear(struct crypto_store_path *path);
/* Whether text starts like a Cert: path (so callers can tell it from a file path). */
int crypto_store_path_is_cert(const char *text);
/*
 * Parses a -CertStoreLocation that must name a store to write into: one of
 * Windows' standard stores, or one that exists. A NULL text is refused: on
 * Windows it means the current Cert: location, which a native process has not.
 */
int crypto_store_path_parse_target(const char *text, struct crypto_store_path *path,
    struct pk_error *err);

/* Whether a store exists: one of Windows' standard stores, or one with a directory. */
int crypto_store_exists(enum crypto_store_location loc, const char *store);

/* The stores of a location: Windows' standard ones, then the others that exist. */
int crypto_store_names(enum crypto_store_location loc, char ***names, size_t *count,
    struct pk_error *err);
void crypto_store_names_free(char **names, size_t count);

/*
 * -ChainOption BuildChain: appends to chain the issuers of certs, matched by
 * name in the My, CA and Root stores of both locations, up to the root and
 * without their keys, as Windows exports them. Reads no store when every
 * certificate is self-signed.
 */
int crypto_store_build_chain(const struct crypto_certlist *certs,
    struct crypto_certlist *chain, struct pk_error *err);

/* "CurrentUser" or "LocalMachine". */
const char *crypto_store_location_name(enum crypto_store_location loc);
/* "LocalMachine\My": the provider path's tail, store name as typed. Caller frees. */
char *crypto_store_path_parent(const struct crypto_store_path *path);

/* The directory that holds a store (created with 0700 when create is set). Caller frees. */
int crypto_store_dir(enum crypto_store_location loc, const char *store, int create,
    char **dir, struct pk_error *err);

/* Adds cert (and its key, if any) atomically; *file (caller frees, may be NULL) names the file. */
int crypto_store_add(enum crypto_store_location loc, const char *store,
    const struct crypto_cert *cert, char **file, struct pk_error *err);

/*
 * crypto_store_add with flags. CRYPTO_STORE_ADD_NONEXPORTABLE records the key
 * as non-exportable whatever the certificate says (Import-PfxCertificate
 * without -Exportable); the policy is kept inside the store file.
 */
enum crypto_store_add_flag {
	CRYPTO_STORE_ADD_NONEXPORTABLE = 1u << 0
};
int crypto_store_add_ex(enum crypto_store_location loc, const char *store,
    const struct crypto_cert *cert, unsigned flags, char **file, struct pk_error *err);

/*
 * Installs a certificate New-SelfSignedCertificate made, as CertEnroll does:
 * into store, and when it is self-signed a copy (with its key) into the CA
 * store of the same location; both or neither.
 */
int crypto_store_enroll(enum crypto_store_location loc, const char *store,
    const struct crypto_cert *cert, char **file, struct pk_error *err);

/* The file that holds (or would hold) a certificate; PK_ERR_NOT_FOUND for a bad thumbprint. */
int crypto_store_file(enum crypto_store_location loc, const char *store,
    const char *thumbprint, char **file, struct pk_error *err);
/* Finds one certificate by thumbprint; PK_ERR_NOT_FOUND when absent. */
int crypto_store_find(enum crypto_store_location loc, const char *store,
    const char *thumbprint, struct crypto_cert **out, char **file,
    struct pk_error *err);

/* Every certificate in a store, in thumbprint order. */
int crypto_store_list(enum crypto_store_location loc, const char *store,
    struct crypto_certlist *out, struct pk_error *err);

/*
 * How the readers (crypto_store_find_ex, crypto_store_list_ex,
 * crypto_store_resolve_ex) read a store entry. CRYPTO_STORE_READ_NO_KEY: the
 * certificate alone, without its key, which is then neither decrypted nor
 * decoded (most of a read's cost); for callers that never use the key
 * (Export-Certificate). Files read by path are read whole either way.
 */
enum {
	CRYPTO_STORE_READ_NO_KEY = 1u << 0
};
int crypto_store_find_ex(enum crypto_store_location loc, const char *store,
    const char *thumbprint, unsigned flags, struct crypto_cert **out, char **file,
    struct pk_error *err);
int crypto_store_list_ex(enum crypto_store_location loc, const char *store,
    unsigned flags, struct crypto_certlist *out, struct pk_error *err);

/*
 * Whether a location's stores are .NET's own directories (CurrentUser without
 * PKISHIM_STORE_ROOT), so that pwsh's [X509Store] opens the very same files.
 */
int crypto_store_shared_with_dotnet(enum crypto_store_location loc);

/*
 * Deletes a store: its certificate files and its directory (Remove-Item of a
 * LocalMachine store). PK_ERR_NOT_FOUND when it has no directory.
 */
int crypto_store_delete(enum crypto_store_location loc, const char *store,
    struct pk_error *err);

/* Removes a certificate (its file, and so its key). */
int crypto_store_remove(enum crypto_store_location loc, const char *store,
    const char *thumbprint, struct pk_error *err);

/*
 * Resolves what a -Cert/-Signer/-CloneCert argument holds: a Cert:\ path to a
 * certificate (or to a store: every certificate in it), a thumbprint, a .cer
 * or .pfx file (password may be NULL), the text New-SelfSignedCertificate
 * prints when captured, or X509Certificate2.ToString() text (its [Thumbprint]
 * is looked up in every store). Appends to out.
 */
int crypto_store_resolve(const char *ref, const char *password,
    struct crypto_certlist *out, struct pk_error *err);
int crypto_store_resolve_ex(const char *ref, const char *password, unsigned flags,
    struct crypto_certlist *out, struct pk_error *err);

#endif
