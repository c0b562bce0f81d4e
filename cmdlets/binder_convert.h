/* binder_convert.h: PowerShell's value conversions during binding (powershell-semantics.md §2). */
#ifndef PKISHIM_BINDER_CONVERT_H
#define PKISHIM_BINDER_CONVERT_H

#include <stddef.h>

#include "cmdlets/params.h"
#include "crypto/error.h"

struct convert_ctx {
	struct binding *b;          /* owns what conversions allocate */
	const struct param *param;
	const char *name;           /* the parameter name for messages */
	struct pk_error *err;
};

/* Converts raw argument texts to the parameter's kind and fills v. */
int convert_bind(const struct convert_ctx *cx, const char **raw, size_t nraw,
    struct bound *v);

/* Appends one more argument to a multi-value parameter already bound. */
int convert_append(const struct convert_ctx *cx, const char *raw, struct bound *v);

/* Refuses the text pwsh passes for a SecureString object. */
int convert_check_secure(const struct convert_ctx *cx, const char *value);

/* Keeps ptr until binder_free; frees it and returns PK_ERR_NOMEM when it cannot. */
int binder_own(struct binding *b, void *ptr);

/* The conversions themselves, exposed for the unit tests. */
int convert_int(const char *text, int32_t *out, const char **why);
int convert_datetime(const char *text, int64_t *out);
int convert_switch(const char *text, int *on);
/* -1: no member matches; -2: several do (prefix); else the index. */
int convert_enum_member(const char *const *members, const char *text);

/* Windows' numeric value of a member (the table's member_values, else its index). */
int convert_enum_value(const struct param *p, int member);

#endif
