/*
 * test_binder.c: the binder against PowerShell's rules (DESIGN §2.1,
 * powershell-semantics.md §1-3), one row per rule or error text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <CUnit/CUnit.h>

#include "cmdlets/binder.h"
#include "cmdlets/binder_convert.h"
#include "cunit_run.h"

#define SWITCH_TYPE "System.Management.Automation.SwitchParameter"

static const char *const keyspec_members[] = { "None", "KeyExchange", "Signature", NULL };
static const char *const keyusage_members[] = {
	"None", "EncipherOnly", "CRLSign", "CertSign", "KeyAgreement", "DataEncipherment",
	"KeyEncipherment", "NonRepudiation", "DigitalSignature", "DecipherOnly", NULL
};
static const char *const type_members[] = {
	"Custom", "CodeSigningCert", "DocumentEncryptionCert", "SSLServerAuthentication",
	"DocumentEncryptionCertLegacyCsp", NULL
};
static const char *const hash_members[] = { "SHA1", "SHA256", "SHA384", NULL };
static const char *const chain_members[] = { "BuildChain", "EndEntityCertOnly", "PfxDataOnly", NULL };

/* Shaped like New-SelfSignedCertificate: no positions, one set, ShouldProcess. */
static const struct param nssc_params[] = {
	{ "DnsName", { NULL }, PARAM_STRINGS, "System.String[]", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "Subject", { NULL }, PARAM_STRING, "System.String", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "KeyLength", { NULL }, PARAM_INT, "System.Int32", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "KeyLocation", { NULL }, PARAM_STRING, "System.String", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "KeySpec", { NULL }, PARAM_ENUM, "Microsoft.CertificateServices.Commands.KeySpec",
	    keyspec_members, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "KeyUsage", { NULL }, PARAM_ENUMS, "Microsoft.CertificateServices.Commands.KeyUsage[]",
	    keyusage_members, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "Type", { NULL }, PARAM_ENUM, "Microsoft.CertificateServices.Commands.CertificateType",
	    type_members, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "HashAlgorithm", { NULL }, PARAM_STRING, "System.String", hash_members, PARAM_NAMED,
	    0, 0, PARAM_VALIDATESET, NULL, NULL },
	{ "NotAfter", { NULL }, PARAM_DATETIME, "System.DateTime", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "TextExtension", { NULL }, PARAM_STRINGS, "System.String[]", NULL, PARAM_NAMED, 0, 0,
	    PARAM_OID_ITEMS, NULL, NULL },
	{ "Provider", { NULL }, PARAM_STRING, "System.String", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "Pin", { NULL }, PARAM_SECURE, "System.Security.SecureString", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "AlternateSignatureAlgorithm", { NULL }, PARAM_SWITCH, SWITCH_TYPE, NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "SmimeCapabilities", { NULL }, PARAM_SWITCH, SWITCH_TYPE, NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "Signer", { NULL }, PARAM_CERT, "Microsoft.CertificateServices.Commands.Certificate",
	    NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "CertStoreLocation", { NULL }, PARAM_STRING, "System.String", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "Container", { NULL }, PARAM_STRING, "System.String", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	{ "CloneCert", { NULL }, PARAM_CERT, "Microsoft.CertificateServices.Commands.Certificate",
	    NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
};
static const struct command nssc = {
	"New-SelfSignedCertificate", NULL, nssc_params,
	sizeof(nssc_params) / sizeof(nssc_params[0]), NULL, 0, COMMAND_SHOULD_PROCESS,
	"System.Security.Cryptography.X509Certificates.X509Certificate2"
};

/* Shaped like Export-PfxCertificate: two sets, positions 0 and 1. */
static const char *const epfx_sets[] = { "PfxCert", "NormalCert", NULL };
#define PFXCERT 1u
#define NORMALCERT 2u
static const struct param epfx_params[] = {
	{ "PFXData", { NULL }, PARAM_OBJECT, "Microsoft.CertificateServices.Commands.PfxData",
	    NULL, 0, PFXCERT, PFXCERT, PARAM_PIPELINE_VALUE, NULL, NULL },
	{ "Cert", { "PsPath" }, PARAM_CERT, "Microsoft.CertificateServices.Commands.Certificate",
	    NULL, 0, NORMALCERT, NORMALCERT, PARAM_PIPELINE_PROPERTY, NULL, NULL },
	{ "FilePath", { NULL }, PARAM_PATH, "System.String", NULL, 1, PARAM_ALL_SETS,
	    PFXCERT | NORMALCERT, 0, NULL, NULL },
	{ "Password", { NULL }, PARAM_SECURE, "System.Security.SecureString", NULL, PARAM_NAMED,
	    PARAM_ALL_SETS, 0, 0, NULL, NULL },
	{ "ChainOption", { NULL }, PARAM_ENUM, "Microsoft.CertificateServices.Commands.ExportChainOption",
	    chain_members, PARAM_NAMED, PARAM_ALL_SETS, 0, 0, NULL, NULL },
	{ "NoClobber", { NULL }, PARAM_SWITCH, SWITCH_TYPE, NULL, PARAM_NAMED, PARAM_ALL_SETS, 0, 0, NULL, NULL },
	{ "Force", { NULL }, PARAM_SWITCH, SWITCH_TYPE, NULL, PARAM_NAMED, PARAM_ALL_SETS, 0, 0, NULL, NULL },
	{ "NoProperties", { NULL }, PARAM_SWITCH, SWITCH_TYPE, NULL, PARAM_NAMED, PARAM_ALL_SETS, 0, 0, NULL, NULL },
};
static const struct command epfx = {
	"Export-PfxCertificate", NULL, epfx_params, sizeof(epfx_params) / sizeof(epfx_params[0]),
	epfx_sets, 1, COMMAND_SHOULD_PROCESS, "System.IO.FileInfo"
};

/* Shaped like Get-PfxCertificate: String[] at position 0, an alias set, no ShouldProcess. */
static const char *const gpfx_sets[] = { "ByPath", "ByLiteralPath", NULL };
static const struct param gpfx_params[] = {
	{ "FilePath", { NULL }, PARAM_STRINGS, "System.String[]", NULL, 0, 1u, 1u,
	    PARAM_PIPELINE_VALUE | PARAM_WILDCARDS, NULL, NULL },
	{ "LiteralPath", { "PSPath", "LP" }, PARAM_STRINGS, "System.String[]", NULL, PARAM_NAMED,
	    2u, 2u, PARAM_PIPELINE_PROPERTY, NULL, NULL },
	{ "Password", { NULL }, PARAM_SECURE, "System.Security.SecureString", NULL, PARAM_NAMED,
	    PARAM_ALL_SETS, 0, 0, NULL, NULL },
	{ "NoPromptForPassword", { NULL }, PARAM_SWITCH, SWITCH_TYPE, NULL, PARAM_NAMED,
	    PARAM_ALL_SETS, 0, 0, NULL, NULL },
};
static const struct command gpfx = {
	"Get-PfxCertificate", NULL, gpfx_params, sizeof(gpfx_params) / sizeof(gpfx_params[0]),
	gpfx_sets, 0, 0, "System.Security.Cryptography.X509Certificates.X509Certificate2"
};

struct bind_case {
	const char *title;
	const struct command *cmd;
	const char *args;           /* arguments separated by '|' */
	const char *want_err;       /* the exact message, or NULL for success */
	const char *param;          /* a parameter to check on success */
	const char *want;           /* its value rendered by render() */
};

#define AMBIG(name, list) "Parameter cannot be processed because the parameter name '" name \
	"' is ambiguous. Possible matches include:" list "."
#define NOTFOUND(name) "A parameter cannot be found that matches parameter name '" name "'."
#define TWICE(name) "Cannot bind parameter because parameter '" name "' is specified more " \
	"than once. To provide multiple values to parameters that can accept multiple values, " \
	"use the array syntax. For example, \"-parameter value1,value2,value3\"."
#define MISSING(name, type) "Missing an argument for parameter '" name "'. Specify a " \
	"parameter of type '" type "' and try again."
#define POSITIONAL(arg) "A positional parameter cannot be found that accepts argument '" arg "'."
#define NOINT(name, v) "Cannot bind parameter '" name "'. Cannot convert value \"" v "\" to " \
	"type \"System.Int32\". Error: \"The input string '" v "' was not in a correct format.\""
#define SETFAIL "Parameter set cannot be resolved using the specified named parameters. One " \
	"or more parameters issued cannot be used together or an insufficient number of " \
	"parameters were provided."
#define KU_TYPE "Microsoft.CertificateServices.Commands.KeyUsage"
#define KU_LIST "None, EncipherOnly, CRLSign, CertSign, KeyAgreement, DataEncipherment, " \
	"KeyEncipherment, NonRepudiation, DigitalSignature, DecipherOnly"
#define TYPE_TYPE "Microsoft.CertificateServices.Commands.CertificateType"
#define TYPE_LIST "Custom, CodeSigningCert, DocumentEncryptionCert, SSLServerAuthentication, " \
	"DocumentEncryptionCertLegacyCsp"

static const struct bind_case cases[] = {
	/* names: case, prefixes, exact match, dashes */
	{ "a full name binds", &nssc, "-DnsName|a.example", NULL, "DnsName", "a.example" },
	{ "names ignore case", &nssc, "-dnsname|a.example", NULL, "DnsName", "a.example" },
	{ "upper-case names bind", &nssc, "-DNSNAME|a.example", NULL, "DnsName", "a.example" },
	{ "a unique prefix binds", &nssc, "-Dns|a.example", NULL, "DnsName", "a.example" },
	{ "a one-letter unique prefix binds", &nssc, "-D|a.example", NULL, "DnsName", "a.example" },
	{ "an exact name beats a longer one it prefixes", &epfx, "-Cert|x|-FilePath|f", NULL, "Cert", "x" },
	{ "an en dash starts a name", &nssc, "\xe2\x80\x93" "DnsName|a", NULL, "DnsName", "a" },
	{ "an em dash starts a name", &nssc, "\xe2\x80\x94" "DnsName|a", NULL, "DnsName", "a" },
	{ "a horizontal bar starts a name", &nssc, "\xe2\x80\x95" "DnsName|a", NULL, "DnsName", "a" },
	{ "an alias binds", &epfx, "-PsPath|Cert:\\CurrentUser\\My\\AB|-FilePath|f", NULL, "Cert",
	    "Cert:\\CurrentUser\\My\\AB" },
	{ "an alias binds in any case", &epfx, "-pspath|x|-FilePath|f", NULL, "Cert", "x" },
	{ "a second alias binds", &gpfx, "-LP|a.pfx", NULL, "LiteralPath", "a.pfx" },
	{ "a prefix of an alias binds", &gpfx, "-PSP|a.pfx", NULL, "LiteralPath", "a.pfx" },
	{ "one command parameter beats common ones for a prefix", &nssc, "-Pr|Microsoft Software Key Storage Provider",
	    NULL, "Provider", "Microsoft Software Key Storage Provider" },
	{ "a common parameter binds by alias", &nssc, "-DnsName|a|-vb", NULL, "Verbose", "on" },
	{ "a common parameter binds by prefix", &nssc, "-DnsName|a|-Verb", NULL, "Verbose", "on" },
	{ "WhatIf binds on a ShouldProcess command", &nssc, "-DnsName|a|-WhatIf", NULL, "WhatIf", "on" },
	{ "wi is WhatIf", &nssc, "-DnsName|a|-wi", NULL, "WhatIf", "on" },
	/* ambiguity */
	{ "an ambiguous prefix lists the candidates", &nssc, "-KeyL|2048",
	    AMBIG("KeyL", " -KeyLength -KeyLocation"), NULL, NULL },
	{ "an ambiguous one-letter prefix lists every match", &nssc, "-K|x",
	    AMBIG("K", " -KeyLength -KeyLocation -KeySpec -KeyUsage"), NULL, NULL },
	{ "an ambiguous prefix keeps the case typed", &nssc, "-keyl|2048",
	    AMBIG("keyl", " -KeyLength -KeyLocation"), NULL, NULL },
	{ "a prefix of two common parameters is ambiguous", &nssc, "-DnsName|a|-Er|Stop",
	    AMBIG("Er", " -ErrorAction -ErrorVariable"), NULL, NULL },
	{ "a prefix of two command parameters is ambiguous before other errors", &nssc,
	    "-Foo|-S|x", AMBIG("S", " -Subject -SmimeCapabilities -Signer"), NULL, NULL },
	{ "C is ambiguous among command and common parameters", &nssc, "-C|x",
	    AMBIG("C", " -CertStoreLocation -Container -CloneCert -Confirm"), NULL, NULL },
	{ "Co binds Container rather than the common Confirm", &nssc, "-Co|x", NULL, "Container", "x" },
	/* not found */
	{ "an unknown name is not found", &nssc, "-Foo|x", NOTFOUND("Foo"), NULL, NULL },
	{ "an unknown name keeps its case", &nssc, "-fOO", NOTFOUND("fOO"), NULL, NULL },
	{ "an unknown name with a colon value is not found", &nssc, "-Foo:bar", NOTFOUND("Foo"), NULL, NULL },
	{ "an unknown name after its value binds is reported", &gpfx, "-Foo|x", NOTFOUND("Foo"), NULL, NULL },
	{ "WhatIf is unknown without ShouldProcess", &gpfx, "a.pfx|-WhatIf", NOTFOUND("WhatIf"), NULL, NULL },
	{ "an unknown dash value after a string binds as the value", &nssc, "-Subject|-foo", NULL,
	    "Subject", "-foo" },
	/* values */
	{ "-Name:value binds", &nssc, "-Subject:CN=x", NULL, "Subject", "CN=x" },
	{ "-Name: value binds the next argument", &nssc, "-Subject:|CN=x", NULL, "Subject", "CN=x" },
	{ "a value may hold a colon", &nssc, "-CertStoreLocation:Cert:\\LocalMachine\\My", NULL,
	    "CertStoreLocation", "Cert:\\LocalMachine\\My" },
	{ "a value may hold spaces", &nssc, "-Subject|CN=My Cert, O=Org", NULL, "Subject", "CN=My Cert, O=Org" },
	{ "an empty string binds", &nssc, "-Subject|", NULL, "Subject", "" },
	{ "a negative number is a value, not a name", &nssc, "-KeyLength|-5", NULL, "KeyLength", "-5" },
	{ "a missing value at the end", &nssc, "-KeyLength", MISSING("KeyLength", "System.Int32"), NULL, NULL },
	{ "a missing value before another parameter", &nssc, "-Subject|-DnsName|a",
	    MISSING("Subject", "System.String"), NULL, NULL },
	{ "a missing value reports the canonical name", &nssc, "-Subj",
	    MISSING("Subject", "System.String"), NULL, NULL },
	{ "a missing array value names the array type", &nssc, "-DnsName",
	    MISSING("DnsName", "System.String[]"), NULL, NULL },
	/* given twice */
	{ "a parameter given twice", &nssc, "-DnsName|a|-DnsName|b", TWICE("DnsName"), NULL, NULL },
	{ "given twice by prefix reports the canonical name", &nssc, "-Dns|a|-DnsN|b",
	    TWICE("DnsName"), NULL, NULL },
	{ "given twice in colon form reports the name as typed", &nssc, "-DnsName|a|-dns:b",
	    TWICE("dns"), NULL, NULL },
	{ "a switch given twice reports the name as typed", &nssc, "-Smime|-SmimeCap",
	    TWICE("SmimeCap"), NULL, NULL },
	{ "an alias and the name are the same parameter", &epfx, "-Cert|a|-PsPath|b|-FilePath|f",
	    TWICE("Cert"), NULL, NULL },
	/* switches */
	{ "a switch alone is on", &nssc, "-SmimeCapabilities", NULL, "SmimeCapabilities", "on" },
	{ "an absent switch is off", &nssc, "-DnsName|a", NULL, "SmimeCapabilities", "off" },
	{ "-Switch:False is off", &nssc, "-SmimeCapabilities:False", NULL, "SmimeCapabilities", "off" },
	{ "-Switch:$false is off", &nssc, "-SmimeCapabilities:$false", NULL, "SmimeCapabilities", "off" },
	{ "-Switch:True is on", &nssc, "-SmimeCapabilities:True", NULL, "SmimeCapabilities", "on" },
	{ "-Switch:$true is on", &nssc, "-SmimeCapabilities:$true", NULL, "SmimeCapabilities", "on" },
	{ "-Switch:0 is off", &nssc, "-SmimeCapabilities:0", NULL, "SmimeCapabilities", "off" },
	{ "-Switch:1 is on", &nssc, "-SmimeCapabilities:1", NULL, "SmimeCapabilities", "on" },
	{ "-Switch:false ignores case", &nssc, "-SmimeCapabilities:false", NULL, "SmimeCapabilities", "off" },
	{ "-Switch: False binds the next argument", &nssc, "-SmimeCapabilities:|False", NULL,
	    "SmimeCapabilities", "off" },
	{ "a switch refuses a word", &nssc, "-SmimeCapabilities:yes",
	    "Cannot convert 'System.String' to the type 'System.Management.Automation.SwitchParameter' "
	    "required by parameter 'SmimeCapabilities'. ", NULL, NULL },
	{ "a switch does not take a value after a space", &nssc, "-SmimeCapabilities|False",
	    POSITIONAL("False"), NULL, NULL },
	/* integers */
	{ "a decimal integer", &nssc, "-KeyLength|2048", NULL, "KeyLength", "2048" },
	{ "a hex integer", &nssc, "-KeyLength|0x800", NULL, "KeyLength", "2048" },
	{ "a kb multiplier", &nssc, "-KeyLength|2kb", NULL, "KeyLength", "2048" },
	{ "a KB multiplier in upper case", &nssc, "-KeyLength|4KB", NULL, "KeyLength", "4096" },
	{ "a binary integer", &nssc, "-KeyLength|0b100000000000", NULL, "KeyLength", "2048" },
	{ "a long suffix", &nssc, "-KeyLength|2048L", NULL, "KeyLength", "2048" },
	{ "a decimal fraction rounds", &nssc, "-KeyLength|2048.0", NULL, "KeyLength", "2048" },
	{ "blank is zero", &nssc, "-KeyLength| ", NULL, "KeyLength", "0" },
	{ "surrounding spaces are trimmed", &nssc, "-KeyLength| 1024 ", NULL, "KeyLength", "1024" },
	{ "a word is not an integer", &nssc, "-KeyLength|abc", NOINT("KeyLength", "abc"), NULL, NULL },
	{ "an integer too large", &nssc, "-KeyLength|99999999999",
	    "Cannot bind parameter 'KeyLength'. Cannot convert value \"99999999999\" to type "
	    "\"System.Int32\". Error: \"Value was either too large or too small for an Int32.\"", NULL, NULL },
	/* arrays */
	{ "a,b in one argument is two values", &nssc, "-DnsName|a.example,b.example", NULL,
	    "DnsName", "a.example|b.example" },
	{ "a, b (pwsh spacing) is two values", &nssc, "-DnsName|a,|b", NULL, "DnsName", "a|b" },
	{ "a, b, c is three values", &nssc, "-DnsName|a,|b,|c", NULL, "DnsName", "a|b|c" },
	{ "@() values arrive as separate arguments", &nssc, "-DnsName|a|b|c", NULL, "DnsName", "a|b|c" },
	{ "separate arguments stop at the next name", &nssc, "-DnsName|a|b|-Subject|s", NULL, "DnsName", "a|b" },
	{ "a quoted array literal loses its quotes", &nssc, "-DnsName|'a','b'", NULL, "DnsName", "a|b" },
	{ "a double-quoted array literal loses its quotes", &nssc, "-DnsName|\"a\",\"b\"", NULL, "DnsName", "a|b" },
	{ "a comma inside quotes stays", &nssc, "-DnsName|'a,b','c'", NULL, "DnsName", "a,b|c" },
	{ "one value is a one-element array", &nssc, "-DnsName|a", NULL, "DnsName", "a" },
	{ "a scalar keeps its commas", &nssc, "-Subject|CN=a,O=b", NULL, "Subject", "CN=a,O=b" },
	{ "a text extension keeps the commas of its EKU list", &nssc,
	    "-TextExtension|2.5.29.37={text}1.3.6.1.5.5.7.3.2,1.3.6.1.5.5.7.3.1", NULL,
	    "TextExtension", "2.5.29.37={text}1.3.6.1.5.5.7.3.2,1.3.6.1.5.5.7.3.1" },
	{ "text extensions split before the next OID", &nssc,
	    "-TextExtension|2.5.29.37={text}1.3.6.1.5.5.7.3.2,2.5.29.17={text}DNS=a", NULL,
	    "TextExtension", "2.5.29.37={text}1.3.6.1.5.5.7.3.2|2.5.29.17={text}DNS=a" },
	{ "quoted text extensions split at commas between quotes", &nssc,
	    "-TextExtension|'2.5.29.37={text}1.3.6.1.5.5.7.3.2,1.3.6.1.5.5.7.3.1','2.5.29.19={text}'",
	    NULL, "TextExtension", "2.5.29.37={text}1.3.6.1.5.5.7.3.2,1.3.6.1.5.5.7.3.1|2.5.29.19={text}" },
	{ "text extensions as separate arguments", &nssc,
	    "-TextExtension|2.5.29.19={text}CA=1|2.5.29.17={text}DNS=x&IPAddress=::1", NULL,
	    "TextExtension", "2.5.29.19={text}CA=1|2.5.29.17={text}DNS=x&IPAddress=::1" },
	/* enums */
	{ "an enum member binds", &nssc, "-KeySpec|KeyExchange", NULL, "KeySpec", "KeyExchange" },
	{ "an enum member ignores case", &nssc, "-KeySpec|keyexchange", NULL, "KeySpec", "KeyExchange" },
	{ "an enum unique prefix binds", &nssc, "-Type|CodeSigning", NULL, "Type", "CodeSigningCert" },
	{ "an exact member beats the longer one it prefixes", &nssc, "-Type|DocumentEncryptionCert",
	    NULL, "Type", "DocumentEncryptionCert" },
	{ "an enum prefix matching several members", &nssc, "-Type|C",
	    "Cannot bind parameter 'Type'. Cannot convert value \"C\" to type \"" TYPE_TYPE "\". "
	    "Error: \"The identifier name C cannot be processed because it is either too similar or "
	    "identical to the following enumerator names: Custom, CodeSigningCert. Use a more "
	    "specific identifier name.\"", NULL, NULL },
	{ "an enum value matching nothing", &nssc, "-Type|Foo",
	    "Cannot bind parameter 'Type'. Cannot convert value \"Foo\" to type \"" TYPE_TYPE "\". "
	    "Error: \"Unable to match the identifier name Foo to a valid enumerator name. Specify "
	    "one of the following enumerator names and try again:\n" TYPE_LIST "\"", NULL, NULL },
	{ "two members of a scalar enum are refused", &nssc, "-KeySpec|KeyExchange,Signature",
	    "Cannot bind parameter 'KeySpec'. Cannot convert value \"KeyExchange,Signature\" to type "
	    "\"Microsoft.CertificateServices.Commands.KeySpec\" due to enumeration values that are "
	    "not valid. Specify one of the following enumeration values and try again. The possible "
	    "enumeration values are \"None,KeyExchange,Signature\".", NULL, NULL },
	{ "an enum array from a,b", &nssc, "-KeyUsage|CertSign,CRLSign,DigitalSignature", NULL,
	    "KeyUsage", "CertSign|CRLSign|DigitalSignature" },
	{ "an enum array from separate arguments", &nssc, "-KeyUsage|DigitalSignature|CRLSign", NULL,
	    "KeyUsage", "DigitalSignature|CRLSign" },
	{ "an enum array member by prefix and case", &nssc, "-KeyUsage|certs,crl", NULL,
	    "KeyUsage", "CertSign|CRLSign" },
	{ "an enum array with a bad member names the element type", &nssc, "-KeyUsage|CertSign,Bogus",
	    "Cannot bind parameter 'KeyUsage'. Cannot convert value \"Bogus\" to type \"" KU_TYPE "\". "
	    "Error: \"Unable to match the identifier name Bogus to a valid enumerator name. Specify "
	    "one of the following enumerator names and try again:\n" KU_LIST "\"", NULL, NULL },
	{ "ErrorAction takes a member prefix", &nssc, "-DnsName|a|-ea|silent", NULL, "ErrorAction",
	    "SilentlyContinue" },
	/* ValidateSet */
	{ "a ValidateSet value binds in any case", &nssc, "-HashAlgorithm|sha256", NULL,
	    "HashAlgorithm", "sha256" },
	{ "a ValidateSet refuses a prefix", &nssc, "-HashAlgorithm|SHA",
	    "Cannot validate argument on parameter 'HashAlgorithm'. The argument \"SHA\" does not "
	    "belong to the set \"SHA1,SHA256,SHA384\" specified by the ValidateSet attribute. Supply "
	    "an argument that is in the set and then try the command again.", NULL, NULL },
	/* dates (TZ is UTC in this program) */
	{ "an ISO date", &nssc, "-NotAfter|2030-01-31", NULL, "NotAfter", "1896048000" },
	{ "an ISO date and time in UTC", &nssc, "-NotAfter|2030-01-31T10:00:00Z", NULL, "NotAfter", "1896084000" },
	{ "an ISO date with an offset", &nssc, "-NotAfter|2030-01-31T12:00:00+02:00", NULL, "NotAfter", "1896084000" },
	{ "the invariant form pwsh passes", &nssc, "-NotAfter|01/31/2030 10:00:00", NULL, "NotAfter", "1896084000" },
	{ "the invariant form without seconds", &nssc, "-NotAfter|1/31/2030 10:00", NULL, "NotAfter", "1896084000" },
	{ "fractional seconds are dropped", &nssc, "-NotAfter|2030-01-31T10:00:00.1234567Z", NULL,
	    "NotAfter", "1896084000" },
	{ "a date that does not exist", &nssc, "-NotAfter|2030-02-30",
	    "Cannot bind parameter 'NotAfter'. Cannot convert value \"2030-02-30\" to type "
	    "\"System.DateTime\". Error: \"String '2030-02-30' was not recognized as a valid DateTime.\"",
	    NULL, NULL },
	{ "day-first dates are not the invariant culture", &nssc, "-NotAfter|31-01-2030",
	    "Cannot bind parameter 'NotAfter'. Cannot convert value \"31-01-2030\" to type "
	    "\"System.DateTime\". Error: \"String '31-01-2030' was not recognized as a valid DateTime.\"",
	    NULL, NULL },
	/* positions and sets */
	{ "no positions: a plain argument is refused", &nssc, "foo", POSITIONAL("foo"), NULL, NULL },
	{ "position 0 binds Cert in the default set", &epfx, "Cert:\\CurrentUser\\My\\AB|out.pfx",
	    NULL, "Cert", "Cert:\\CurrentUser\\My\\AB" },
	{ "position 1 binds FilePath", &epfx, "Cert:\\CurrentUser\\My\\AB|out.pfx", NULL, "FilePath", "out.pfx" },
	{ "a backslash in a path is a separator", &epfx, "x|.\\my-cert-file.pfx", NULL, "FilePath",
	    "./my-cert-file.pfx" },
	{ "positions skip named arguments", &epfx, "-Password|pw|x|y.pfx", NULL, "FilePath", "y.pfx" },
	{ "a named FilePath leaves position 0 free", &epfx, "-FilePath|f.pfx|x", NULL, "Cert", "x" },
	{ "too many positional arguments", &epfx, "a|b|c", POSITIONAL("c"), NULL, NULL },
	{ "PFXData picks the other set", &epfx, "-PFXData|old.pfx|-FilePath|new.pfx", NULL, "PFXData", "old.pfx" },
	{ "Cert and PFXData cannot be used together", &epfx, "-PFXData|a|-Cert|b|-FilePath|f", SETFAIL, NULL, NULL },
	{ "a missing mandatory parameter in the default set", &epfx, "-FilePath|f",
	    "Cannot process command because of one or more missing mandatory parameters: Cert.", NULL, NULL },
	{ "every missing mandatory parameter is listed", &epfx, "-Password|p",
	    "Cannot process command because of one or more missing mandatory parameters: Cert FilePath.",
	    NULL, NULL },
	{ "an empty mandatory path is refused", &epfx, "-Cert|x|-FilePath|",
	    "Cannot bind argument to parameter 'FilePath' because it is an empty string.", NULL, NULL },
	{ "a positional String[] binds one plain argument", &gpfx, "a.pfx", NULL, "FilePath", "a.pfx" },
	{ "a named array takes the trailing arguments when no position is left", &gpfx,
	    "-FilePath|a.pfx|b.pfx", NULL, "FilePath", "a.pfx|b.pfx" },
	{ "certificates from a pipeline arrive as separate arguments", &epfx,
	    "-FilePath|f.pfx|-Cert|Cert:\\LocalMachine\\My\\A1|Cert:\\LocalMachine\\My\\B2", NULL,
	    "Cert", "Cert:\\LocalMachine\\My\\A1|Cert:\\LocalMachine\\My\\B2" },
	{ "LiteralPath selects its set", &gpfx, "-LiteralPath|[a].pfx", NULL, "LiteralPath", "[a].pfx" },
	{ "FilePath and LiteralPath cannot be used together", &gpfx, "-FilePath|a|-LiteralPath|b", SETFAIL, NULL, NULL },
	{ "neither FilePath nor LiteralPath", &gpfx, "-NoPromptForPassword",
	    "Cannot process command because of one or more missing mandatory parameters: FilePath.", NULL, NULL },
	{ "-- makes a dash argument positional", &gpfx, "--|-odd.pfx", NULL, "FilePath", "-odd.pfx" },
	/* secrets */
	{ "a plain password binds", &epfx, "-Cert|x|-FilePath|f|-Password|s3cret", NULL, "Password", "s3cret" },
	{ "the SecureString type name is refused", &epfx, "-Cert|x|-FilePath|f|-Password|System.Security.SecureString",
	    "Cannot bind parameter 'Password'. pwsh passed the text \"System.Security.SecureString\" "
	    "instead of the password: a SecureString cannot reach a native command. Use the PkiShim "
	    "module (it passes the password off the command line), or give the password on a "
	    "descriptor named by PKISHIM_PASSWORD_FD.", NULL, NULL },
	{ "a colon-form password binds", &epfx, "-Cert|x|-FilePath|f|-Password:pw", NULL, "Password", "pw" },
};

static void
render(const struct param *p, const struct bound *v, char *out, size_t len)
{
	size_t i;

	out[0] = '\0';
	if (p == NULL) {        /* a common parameter: an enum or a switch */
		snprintf(out, len, "%s", v->text != NULL ? v->text : v->on ? "on" : "off");
		return;
	}
	switch (p->kind) {
	case PARAM_STRINGS:
	case PARAM_ENUMS:
	case PARAM_CERT:
		for (i = 0; i < v->nitems; i++)
			snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? "|" : "", v->items[i]);
		break;
	case PARAM_INT:
		snprintf(out, len, "%d", v->number);
		break;
	case PARAM_SWITCH:
		snprintf(out, len, "%s", v->on ? "on" : "off");
		break;
	case PARAM_DATETIME:
		snprintf(out, len, "%lld", (long long)v->time);
		break;
	default:
		snprintf(out, len, "%s", v->text != NULL ? v->text : "(null)");
		break;
	}
}

static const struct param *
find_param(const struct command *cmd, const char *name)
{
	size_t i;

	for (i = 0; i < cmd->nparams; i++)
		if (strcmp(cmd->params[i].name, name) == 0)
			return &cmd->params[i];
	return NULL;
}

static int
split_args(const char *args, char ***argv)
{
	char *copy = strdup(args), *p, *next;
	int argc = 1;

	*argv = calloc(strlen(args) + 3, sizeof(char *));
	(*argv)[0] = "test";
	for (p = copy; p != NULL; p = next) {
		next = strchr(p, '|');
		if (next != NULL)
			*next++ = '\0';
		(*argv)[argc++] = p;
	}
	return argc;
}

static void
test_binding_rules(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bind_case *c = &cases[i];
		struct pk_error err;
		struct binding b;
		char **argv, got[1024];
		int argc = split_args(c->args, &argv), rc;

		memset(&err, 0, sizeof(err));
		rc = binder_bind(c->cmd, argc, argv, &b, &err);
		if (c->want_err != NULL) {
			if (rc == 0 || strcmp(err.msg, c->want_err) != 0)
				fprintf(stderr, "\n%s: got rc %d \"%s\"\n  want \"%s\"\n", c->title,
				    rc, err.msg, c->want_err);
			CU_ASSERT_EQUAL(rc, PK_ERR_USAGE);
			CU_ASSERT_STRING_EQUAL(err.msg, c->want_err);
		} else {
			if (rc != 0)
				fprintf(stderr, "\n%s: unexpected error \"%s\"\n", c->title, err.msg);
			CU_ASSERT_EQUAL(rc, 0);
			if (rc != 0) {
				binder_free(&b);
				free(argv[1]);
				free(argv);
				continue;
			}
			render(find_param(c->cmd, c->param), binder_get(&b, c->param), got, sizeof(got));
			if (strcmp(got, c->want) != 0)
				fprintf(stderr, "\n%s: got \"%s\", want \"%s\"\n", c->title, got, c->want);
			CU_ASSERT_STRING_EQUAL(got, c->want);
		}
		binder_free(&b);
		free(argv[1]);
		free(argv);
	}
}

static void
test_at_least_eighty_cases(void)
{
	CU_ASSERT(sizeof(cases) / sizeof(cases[0]) >= 80);
}

static void
test_password_leaves_argv(void)
{
	char a0[] = "test", a1[] = "-Cert", a2[] = "x", a3[] = "-FilePath", a4[] = "f";
	char a5[] = "-Password", a6[] = "hunter2";
	char *argv[] = { a0, a1, a2, a3, a4, a5, a6, NULL };
	struct pk_error err;
	struct binding b;

	CU_ASSERT_EQUAL_FATAL(binder_bind(&epfx, 7, argv, &b, &err), 0);
	CU_ASSERT_STRING_EQUAL(binder_get(&b, "Password")->text, "hunter2");
	CU_ASSERT(memchr(a6, 'h', sizeof(a6)) == NULL);
	binder_free(&b);
}

static void
test_tables_are_sound(void)
{
	struct pk_error err;

	CU_ASSERT_EQUAL(binder_check_table(&nssc, &err), 0);
	CU_ASSERT_EQUAL(binder_check_table(&epfx, &err), 0);
	CU_ASSERT_EQUAL(binder_check_table(&gpfx, &err), 0);
}

static void
test_table_check_finds_a_duplicate_alias(void)
{
	static const struct param dup[] = {
		{ "Alpha", { "a" }, PARAM_STRING, "System.String", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
		{ "Beta", { "A" }, PARAM_STRING, "System.String", NULL, PARAM_NAMED, 0, 0, 0, NULL, NULL },
	};
	static const struct command cmd = { "Test-Dup", NULL, dup, 2, NULL, 0, 0, NULL };
	struct pk_error err;

	CU_ASSERT_EQUAL(binder_check_table(&cmd, &err), PK_ERR_USAGE);
}

static void
test_syntax_shows_positions_and_sets(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	binder_print_syntax(&epfx, fp);
	fclose(fp);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "Export-PfxCertificate [-PFXData] <PfxData> [-FilePath] <string>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "Export-PfxCertificate [-Cert] <Certificate> [-FilePath] <string>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "[-ChainOption {BuildChain | EndEntityCertOnly | PfxDataOnly}]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "[-WhatIf] [-Confirm] [<CommonParameters>]"));
	free(text);
}

static void
test_json_describes_every_parameter(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	binder_print_json(&epfx, fp);
	fclose(fp);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"name\":\"Export-PfxCertificate\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"defaultParameterSet\":\"NormalCert\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "{\"name\":\"Cert\",\"aliases\":[\"PsPath\"],\"kind\":\"cert\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"position\":1,\"sets\":[],\"mandatorySets\":[\"PfxCert\",\"NormalCert\"]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"pipelineByPropertyName\":true"));
	free(text);
}

static CU_TestInfo binder_tests[] = {
	{ "every binding rule and error text", test_binding_rules },
	{ "the rule table has at least eighty cases", test_at_least_eighty_cases },
	{ "a password given in argv is wiped from argv", test_password_leaves_argv },
	{ "the test tables pass the table check", test_tables_are_sound },
	{ "the table check finds a duplicate alias", test_table_check_finds_a_duplicate_alias },
	{ "-? syntax shows positions, sets and enums", test_syntax_shows_positions_and_sets },
	{ "--pkishim-json describes every parameter", test_json_describes_every_parameter },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "binder", NULL, NULL, NULL, NULL, binder_tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	return cunit_run(suites);
}
