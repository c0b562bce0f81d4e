/*
 * Test-Certificate: verifies certificates as the PKI module's cmdlet does
 * (chain, time, EKU, SSL name), over the pkishim stores.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmdlets/cmdlet.h"
#include "crypto/certverify.h"
#include "crypto/store.h"

#define SWITCH "System.Management.Automation.SwitchParameter"

static const char *const policies[] = { "BASE", "SSL", "AUTHENTICODE", "NTAUTH", NULL };

static const struct param params[] = {
	{ .name = "Policy", .kind = PARAM_ENUM,
	  .type_name = "Microsoft.CertificateServices.Commands.TestCertificatePolicy",
	  .members = policies, .position = PARAM_NAMED,
	  .help = "The chain policy: BASE (default), SSL (server authentication and -DNSName), "
	  "AUTHENTICODE (code signing) or NTAUTH (the issuer in LocalMachine\\NTAuth)." },
	{ .name = "User", .kind = PARAM_SWITCH, .type_name = SWITCH, .position = PARAM_NAMED,
	  .help = "Build the chain as the user (CurrentUser's stores and LocalMachine's roots), not the machine." },
	{ .name = "EKU", .kind = PARAM_STRINGS, .type_name = "System.String[]",
	  .position = PARAM_NAMED, .help = "Enhanced key usage OIDs the certificate must allow." },
	{ .name = "DNSName", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .help = "With -Policy SSL, the name the certificate must be valid for." },
	{ .name = "AllowUntrustedRoot", .kind = PARAM_SWITCH, .type_name = SWITCH,
	  .position = PARAM_NAMED, .help = "Accept a chain that ends in a root the Root store does not hold." },
	{ .name = "Cert", .kind = PARAM_CERT,
	  .type_name = "Microsoft.CertificateServices.Commands.Certificate", .position = 0,
	  .mandatory = 1u, .flags = PARAM_PIPELINE_VALUE | PARAM_PIPELINE_PROPERTY,
	  .help = "The certificate: a Cert:\\ path, a thumbprint or a file." },
};

static const struct command command = {
	.name = "Test-Certificate",
	.synopsis = "Verifies a certificate according to the input parameters.",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.output_type = "System.Boolean",
};

/* Windows writes the chain's flags as one warning, then the policy's error, then False. */
static void
report(const struct binding *b, const struct certverify_result *r)
{
	unsigned flag;

	if (r->trust != 0) {
		fputs("WARNING: Chain status:\n", stderr);
		for (flag = 1; flag <= r->trust; flag <<= 1)
			if (r->trust & flag)
				fprintf(stderr, "\t%s\n", certverify_trust_name(flag));
	}
	if (r->error != NULL)
		cmdlet_error(b, PK_ERR_CRYPTO, NULL, "%s", r->error);
	puts(r->valid ? "True" : "False");
}

/*
 * From bash the exit status says whether every certificate passed; the
 * module reads the [bool] instead, so its errors stay non-terminating as the
 * cmdlet's are (PKISHIM_OUTPUT=json exits 0 after a False).
 */
static int
body(const struct binding *b, struct pk_error *err)
{
	const struct bound *cert = binder_get(b, "Cert");
	const struct bound *eku = binder_get(b, "EKU");
	struct crypto_certlist certs = { NULL, 0 };
	struct certverify_options o;
	struct certverify_result r;
	size_t i, failed = 0;
	int rc = 0;

	memset(&o, 0, sizeof(o));
	o.policy = (enum certverify_policy)binder_get(b, "Policy")->member;
	o.dns_name = binder_get(b, "DNSName")->text;
	o.ekus = eku->items;
	o.neku = eku->nitems;
	o.allow_untrusted_root = binder_get(b, "AllowUntrustedRoot")->on;
	o.user = binder_get(b, "User")->on;
	o.now = (int64_t)time(NULL);
	for (i = 0; i < cert->nitems; i++)
		if ((rc = crypto_store_resolve(cert->items[i], NULL, &certs, err)) != 0)
			goto out;
	for (i = 0; i < certs.count; i++) {
		if ((rc = certverify_run(certs.certs[i], &o, &r, err)) != 0)
			goto out;
		report(b, &r);
		failed += !r.valid;
	}
	rc = failed > 0 && !cmdlet_json_output() ? CMDLET_ERRORS_REPORTED : 0;
out:
	crypto_certlist_clear(&certs);
	return rc;
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
