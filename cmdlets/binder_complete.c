/*
 * binder_complete.c: shell completion from a command's parameter table, so
 * bash completes exactly what the binder accepts (pkishim shellenv).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cmdlets/binder.h"

/* The common parameters worth offering; the binder knows them all. */
static const char *const common_names[] = { "Verbose", "ErrorAction", NULL };
static const char *const should_process_names[] = { "WhatIf", "Confirm", NULL };

static int
has_prefix(const char *text, const char *prefix)
{
	return strncasecmp(text, prefix, strlen(prefix)) == 0;
}

/* A leading '-', en dash or em dash starts a parameter name (powershell-semantics.md §1). */
static const char *
parameter_name(const char *word)
{
	if (word[0] == '-')
		return word + 1;
	if (strncmp(word, "\xe2\x80\x93", 3) == 0 || strncmp(word, "\xe2\x80\x94", 3) == 0)
		return word + 3;
	return NULL;
}

static int
param_matches(const struct param *p, const char *name, int exact)
{
	size_t i;

	if (exact ? strcasecmp(p->name, name) == 0 : has_prefix(p->name, name))
		return 1;
	for (i = 0; i < PARAM_MAX_ALIASES && p->aliases[i] != NULL; i++)
		if (exact ? strcasecmp(p->aliases[i], name) == 0 : has_prefix(p->aliases[i], name))
			return 1;
	return 0;
}

/* The parameter a word names: an exact name or alias, else the one it is a prefix of. */
static const struct param *
find_param(const struct command *cmd, const char *word)
{
	const struct param *found = NULL;
	const char *name = parameter_name(word);
	size_t i, n = 0;

	if (name == NULL || *name == '\0' || strchr(name, ':') != NULL)
		return NULL;
	for (i = 0; i < cmd->nparams; i++)
		if (param_matches(&cmd->params[i], name, 1))
			return &cmd->params[i];
	for (i = 0; i < cmd->nparams; i++)
		if (param_matches(&cmd->params[i], name, 0)) {
			found = &cmd->params[i];
			n++;
		}
	return n == 1 ? found : NULL;
}

static void
print_names(const char *const *names, const char *prefix, FILE *fp)
{
	size_t i;

	for (i = 0; names[i] != NULL; i++)
		if (has_prefix(names[i], prefix))
			fprintf(fp, "-%s\n", names[i]);
}

static void
print_parameters(const struct command *cmd, const char *prefix, FILE *fp)
{
	size_t i;

	for (i = 0; i < cmd->nparams; i++) {
		const struct param *p = &cmd->params[i];

		if (!(p->flags & PARAM_WINDOWS_ONLY) && has_prefix(p->name, prefix))
			fprintf(fp, "-%s\n", p->name);
	}
	print_names(common_names, prefix, fp);
	if (cmd->flags & COMMAND_SHOULD_PROCESS)
		print_names(should_process_names, prefix, fp);
}

/* Members for the word after an enum parameter; for arrays, after the last comma. */
static void
print_members(const struct param *p, const char *word, FILE *fp)
{
	const char *comma = p->kind == PARAM_ENUMS ? strrchr(word, ',') : NULL;
	const char *prefix = comma != NULL ? comma + 1 : word;
	int kept = comma != NULL ? (int)(comma + 1 - word) : 0;
	size_t i;

	for (i = 0; p->members[i] != NULL; i++)
		if (has_prefix(p->members[i], prefix))
			fprintf(fp, "%.*s%s\n", kept, word, p->members[i]);
}

void
binder_print_completions(const struct command *cmd, const char *previous,
    const char *word, FILE *fp)
{
	const struct param *p;
	const char *name = parameter_name(word);

	if (name != NULL) {
		print_parameters(cmd, name, fp);
		return;
	}
	p = find_param(cmd, previous);
	if (p != NULL && p->kind != PARAM_SWITCH && p->members != NULL)
		print_members(p, word, fp);
}
