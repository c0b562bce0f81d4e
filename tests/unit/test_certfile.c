/*
 * test_certfile.c: every certificate file Windows made loads, whatever its
 * format; what pkishim writes (CERT, P7B, SST) reads back to the same
 * thumbprints, and P7B is byte for byte what Windows wrote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>
#include <openssl/rand.h>

#include "crypto/atomicfile.h"
#include "crypto/certfile.h"
#include "crypto/internal.h"
#include "cunit_run.h"

#define SAMPLES PKISHIM_SAMPLES "/windows/"

static const struct sample {
	const char *file;
	const char *password;
	size_t count;
	const char *thumbprint;     /* of the first certificate, from MANIFEST.md; NULL: not given */
} samples[] = {
	{ "adrian-cancio__seguridad-2024__zpACas.cer", NULL, 1, "38DB32276565A6D845721DC4EB6116E1C52B1802" },
	{ "adrian-cancio__seguridad-2024__zpACas-B64.cer", NULL, 1, "38DB32276565A6D845721DC4EB6116E1C52B1802" },
	{ "adrian-cancio__seguridad-2024__zpACas-PKCS7.p7b", NULL, 1, "38DB32276565A6D845721DC4EB6116E1C52B1802" },
	{ "adrian-cancio__seguridad-2024__zpSERas.cer", NULL, 1, NULL },
	{ "adrian-cancio__seguridad-2024__zpUSUas.cer", NULL, 1, NULL },
	{ "adrian-cancio__seguridad-2024__Mier-P5__zpACas.cer", NULL, 1, NULL },
	{ "adrian-cancio__seguridad-2024__Mier-P5__zpACas-B64.cer", NULL, 1, NULL },
	{ "adrian-cancio__seguridad-2024__Mier-P5__zpACas-PKCS7.p7b", NULL, 1, NULL },
	{ "adrian-cancio__seguridad-2024__Mier-P5__zpSERas.cer", NULL, 1, NULL },
	{ "adrian-cancio__seguridad-2024__Mier-P5__zpUSUas.cer", NULL, 1, NULL },
	{ "adrian-cancio__seguridad-2024__Mier-examen1__zpAC23.cer", NULL, 1, NULL },
	{ "adrian-cancio__seguridad-2024__root__zpACas.cer", NULL, 1, NULL },
	{ "adcorduneanu__grpc-101__poc_lab_ca.cer", NULL, 1, NULL },
	{ "BusHero__signing-playground__dev-root.cer", NULL, 1, NULL },
	{ "PowerShell__PowerShell__CMSTestBadCert.cer", NULL, 1, NULL },
	{ "charlehsin__rabbitmq__DevRootCA.p7b", NULL, 1, "3A91F071F21C8C52A3A0906BA7927B89BF82964C" },
	{ "charlehsin__rabbitmq__DevRootCA.pem", NULL, 1, "3A91F071F21C8C52A3A0906BA7927B89BF82964C" },
	/* OpenSSL's printout with "Bag Attributes" and "subject=" lines around the blocks */
	{ "charlehsin__rabbitmq__localhost.pem", NULL, 2, NULL },
	{ "charlehsin__rabbitmq__localhost.pfx", "P@ssw0rd", 2, NULL },
	{ "ACB-Bible__BibleDB__localhost.pfx", "PassfN2", 1, "8CA9D92B24074D728D8EFAF8988CC27591E9F46F" },
};

static void
test_every_windows_file_loads(void)
{
	size_t i;

	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		struct crypto_certlist list = { NULL, 0 };
		struct pk_error err;
		char path[512];
		int rc;

		snprintf(path, sizeof(path), SAMPLES "%s", samples[i].file);
		rc = crypto_certfile_load(path, samples[i].password, &list, &err);
		if (rc != 0)
			fprintf(stderr, "\n%s: %s\n", samples[i].file, err.msg);
		CU_ASSERT_EQUAL_FATAL(rc, 0);
		CU_ASSERT_EQUAL(list.count, samples[i].count);
		if (samples[i].thumbprint != NULL)
			CU_ASSERT_STRING_EQUAL(crypto_cert_thumbprint(list.certs[0]),
			    samples[i].thumbprint);
		crypto_certlist_clear(&list);
	}
}

/* The rabbitmq PEM holds the leaf and its root: the same two the PFX holds. */
static void
test_pem_printout_and_pfx_agree(void)
{
	struct crypto_certlist pem = { NULL, 0 }, pfx = { NULL, 0 };
	struct pk_error err;
	size_t i, j, matched = 0;

	CU_ASSERT_EQUAL_FATAL(crypto_certfile_load(SAMPLES "charlehsin__rabbitmq__localhost.pem",
	    NULL, &pem, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_certfile_load(SAMPLES "charlehsin__rabbitmq__localhost.pfx",
	    "P@ssw0rd", &pfx, &err), 0);
	for (i = 0; i < pem.count; i++)
		for (j = 0; j < pfx.count; j++)
			matched += strcmp(crypto_cert_thumbprint(pem.certs[i]),
			    crypto_cert_thumbprint(pfx.certs[j])) == 0;
	CU_ASSERT_EQUAL(matched, 2);
	CU_ASSERT_FALSE(crypto_cert_has_key(pem.certs[0]));     /* PEM keys are not attached */
	crypto_certlist_clear(&pem);
	crypto_certlist_clear(&pfx);
}

static int
read_file(const char *path, unsigned char **data, size_t *len)
{
	struct pk_error err;

	return atomicfile_read(path, 1 << 20, data, len, &err);
}

/* Windows' P7B of zpACas is byte-identical to what we write for the same certificate. */
static void
test_p7b_is_byte_identical_to_windows(void)
{
	static const char *const pairs[][2] = {
		{ "adrian-cancio__seguridad-2024__zpACas.cer", "adrian-cancio__seguridad-2024__zpACas-PKCS7.p7b" },
		{ "adrian-cancio__seguridad-2024__Mier-P5__zpACas.cer", "adrian-cancio__seguridad-2024__Mier-P5__zpACas-PKCS7.p7b" },
		{ "charlehsin__rabbitmq__DevRootCA.p7b", "charlehsin__rabbitmq__DevRootCA.p7b" },
	};
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct crypto_certlist list = { NULL, 0 };
		struct pk_error err;
		unsigned char *want = NULL, *got = NULL;
		size_t want_len = 0, got_len = 0;
		char path[512];

		snprintf(path, sizeof(path), SAMPLES "%s", pairs[i][0]);
		CU_ASSERT_EQUAL_FATAL(crypto_certfile_load(path, NULL, &list, &err), 0);
		snprintf(path, sizeof(path), SAMPLES "%s", pairs[i][1]);
		CU_ASSERT_EQUAL_FATAL(read_file(path, &want, &want_len), 0);
		CU_ASSERT_EQUAL_FATAL(crypto_certfile_encode(list.certs, list.count,
		    CRYPTO_CERTFILE_P7B, &got, &got_len, &err), 0);
		CU_ASSERT_TRUE(got_len == want_len && memcmp(got, want, got_len) == 0);
		free(want);
		free(got);
		crypto_certlist_clear(&list);
	}
}

/* [MS-OSHARED] 2.3.9.1 without properties: header, one element per certificate, end marker. */
static void
test_sst_layout(void)
{
	struct crypto_certlist list = { NULL, 0 };
	struct pk_error err;
	unsigned char *sst = NULL, *der = NULL;
	size_t sst_len = 0, der_len = 0;
	static const unsigned char header[8] = { 0, 0, 0, 0, 'C', 'E', 'R', 'T' };
	static const unsigned char zeros[12];
	unsigned char element[12] = { 0x20, 0, 0, 0, 1, 0, 0, 0 };

	CU_ASSERT_EQUAL_FATAL(crypto_certfile_load(SAMPLES "adrian-cancio__seguridad-2024__zpACas.cer",
	    NULL, &list, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_cert_der(list.certs[0], &der, &der_len, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_certfile_encode(list.certs, 1, CRYPTO_CERTFILE_SST, &sst,
	    &sst_len, &err), 0);
	element[8] = (unsigned char)(der_len & 0xff);
	element[9] = (unsigned char)(der_len >> 8);
	CU_ASSERT_EQUAL_FATAL(sst_len, 8 + 12 + der_len + 12);
	CU_ASSERT_EQUAL(memcmp(sst, header, 8), 0);
	CU_ASSERT_EQUAL(memcmp(sst + 8, element, 12), 0);
	CU_ASSERT_EQUAL(memcmp(sst + 20, der, der_len), 0);
	CU_ASSERT_EQUAL(memcmp(sst + 20 + der_len, zeros, 12), 0);
	free(sst);
	free(der);
	crypto_certlist_clear(&list);
}

/* Every format we write reads back to the same certificates in the same order. */
static void
test_written_files_read_back(void)
{
	static const struct { enum crypto_certfile_format format; size_t n; } cases[] = {
		{ CRYPTO_CERTFILE_CERT, 1 },
		{ CRYPTO_CERTFILE_P7B, 1 },
		{ CRYPTO_CERTFILE_P7B, 3 },
		{ CRYPTO_CERTFILE_SST, 1 },
		{ CRYPTO_CERTFILE_SST, 3 },
	};
	struct crypto_certlist in = { NULL, 0 };
	struct pk_error err;
	size_t i, j;

	CU_ASSERT_EQUAL_FATAL(crypto_certfile_load(SAMPLES "adrian-cancio__seguridad-2024__zpACas.cer",
	    NULL, &in, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_certfile_load(SAMPLES "adrian-cancio__seguridad-2024__zpSERas.cer",
	    NULL, &in, &err), 0);
	CU_ASSERT_EQUAL_FATAL(crypto_certfile_load(SAMPLES "charlehsin__rabbitmq__DevRootCA.p7b",
	    NULL, &in, &err), 0);
	in.certs[2]->friendly_name = strdup("Dev Root \xc3\xa9");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct crypto_certlist out = { NULL, 0 };
		unsigned char *data = NULL;
		size_t len = 0;

		CU_ASSERT_EQUAL_FATAL(crypto_certfile_encode(in.certs, cases[i].n, cases[i].format,
		    &data, &len, &err), 0);
		CU_ASSERT_EQUAL_FATAL(crypto_certfile_load_mem(data, len, NULL, &out, &err), 0);
		CU_ASSERT_EQUAL_FATAL(out.count, cases[i].n);
		for (j = 0; j < cases[i].n; j++)
			CU_ASSERT_STRING_EQUAL(crypto_cert_thumbprint(out.certs[j]),
			    crypto_cert_thumbprint(in.certs[j]));
		/* SST carries the friendly name property (id 11). */
		if (cases[i].format == CRYPTO_CERTFILE_SST && cases[i].n == 3)
			CU_ASSERT_STRING_EQUAL(crypto_cert_friendly_name(out.certs[2]),
			    "Dev Root \xc3\xa9");
		free(data);
		crypto_certlist_clear(&out);
	}
	crypto_certlist_clear(&in);
}

static void
test_cert_takes_one_certificate(void)
{
	struct crypto_certlist in = { NULL, 0 };
	struct pk_error err;
	unsigned char *data = NULL;
	size_t len = 0;

	CU_ASSERT_EQUAL_FATAL(crypto_certfile_load(SAMPLES "charlehsin__rabbitmq__localhost.pem",
	    NULL, &in, &err), 0);
	CU_ASSERT_EQUAL(crypto_certfile_encode(in.certs, 2, CRYPTO_CERTFILE_CERT, &data, &len,
	    &err), PK_ERR_USAGE);
	CU_ASSERT_PTR_NULL(data);
	CU_ASSERT_EQUAL(crypto_certfile_encode(in.certs, 0, CRYPTO_CERTFILE_SST, &data, &len,
	    &err), PK_ERR_USAGE);
	crypto_certlist_clear(&in);
}

static void
test_format_names(void)
{
	CU_ASSERT_EQUAL(crypto_certfile_format_parse("CERT"), CRYPTO_CERTFILE_CERT);
	CU_ASSERT_EQUAL(crypto_certfile_format_parse("p7b"), CRYPTO_CERTFILE_P7B);
	CU_ASSERT_EQUAL(crypto_certfile_format_parse("Sst"), CRYPTO_CERTFILE_SST);
	CU_ASSERT_EQUAL(crypto_certfile_format_parse("PFX"), -1);
	CU_ASSERT_EQUAL(crypto_certfile_format_parse(NULL), -1);
}

/* Text around PEM blocks is skipped as OpenSSL and .NET skip it; a damaged block is an error. */
static void
test_pem_junk_rules(void)
{
	unsigned char *pem = NULL;
	size_t len = 0;
	char *text, *mid;
	struct crypto_certlist list = { NULL, 0 };
	struct pk_error err;

	CU_ASSERT_EQUAL_FATAL(read_file(SAMPLES "adrian-cancio__seguridad-2024__zpACas-B64.cer",
	    &pem, &len), 0);
	CU_ASSERT_TRUE_FATAL(asprintf(&text, "junk before\r\n%s\ntrailing junk\n", pem) > 0);
	CU_ASSERT_EQUAL(crypto_certfile_load_mem(text, strlen(text), NULL, &list, &err), 0);
	CU_ASSERT_EQUAL(list.count, 1);
	crypto_certlist_clear(&list);
	/* junk inside the base64 */
	mid = strstr(text, "-----BEGIN CERTIFICATE-----\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mid);
	mid += strlen("-----BEGIN CERTIFICATE-----\n") + 10;
	memcpy(mid, "!!junk!!", 8);
	CU_ASSERT_EQUAL(crypto_certfile_load_mem(text, strlen(text), NULL, &list, &err),
	    PK_ERR_FORMAT);
	CU_ASSERT_EQUAL(list.count, 0);
	free(text);
	free(pem);
}

static void
test_bad_files_are_format_errors(void)
{
	unsigned char *der = NULL, buf[2048];
	size_t len = 0, cut;
	struct crypto_certlist list = { NULL, 0 };
	struct pk_error err;
	int i;

	CU_ASSERT_EQUAL(crypto_certfile_load_mem("", 0, NULL, &list, &err), PK_ERR_FORMAT);
	CU_ASSERT_EQUAL(crypto_certfile_load_mem("hello\n", 6, NULL, &list, &err), PK_ERR_FORMAT);
	CU_ASSERT_EQUAL(crypto_certfile_load(SAMPLES "charlehsin__rabbitmq__private.pem", NULL,
	    &list, &err), PK_ERR_FORMAT);
	CU_ASSERT_EQUAL(crypto_certfile_load(SAMPLES "no-such-file.cer", NULL, &list, &err),
	    PK_ERR_FILE_NOT_FOUND);
	CU_ASSERT_EQUAL_FATAL(read_file(SAMPLES "adrian-cancio__seguridad-2024__zpACas.cer", &der,
	    &len), 0);
	for (cut = 1; cut < len; cut += 23)
		CU_ASSERT_EQUAL(crypto_certfile_load_mem(der, cut, NULL, &list, &err), PK_ERR_FORMAT);
	free(der);
	for (i = 0; i < 40; i++) {
		RAND_bytes(buf, sizeof(buf));
		if (i % 2)
			memcpy(buf, "\0\0\0\0CERT", 8);     /* an SST header over garbage */
		CU_ASSERT_NOT_EQUAL(crypto_certfile_load_mem(buf, 100 + (size_t)i * 40, NULL, &list,
		    &err), 0);
	}
	CU_ASSERT_EQUAL(list.count, 0);
}

static CU_TestInfo tests[] = {
	{ "every certificate, PKCS #7 and PFX file Windows made loads", test_every_windows_file_loads },
	{ "OpenSSL's PEM printout and the PFX hold the same certificates", test_pem_printout_and_pfx_agree },
	{ "P7B is byte-identical to Windows' PKCS #7 export", test_p7b_is_byte_identical_to_windows },
	{ "SST follows [MS-OSHARED] 2.3.9.1", test_sst_layout },
	{ "CERT, P7B and SST read back to the same thumbprints", test_written_files_read_back },
	{ "CERT takes exactly one certificate", test_cert_takes_one_certificate },
	{ "-Type names are case-insensitive", test_format_names },
	{ "text around PEM blocks is skipped, junk inside is refused", test_pem_junk_rules },
	{ "empty, truncated, random and key-only files are errors", test_bad_files_are_format_errors },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "certfile", NULL, NULL, NULL, NULL, tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
