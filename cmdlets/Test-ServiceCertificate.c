/*
 * Test-ServiceCertificate: checks a .csdef against a .cscfg, and optionally a
 * store (DESIGN §3); or, with -PfxPath or -Cert, whether Azure Cloud Services
 * accepts a certificate (cloud-service-config.md §7).
 */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>
#include <time.h>

#include "cmdlets/azureout.h"
#include "cmdlets/cmdlet.h"
#include "cmdlets/svcout.h"
#include "crypto/atomicfile.h"
#include "crypto/azurecheck.h"
#include "crypto/pfxinfo.h"
#include "crypto/store.h"
#include "xml/svcfile.h"

static const char *const sets[] = { "Definition", "PfxPath", "Cert", NULL };
#define BY_DEFINITION 1u
#define BY_PFX 2u
#define BY_CERT 4u

static const struct param params[] = {
	{ .name = "ConfigurationPath", .aliases = { "Cscfg" }, .kind = PARAM_PATH,
	  .type_name = "System.String", .position = 0, .mandatory = BY_DEFINITION,
	  .flags = PARAM_PIPELINE_PROPERTY, .help = "The service configuration (.cscfg); with "
	  "-PfxPath or -Cert, the certificate's thumbprint must be in it." },
	{ .name = "DefinitionPath", .aliases = { "Csdef" }, .kind = PARAM_PATH,
	  .type_name = "System.String", .position = 1, .sets = BY_DEFINITION,
	  .mandatory = BY_DEFINITION, .flags = PARAM_PIPELINE_PROPERTY,
	  .help = "The service definition (.csdef)." },
	{ .name = "CertStoreLocation", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .sets = BY_DEFINITION, .flags = PARAM_NOT_NULL_OR_EMPTY,
	  .help = "Also require each thumbprint in this store: Cert:\\LocalMachine\\My, "
	  "or Cert:\\LocalMachine to use each certificate's storeName." },
	{ .name = "PfxPath", .kind = PARAM_PATH, .type_name = "System.String",
	  .position = PARAM_NAMED, .sets = BY_PFX, .mandatory = BY_PFX,
	  .help = "A PFX file to check against Azure's rules before uploading it." },
	{ .name = "Password", .kind = PARAM_SECURE, .type_name = "System.Security.SecureString",
	  .position = PARAM_NAMED, .sets = BY_PFX, .help = "The password of the -PfxPath file." },
	{ .name = "Cert", .kind = PARAM_CERT,
	  .type_name = "Microsoft.CertificateServices.Commands.Certificate",
	  .position = PARAM_NAMED, .sets = BY_CERT, .mandatory = BY_CERT,
	  .flags = PARAM_PIPELINE_PROPERTY,
	  .help = "A store certificate to check against Azure's rules: a Cert:\\ path or a thumbprint." },
	{ .name = "Domain", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .sets = BY_PFX | BY_CERT,
	  .help = "The custom domain the service is reached at; the subject or a SAN must match it." },
};

static const struct command command = {
	.name = "Test-ServiceCertificate",
	.synopsis = "Checks that a .cscfg provides every certificate its .csdef needs, or that "
	    "Azure Cloud Services accepts a certificate.",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.sets = sets,
	.default_set = 0,
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
check_definition(const struct binding *b, struct pk_error *err)
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

/* One certificate against Azure's rules; *failed counts the rules it breaks. */
static void
check_one(const struct crypto_cert *cert, const struct crypto_pfx_info *pfx,
    const char *source, const struct svcfile *cfg, const char *domain, size_t *failed)
{
	struct azure_verdict verdicts[AZURE_RULES];
	struct azure_input in;

	in.cert = cert;
	in.pfx = pfx;
	in.domain = domain;
	in.configuration = cfg == NULL ? -1 :
	    svcfile_references_thumbprint(cfg, crypto_cert_thumbprint(cert));
	in.now = (int64_t)time(NULL);
	*failed += azure_check(&in, verdicts);
	azureout_print(crypto_cert_thumbprint(cert), source, verdicts, AZURE_RULES,
	    cmdlet_json_output(), stdout);
}

/* -PfxPath / -Cert: the certificate that owns the key (or the first) of the file, or each store certificate. */
static int
check_azure(const struct binding *b, struct pk_error *err)
{
	const struct bound *cfgpath = binder_get(b, "ConfigurationPath");
	const struct bound *cert = binder_get(b, "Cert");
	const char *domain = binder_get(b, "Domain")->text;
	struct crypto_certlist certs = { NULL, 0 };
	struct crypto_pfx_info info;
	struct svcfile *cfg = NULL;
	char *pfx = NULL;
	size_t i, failed = 0;
	int rc;

	memset(&info, 0, sizeof(info));
	if (cfgpath->present && (rc = svcfile_load(cfgpath->text, &cfg, err)) != 0)
		goto out;
	if (b->set == 1) {
		if ((pfx = atomicfile_native_path(binder_get(b, "PfxPath")->text)) == NULL) {
			rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
			goto out;
		}
		if ((rc = crypto_pfx_inspect(pfx, binder_get(b, "Password")->text, &info, err)) != 0)
			goto out;
		check_one(info.certs.certs[0], &info, pfx, cfg, domain, &failed);
	} else {
		for (i = 0; i < cert->nitems; i++)
			if ((rc = crypto_store_resolve(cert->items[i], NULL, &certs, err)) != 0)
				goto out;
		for (i = 0; i < certs.count; i++)
			check_one(certs.certs[i], NULL, crypto_cert_thumbprint(certs.certs[i]), cfg,
			    domain, &failed);
	}
	rc = failed == 0 ? 0 : pk_fail(err, PK_ERR_FORMAT, "%zu Azure rule%s failed.", failed,
	    failed == 1 ? "" : "s");
out:
	crypto_pfx_info_clear(&info);
	crypto_certlist_clear(&certs);
	svcfile_free(cfg);
	free(pfx);
	return rc;
}

static int
body(const struct binding *b, struct pk_error *err)
{
	return b->set == 0 ? check_definition(b, err) : check_azure(b, err);
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
