/* cmdlet.h: the main every command shares: binding, -?, the password channel, errors, exit status. */
#ifndef PKISHIM_CMDLET_H
#define PKISHIM_CMDLET_H

#include "cmdlets/binder.h"
#include "crypto/error.h"

/*
 * The body of a command: reads its bound parameters, makes one call into
 * crypto/ or xml/, prints its output on stdout. Returns 0, or a PK_ERR_* code
 * with err set; it never prints errors or exits itself.
 */
typedef int (*cmdlet_body)(const struct binding *b, struct pk_error *err);

/* A body's return when it has already written its (non-terminating) errors: exit 1, print nothing more. */
#define CMDLET_ERRORS_REPORTED 1

/*
 * Runs a command: checks the table, answers -? / --help (syntax) and
 * --pkishim-json (the table for the PowerShell module) and
 * --pkishim-complete PREVIOUS WORD (shell completion), binds argv, takes a
 * SecureString parameter from the descriptor named by PKISHIM_PASSWORD_FD
 * when set, refuses Windows-only parameters, runs body, and on failure
 * prints "<Command>: <message>" on stderr. Returns the exit status (0 or 1).
 */
int cmdlet_main(const struct command *cmd, int argc, char **argv, cmdlet_body body);

/* Whether the command's output should be JSON lines (PKISHIM_OUTPUT=json), for the module. */
int cmdlet_json_output(void);

/*
 * ShouldProcess: with -WhatIf prints PowerShell's
 * 'What if: Performing the operation "<action>" on target "<target>".' and
 * returns 0 (do nothing); otherwise returns 1. -Confirm cannot ask anyone from
 * a native command, so it proceeds as -Confirm:$false does.
 */
int cmdlet_should_process(const struct binding *b, const char *action, const char *target);

/*
 * Writes a non-terminating error about target (a path or certificate, or
 * NULL), "<Command>: <text>" on stderr, unless -ErrorAction SilentlyContinue
 * or Ignore. For commands that go on with the next file or certificate; they
 * then return CMDLET_ERRORS_REPORTED. With PKISHIM_OUTPUT=json every error,
 * this one and main's, is one JSON line instead, for the module's records:
 *   {"ErrorCode":"<pk_errname>","Message":"<text>","TargetObject":"<target>"|null}
 */
void cmdlet_error(const struct binding *b, int code, const char *target, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* With -Verbose, prints "VERBOSE: <text>" on stderr, as pwsh shows verbose records. */
void cmdlet_verbose(const struct binding *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
