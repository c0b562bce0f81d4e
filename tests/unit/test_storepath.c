/* test_storepath.c: Cert:\ paths in every spelling scripts use (script-corpus.md §2.2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "crypto/store.h"
#include "cunit_run.h"

#define T "5F98EBBFE735CDDAE00E33E0FD69050EF9220254"
#define t "5f98ebbfe735cddae00e33e0fd69050ef9220254"

struct path_case {
	const char *text;
	int want_rc;
	const char *want_parent;    /* crypto_store_path_parent, or the error message */
	const char *want_thumbprint;
};

static const struct path_case cases[] = {
	{ "Cert:\\LocalMachine\\My\\" T, 0, "LocalMachine\\My", T },
	{ "cert:\\localmachine\\my\\" T, 0, "LocalMachine\\my", T },
	{ "CERT:\\LOCALMACHINE\\MY\\" T, 0, "LocalMachine\\MY", T },
	{ "Cert:/LocalMachine/My/" T, 0, "LocalMachine\\My", T },
	{ "Cert:\\CurrentUser\\My\\" t, 0, "CurrentUser\\My", T },
	{ "Cert:\\CurrentUser\\My", 0, "CurrentUser\\My", "" },
	{ "Cert:\\CurrentUser\\My\\", 0, "CurrentUser\\My", "" },
	{ "Cert:\\CurrentUser\\Root", 0, "CurrentUser\\Root", "" },
	{ "Cert:\\LocalMachine\\WebHosting", 0, "LocalMachine\\WebHosting", "" },
	{ "Cert:\\CurrentUser", 0, "CurrentUser", "" },
	{ "Cert:\\", 0, "", "" },
	{ "Cert:", 0, "", "" },
	{ "cert:\\\\LocalMachine\\\\My\\\\" T, 0, "LocalMachine\\My", T },
	{ "Cert:\\LocalMachine/My\\" T, 0, "LocalMachine\\My", T },
	{ "Microsoft.PowerShell.Security\\Certificate::LocalMachine\\My\\" T, 0,
	    "LocalMachine\\My", T },
	{ "microsoft.powershell.security\\certificate::currentuser\\my", 0, "CurrentUser\\my", "" },
	{ "Certificate::CurrentUser\\My\\" T, 0, "CurrentUser\\My", T },
	{ "Microsoft.PowerShell.Security/Certificate::LocalMachine/My", 0, "LocalMachine\\My", "" },
	{ "Cert:\\LocalMachine\\My\\" T "\\", 0, "LocalMachine\\My", T },
	{ "Cert:\\LocalMachine\\My\\\\", 0, "LocalMachine\\My", "" },
	{ "Cert:/localmachine/root/", 0, "LocalMachine\\root", "" },
	{ "cert:currentuser\\my", 0, "CurrentUser\\my", "" },
	{ "Microsoft.PowerShell.Security\\Certificate::", 0, "", "" },
	{ "Certificate::LocalMachine", 0, "LocalMachine", "" },
	{ "CERTIFICATE::LOCALMACHINE\\MY\\" t, 0, "LocalMachine\\MY", T },
	{ "Cert:\\CurrentUser\\My\\" T "/", 0, "CurrentUser\\My", T },
	{ "Cert:\\CurrentUser\\My\\*", PK_ERR_NOT_FOUND, "Cannot find the X509 certificate "
	    "at path Cert:\\CurrentUser\\My\\*.", NULL },
	{ "Cert:\\CurrentUser\\My\\5F98EBBFE735CDDAE00E33E0FD69050EF922025", PK_ERR_NOT_FOUND,
	    "Cannot find the X509 certificate at path Cert:\\CurrentUser\\My\\"
	    "5F98EBBFE735CDDAE00E33E0FD69050EF922025.", NULL },
	{ "Cert:\\CurrentUser\\.\\" T, PK_ERR_NOT_FOUND, "Cannot find the X509 certificate "
	    "store at path Cert:\\CurrentUser\\.\\" T ".", NULL },
	{ "", PK_ERR_NOT_FOUND, "Cannot process the path because path  is not a valid "
	    "certificate provider path.", NULL },
	{ "Cert:\\Nowhere\\My", PK_ERR_NOT_FOUND, "Cannot find the certificate store because the "
	    "specified X509 store location Nowhere is not valid.", NULL },
	{ "Cert:\\LocalMachine\\My\\NOTATHUMBPRINT", PK_ERR_NOT_FOUND, "Cannot find the X509 "
	    "certificate at path Cert:\\LocalMachine\\My\\NOTATHUMBPRINT.", NULL },
	{ "Cert:\\LocalMachine\\My\\" T "0", PK_ERR_NOT_FOUND, "Cannot find the X509 certificate "
	    "at path Cert:\\LocalMachine\\My\\" T "0.", NULL },
	{ "Cert:\\LocalMachine\\My\\" T "\\extra", PK_ERR_NOT_FOUND, "Cannot find the X509 "
	    "certificate at path Cert:\\LocalMachine\\My\\" T "\\extra.", NULL },
	{ "Cert:\\LocalMachine\\..\\" T, PK_ERR_NOT_FOUND, "Cannot find the X509 certificate "
	    "store at path Cert:\\LocalMachine\\..\\" T ".", NULL },
	{ "C:\\certs\\my.pfx", PK_ERR_NOT_FOUND, "Cannot process the path because path "
	    "C:\\certs\\my.pfx is not a valid certificate provider path.", NULL },
	{ "./my.pfx", PK_ERR_NOT_FOUND, "Cannot process the path because path ./my.pfx is not a "
	    "valid certificate provider path.", NULL },
	{ T, PK_ERR_NOT_FOUND, "Cannot process the path because path " T " is not a valid "
	    "certificate provider path.", NULL },
	{ "Certs:\\LocalMachine\\My", PK_ERR_NOT_FOUND, "Cannot process the path because path "
	    "Certs:\\LocalMachine\\My is not a valid certificate provider path.", NULL },
	{ "Cert:\\LocalMachineX\\My", PK_ERR_NOT_FOUND, "Cannot find the certificate store "
	    "because the specified X509 store location LocalMachineX is not valid.", NULL },
	{ "Cert:\\CurrentUse\\My", PK_ERR_NOT_FOUND, "Cannot find the certificate store because "
	    "the specified X509 store location CurrentUse is not valid.", NULL },
};

static void
test_paths(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct path_case *c = &cases[i];
		struct crypto_store_path path;
		struct pk_error err = { 0, "" };
		int rc = crypto_store_path_parse(c->text, &path, &err);

		if (rc != c->want_rc)
			fprintf(stderr, "\n%s: got rc %d (%s), want %d\n", c->text, rc, err.msg,
			    c->want_rc);
		CU_ASSERT_EQUAL(rc, c->want_rc);
		if (rc == 0 && c->want_rc == 0) {
			char *parent = crypto_store_path_parent(&path);

			if (strcmp(parent, c->want_parent) != 0)
				fprintf(stderr, "\n%s: parent %s, want %s\n", c->text, parent,
				    c->want_parent);
			CU_ASSERT_STRING_EQUAL(parent, c->want_parent);
			CU_ASSERT_STRING_EQUAL(path.thumbprint, c->want_thumbprint);
			free(parent);
		} else if (rc != 0 && c->want_rc != 0) {
			if (strcmp(err.msg, c->want_parent) != 0)
				fprintf(stderr, "\n%s: got \"%s\"\n", c->text, err.msg);
			CU_ASSERT_STRING_EQUAL(err.msg, c->want_parent);
		}
		crypto_store_path_clear(&path);
	}
}

static void
test_cert_paths_are_told_from_files(void)
{
	CU_ASSERT_TRUE(crypto_store_path_is_cert("cert:\\LocalMachine\\My"));
	CU_ASSERT_TRUE(crypto_store_path_is_cert("Microsoft.PowerShell.Security\\Certificate::"));
	CU_ASSERT_FALSE(crypto_store_path_is_cert("./cert.cer"));
	CU_ASSERT_FALSE(crypto_store_path_is_cert("certs/x.pfx"));
	CU_ASSERT_FALSE(crypto_store_path_is_cert(T));
}

static CU_TestInfo path_tests[] = {
	{ "every spelling of a Cert: path parses, bad ones give the provider's text", test_paths },
	{ "Cert: paths are told apart from files and thumbprints", test_cert_paths_are_told_from_files },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "store paths", NULL, NULL, NULL, NULL, path_tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
