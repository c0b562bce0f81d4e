/*
 * pkishim: the front command on PATH. The cmdlet executables live off PATH
 * (<prefix>/libexec/pkishim), so that pwsh resolves their names to the
 * PkiShim module's functions (about_Command_Precedence: an executable found
 * on PATH beats a module that is not loaded yet); bash reaches them through
 * this command, directly or through the functions `pkishim shellenv` defines.
 *
 *   pkishim <Command> [ARGS...]   runs a command (names are case-insensitive)
 *   pkishim --list                the commands, one a line
 *   pkishim shellenv              bash functions with the cmdlet names, and completion
 *   pkishim run SCRIPT [ARGS...]  runs a Windows script in pwsh (pkishim-run.ps1)
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

#ifndef PKISHIM_LIBEXEC_FROM_BIN
#define PKISHIM_LIBEXEC_FROM_BIN "../libexec/pkishim"
#endif
#ifndef PKISHIM_DATA_FROM_BIN
#define PKISHIM_DATA_FROM_BIN "../share/pkishim"
#endif
#ifndef PKISHIM_VERSION
#define PKISHIM_VERSION "0"
#endif

#define MAX_COMMANDS 64

static const char usage[] =
    "Usage: pkishim <Command> [ARGS...]    run a pkishim command, e.g. New-SelfSignedCertificate\n"
    "       pkishim --list                 list the commands\n"
    "       pkishim shellenv               print bash set-up: eval \"$(pkishim shellenv)\"\n"
    "       pkishim run SCRIPT.ps1 [ARGS]  run a Windows script in pwsh with the environment it assumes\n"
    "       pkishim --version\n"
    "Every command answers -? with its syntax.\n";

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "pkishim: <message>" on stderr; returns the exit status 1. */
static int
fail(const char *fmt, ...)
{
	va_list ap;

	fputs("pkishim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* dir/name into out; -1 when it does not fit. */
static int
path_join(char *out, size_t size, const char *dir, const char *name)
{
	int n = snprintf(out, size, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int
is_executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Where this executable is, through links: the installed tree is found from there. */
static int
self_dir(const char *argv0, char *dir, size_t size)
{
	char path[PATH_MAX], *slash;

#if defined(__linux__)
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	if (n <= 0)
		return -1;
	path[n] = '\0';
#elif defined(__APPLE__)
	char raw[PATH_MAX];
	uint32_t len = sizeof(raw);

	if (_NSGetExecutablePath(raw, &len) != 0 || realpath(raw, path) == NULL)
		return -1;
#else
	if (strchr(argv0, '/') == NULL || realpath(argv0, path) == NULL)
		return -1;
#endif
	(void)argv0;
	if ((slash = strrchr(path, '/')) == NULL || (size_t)(slash - path) >= size)
		return -1;
	*slash = '\0';
	snprintf(dir, size, "%s", path[0] != '\0' ? path : "/");
	return 0;
}

static int
is_command_name(const char *name)
{
	const char *dash = strchr(name, '-');

	return name[0] >= 'A' && name[0] <= 'Z' && dash != NULL && dash[1] != '\0' &&
	    strchr(dash + 1, '-') == NULL && strchr(name, '.') == NULL;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The commands in dir, sorted; 0 when there are none (not a command directory). */
static size_t
list_commands(const char *dir, char *names[], size_t max)
{
	char path[PATH_MAX];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL && n < max) {
		if (!is_command_name(e->d_name))
			continue;
		if (path_join(path, sizeof(path), dir, e->d_name) == 0 && is_executable_file(path) && (names[n] = strdup(e->d_name)) != NULL)
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), compare_names);
	return n;
}

/* The installed commands (<bin>/<libexec>), else those beside this executable (a build tree). */
static size_t
find_commands(const char *self, char *dir, size_t size, char *names[])
{
	size_t n;

	if (path_join(dir, size, self, PKISHIM_LIBEXEC_FROM_BIN) == 0 &&
	    (n = list_commands(dir, names, MAX_COMMANDS)) > 0)
		return n;
	if (path_join(dir, size, self, ".") != 0)
		return 0;
	return list_commands(dir, names, MAX_COMMANDS);
}

/* A word for bash, in single quotes. */
static void
print_quoted(const char *word)
{
	putchar('\'');
	for (; *word != '\0'; word++)
		if (*word == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*word);
	putchar('\'');
}

static int
shellenv(const char *self, char *names[], size_t n)
{
	char front[PATH_MAX];
	size_t i;

	if (path_join(front, sizeof(front), self, "pkishim") != 0)
		return fail("%s", "the installation path is too long.");
	puts("# pkishim: the cmdlet names as bash functions, with completion (eval \"$(pkishim shellenv)\").");
	for (i = 0; i < n; i++) {
		printf("%s() { ", names[i]);
		print_quoted(front);
		printf(" %s \"$@\"; }\n", names[i]);
	}
	puts("_pkishim_complete() {");
	puts("\tlocal IFS=$'\\n' cur=${COMP_WORDS[COMP_CWORD]} prev='' cmd=${COMP_WORDS[0]}");
	puts("\t[ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}");
	puts("\tif [ \"${cmd##*/}\" = pkishim ]; then");
	puts("\t\tif [ \"$COMP_CWORD\" -eq 1 ]; then");
	fputs("\t\t\tCOMPREPLY=($(compgen -W \"$(", stdout);
	print_quoted(front);
	puts(" --list)\"$'\\n'run$'\\n'shellenv$'\\n'--list$'\\n'--version -- \"$cur\"))");
	puts("\t\t\treturn");
	puts("\t\tfi");
	puts("\t\tcmd=${COMP_WORDS[1]}");
	puts("\tfi");
	puts("\tcase $cmd in [A-Za-z]*-[A-Za-z]*) ;; *) return ;; esac");
	fputs("\tCOMPREPLY=($(", stdout);
	print_quoted(front);
	puts(" \"$cmd\" --pkishim-complete \"$prev\" \"$cur\" 2>/dev/null))");
	puts("}");
	fputs("complete -o default -F _pkishim_complete pkishim", stdout);
	for (i = 0; i < n; i++)
		printf(" %s", names[i]);
	putchar('\n');
	return fflush(stdout) == 0 ? 0 : 1;
}

/* pwsh: $PKISHIM_PWSH, else on PATH, else where `dotnet tool install --global` puts it. */
static int
find_pwsh(char *path, size_t size)
{
	const char *env = getenv("PKISHIM_PWSH"), *home = getenv("HOME");
	const char *p = getenv("PATH");
	int n;

	if (env != NULL && *env != '\0') {
		n = snprintf(path, size, "%s", env);
		return n > 0 && (size_t)n < size && is_executable_file(path) ? 0 : -1;
	}
	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, ':');
		int len = end != NULL ? (int)(end - p) : (int)strlen(p);

		n = snprintf(path, size, "%.*s/pwsh", len, len > 0 ? p : ".");
		if (n > 0 && (size_t)n < size && is_executable_file(path))
			return 0;
		p = end != NULL ? end + 1 : NULL;
	}
	n = snprintf(path, size, "%s/.dotnet/tools/pwsh", home != NULL ? home : "");
	return n > 0 && (size_t)n < size && is_executable_file(path) ? 0 : -1;
}

static int
run_script(const char *self, int argc, char **argv)
{
	char pwsh[PATH_MAX], script[PATH_MAX];
	char **args;
	int i;

	if (path_join(script, sizeof(script), self, PKISHIM_DATA_FROM_BIN "/pkishim-run.ps1") != 0 ||
	    access(script, R_OK) != 0)
		return fail("'%s' is missing: reinstall pkishim.", script);
	if (find_pwsh(pwsh, sizeof(pwsh)) != 0)
		return fail("%s", "pwsh was not found on PATH or in ~/.dotnet/tools "
		    "(dotnet tool install --global PowerShell), or $PKISHIM_PWSH is not a program.");
	/* The runner starts the script in a pwsh of its own: this one. */
	if (setenv("PKISHIM_PWSH", pwsh, 1) != 0 ||
	    (args = calloc((size_t)argc + 4, sizeof(*args))) == NULL)
		return fail("%s", "Out of memory.");
	args[0] = pwsh;
	args[1] = "-NoProfile";
	args[2] = "-File";
	args[3] = script;
	for (i = 2; i < argc; i++)
		args[i + 2] = argv[i];
	execv(pwsh, args);
	free(args);
	return fail("cannot run pwsh: %s", strerror(errno));
}

static int
run_command(const char *dir, char *names[], size_t n, char **argv)
{
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(names[i], argv[1]) == 0)
			break;
	if (i == n)
		return fail("The term '%s' is not recognized as the name of a pkishim command; "
		    "'pkishim --list' lists them.", argv[1]);
	if (path_join(path, sizeof(path), dir, names[i]) != 0)
		return fail("%s", "the installation path is too long.");
	argv[1] = names[i];
	execv(path, argv + 1);
	return fail("cannot run it: %s", strerror(errno));
}

static int
dispatch(const char *self, char **argv)
{
	char dir[PATH_MAX];
	char *names[MAX_COMMANDS];
	size_t n, i;
	int rc = 0;

	if ((n = find_commands(self, dir, sizeof(dir), names)) == 0)
		return fail("no commands in '%s': reinstall pkishim.", dir);
	if (strcmp(argv[1], "--list") == 0)
		for (i = 0; i < n; i++)
			puts(names[i]);
	else if (strcmp(argv[1], "shellenv") == 0)
		rc = shellenv(self, names, n);
	else
		rc = run_command(dir, names, n, argv);
	for (i = 0; i < n; i++)
		free(names[i]);
	return rc;
}

int
main(int argc, char **argv)
{
	char self[PATH_MAX];

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-?") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 1 : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		puts("pkishim " PKISHIM_VERSION);
		return 0;
	}
	if (self_dir(argv[0], self, sizeof(self)) != 0)
		return fail("%s", "cannot tell where pkishim is installed.");
	if (strcmp(argv[1], "run") == 0)
		return run_script(self, argc, argv);
	return dispatch(self, argv);
}
