/* params.h: a command's parameter table, and the binding of its arguments to it. */
#ifndef PKISHIM_PARAMS_H
#define PKISHIM_PARAMS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Each command describes its parameters in one static table of struct param.
 * The binder, the -? syntax, and the PowerShell module's generated functions
 * (through --pkishim-json) all read that table and nothing else.
 */
enum param_kind {
	PARAM_STRING,    /* System.String */
	PARAM_STRINGS,   /* System.String[] */
	PARAM_INT,       /* System.Int32: 2048, 0x800, 2kb */
	PARAM_SWITCH,    /* SwitchParameter */
	PARAM_ENUM,      /* one member of .members */
	PARAM_ENUMS,     /* an array of members */
	PARAM_DATETIME,  /* System.DateTime, bound as seconds since the epoch (UTC) */
	PARAM_SECURE,    /* System.Security.SecureString: a password */
	PARAM_CERT,      /* a certificate: Cert:\ path, file, or New-SelfSignedCertificate output */
	PARAM_PATH,      /* a file system path: '\' is a separator, as in pwsh on Unix */
	PARAM_OBJECT     /* anything else PowerShell passes as an object (PfxData, ...) */
};

enum param_flag {
	PARAM_PIPELINE_VALUE = 1u << 0,     /* ValueFromPipeline */
	PARAM_PIPELINE_PROPERTY = 1u << 1,  /* ValueFromPipelineByPropertyName */
	PARAM_VALIDATESET = 1u << 2,        /* .members is a [ValidateSet], not an enum */
	PARAM_WINDOWS_ONLY = 1u << 3,       /* exists on Windows, refused here */
	PARAM_NOT_NULL_OR_EMPTY = 1u << 4,  /* [ValidateNotNullOrEmpty] */
	PARAM_WILDCARDS = 1u << 5,          /* the value may hold wildcards */
	PARAM_OID_ITEMS = 1u << 6,          /* items are "<oid>=..." and may hold commas */
	PARAM_CERT_LOCATION = 1u << 7       /* a store; unbound, the module passes the session's Cert: location */
};

#define PARAM_MAX_ALIASES 3
#define PARAM_NAMED (-1)
#define PARAM_ALL_SETS 0u

struct param {
	const char *name;
	const char *aliases[PARAM_MAX_ALIASES];  /* unused slots are NULL */
	enum param_kind kind;
	const char *type_name;        /* .NET type, for messages and the module */
	const char *const *members;   /* enum or ValidateSet members, NULL-terminated */
	int position;                 /* PARAM_NAMED, or the position */
	unsigned sets;                /* bit per parameter set; PARAM_ALL_SETS = every set */
	unsigned mandatory;           /* bit per set in which it is mandatory */
	unsigned flags;               /* enum param_flag */
	const char *help;
	const int *member_values;     /* Windows' numeric value per member; NULL: 0, 1, 2, ... */
};

enum command_flag {
	COMMAND_SHOULD_PROCESS = 1u << 0    /* has -WhatIf and -Confirm */
};

struct command {
	const char *name;
	const char *synopsis;
	const struct param *params;
	size_t nparams;
	const char *const *sets;      /* parameter set names by bit; NULL-terminated; NULL = one set */
	int default_set;              /* index into .sets */
	unsigned flags;               /* enum command_flag */
	const char *output_type;      /* .NET type of what the cmdlet returns */
};

/* A bound value; which member is meaningful depends on the parameter's kind. */
struct bound {
	int present;
	const char *text;       /* STRING, SECURE, CERT, PATH, OBJECT, ENUM (member name), DATETIME (as given) */
	const char **items;     /* STRINGS, ENUMS (member names), CERT (every value given) */
	size_t nitems;
	int32_t number;         /* INT */
	int on;                 /* SWITCH */
	int member;             /* ENUM: index into .members */
	int *members;           /* ENUMS: indexes into .members, nitems of them */
	int64_t time;           /* DATETIME: seconds since 1970-01-01 UTC */
};

enum action_preference {
	ACTION_CONTINUE = 0,
	ACTION_SILENTLY_CONTINUE,
	ACTION_STOP,
	ACTION_IGNORE
};

struct binding {
	const struct command *cmd;
	struct bound *values;   /* one per parameter, in table order */
	int set;                /* the resolved parameter set */
	int whatif;
	int confirm;
	int verbose;
	enum action_preference error_action;
	char *secret;           /* the SECURE value's storage; wiped by binder_free */
	void **owned;           /* converted values, freed by binder_free */
	size_t nowned;
};

#endif
