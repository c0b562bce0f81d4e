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

static pk_warning_sink warning_sink;

void
pk_set_warning_sink(pk_warning_sink sink)
{
	warning_sink = sink;
}

void
pk_warn(const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	if (warning_sink == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	warning_sink(text);
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
	};

	if (code > 0 || code <= PK_ERR__MIN)
		return "Unknown error.";
	return text[-code];
}
