/* binder.h: PowerShell parameter binding for pkishim's native commands. */
#ifndef PKISHIM_BINDER_H
#define PKISHIM_BINDER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cmdlets/params.h"
#include "crypto/error.h"

/*
 * Binds argv[1..argc-1] to cmd's parameters the way PowerShell binds a
 * cmdlet's arguments. On failure err holds PowerShell's own message text and
 * PK_ERR_USAGE is returned. Values point into argv or into memory owned by
 * b; release with binder_free(). A SECURE value given in argv is copied and
 * the argv string overwritten, so it leaves /proc/<pid>/cmdline.
 */
int binder_bind(const struct command *cmd, int argc, char **argv,
    struct binding *b, struct pk_error *err);
void binder_free(struct binding *b);

/* The bound value of the parameter with this canonical name (never NULL for a table name). */
const struct bound *binder_get(const struct binding *b, const char *name);

/* Supplies a SECURE parameter from outside argv (stdin, a descriptor); takes ownership. */
void binder_set_secret(struct binding *b, const char *name, char *secret);

/* Checks a table for mistakes (duplicate names or aliases, bad kinds); 0 when sound. */
int binder_check_table(const struct command *cmd, struct pk_error *err);

/* Prints the syntax as Get-Command -Syntax shows it. */
void binder_print_syntax(const struct command *cmd, FILE *fp);

/*
 * Prints the table as JSON, for the PowerShell module's generator:
 * {"name":"Export-PfxCertificate","synopsis":"...","outputType":"System.IO.FileInfo",
 *  "supportsShouldProcess":true,"defaultParameterSet":"NormalCert",
 *  "parameterSets":["PfxCert","NormalCert"],
 *  "parameters":[{"name":"Cert","aliases":["PsPath"],"kind":"cert",
 *    "type":"Microsoft.CertificateServices.Commands.Certificate","position":0,
 *    "sets":["NormalCert"],"mandatorySets":["NormalCert"],"pipelineByValue":false,
 *    "pipelineByPropertyName":true,"members":[],"validateSet":false,
 *    "windowsOnly":false,"wildcards":false,"notNullOrEmpty":false,"certLocation":false,
 *    "help":"..."}]}
 * kind is one of string strings int switch enum enums datetime secure cert path
 * object; "sets":[] means every set; position is -1 for named parameters.
 */
void binder_print_json(const struct command *cmd, FILE *fp);

/*
 * Prints what can follow on a command line, one candidate a line, for shell
 * completion: parameter names when word starts a parameter name, else the
 * members of the enum or ValidateSet parameter that previous names (nothing
 * when the shell's own file completion fits better).
 */
void binder_print_completions(const struct command *cmd, const char *previous,
    const char *word, FILE *fp);

#endif
