/* cmdlet.c: the main every command shares. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "cmdlets/cmdlet.h"
#include "cmdlets/json.h"
#include "crypto/init.h"
#include "crypto/secret.h"

#define SECRET_MAX 65536

int
cmdlet_json_output(void)
{
	const char *v = getenv("PKISHIM_OUTPUT");

	return v != NULL && strcmp(v, "json") == 0;
}

int
cmdlet_should_process(const struct binding *b, const char *action, const char *target)
{
	if (!b->whatif)
		return 1;
	printf("What if: Performing the operation \"%s\" on target \"%s\".\n", action, target);
	return 0;
}

void
cmdlet_verbose(const struct binding *b, const char *fmt, ...)
{
	va_list ap;

	if (!b->verbose)
		return;
	fputs("VERBOSE: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
print_warning(const char *message)
{
	fprintf(stderr, "WARNING: %s\n", message);
}

static void
print_verbose(const char *message)
{
	fprintf(stderr, "VERBOSE: %s\n", message);
}

static int
errors_shown(const struct binding *b)
{
	return b->error_action != ACTION_SILENTLY_CONTINUE && b->error_action != ACTION_IGNORE;
}

static void
print_error(const struct command *cmd, int code, const char *target, const char *msg)
{
	if (!cmdlet_json_output()) {
		fprintf(stderr, "%s: %s\n", cmd->name, msg);
		return;
	}
	fputc('{', stderr);
	json_field("ErrorCode", pk_errname(code), 1, stderr);
	json_field("Message", msg, 0, stderr);
	json_field("TargetObject", target, 0, stderr);
	fputs("}\n", stderr);
}

void
cmdlet_error(const struct binding *b, int code, const char *target, const char *fmt, ...)
{
	char msg[sizeof(((struct pk_error *)0)->msg)];
	va_list ap;

	if (!errors_shown(b))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error(b->cmd, code, target, msg);
}

static const struct param *
secure_param(const struct command *cmd)
{
	size_t i;

	for (i = 0; i < cmd->nparams; i++)
		if (cmd->params[i].kind == PARAM_SECURE)
			return &cmd->params[i];
	return NULL;
}

/* Reads the password from the descriptor the caller named, never from argv (DESIGN §2.5). */
static int
read_secret_fd(struct binding *b, struct pk_error *err)
{
	const char *env = getenv("PKISHIM_PASSWORD_FD");
	const struct param *p = secure_param(b->cmd);
	char *buf = NULL, *end;
	size_t len = 0;
	ssize_t n;
	long fd;
	int rc = 0;

	if (env == NULL || p == NULL)
		return 0;
	fd = strtol(env, &end, 10);
	if (*env == '\0' || *end != '\0' || fd < 0 || fd > 1024)
		return pk_fail(err, PK_ERR_USAGE, "PKISHIM_PASSWORD_FD must name a file "
		    "descriptor, not '%s'.", env);
	if (binder_get(b, p->name)->present)
		return pk_fail(err, PK_ERR_USAGE, "The parameter '%s' was given both on the "
		    "command line and through PKISHIM_PASSWORD_FD; give it once.", p->name);
	if ((buf = malloc(SECRET_MAX + 1)) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	for (;;) {
		n = read((int)fd, buf + len, SECRET_MAX - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == SECRET_MAX) {
			rc = pk_fail(err, PK_ERR_LIMIT, "The password on descriptor %ld is "
			    "longer than %d bytes.", fd, SECRET_MAX);
			goto out;
		}
	}
	if (n < 0) {
		rc = pk_fail(err, PK_ERR_IO, "Cannot read the password from descriptor "
		    "%ld: %s.", fd, strerror(errno));
		goto out;
	}
	/* A C string would end the password there, silently: refuse it whole. */
	if (memchr(buf, '\0', len) != NULL) {
		rc = pk_fail(err, PK_ERR_USAGE, "The password on descriptor %ld holds a NUL "
		    "byte, which would cut it short; give a password without NUL bytes (for "
		    "binary secrets, pass them encoded, e.g. in base64).", fd);
		goto out;
	}
	/* One line ending is the writer's, not the password's. */
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	binder_set_secret(b, p->name, buf);
	buf = NULL;
out:
	if (buf != NULL) {
		secret_wipe(buf, SECRET_MAX + 1);
		free(buf);
	}
	return rc;
}

static int
refuse_windows_only(const struct binding *b, struct pk_error *err)
{
	size_t i;

	for (i = 0; i < b->cmd->nparams; i++) {
		const struct param *p = &b->cmd->params[i];

		if ((p->flags & PARAM_WINDOWS_ONLY) && b->values[i].present)
			return pk_fail(err, PK_ERR_UNSUPPORTED, "The parameter '%s' is not "
			    "supported on this platform: %s", p->name,
			    p->help != NULL ? p->help : "it needs Windows.");
	}
	return 0;
}

static int
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-?") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	return 0;
}

int
cmdlet_main(const struct command *cmd, int argc, char **argv, cmdlet_body body)
{
	struct pk_error err;
	struct binding b;
	int rc;

	memset(&err, 0, sizeof(err));
	memset(&b, 0, sizeof(b));
	/* Before argv's -Password or any key is read; best effort (nothing to report). */
	(void)secret_protect_process();
	pk_set_warning_sink(print_warning);
	if ((rc = binder_check_table(cmd, &err)) != 0) {
		print_error(cmd, rc, NULL, err.msg);
		return 1;
	}
	if (argc == 2 && strcmp(argv[1], "--pkishim-json") == 0) {
		binder_print_json(cmd, stdout);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "--pkishim-complete") == 0) {
		binder_print_completions(cmd, argv[2], argv[3], stdout);
		return 0;
	}
	if (wants_help(argc, argv)) {
		binder_print_syntax(cmd, stdout);
		return 0;
	}
	/* Before the first OpenSSL call, which would read openssl.cnf (init.c says why not). */
	(void)crypto_init_process();
	if ((rc = binder_bind(cmd, argc, argv, &b, &err)) == 0 &&
	    (rc = read_secret_fd(&b, &err)) == 0 &&
	    (rc = refuse_windows_only(&b, &err)) == 0) {
		if (b.verbose)
			pk_set_verbose_sink(print_verbose);
		rc = body(&b, &err);
	}
	if (rc < 0 && errors_shown(&b))
		print_error(cmd, rc, NULL, err.msg[0] != '\0' ? err.msg : pk_strerror(rc));
	binder_free(&b);
	if (fflush(stdout) != 0 && rc == 0) {
		snprintf(err.msg, sizeof(err.msg), "Cannot write the output: %s.", strerror(errno));
		print_error(cmd, PK_ERR_IO, NULL, err.msg);
		rc = PK_ERR_IO;
	}
	return rc == 0 ? 0 : 1;
}
