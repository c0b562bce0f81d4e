/*
 * New-SelfSignedCertificate: makes a certificate and key the way Windows does
 * and puts both into Cert:\CurrentUser\My or Cert:\LocalMachine\My
 * (DESIGN §2.2, reference/pki-cmdlets.md §2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdlets/certout.h"
#include "cmdlets/cmdlet.h"
#include "crypto/selfsigned.h"
#include "crypto/store.h"

#define NS "Microsoft.CertificateServices.Commands."
#define SWITCH "System.Management.Automation.SwitchParameter"
#define WINDOWS_ONLY(name_, kind_, type_, why_) \
	{ .name = name_, .kind = kind_, .type_name = type_, .position = PARAM_NAMED, \
	  .flags = PARAM_WINDOWS_ONLY, .help = why_ }

/* Enum members in the order the cmdlet documents them (pki-cmdlets.md §2.2). */
static const char *const hardware_key_usage[] = { "None", "SignatureKey", "EncryptionKey",
	"GenericKey", "StorageKey", "IdentityKey", NULL };
static const char *const key_usage_property[] = { "None", "Decrypt", "Sign", "KeyAgreement",
	"All", NULL };
static const char *const key_usage[] = { "None", "EncipherOnly", "CRLSign", "CertSign",
	"KeyAgreement", "DataEncipherment", "KeyEncipherment", "NonRepudiation",
	"DigitalSignature", "DecipherOnly", NULL };
static const char *const key_protection[] = { "None", "Protect", "ProtectHigh",
	"ProtectFingerPrint", NULL };
static const char *const key_export_policy[] = { "NonExportable", "ExportableEncrypted",
	"Exportable", NULL };
static const char *const curve_export[] = { "None", "CurveParameters", "CurveName", NULL };
static const char *const key_spec[] = { "None", "KeyExchange", "Signature", NULL };
/*
 * Windows' numbers (so -KeyUsage 128 and -bor work as there): KeyUsage is
 * .NET's X509KeyUsageFlags; KeyUsageProperty, KeyProtection and
 * HardwareKeyUsage are CNG's NCRYPT_ALLOW_*_FLAG, NCRYPT_UI_*_FLAG and
 * NCRYPT_PCP_*_KEY values, which the PKI module's enums wrap (inferred).
 * The other enums number their members in declaration order.
 */
static const int key_usage_values[] = { 0, 1, 2, 4, 8, 16, 32, 64, 128, 32768 };
static const int key_usage_property_values[] = { 0, 1, 2, 4, 0xffffff };
static const int key_protection_values[] = { 0, 1, 2, 4 };
static const int hardware_key_usage_values[] = { 0, 1, 2, 3, 4, 8 };
static const char *const cert_type[] = { "Custom", "CodeSigningCert", "DocumentEncryptionCert",
	"SSLServerAuthentication", "DocumentEncryptionCertLegacyCsp", NULL };

/* The values of key_usage[] and key_usage_property[], member by member. */
static const unsigned key_usage_bits[] = { CRYPTO_KU_NONE, CRYPTO_KU_ENCIPHER_ONLY,
	CRYPTO_KU_CRL_SIGN, CRYPTO_KU_CERT_SIGN, CRYPTO_KU_KEY_AGREEMENT,
	CRYPTO_KU_DATA_ENCIPHERMENT, CRYPTO_KU_KEY_ENCIPHERMENT, CRYPTO_KU_NON_REPUDIATION,
	CRYPTO_KU_DIGITAL_SIGNATURE, CRYPTO_KU_DECIPHER_ONLY };
static const unsigned key_usage_property_bits[] = { CRYPTO_KUP_NONE, CRYPTO_KUP_DECRYPT,
	CRYPTO_KUP_SIGN, CRYPTO_KUP_KEY_AGREEMENT, CRYPTO_KUP_ALL };

/* In the order of the documented syntax; none positional, none mandatory. */
static const struct param params[] = {
	WINDOWS_ONLY("SecurityDescriptor", PARAM_OBJECT, "System.Security.AccessControl.FileSecurity",
	    "private-key ACLs are Windows security descriptors (the key file here is 0600)."),
	{ .name = "TextExtension", .kind = PARAM_STRINGS, .type_name = "System.String[]",
	  .position = PARAM_NAMED, .flags = PARAM_OID_ITEMS,
	  .help = "Extensions as <oid>={text}..., <oid>={hex}... or <oid>=<base64>; {critical} after '='." },
	WINDOWS_ONLY("Extension", PARAM_OBJECT,
	    "System.Security.Cryptography.X509Certificates.X509Extension[]",
	    "pass extensions as -TextExtension '<oid>=<base64 of the value>'."),
	{ .name = "HardwareKeyUsage", .kind = PARAM_ENUMS, .type_name = NS "HardwareKeyUsage[]",
	  .members = hardware_key_usage, .member_values = hardware_key_usage_values, .position = PARAM_NAMED, .flags = PARAM_WINDOWS_ONLY,
	  .help = "it applies to TPM keys only." },
	{ .name = "KeyUsageProperty", .kind = PARAM_ENUMS, .type_name = NS "KeyUsageProperty[]",
	  .members = key_usage_property, .member_values = key_usage_property_values, .position = PARAM_NAMED,
	  .help = "The CNG key's usage property; it does not change the certificate." },
	{ .name = "KeyUsage", .kind = PARAM_ENUMS, .type_name = NS "KeyUsage[]",
	  .members = key_usage, .member_values = key_usage_values, .position = PARAM_NAMED,
	  .help = "Key Usage bits (critical); default DigitalSignature,KeyEncipherment." },
	{ .name = "KeyProtection", .kind = PARAM_ENUMS, .type_name = NS "KeyProtection[]",
	  .members = key_protection, .member_values = key_protection_values, .position = PARAM_NAMED, .flags = PARAM_WINDOWS_ONLY,
	  .help = "key protection prompts are a Windows CNG feature." },
	{ .name = "KeyExportPolicy", .kind = PARAM_ENUMS, .type_name = NS "KeyExportPolicy[]",
	  .members = key_export_policy, .position = PARAM_NAMED,
	  .help = "NonExportable keeps the key out of PFX exports; default ExportableEncrypted." },
	{ .name = "KeyLength", .kind = PARAM_INT, .type_name = "System.Int32",
	  .position = PARAM_NAMED, .help = "RSA: 1024 to 16384 bits in steps of 8 (default 2048)." },
	{ .name = "KeyAlgorithm", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .help = "RSA (default), ECDSA_nistP256, ECDSA_nistP384 or ECDSA_nistP521." },
	{ .name = "SmimeCapabilities", .kind = PARAM_SWITCH, .type_name = SWITCH,
	  .position = PARAM_NAMED, .help = "Adds the S/MIME Capabilities extension." },
	WINDOWS_ONLY("ExistingKey", PARAM_SWITCH, SWITCH,
	    "it reuses a key in a Windows key container."),
	WINDOWS_ONLY("KeyLocation", PARAM_STRING, "System.String", "it applies to TPM keys only."),
	WINDOWS_ONLY("SignerReader", PARAM_STRING, "System.String", "smart cards are not supported."),
	WINDOWS_ONLY("Reader", PARAM_STRING, "System.String", "smart cards are not supported."),
	WINDOWS_ONLY("SignerPin", PARAM_SECURE, "System.Security.SecureString",
	    "smart cards are not supported."),
	WINDOWS_ONLY("Pin", PARAM_SECURE, "System.Security.SecureString",
	    "smart cards are not supported."),
	WINDOWS_ONLY("KeyDescription", PARAM_STRING, "System.String",
	    "it is a property of a Windows CNG key."),
	WINDOWS_ONLY("KeyFriendlyName", PARAM_STRING, "System.String",
	    "it is a property of a Windows CNG key."),
	{ .name = "Container", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .help = "Key container name; a trailing * appends a GUID (default te-<guid>)." },
	{ .name = "Provider", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .help = "A software KSP or CSP name, recorded with the key." },
	{ .name = "CurveExport", .kind = PARAM_ENUM, .type_name = NS "CurveParametersExportType",
	  .members = curve_export, .position = PARAM_NAMED,
	  .help = "CurveParameters writes explicit EC parameters; otherwise a named curve." },
	{ .name = "KeySpec", .kind = PARAM_ENUM, .type_name = NS "KeySpec", .members = key_spec,
	  .position = PARAM_NAMED, .help = "KeyExchange or Signature: a legacy CryptoAPI key." },
	{ .name = "Type", .kind = PARAM_ENUM, .type_name = NS "CertificateType",
	  .members = cert_type, .position = PARAM_NAMED,
	  .help = "Certificate profile; default SSLServerAuthentication." },
	{ .name = "FriendlyName", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .help = "The store's friendly name for the certificate." },
	{ .name = "NotAfter", .kind = PARAM_DATETIME, .type_name = "System.DateTime",
	  .position = PARAM_NAMED, .help = "End of validity; default one year (+10 minutes) from now." },
	{ .name = "NotBefore", .kind = PARAM_DATETIME, .type_name = "System.DateTime",
	  .position = PARAM_NAMED, .help = "Start of validity; default 10 minutes ago." },
	{ .name = "SerialNumber", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .help = "Hex serial; default 16 random bytes." },
	{ .name = "Subject", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .help = "Subject name; CN= is added when there is no '='." },
	{ .name = "DnsName", .kind = PARAM_STRINGS, .type_name = "System.String[]",
	  .position = PARAM_NAMED, .help = "DNS names for the SAN; the first is the subject by default." },
	{ .name = "SuppressOid", .kind = PARAM_STRINGS, .type_name = "System.String[]",
	  .position = PARAM_NAMED, .help = "OIDs of default extensions to leave out." },
	{ .name = "HashAlgorithm", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .help = "SHA1, SHA256 (default), SHA384 or SHA512." },
	{ .name = "AlternateSignatureAlgorithm", .kind = PARAM_SWITCH, .type_name = SWITCH,
	  .position = PARAM_NAMED, .help = "Sign with RSASSA-PSS." },
	WINDOWS_ONLY("TestRoot", PARAM_SWITCH, SWITCH,
	    "the built-in test root exists only on Windows; use -Signer."),
	{ .name = "Signer", .kind = PARAM_CERT, .type_name = NS "Certificate",
	  .position = PARAM_NAMED, .help = "The issuing certificate, with its private key." },
	{ .name = "CloneCert", .kind = PARAM_CERT, .type_name = NS "Certificate",
	  .position = PARAM_NAMED, .flags = PARAM_PIPELINE_VALUE,
	  .help = "A certificate whose settings are copied, with a new key." },
	{ .name = "CertStoreLocation", .kind = PARAM_STRING, .type_name = "System.String",
	  .position = PARAM_NAMED, .flags = PARAM_CERT_LOCATION,
	  .help = "Cert:\\CurrentUser\\My or Cert:\\LocalMachine\\My (the default: the current "
	  "location when it is one of them, else LocalMachine\\My)." },
};

static const struct command command = {
	.name = "New-SelfSignedCertificate",
	.synopsis = "Creates a self-signed or -Signer-signed certificate and key in a store.",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.flags = COMMAND_SHOULD_PROCESS,
	.output_type = "System.Security.Cryptography.X509Certificates.X509Certificate2",
};

/*
 * Windows stores only in a My store: Cert:\CurrentUser names CurrentUser\My
 * (the module passes the session's location there when it is in Cert:, as
 * Windows defaults to it); without -CertStoreLocation the result lands in
 * LocalMachine\MY (transcripts show the upper-case name).
 */
static int
target_store(const struct binding *b, struct crypto_store_path *path, struct pk_error *err)
{
	const char *text = binder_get(b, "CertStoreLocation")->text;
	int rc;

	if (text == NULL)
		text = "Cert:\\LocalMachine\\MY";
	if ((rc = crypto_store_path_parse(text, path, err)) != 0)
		return rc;
	if (path->has_location && path->store == NULL && (path->store = strdup("My")) == NULL)
		return pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
	if (!path->has_location || path->store == NULL || path->thumbprint[0] != '\0' ||
	    strcasecmp(path->store, "My") != 0)
		return pk_fail(err, PK_ERR_USAGE, "The store '%s' is not supported: "
		    "New-SelfSignedCertificate stores only in Cert:\\CurrentUser\\My or "
		    "Cert:\\LocalMachine\\My.", text);
	return 0;
}

/* -Signer or -CloneCert: exactly one certificate. */
static int
resolve_one(const struct binding *b, const char *name, struct crypto_certlist *list,
    struct pk_error *err)
{
	const struct bound *v = binder_get(b, name);
	int rc;

	if (!v->present)
		return 0;
	if (v->nitems > 1 || v->text == NULL)
		return pk_fail(err, PK_ERR_USAGE, "-%s must name one certificate.", name);
	if ((rc = crypto_store_resolve(v->text, NULL, list, err)) != 0)
		return rc;
	if (list->count != 1)
		return pk_fail(err, PK_ERR_USAGE, "-%s '%s' names %zu certificates; it must "
		    "name one.", name, v->text, list->count);
	return 0;
}

static void
fill_request(const struct binding *b, const struct crypto_store_path *path,
    struct crypto_selfsigned_request *req)
{
	const struct bound *v;
	size_t i;

	memset(req, 0, sizeof(*req));
	req->subject = binder_get(b, "Subject")->text;
	v = binder_get(b, "DnsName");
	req->dns_names = v->items;
	req->ndns_names = v->nitems;
	v = binder_get(b, "Type");
	req->type_given = v->present;
	req->type = (enum crypto_cert_type)v->member;
	v = binder_get(b, "KeyUsage");
	req->key_usage_given = v->present;
	for (i = 0; i < v->nitems; i++)
		req->key_usage |= key_usage_bits[v->members[i]];
	v = binder_get(b, "KeyUsageProperty");
	for (i = 0; i < v->nitems; i++)
		req->key_usage_property |= key_usage_property_bits[v->members[i]];
	v = binder_get(b, "TextExtension");
	req->text_extensions = v->items;
	req->ntext_extensions = v->nitems;
	v = binder_get(b, "SuppressOid");
	req->suppress_oids = v->items;
	req->nsuppress_oids = v->nitems;
	req->smime_capabilities = binder_get(b, "SmimeCapabilities")->on;
	req->key_algorithm = binder_get(b, "KeyAlgorithm")->text;
	req->key_length = binder_get(b, "KeyLength")->number;
	req->curve_export = (enum crypto_curve_export)binder_get(b, "CurveExport")->member;
	req->hash_algorithm = binder_get(b, "HashAlgorithm")->text;
	req->alternate_signature = binder_get(b, "AlternateSignatureAlgorithm")->on;
	v = binder_get(b, "NotBefore");
	req->not_before_given = v->present;
	req->not_before = v->time;
	v = binder_get(b, "NotAfter");
	req->not_after_given = v->present;
	req->not_after = v->time;
	req->serial_number = binder_get(b, "SerialNumber")->text;
	req->friendly_name = binder_get(b, "FriendlyName")->text;
	/* Only NonExportable alone keeps the key in; any exportable member lets it out. */
	v = binder_get(b, "KeyExportPolicy");
	req->non_exportable = v->nitems > 0;
	for (i = 0; i < v->nitems; i++)
		if (v->members[i] != 0)
			req->non_exportable = 0;
	v = binder_get(b, "KeySpec");
	req->key_spec = v->present ? (enum crypto_keyspec)v->member : CRYPTO_KEYSPEC_NONE;
	req->provider = binder_get(b, "Provider")->text;
	req->container = binder_get(b, "Container")->text;
	req->machine_key = path->location == CRYPTO_STORE_LOCAL_MACHINE;
}

static int
body(const struct binding *b, struct pk_error *err)
{
	struct crypto_selfsigned_request req;
	struct crypto_store_path path;
	struct crypto_certlist signer = { NULL, 0 }, clone = { NULL, 0 };
	struct crypto_cert *cert = NULL;
	struct certout_item item;
	char *target = NULL, *file = NULL, *parent = NULL;
	int rc;

	memset(&path, 0, sizeof(path));
	if ((rc = target_store(b, &path, err)) != 0)
		goto out;
	fill_request(b, &path, &req);
	if ((rc = resolve_one(b, "Signer", &signer, err)) != 0 ||
	    (rc = resolve_one(b, "CloneCert", &clone, err)) != 0)
		goto out;
	if ((target = crypto_selfsigned_subject_text(&req,
	    clone.count > 0 ? clone.certs[0] : NULL)) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	if (!cmdlet_should_process(b, command.name, target)) {
		rc = 0;
		goto out;
	}
	if ((rc = crypto_selfsigned_create(&req, signer.count > 0 ? signer.certs[0] : NULL,
	    clone.count > 0 ? clone.certs[0] : NULL, &cert, err)) != 0 ||
	    (rc = crypto_store_enroll(path.location, path.store, cert, &file, err)) != 0)
		goto out;
	cmdlet_verbose(b, "Stored the certificate and its private key in %s.",
	    file != NULL ? file : "the store");
	if ((parent = crypto_store_path_parent(&path)) == NULL) {
		rc = pk_fail(err, PK_ERR_NOMEM, "Out of memory.");
		goto out;
	}
	item.cert = cert;
	item.parent = parent;
	item.file = file;
	certout_print(&item, 1, stdout);
	rc = 0;
out:
	crypto_cert_free(cert);
	crypto_certlist_clear(&signer);
	crypto_certlist_clear(&clone);
	crypto_store_path_clear(&path);
	free(target);
	free(file);
	free(parent);
	return rc;
}

int
main(int argc, char **argv)
{
	return cmdlet_main(&command, argc, argv, body);
}
