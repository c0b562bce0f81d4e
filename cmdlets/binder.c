/*
 * binder.c: PowerShell's parameter binding (reference/powershell-semantics.md
 * §1-3) over a command's table. The passes follow the engine's own order:
 * pair names with values (ambiguity and missing arguments surface here), bind
 * named arguments in order (duplicates and conversions), bind positions, report
 * what is left, resolve the parameter set, and check mandatory parameters.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "cmdlets/binder.h"
#include "crypto/secret.h"
#include "cmdlets/binder_convert.h"

static const char *const action_members[] = {
	"SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend",
	"Break", NULL
};

#define ACTION_TYPE "System.Management.Automation.ActionPreference"

/* The common parameters, in the order PowerShell's metadata lists them (§1.7). */
static const struct param common_params[] = {
	{ "Verbose", { "vb" }, PARAM_SWITCH, "System.Management.Automation.SwitchParameter", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "Debug", { "db" }, PARAM_SWITCH, "System.Management.Automation.SwitchParameter", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "ErrorAction", { "ea" }, PARAM_ENUM, ACTION_TYPE, action_members, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "WarningAction", { "wa" }, PARAM_ENUM, ACTION_TYPE, action_members, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "InformationAction", { "infa" }, PARAM_ENUM, ACTION_TYPE, action_members, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "ProgressAction", { "proga" }, PARAM_ENUM, ACTION_TYPE, action_members, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "ErrorVariable", { "ev" }, PARAM_STRING, "System.String", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "WarningVariable", { "wv" }, PARAM_STRING, "System.String", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "InformationVariable", { "iv" }, PARAM_STRING, "System.String", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "OutVariable", { "ov" }, PARAM_STRING, "System.String", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "OutBuffer", { "ob" }, PARAM_INT, "System.Int32", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "PipelineVariable", { "pv" }, PARAM_STRING, "System.String", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "WhatIf", { "wi" }, PARAM_SWITCH, "System.Management.Automation.SwitchParameter", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "Confirm", { "cf" }, PARAM_SWITCH, "System.Management.Automation.SwitchParameter", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
};
#define NCOMMON (sizeof(common_params) / sizeof(common_params[0]))
#define NSHOULD_PROCESS 2   /* WhatIf and Confirm close the list */

enum token_kind { TOKEN_VALUE, TOKEN_PARAM };

struct token {
	enum token_kind kind;
	const char *text;       /* the whole argument */
	const char *name;       /* TOKEN_PARAM: the name after the dash, up to ':' */
	size_t namelen;
	const char *attached;   /* TOKEN_PARAM: the text after ':', or NULL */
	int argi;               /* argv index, to wipe secrets */
	int used;               /* consumed as a name or a value */
	int follows_array;      /* TOKEN_VALUE: index+1 of the array parameter it trails */
};

/* One name paired with its raw values, before conversion. */
struct pair {
	int param;
	const struct token *name;
	int colon_form;         /* -Name:value (the name stays as typed in messages) */
	const char **raw;
	int *rawargs;           /* argv index of each raw value */
	size_t nraw;
};

struct binder {
	const struct command *cmd;
	const struct param **params;    /* the command's, then the common ones */
	size_t nparams;
	size_t ncmd;
	struct token *tokens;
	size_t ntokens;
	struct pair *pairs;
	size_t npairs;
	int argc;
	char **argv;
	struct binding *b;
	struct pk_error *err;
};

/* U+2013, U+2014 and U+2015 start a parameter as '-' does (CharTraits.IsDash). */
static size_t
dash_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == '-')
		return 1;
	if (u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x93 && u[2] <= 0x95)
		return 3;
	return 0;
}

/* "-Name", "-Name:value": a dash then a name character; "-5" stays a value. */
static int
lex_param(const char *arg, struct token *t)
{
	size_t d = dash_len(arg);
	const char *name, *colon;

	if (d == 0)
		return 0;
	name = arg + d;
	if (!(isalpha((unsigned char)name[0]) || name[0] == '_' || name[0] == '?' ||
	    (unsigned char)name[0] >= 0x80))
		return 0;
	t->kind = TOKEN_PARAM;
	t->name = name;
	colon = strchr(name, ':');
	t->namelen = colon ? (size_t)(colon - name) : strlen(name);
	t->attached = colon ? colon + 1 : NULL;
	return 1;
}

static int
name_matches(const char *candidate, const char *typed, size_t len, int *exact)
{
	if (candidate == NULL || strlen(candidate) < len ||
	    strncasecmp(candidate, typed, len) != 0)
		return 0;
	*exact = candidate[len] == '\0';
	return 1;
}

/*
 * MergedCommandParameterMetadata.GetMatchingParameter: an exact name or alias
 * wins; else a unique prefix; among several, a single command parameter beats
 * common ones; else the name is ambiguous. Returns the index, -1 when nothing
 * matches, -2 when ambiguous (err set).
 */
static int
match_param(struct binder *bd, const char *typed, size_t len, int report)
{
	int by_name[64], by_alias[64];
	size_t nname = 0, nalias = 0, i, k, ncmd = 0;
	int exact, found = -1;
	char list[1024] = "";

	for (i = 0; i < bd->nparams && nname < 64 && nalias < 64; i++) {
		const struct param *p = bd->params[i];
		int hit = 0;

		if (name_matches(p->name, typed, len, &exact)) {
			if (exact)
				return (int)i;
			by_name[nname++] = (int)i;
			hit = 1;
		}
		for (k = 0; k < PARAM_MAX_ALIASES && p->aliases[k] != NULL; k++) {
			if (!name_matches(p->aliases[k], typed, len, &exact))
				continue;
			if (exact)
				return (int)i;
			if (!hit)
				by_alias[nalias++] = (int)i;
			hit = 1;
		}
	}
	if (nname + nalias == 0)
		return -1;
	if (nname + nalias == 1)
		return nname ? by_name[0] : by_alias[0];
	for (i = 0; i < nname; i++)
		if ((size_t)by_name[i] < bd->ncmd)
			ncmd++, found = by_name[i];
	for (i = 0; i < nalias; i++)
		if ((size_t)by_alias[i] < bd->ncmd)
			ncmd++, found = by_alias[i];
	if (ncmd == 1)
		return found;
	if (report) {
		for (i = 0; i < nname; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
			    " -%s", bd->params[by_name[i]]->name);
		for (i = 0; i < nalias; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
			    " -%s", bd->params[by_alias[i]]->name);
		pk_fail(bd->err, PK_ERR_USAGE, "Parameter cannot be processed because "
		    "the parameter name '%.*s' is ambiguous. Possible matches include:%s.",
		    (int)len, typed, list);
	}
	return -2;
}

static int
is_array_kind(enum param_kind kind)
{
	return kind == PARAM_STRINGS || kind == PARAM_ENUMS;
}

/* Kinds that take several values from separate arguments (the module's pipelines). */
static int
is_multi_kind(enum param_kind kind)
{
	return is_array_kind(kind) || kind == PARAM_CERT;
}

static int
pair_add_raw(struct pair *p, const char *value, int argi)
{
	const char **raw;
	int *args;

	raw = realloc(p->raw, (p->nraw + 1) * sizeof(*raw));
	if (raw == NULL)
		return PK_ERR_NOMEM;
	p->raw = raw;
	args = realloc(p->rawargs, (p->nraw + 1) * sizeof(*args));
	if (args == NULL)
		return PK_ERR_NOMEM;
	p->rawargs = args;
	p->raw[p->nraw] = value;
	p->rawargs[p->nraw++] = argi;
	return 0;
}

static int
ends_with_comma(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && s[n - 1] == ',';
}

/* A token that names a parameter of this command (so it cannot be a value). */
static int
is_recognised_param(struct binder *bd, const struct token *t)
{
	return t->kind == TOKEN_PARAM && match_param(bd, t->name, t->namelen, 0) != -1;
}

/* Pass 1 (ReparseUnboundArguments): pair each parameter name with its value tokens. */
static int
pair_arguments(struct binder *bd)
{
	size_t i;

	for (i = 0; i < bd->ntokens; i++) {
		struct token *t = &bd->tokens[i];
		struct pair *p;
		const struct param *par;
		int idx;

		if (t->kind != TOKEN_PARAM || t->used)
			continue;
		idx = match_param(bd, t->name, t->namelen, 1);
		if (idx == -2)
			return PK_ERR_USAGE;
		if (idx == -1)
			continue;       /* reported after positional binding */
		t->used = 1;
		p = &bd->pairs[bd->npairs++];
		memset(p, 0, sizeof(*p));
		p->param = idx;
		p->name = t;
		par = bd->params[idx];
		p->colon_form = t->attached != NULL;
		if (par->kind == PARAM_SWITCH) {
			if (t->attached == NULL)
				continue;
			if (*t->attached != '\0') {
				if (pair_add_raw(p, t->attached, t->argi) != 0)
					return PK_ERR_NOMEM;
			} else if (i + 1 < bd->ntokens) {
				bd->tokens[++i].used = 1;
				if (pair_add_raw(p, bd->tokens[i].text, bd->tokens[i].argi) != 0)
					return PK_ERR_NOMEM;
			}
			continue;
		}
		if (t->attached != NULL && *t->attached != '\0') {
			if (pair_add_raw(p, t->attached, t->argi) != 0)
				return PK_ERR_NOMEM;
		} else if (i + 1 < bd->ntokens && !is_recognised_param(bd, &bd->tokens[i + 1])) {
			bd->tokens[++i].used = 1;
			if (pair_add_raw(p, bd->tokens[i].text, bd->tokens[i].argi) != 0)
				return PK_ERR_NOMEM;
		} else {
			return pk_fail(bd->err, PK_ERR_USAGE, "Missing an argument for "
			    "parameter '%s'. Specify a parameter of type '%s' and try again.",
			    par->name, par->type_name);
		}
		/* pwsh passes "-X a, b" as "a," "b": a trailing comma continues the array. */
		while (is_array_kind(par->kind) && ends_with_comma(p->raw[p->nraw - 1]) &&
		    i + 1 < bd->ntokens) {
			bd->tokens[++i].used = 1;
			if (pair_add_raw(p, bd->tokens[i].text, bd->tokens[i].argi) != 0)
				return PK_ERR_NOMEM;
		}
		/* Plain arguments right after a multi-value parameter may belong to it. */
		if (is_multi_kind(par->kind)) {
			size_t j;

			for (j = i + 1; j < bd->ntokens && bd->tokens[j].kind == TOKEN_VALUE; j++)
				bd->tokens[j].follows_array = (int)bd->npairs;
		}
	}
	return 0;
}

/* Converts raw values and stores them; the conversion rules live in binder_convert.c. */
static int
bind_values(struct binder *bd, int idx, const char *typed, const char **raw,
    const int *rawargs, size_t nraw)
{
	const struct param *par = bd->params[idx];
	struct bound *v = &bd->b->values[idx];
	struct convert_ctx cx = { bd->b, par, typed, bd->err };
	int rc;

	if (par->kind == PARAM_SECURE && nraw == 1) {
		char *copy = strdup(raw[0]);

		if (copy == NULL)
			return PK_ERR_NOMEM;
		/* Take the password out of /proc/<pid>/cmdline (curl's cleanarg). */
		if (rawargs[0] >= 0) {
			char *arg = bd->argv[rawargs[0]];
			char *at = strstr(arg, raw[0]);

			if (at != NULL)
				secret_wipe(at, strlen(at));
		}
		raw = (const char **)&copy;
		binder_set_secret(bd->b, par->name, copy);
		v->present = 1;
		return convert_check_secure(&cx, copy);
	}
	if ((rc = convert_bind(&cx, raw, nraw, v)) != 0)
		return rc;
	v->present = 1;
	return 0;
}

/* Pass 2: named arguments, in order; a second occurrence is an error (§1.3). */
static int
bind_named(struct binder *bd)
{
	size_t i;
	int rc;

	for (i = 0; i < bd->npairs; i++) {
		struct pair *p = &bd->pairs[i];
		const struct param *par = bd->params[p->param];
		char typed[256];

		/* The space form is reported by canonical name, the others as typed. */
		if (p->colon_form || par->kind == PARAM_SWITCH)
			snprintf(typed, sizeof(typed), "%.*s", (int)p->name->namelen, p->name->name);
		else
			snprintf(typed, sizeof(typed), "%s", par->name);
		if (bd->b->values[p->param].present)
			return pk_fail(bd->err, PK_ERR_USAGE, "Cannot bind parameter because "
			    "parameter '%s' is specified more than once. To provide multiple "
			    "values to parameters that can accept multiple values, use the array "
			    "syntax. For example, \"-parameter value1,value2,value3\".", typed);
		if (par->kind == PARAM_SWITCH && p->nraw == 0) {
			bd->b->values[p->param].present = 1;
			bd->b->values[p->param].on = 1;
			continue;
		}
		if ((rc = bind_values(bd, p->param, par->name, p->raw, p->rawargs, p->nraw)) != 0)
			return rc;
	}
	return 0;
}

static unsigned
all_sets_mask(const struct command *cmd)
{
	size_t n = 0;

	if (cmd->sets == NULL)
		return 1;
	while (cmd->sets[n] != NULL)
		n++;
	return n >= 32 ? ~0u : (1u << n) - 1;
}

static unsigned
param_sets(const struct command *cmd, const struct param *p)
{
	return p->sets == PARAM_ALL_SETS ? all_sets_mask(cmd) : p->sets;
}

/* The sets every bound parameter belongs to. */
static unsigned
candidate_sets(struct binder *bd)
{
	unsigned mask = all_sets_mask(bd->cmd);
	size_t i;

	for (i = 0; i < bd->ncmd; i++)
		if (bd->b->values[i].present)
			mask &= param_sets(bd->cmd, bd->params[i]);
	return mask;
}

/* The unbound parameter for position pos, preferring the default set (§1.4). */
static int
positional_slot(struct binder *bd, int pos)
{
	unsigned sets = candidate_sets(bd);
	unsigned def = 1u << bd->cmd->default_set;
	int first = -1;
	size_t i;

	for (i = 0; i < bd->ncmd; i++) {
		const struct param *p = bd->params[i];

		if (p->position != pos || bd->b->values[i].present ||
		    (param_sets(bd->cmd, p) & sets) == 0)
			continue;
		if (param_sets(bd->cmd, p) & def & sets)
			return (int)i;
		if (first < 0)
			first = (int)i;
	}
	return first;
}

static int
free_slots(struct binder *bd, int *positions, size_t max)
{
	size_t n = 0, i, k;

	for (i = 0; i < bd->ncmd; i++) {
		int pos = bd->params[i]->position;
		int seen = 0;

		if (pos < 0 || bd->b->values[i].present)
			continue;
		for (k = 0; k < n; k++)
			seen |= positions[k] == pos;
		if (!seen && n < max && positional_slot(bd, pos) >= 0)
			positions[n++] = pos;
	}
	/* Positions bind in ascending order. */
	for (i = 1; i < n; i++)
		for (k = i; k > 0 && positions[k - 1] > positions[k]; k--) {
			int tmp = positions[k];

			positions[k] = positions[k - 1];
			positions[k - 1] = tmp;
		}
	return (int)n;
}

/* Pass 3: positional arguments, then the plain arguments that trail an array. */
static int
bind_positional(struct binder *bd)
{
	int positions[32];
	int nfree = free_slots(bd, positions, 32), next = 0;
	size_t i;
	int rc;

	for (i = 0; i < bd->ntokens; i++) {
		struct token *t = &bd->tokens[i];
		int argi = t->argi;

		if (t->used || t->kind != TOKEN_VALUE)
			continue;
		if (nfree == 0 && t->follows_array) {
			struct pair *p = &bd->pairs[t->follows_array - 1];
			struct bound *v = &bd->b->values[p->param];

			/* What pwsh passes for @('a','b'): append to the array. */
			if ((rc = convert_append(&(struct convert_ctx){ bd->b,
			    bd->params[p->param], bd->params[p->param]->name, bd->err },
			    t->text, v)) != 0)
				return rc;
			t->used = 1;
			continue;
		}
		if (next < nfree) {
			int idx = positional_slot(bd, positions[next++]);

			if (idx < 0)
				continue;
			t->used = 1;
			if ((rc = bind_values(bd, idx, bd->params[idx]->name, &t->text,
			    &argi, 1)) != 0)
				return rc;
		}
	}
	return 0;
}

/* Pass 4 (VerifyArgumentsProcessed): the first argument nothing took. */
static int
report_leftovers(struct binder *bd)
{
	size_t i;

	for (i = 0; i < bd->ntokens; i++) {
		const struct token *t = &bd->tokens[i];

		if (t->used)
			continue;
		if (t->kind == TOKEN_PARAM)
			return pk_fail(bd->err, PK_ERR_USAGE, "A parameter cannot be found "
			    "that matches parameter name '%.*s'.", (int)t->namelen, t->name);
		return pk_fail(bd->err, PK_ERR_USAGE, "A positional parameter cannot be "
		    "found that accepts argument '%s'.", t->text);
	}
	return 0;
}

static int
lowest_bit(unsigned mask)
{
	int i;

	for (i = 0; i < 32; i++)
		if (mask & (1u << i))
			return i;
	return -1;
}

/* Pass 5: the parameter set (§1.6), then the mandatory parameters of that set (§1.5). */
static int
resolve_set(struct binder *bd)
{
	unsigned sets = candidate_sets(bd), def = 1u << bd->cmd->default_set;
	char missing[1024] = "";
	size_t i;

	if (sets == 0)
		goto ambiguous;
	if (sets & (sets - 1)) {
		if (sets & def)
			sets = def;
		else {
			/* Keep the sets whose mandatory parameters are all bound. */
			unsigned complete = 0;
			int s;

			for (s = 0; s < 32; s++) {
				int ok = 1;

				if (!(sets & (1u << s)))
					continue;
				for (i = 0; i < bd->ncmd; i++)
					if ((bd->params[i]->mandatory & (1u << s)) &&
					    !bd->b->values[i].present)
						ok = 0;
				if (ok)
					complete |= 1u << s;
			}
			if (complete == 0 || (complete & (complete - 1)))
				goto ambiguous;
			sets = complete;
		}
	}
	bd->b->set = lowest_bit(sets);
	for (i = 0; i < bd->ncmd; i++)
		if ((bd->params[i]->mandatory & sets) && !bd->b->values[i].present)
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
			    " %s", bd->params[i]->name);
	if (missing[0] != '\0')
		return pk_fail(bd->err, PK_ERR_USAGE, "Cannot process command because of "
		    "one or more missing mandatory parameters:%s.", missing);
	return 0;
ambiguous:
	return pk_fail(bd->err, PK_ERR_USAGE, "Parameter set cannot be resolved using "
	    "the specified named parameters. One or more parameters issued cannot be used "
	    "together or an insufficient number of parameters were provided.");
}

/* The common parameters that mean something here (§2.1 of DESIGN). */
static void
apply_common(struct binder *bd)
{
	const struct bound *v = &bd->b->values[bd->ncmd];
	size_t i;

	for (i = 0; i < NCOMMON; i++) {
		const char *name = common_params[i].name;

		if (!v[i].present)
			continue;
		if (strcmp(name, "Verbose") == 0)
			bd->b->verbose = v[i].on;
		else if (strcmp(name, "WhatIf") == 0)
			bd->b->whatif = v[i].on;
		else if (strcmp(name, "Confirm") == 0)
			bd->b->confirm = v[i].on;
		else if (strcmp(name, "ErrorAction") == 0) {
			const char *m = action_members[v[i].member];

			bd->b->error_action = strcmp(m, "Stop") == 0 ? ACTION_STOP :
			    strcmp(m, "SilentlyContinue") == 0 ? ACTION_SILENTLY_CONTINUE :
			    strcmp(m, "Ignore") == 0 ? ACTION_IGNORE : ACTION_CONTINUE;
		}
	}
}

int
binder_bind(const struct command *cmd, int argc, char **argv, struct binding *b,
    struct pk_error *err)
{
	struct binder bd;
	size_t ncommon = NCOMMON - (cmd->flags & COMMAND_SHOULD_PROCESS ? 0 : NSHOULD_PROCESS);
	size_t i;
	int rc = PK_ERR_NOMEM, values_only = 0;

	memset(b, 0, sizeof(*b));
	memset(&bd, 0, sizeof(bd));
	b->cmd = cmd;
	bd.cmd = cmd;
	bd.b = b;
	bd.err = err;
	bd.argc = argc;
	bd.argv = argv;
	bd.ncmd = cmd->nparams;
	bd.nparams = cmd->nparams + ncommon;
	b->values = calloc(cmd->nparams + NCOMMON, sizeof(*b->values));
	bd.params = calloc(bd.nparams, sizeof(*bd.params));
	bd.tokens = calloc(argc > 1 ? (size_t)argc : 1, sizeof(*bd.tokens));
	bd.pairs = calloc(argc > 1 ? (size_t)argc : 1, sizeof(*bd.pairs));
	if (b->values == NULL || bd.params == NULL || bd.tokens == NULL || bd.pairs == NULL) {
		pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	for (i = 0; i < bd.nparams; i++)
		bd.params[i] = i < cmd->nparams ? &cmd->params[i] : &common_params[i - cmd->nparams];
	for (i = 1; i < (size_t)argc; i++) {
		struct token *t = &bd.tokens[bd.ntokens++];

		t->text = argv[i];
		t->argi = (int)i;
		/* After "--" every argument is a value, as for a cmdlet. */
		if (strcmp(argv[i], "--") == 0 && !values_only) {
			values_only = 1;
			t->used = 1;
		} else if (values_only || !lex_param(argv[i], t))
			t->kind = TOKEN_VALUE;
	}
	if ((rc = pair_arguments(&bd)) != 0 || (rc = bind_named(&bd)) != 0 ||
	    (rc = bind_positional(&bd)) != 0 || (rc = report_leftovers(&bd)) != 0 ||
	    (rc = resolve_set(&bd)) != 0)
		goto out;
	apply_common(&bd);
	rc = 0;
out:
	if (rc == PK_ERR_NOMEM && err != NULL && err->msg[0] == '\0')
		pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	for (i = 0; i < bd.npairs; i++) {
		free(bd.pairs[i].raw);
		free(bd.pairs[i].rawargs);
	}
	free(bd.pairs);
	free(bd.tokens);
	free(bd.params);
	return rc;
}

void
binder_free(struct binding *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->nowned; i++)
		free(b->owned[i]);
	for (i = 0; b->values != NULL && i < b->cmd->nparams + NCOMMON; i++) {
		free(b->values[i].items);
		free(b->values[i].members);
	}
	free(b->owned);
	secret_free(b->secret);
	free(b->values);
	memset(b, 0, sizeof(*b));
}

const struct bound *
binder_get(const struct binding *b, const char *name)
{
	static const struct bound absent;
	size_t i;

	for (i = 0; i < b->cmd->nparams; i++)
		if (strcasecmp(b->cmd->params[i].name, name) == 0)
			return &b->values[i];
	for (i = 0; i < NCOMMON; i++)
		if (strcasecmp(common_params[i].name, name) == 0)
			return &b->values[b->cmd->nparams + i];
	return &absent;
}

void
binder_set_secret(struct binding *b, const char *name, char *secret)
{
	size_t i;

	if (b->secret != secret)
		secret_free(b->secret);
	b->secret = secret;
	for (i = 0; i < b->cmd->nparams; i++)
		if (strcasecmp(b->cmd->params[i].name, name) == 0) {
			b->values[i].present = 1;
			b->values[i].text = secret;
		}
}
