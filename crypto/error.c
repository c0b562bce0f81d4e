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

const char *
pk_strerror(int code)
{
	static const char *const text[] = {
		[-PK_OK] = "Success.",
		[-PK_ERR_USAGE] = "Invalid arguments.",
		[-PK_ERR_NOMEM] = "Out of memory.",
		[-PK_ERR_IO] = "Input/output error.",
		[-PK_ERR_NOT_FOUND] = "Not found.",
		[-PK_ERR_EXISTS] = "The file exists.",
		[-PK_ERR_FORMAT] = "The data is not in a recognised format.",
		[-PK_ERR_PASSWORD] = "The specified network password is not correct.",
		[-PK_ERR_UNSUPPORTED] = "Not supported on this platform.",
		[-PK_ERR_NOT_EXPORTABLE] = "Cannot export non-exportable private key.",
		[-PK_ERR_CRYPTO] = "A cryptographic operation failed.",
		[-PK_ERR_LIMIT] = "The input exceeds a limit.",
		[-PK_ERR_DIR_NOT_FOUND] = "Could not find a part of the path.",
		[-PK_ERR_FILE_NOT_FOUND] = "The file was not found.",
		[-PK_ERR_PERMISSION] = "Access to the path is denied.",
	};

	if (code > 0 || code <= PK_ERR__MIN)
		return "Unknown error.";
	return text[-code];
}

const char *
pk_errname(int code)
{
	static const char *const name[] = {
		[-PK_OK] = "Success",
		[-PK_ERR_USAGE] = "InvalidArgument",
		[-PK_ERR_NOMEM] = "OutOfMemory",
		[-PK_ERR_IO] = "IOError",
		[-PK_ERR_NOT_FOUND] = "NotFound",
		[-PK_ERR_EXISTS] = "AlreadyExists",
		[-PK_ERR_FORMAT] = "InvalidData",
		[-PK_ERR_PASSWORD] = "WrongPassword",
		[-PK_ERR_UNSUPPORTED] = "NotSupported",
		[-PK_ERR_NOT_EXPORTABLE] = "NotExportable",
		[-PK_ERR_CRYPTO] = "CryptographicError",
		[-PK_ERR_LIMIT] = "LimitExceeded",
		[-PK_ERR_DIR_NOT_FOUND] = "DirectoryNotFound",
		[-PK_ERR_FILE_NOT_FOUND] = "FileNotFound",
		[-PK_ERR_PERMISSION] = "PermissionDenied",
	};

	if (code > 0 || code <= PK_ERR__MIN)
		return "Unknown";
	return name[-code];
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
