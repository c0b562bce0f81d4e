/*
 * binder_check.c: a table is checked before every use (git's
 * parse_options_check), so a mistake in a table fails loudly in every test.
 */
#include <string.h>
#include <strings.h>

#include "cmdlets/binder.h"

static int
names_clash(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

static int
check_param(const struct command *cmd, size_t i, struct pk_error *err)
{
	const struct param *p = &cmd->params[i];
	size_t j, a, b;
	int needs_members = p->kind == PARAM_ENUM || p->kind == PARAM_ENUMS ||
	    (p->flags & PARAM_VALIDATESET);

	if (p->name == NULL || p->type_name == NULL)
		return pk_fail(err, PK_ERR_USAGE, "%s: parameter %zu has no name or type.",
		    cmd->name, i);
	if (needs_members != (p->members != NULL))
		return pk_fail(err, PK_ERR_USAGE, "%s: parameter '%s' has members only "
		    "where it is not an enum or ValidateSet.", cmd->name, p->name);
	if (p->mandatory & ~(p->sets == PARAM_ALL_SETS ? ~0u : p->sets))
		return pk_fail(err, PK_ERR_USAGE, "%s: parameter '%s' is mandatory in a "
		    "set it is not in.", cmd->name, p->name);
	for (j = 0; j < i; j++) {
		const struct param *q = &cmd->params[j];

		if (names_clash(p->name, q->name))
			return pk_fail(err, PK_ERR_USAGE, "%s: parameter '%s' is declared "
			    "twice.", cmd->name, p->name);
		for (a = 0; a < PARAM_MAX_ALIASES; a++) {
			if (names_clash(p->aliases[a], q->name) ||
			    names_clash(q->aliases[a], p->name))
				return pk_fail(err, PK_ERR_USAGE, "%s: an alias of '%s' or "
				    "'%s' is the other's name.", cmd->name, p->name, q->name);
			for (b = 0; b < PARAM_MAX_ALIASES; b++)
				if (names_clash(p->aliases[a], q->aliases[b]))
					return pk_fail(err, PK_ERR_USAGE, "%s: '%s' and '%s' "
					    "share an alias.", cmd->name, p->name, q->name);
		}
	}
	return 0;
}

int
binder_check_table(const struct command *cmd, struct pk_error *err)
{
	size_t i, nsets = 0;
	int rc;

	while (cmd->sets != NULL && cmd->sets[nsets] != NULL)
		nsets++;
	if (cmd->sets != NULL && (cmd->default_set < 0 || (size_t)cmd->default_set >= nsets))
		return pk_fail(err, PK_ERR_USAGE, "%s: the default set is not a set.", cmd->name);
	for (i = 0; i < cmd->nparams; i++)
		if ((rc = check_param(cmd, i, err)) != 0)
			return rc;
	return 0;
}
