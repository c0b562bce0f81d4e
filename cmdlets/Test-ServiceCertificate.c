/* Test-ServiceCertificate: checks a .csdef against a .cscfg, and optionally a store (DESIGN §3). */
#include <stdio.h>
#include <string.h>

#include "cmdlets/cmdlet.h"
#include "cmdlets/svcout.h"
#include "crypto/store.h"
#include "xml/svcfile.h"

static const struct param params[] = {
	{ .name = "ConfigurationPath", .aliases = { "Cscfg" }, .kind = PARAM_PATH,
	  .type_name = "System.String", .position = 0, .mandatory = 1u,
	  .flags = PARAM_PIPELINE_PROPERTY, .help = "The service configuration (.cscfg)." },
	{ .name = "DefinitionPath", .aliases = { "Csdef" }, .kind = PARAM_PATH,
	  .type_name = "System.String", .position = 1, .mandatory = 1u,
	  .flags = PARAM_PIPELINE_PROPERTY, .help = "The service definition (.csdef)." },
	{ .name = "CertStoreLocation", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .flags = PARAM_NOT_NULL_OR_EMPTY,
	  .help = "Also require each thumbprint in this store: Cert:\\LocalMachine\\My, "
	  "or Cert:\\LocalMachine to use each certificate's storeName." },
};

static const struct command command = {
	.name = "Test-ServiceCertificate",
	.synopsis = "Checks that a .cscfg provides every certificate its .csdef needs.",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.output_type = "System.String",
};

struct store_ctx {
	struct crypto_store_path where;
};

/*
 * A store named in -CertStoreLocation wins; with only a location, the store
 * is the csdef's storeName, or My (where Azure puts endpoint certificates
 * that have no <Certificate>) when the definition names none.
 */
static int
lookup(void *ctx, const char *store_name, const char *thumbprint, struct pk_error *err)
{
	struct store_ctx *sc = ctx;
	struct crypto_cert *cert = NULL;
	const char *store = sc->where.store != NULL ? sc->where.store :
	    store_name != NULL ? store_name : "My";
	int rc;

	rc = crypto_store_find(sc->where.location, store, thumbprint, &cert, NULL, err);
	crypto_cert_free(cert);
	if (pk_err_not_found(rc))
		return 0;
	return rc == 0 ? 1 : rc;
}

static int
body(const struct binding *b, struct pk_error *err)
{
	const struct bound *where = binder_get(b, "CertStoreLocation");
	struct svcfile *cfg = NULL, *def = NULL;
	struct svcfile_problems problems = { NULL, 0 };
	struct store_ctx sc;
	int rc;

	memset(&sc, 0, sizeof(sc));
	if (where->present) {
		if ((rc = crypto_store_path_parse(where->text, &sc.where, err)) != 0)
			goto out;
		if (!sc.where.has_location || sc.where.thumbprint[0] != '\0') {
			rc = pk_fail(err, PK_ERR_USAGE, "-CertStoreLocation must name a store "
			    "location or a store, such as Cert:\\LocalMachine\\My, not '%s'.",
			    where->text);
			goto out;
		}
	}
	if ((rc = svcfile_load(binder_get(b, "ConfigurationPath")->text, &cfg, err)) != 0 ||
	    (rc = svcfile_load(binder_get(b, "DefinitionPath")->text, &def, err)) != 0)
		goto out;
	if ((rc = svcfile_check(cfg, def, where->present ? lookup : NULL, &sc, &problems,
	    err)) != 0)
		goto out;
	svcfile_print_problems(&problems, cmdlet_json_output() ? SVCFILE_FORMAT_JSON :
	    SVCFILE_FORMAT_TSV, stdout);
	if (problems.count > 0) {
		rc = pk_fail(err, PK_ERR_FORMAT, "%zu problem%s found.", problems.count,
		    problems.count == 1 ? "" : "s");
		goto out;
	}
	cmdlet_verbose(b, "%zu certificates checked; no problem found.", svcfile_count(cfg));
	rc = 0;
out:
	svcfile_problems_clear(&problems);
	svcfile_free(cfg);
	svcfile_free(def);
	crypto_store_path_clear(&sc.where);
	return rc;
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
