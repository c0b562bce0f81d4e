/*
 * binder_help.c: what a parameter table tells people and other programs: the
 * syntax lines of Get-Command -Syntax, and JSON for the PowerShell module.
 */
#include <stdio.h>
#include <string.h>

#include "cmdlets/binder.h"
#include "cmdlets/binder_convert.h"
#include "cmdlets/json.h"

static const char *const kind_names[] = {
	[PARAM_STRING] = "string", [PARAM_STRINGS] = "strings", [PARAM_INT] = "int",
	[PARAM_SWITCH] = "switch", [PARAM_ENUM] = "enum", [PARAM_ENUMS] = "enums",
	[PARAM_DATETIME] = "datetime", [PARAM_SECURE] = "secure", [PARAM_CERT] = "cert",
	[PARAM_PATH] = "path", [PARAM_OBJECT] = "object",
};

static size_t
set_count(const struct command *cmd)
{
	size_t n = 0;

	while (cmd->sets != NULL && cmd->sets[n] != NULL)
		n++;
	return n == 0 ? 1 : n;
}

static int
in_set(const struct param *p, size_t set)
{
	return p->sets == PARAM_ALL_SETS || (p->sets & (1u << set));
}

/* pwsh shows primitives by their short lower-case names and enums by their members. */
static void
print_type(const struct param *p, FILE *fp)
{
	static const struct { const char *dotnet, *shown; } shorts[] = {
		{ "System.String", "string" }, { "System.String[]", "string[]" },
		{ "System.Int32", "int" }, { "System.DateTime", "datetime" },
		{ "System.Security.SecureString", "securestring" },
	};
	const char *dot;
	size_t i;

	if ((p->kind == PARAM_ENUM || p->kind == PARAM_ENUMS ||
	    (p->flags & PARAM_VALIDATESET)) && p->members != NULL) {
		fputs("{", fp);
		for (i = 0; p->members[i] != NULL; i++)
			fprintf(fp, "%s%s", i ? " | " : "", p->members[i]);
		fputs("}", fp);
		return;
	}
	for (i = 0; i < sizeof(shorts) / sizeof(shorts[0]); i++)
		if (strcmp(p->type_name, shorts[i].dotnet) == 0) {
			fprintf(fp, "<%s>", shorts[i].shown);
			return;
		}
	dot = strrchr(p->type_name, '.');
	fprintf(fp, "<%s>", dot != NULL ? dot + 1 : p->type_name);
}

static void
print_param(const struct param *p, size_t set, FILE *fp)
{
	int mandatory = (p->mandatory & (1u << set)) != 0;
	int positional = p->position >= 0;

	fputs(" ", fp);
	if (!mandatory)
		fputs("[", fp);
	if (positional)
		fprintf(fp, "[-%s]", p->name);
	else
		fprintf(fp, "-%s", p->name);
	if (p->kind != PARAM_SWITCH) {
		fputs(" ", fp);
		print_type(p, fp);
	}
	if (!mandatory)
		fputs("]", fp);
}

/* Get-Command -Syntax: positional parameters by position first, then the rest in table order. */
void
binder_print_syntax(const struct command *cmd, FILE *fp)
{
	size_t set, i;
	int pos, maxpos = -1;

	for (i = 0; i < cmd->nparams; i++)
		if (cmd->params[i].position > maxpos)
			maxpos = cmd->params[i].position;
	for (set = 0; set < set_count(cmd); set++) {
		if (set > 0)
			fputs("\n", fp);
		fputs(cmd->name, fp);
		for (pos = 0; pos <= maxpos; pos++)
			for (i = 0; i < cmd->nparams; i++)
				if (cmd->params[i].position == pos && in_set(&cmd->params[i], set))
					print_param(&cmd->params[i], set, fp);
		for (i = 0; i < cmd->nparams; i++)
			if (cmd->params[i].position < 0 && in_set(&cmd->params[i], set))
				print_param(&cmd->params[i], set, fp);
		if (cmd->flags & COMMAND_SHOULD_PROCESS)
			fputs(" [-WhatIf] [-Confirm]", fp);
		fputs(" [<CommonParameters>]\n", fp);
	}
	if (cmd->synopsis != NULL)
		fprintf(fp, "\n%s\n", cmd->synopsis);
}

static void
json_sets(const struct command *cmd, unsigned mask, FILE *fp)
{
	size_t i;
	int first = 1;

	fputc('[', fp);
	for (i = 0; cmd->sets != NULL && cmd->sets[i] != NULL; i++)
		if (mask & (1u << i)) {
			fputs(first ? "" : ",", fp);
			json_string(cmd->sets[i], fp);
			first = 0;
		}
	fputc(']', fp);
}

static void
json_param(const struct command *cmd, const struct param *p, FILE *fp)
{
	size_t i;

	fputs("{\"name\":", fp);
	json_string(p->name, fp);
	fputs(",\"aliases\":[", fp);
	for (i = 0; i < PARAM_MAX_ALIASES && p->aliases[i] != NULL; i++) {
		fputs(i ? "," : "", fp);
		json_string(p->aliases[i], fp);
	}
	fprintf(fp, "],\"kind\":\"%s\",\"type\":", kind_names[p->kind]);
	json_string(p->type_name, fp);
	fprintf(fp, ",\"position\":%d,\"sets\":", p->position);
	json_sets(cmd, p->sets, fp);
	fputs(",\"mandatorySets\":", fp);
	/* A command without named sets has one set: mandatory there means every set. */
	if (cmd->sets == NULL)
		fputs(p->mandatory ? "[\"__AllParameterSets\"]" : "[]", fp);
	else
		json_sets(cmd, p->mandatory, fp);
	fprintf(fp, ",\"pipelineByValue\":%s,\"pipelineByPropertyName\":%s,\"members\":[",
	    p->flags & PARAM_PIPELINE_VALUE ? "true" : "false",
	    p->flags & PARAM_PIPELINE_PROPERTY ? "true" : "false");
	for (i = 0; p->members != NULL && p->members[i] != NULL; i++) {
		fputs(i ? "," : "", fp);
		json_string(p->members[i], fp);
	}
	fputs("],\"memberValues\":[", fp);
	for (i = 0; p->members != NULL && p->members[i] != NULL; i++)
		fprintf(fp, "%s%d", i ? "," : "", convert_enum_value(p, (int)i));
	fprintf(fp, "],\"validateSet\":%s,\"windowsOnly\":%s,\"wildcards\":%s,"
	    "\"notNullOrEmpty\":%s,\"certLocation\":%s,\"help\":",
	    p->flags & PARAM_VALIDATESET ? "true" : "false",
	    p->flags & PARAM_WINDOWS_ONLY ? "true" : "false",
	    p->flags & PARAM_WILDCARDS ? "true" : "false",
	    p->flags & PARAM_NOT_NULL_OR_EMPTY ? "true" : "false",
	    p->flags & PARAM_CERT_LOCATION ? "true" : "false");
	json_string(p->help, fp);
	fputc('}', fp);
}

void
binder_print_json(const struct command *cmd, FILE *fp)
{
	size_t i;

	fputs("{\"name\":", fp);
	json_string(cmd->name, fp);
	fputs(",\"synopsis\":", fp);
	json_string(cmd->synopsis, fp);
	fputs(",\"outputType\":", fp);
	json_string(cmd->output_type, fp);
	fprintf(fp, ",\"supportsShouldProcess\":%s,\"defaultParameterSet\":",
	    cmd->flags & COMMAND_SHOULD_PROCESS ? "true" : "false");
	json_string(cmd->sets != NULL ? cmd->sets[cmd->default_set] : "__AllParameterSets", fp);
	fputs(",\"parameterSets\":", fp);
	json_sets(cmd, ~0u, fp);
	fputs(",\"parameters\":[", fp);
	for (i = 0; i < cmd->nparams; i++) {
		fputs(i ? "," : "", fp);
		json_param(cmd, &cmd->params[i], fp);
	}
	fputs("]}\n", fp);
}
