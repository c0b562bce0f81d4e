/*
 * Get-PfxCertificate: shows the certificate in a .pfx, .cer or .pem file, as
 * Microsoft.PowerShell.Security's cmdlet does (pki-cmdlets.md §5.3).
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmdlets/certout.h"
#include "cmdlets/cmdlet.h"
#include "crypto/certfile.h"

static const char *const sets[] = { "ByPath", "ByLiteralPath", NULL };
#define BY_PATH 1u
#define BY_LITERAL_PATH 2u

static const struct param params[] = {
	{ "FilePath", { NULL }, PARAM_STRINGS, "System.String[]", NULL, 0, BY_PATH, BY_PATH,
	    PARAM_PIPELINE_VALUE | PARAM_PIPELINE_PROPERTY | PARAM_WILDCARDS,
	    "The file(s) to read; wildcards are expanded.", NULL },
	{ "LiteralPath", { "PSPath", "LP" }, PARAM_STRINGS, "System.String[]", NULL,
	    PARAM_NAMED, BY_LITERAL_PATH, BY_LITERAL_PATH, PARAM_PIPELINE_PROPERTY,
	    "The file(s) to read, taken exactly as typed.", NULL },
	{ "Password", { NULL }, PARAM_SECURE, "System.Security.SecureString", NULL,
	    PARAM_NAMED, PARAM_ALL_SETS, 0, 0, "The password of a PFX file.", NULL },
	{ "NoPromptForPassword", { NULL }, PARAM_SWITCH,
	    "System.Management.Automation.SwitchParameter", NULL, PARAM_NAMED,
	    PARAM_ALL_SETS, 0, 0, "Fail instead of asking for a password.", NULL },
};

static const struct command command = {
	"Get-PfxCertificate",
	"Gets information about .pfx certificate files on the computer.",
	params, sizeof(params) / sizeof(params[0]), sets, 0, 0,
	"System.Security.Cryptography.X509Certificates.X509Certificate2"
};

/* .NET's X509Certificate2(path, password) gives the certificate that owns the key, else the first. */
static struct crypto_cert *
pick_certificate(const struct crypto_certlist *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (crypto_cert_has_key(list->certs[i]))
			return list->certs[i];
	return list->count > 0 ? list->certs[0] : NULL;
}

static int
show_file(const char *path, const char *password, struct pk_error *err)
{
	struct crypto_certlist list = { NULL, 0 };
	struct certout_item item;
	int rc;

	if ((rc = crypto_certfile_load(path, password, &list, err)) != 0)
		goto out;
	item.cert = pick_certificate(&list);
	item.parent = NULL;
	item.file = path;
	if (item.cert == NULL) {
		rc = pk_fail(err, PK_ERR_FORMAT, "The file %s holds no certificate.", path);
		goto out;
	}
	certout_print(&item, 1, stdout);
out:
	crypto_certlist_clear(&list);
	return rc;
}

static int
is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/*
 * CertificateCommands.cs: files that are missing are reported at the end, one
 * error each, unless none of the paths was found: then one terminating error.
 */
static int
body(const struct binding *b, struct pk_error *err)
{
	const struct bound *paths = binder_get(b, b->set == 0 ? "FilePath" : "LiteralPath");
	const char *password = binder_get(b, "Password")->text;
	const char **missing = NULL;
	size_t i, k, nmissing = 0, failed = 0;
	int rc = 0;

	if ((missing = calloc(paths->nitems + 1, sizeof(*missing))) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	for (i = 0; i < paths->nitems && rc == 0; i++) {
		char *literal[] = { (char *)paths->items[i] };
		char **list = literal;
		size_t n = 1;
		glob_t g;

		/* FilePath honours wildcards; a pattern that matches nothing stays as typed. */
		if (b->set == 0) {
			if (glob(paths->items[i], GLOB_NOCHECK | GLOB_NOESCAPE, NULL, &g) != 0) {
				rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
				break;
			}
			list = g.gl_pathv;
			n = g.gl_pathc;
		}
		if (n == 1 && !is_file(list[0]))
			missing[nmissing++] = paths->items[i];
		for (k = 0; k < n; k++) {
			if (!is_file(list[k]))
				continue;
			/* An unprotected file opens with no password, as the cmdlet tries first. */
			if ((rc = show_file(list[k], password != NULL ? password : "", err)) == 0)
				continue;
			if (b->error_action == ACTION_STOP)
				break;
			cmdlet_error(b, rc, list[k], "%s", err->msg);
			failed++;
			rc = 0;
		}
		if (b->set == 0)
			globfree(&g);
	}
	if (rc == 0 && nmissing > 0 && nmissing == paths->nitems)
		rc = pk_fail(err, PK_ERR_FILE_NOT_FOUND, "Command cannot find any of the specified files.");
	else if (rc == 0) {
		for (i = 0; i < nmissing; i++)
			cmdlet_error(b, PK_ERR_FILE_NOT_FOUND, missing[i],
			    "The following file could not be found: %s.", missing[i]);
		if (nmissing > 0 || failed > 0)
			rc = CMDLET_ERRORS_REPORTED;
	}
	free(missing);
	return rc;
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
