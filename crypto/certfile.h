/* certfile.h: certificate files of every format Windows reads and writes. */
#ifndef PKISHIM_CRYPTO_CERTFILE_H
#define PKISHIM_CRYPTO_CERTFILE_H

#include <stddef.h>

#include "crypto/cert.h"
#include "crypto/error.h"

enum crypto_certfile_format {
	CRYPTO_CERTFILE_CERT,   /* one DER certificate (Export-Certificate -Type CERT) */
	CRYPTO_CERTFILE_P7B,    /* DER PKCS#7 SignedData, certificates only */
	CRYPTO_CERTFILE_SST     /* Microsoft serialized store, [MS-OSHARED] 2.3.9.1 */
};

/*
 * Loads a certificate file whatever its format, found from its content: DER
 * or PEM certificate, PKCS#7 (DER or PEM), SST, or PFX (password may be
 * NULL). Appends every certificate to out. Errors: PK_ERR_NOT_FOUND (no
 * file), PK_ERR_FORMAT (no certificate format recognised), and the PFX
 * errors of pfx.h.
 */
int crypto_certfile_load(const char *path, const char *password,
    struct crypto_certlist *out, struct pk_error *err);
int crypto_certfile_load_mem(const void *data, size_t len, const char *password,
    struct crypto_certlist *out, struct pk_error *err);

/* Encodes certificates (CERT takes exactly one). On success *data (caller frees) and *len are set. */
int crypto_certfile_encode(struct crypto_cert *const *certs, size_t n,
    enum crypto_certfile_format format, unsigned char **data, size_t *len,
    struct pk_error *err);

/*
 * crypto_certfile_encode written to path with atomicfile_write, mode 0644;
 * file_flags are ATOMICFILE_NO_CLOBBER and ATOMICFILE_FORCE (atomicfile.h).
 */
int crypto_certfile_write(const char *path, struct crypto_cert *const *certs, size_t n,
    enum crypto_certfile_format format, unsigned file_flags, struct pk_error *err);

/* "CERT", "P7B", "SST" in any case to a format; -1 for anything else. */
int crypto_certfile_format_parse(const char *name);

#endif
