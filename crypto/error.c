#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "crypto/error.h"

int
pk_fail(struct pk_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

static pk_warning_sink warning_sink, verbose_sink;

void
pk_set_warning_sink(pk_warning_sink sink)
{
	warning_sink = sink;
}

void
pk_set_verbose_sink(pk_warning_sink sink)
{
	verbose_sink = sink;
}

static void emit(pk_warning_sink sink, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void
emit(pk_warning_sink sink, const char *fmt, va_list ap)
{
	char text[1024];

	if (sink == NULL)
		return;
	vsnprintf(text, sizeof(text), fmt, ap);
	sink(text);
}

void
pk_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(warning_sink, fmt, ap);
	va_end(ap);
}

void
pk_verbose(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(verbose_sink, fmt, ap);
	va_end(ap);
}

/* Per code: the stable name scripts and PkiShim.Errors.psd1 key on, and a generic text. */
static const struct {
	const char *name, *text;
} codes[] = {
	[-PK_OK] = { "Success", "Success." },
	[-PK_ERR_USAGE] = { "InvalidArgument", "Invalid arguments." },
	[-PK_ERR_NOMEM] = { "OutOfMemory", "Out of memory." },
	[-PK_ERR_IO] = { "IOError", "Input/output error." },
	[-PK_ERR_NOT_FOUND] = { "NotFound", "Not found." },
	[-PK_ERR_EXISTS] = { "AlreadyExists", "The file exists." },
	[-PK_ERR_FORMAT] = { "InvalidData", "The data is not in a recognised format." },
	[-PK_ERR_PASSWORD] = { "WrongPassword", "The specified network password is not correct." },
	[-PK_ERR_UNSUPPORTED] = { "NotSupported", "Not supported on this platform." },
	[-PK_ERR_NOT_EXPORTABLE] = { "NotExportable", "Cannot export non-exportable private key." },
	[-PK_ERR_CRYPTO] = { "CryptographicError", "A cryptographic operation failed." },
	[-PK_ERR_LIMIT] = { "LimitExceeded", "The input exceeds a limit." },
	[-PK_ERR_DIR_NOT_FOUND] = { "DirectoryNotFound", "Could not find a part of the path." },
	[-PK_ERR_FILE_NOT_FOUND] = { "FileNotFound", "The file was not found." },
	[-PK_ERR_PERMISSION] = { "PermissionDenied", "Access to the path is denied." },
};

const char *
pk_strerror(int code)
{
	if (code > 0 || code <= PK_ERR__MIN)
		return "Unknown error.";
	return codes[-code].text;
}

const char *
pk_errname(int code)
{
	if (code > 0 || code <= PK_ERR__MIN)
		return "Unknown";
	return codes[-code].name;
}

int
pk_err_not_found(int code)
{
	return code == PK_ERR_NOT_FOUND || code == PK_ERR_DIR_NOT_FOUND ||
	    code == PK_ERR_FILE_NOT_FOUND;
}

int
pk_errno_code(int errnum, int missing_code)
{
	if (errnum == ENOENT || errnum == ENOTDIR)
		return missing_code;
	if (errnum == EACCES || errnum == EPERM || errnum == EROFS)
		return PK_ERR_PERMISSION;
	return PK_ERR_IO;
}
