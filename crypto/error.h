/* error.h: the one error convention of pkishim's libraries (crypto/ and xml/). */
#ifndef PKISHIM_ERROR_H
#define PKISHIM_ERROR_H

/*
 * Library functions return 0 on success or a negative PK_ERR_* code, and put a
 * sentence for the user into a caller-owned struct pk_error. Only a command's
 * main prints it, as "<Command>: <message>".
 */
enum pk_err {
	PK_OK = 0,
	PK_ERR_USAGE = -1,        /* arguments are wrong (binding, validation) */
	PK_ERR_NOMEM = -2,
	PK_ERR_IO = -3,           /* reading or writing a file failed */
	PK_ERR_NOT_FOUND = -4,    /* file, store, certificate, name or role missing */
	PK_ERR_EXISTS = -5,       /* the target exists and may not be replaced */
	PK_ERR_FORMAT = -6,       /* input is malformed or of an unknown format */
	PK_ERR_PASSWORD = -7,     /* wrong password or MAC failure */
	PK_ERR_UNSUPPORTED = -8,  /* valid, but not available on this platform */
	PK_ERR_NOT_EXPORTABLE = -9,
	PK_ERR_CRYPTO = -10,      /* OpenSSL failed for another reason */
	PK_ERR_LIMIT = -11,       /* input is larger or deeper than allowed */
	/* Refinements scripts branch on (PowerShell exception types); never renumber. */
	PK_ERR_DIR_NOT_FOUND = -12,   /* a folder of an output path is missing */
	PK_ERR_FILE_NOT_FOUND = -13,  /* an input file is missing */
	PK_ERR_PERMISSION = -14,      /* the system refused access (EACCES, EPERM, read-only) */
	PK_ERR__MIN = -15
};

struct pk_error {
	int code;
	char msg[1024];
};

/* Sets err (when not NULL) and returns code, so callers can "return pk_fail(...)". */
int pk_fail(struct pk_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Warnings: something was skipped or repaired and the command goes on. The
 * library hands the text to the sink main sets (cmdlets print "WARNING: "
 * lines on stderr, which the module turns into warning records); without a
 * sink, as in unit tests, warnings are dropped.
 */
typedef void (*pk_warning_sink)(const char *message);
void pk_set_warning_sink(pk_warning_sink sink);
void pk_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same for what -Verbose shows (an entry a listing skipped, say); main sets it with -Verbose. */
void pk_set_verbose_sink(pk_warning_sink sink);
void pk_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A short generic text for a code, for when no detail was set. */
const char *pk_strerror(int code);

/*
 * The code's stable name ("NotFound", "DirectoryNotFound", ...), the key of
 * ps/PkiShim/PkiShim.Errors.psd1 that maps it to PowerShell's exception type,
 * category and error id. Never changes once released.
 */
const char *pk_errname(int code);

/* Whether code says something is missing (any of the not-found refinements). */
int pk_err_not_found(int code);

/* The code for a failed system call's errno: ENOENT -> missing_code, EACCES/EPERM -> permission, else IO. */
int pk_errno_code(int errnum, int missing_code);

#endif
