/* test_svcfile.c: xml/svcfile: reading service files, byte-exact thumbprint edits, checks, commits. */
#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cunit_run.h"
#include "xml/svcfile.h"
#include "crypto/atomicfile.h"
#include "xml/svcfile_internal.h"

#define SAMPLES PKISHIM_SAMPLES "/cscfg"
#define NEW_A "0123456789ABCDEF0123456789ABCDEF01234567"
#define NEW_B "FEDCBA9876543210FEDCBA9876543210FEDCBA98"

struct buf {
	unsigned char *p;
	size_t n;
};

static struct buf
read_all(const char *path)
{
	struct buf b = { NULL, 0 };
	FILE *fp = fopen(path, "rb");
	long size;

	if (fp == NULL)
		return b;
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	b.p = malloc((size_t)size + 1);
	b.n = fread(b.p, 1, (size_t)size, fp);
	b.p[b.n] = '\0';
	fclose(fp);
	return b;
}

static void
write_all(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	CU_ASSERT_FATAL(fp != NULL);
	CU_ASSERT(fwrite(p, 1, n, fp) == n);
	fclose(fp);
}

/* Converts with iconv; the result is NUL-terminated (twice, for UTF-16). */
static struct buf
transcode(const void *in, size_t n, const char *from, const char *to)
{
	struct buf out = { NULL, 0 };
	iconv_t cd = iconv_open(to, from);
	char *src = (char *)in, *dst;
	size_t left = n, room = 4 * n + 16;

	CU_ASSERT_FATAL(cd != (iconv_t)-1);
	out.p = calloc(1, room + 2);
	dst = (char *)out.p;
	CU_ASSERT(iconv(cd, &src, &left, &dst, &room) != (size_t)-1);
	out.n = (size_t)(dst - (char *)out.p);
	iconv_close(cd);
	return out;
}

/*
 * The test's own way to find a thumbprint: a regular expression over UTF-8
 * text, independent of the library's scanner. Returns the byte range of the
 * k-th (0-based) thumbprint value of a <Certificate name="name" ...>.
 */
static int
find_value(const char *text, const char *name, int k, size_t *off, size_t *len)
{
	char pattern[512];
	regex_t re;
	regmatch_t m[3];
	const char *at = text;
	int found = 0;

	snprintf(pattern, sizeof(pattern), "<Certificate[[:space:]][^>]*name[[:space:]]*=[[:space:]]*"
	    "[\"']%s[\"'][^>]*thumbprint[[:space:]]*=[[:space:]]*([\"'])([^\"']*)[\"']",
	    name);
	if (regcomp(&re, pattern, REG_EXTENDED | REG_ICASE) != 0)
		return 0;
	while (regexec(&re, at, 3, m, 0) == 0) {
		if (k-- == 0) {
			*off = (size_t)(at - text) + (size_t)m[2].rm_so;
			*len = (size_t)(m[2].rm_eo - m[2].rm_so);
			found = 1;
			break;
		}
		at += m[0].rm_eo;
	}
	regfree(&re);
	return found;
}

/*
 * The bytes with the k-th value of name replaced, computed on the UTF-8 form:
 * the BOM (bom bytes) is kept, the body decoded from and re-encoded to encoding.
 */
static struct buf
expected_edit(const struct buf *orig, size_t bom, const char *encoding, const char *name,
    int k, const char *value)
{
	struct buf utf8 = transcode(orig->p + bom, orig->n - bom, encoding, "UTF-8");
	struct buf edited, body, out;
	size_t off = 0, len = 0, vlen = strlen(value);

	CU_ASSERT_FATAL(find_value((const char *)utf8.p, name, k, &off, &len));
	edited.n = utf8.n - len + vlen;
	edited.p = malloc(edited.n + 1);
	memcpy(edited.p, utf8.p, off);
	memcpy(edited.p + off, value, vlen);
	memcpy(edited.p + off + vlen, utf8.p + off + len, utf8.n - off - len);
	body = transcode(edited.p, edited.n, "UTF-8", encoding);
	out.n = bom + body.n;
	out.p = malloc(out.n + 1);
	memcpy(out.p, orig->p, bom);
	memcpy(out.p + bom, body.p, body.n);
	free(utf8.p);
	free(edited.p);
	free(body.p);
	return out;
}

static int
same_bytes(struct svcfile *f, const struct buf *want)
{
	size_t len;
	const unsigned char *p = svcfile_bytes(f, &len);

	return len == want->n && memcmp(p, want->p, len) == 0;
}

/* How many earlier rows carry the same certificate name (the regex's k). */
static int
occurrence(struct svcfile *f, size_t i)
{
	int k = 0;
	size_t j;

	for (j = 0; j < i; j++)
		if (svcfile_cert(f, j)->thumbprint != NULL &&
		    strcmp(svcfile_cert(f, j)->name, svcfile_cert(f, i)->name) == 0)
			k++;
	return k;
}

/*
 * Every certificate of data: set to a new value (exact bytes checked against
 * the regex-computed expectation), then back (exact original bytes).
 * encoding is iconv's name for the bytes after the bom bytes.
 */
static int
roundtrip_every_certificate(const struct buf *data, const char *label, size_t bom,
    const char *encoding)
{
	struct pk_error err;
	struct svcfile *f = NULL;
	size_t i, changed, edits = 0;

	CU_ASSERT_FATAL(svcfile_from_mem(data->p, data->n, label, &f, &err) == 0);
	for (i = 0; i < svcfile_count(f); i++) {
		const struct svcfile_cert *c = svcfile_cert(f, i);
		char role[256], name[256], old[256];
		const char *value = NEW_A;
		struct buf want;

		if (c->thumbprint == NULL)
			continue;
		snprintf(role, sizeof(role), "%s", c->role);
		snprintf(name, sizeof(name), "%s", c->name);
		snprintf(old, sizeof(old), "%s", c->thumbprint);
		if (strcmp(old, NEW_A) == 0)
			value = NEW_B;
		want = expected_edit(data, bom, encoding, name, occurrence(f, i), value);
		CU_ASSERT(svcfile_set_thumbprint(f, role, name, value, &changed, &err) == 0);
		CU_ASSERT(changed == 1);
		if (!same_bytes(f, &want))
			fprintf(stderr, "\n  %s: %s/%s: bytes differ from the expected edit\n",
			    label, role, name);
		CU_ASSERT(same_bytes(f, &want));
		CU_ASSERT_STRING_EQUAL(svcfile_cert(f, i)->thumbprint, value);
		free(want.p);
		/* Setting it back gives the original bytes (values with no '&' only). */
		if (strchr(old, '&') == NULL && strchr(old, '<') == NULL) {
			CU_ASSERT(svcfile_set_thumbprint(f, role, name, old, NULL, &err) == 0);
			CU_ASSERT(same_bytes(f, data));
			CU_ASSERT(!svcfile_dirty(f));
		}
		edits++;
	}
	svcfile_free(f);
	return (int)edits;
}

static int
is_sample(const struct dirent *d)
{
	const char *dot = strrchr(d->d_name, '.');

	return dot != NULL && strcmp(dot, ".cscfg") == 0;
}

/* iconv's name for the body and the length of the BOM. */
static const char *
iconv_name(struct svcfile *f, size_t *bom)
{
	const char *e = svcfile_encoding(f);

	*bom = strcmp(e, "UTF-8") == 0 ? 0 : strcmp(e, "UTF-8 with BOM") == 0 ? 3 : 2;
	return strncmp(e, "UTF-8", 5) == 0 ? "UTF-8" : e;
}

static void
test_every_sample_certificate_edits_exactly_its_value_and_back(void)
{
	struct dirent **names = NULL;
	int n = scandir(SAMPLES, &names, is_sample, alphasort), i, files = 0, edits = 0;

	CU_ASSERT_FATAL(n > 0);
	for (i = 0; i < n; i++) {
		char path[1024];
		struct pk_error err;
		struct svcfile *f = NULL;
		struct buf data;

		snprintf(path, sizeof(path), "%s/%s", SAMPLES, names[i]->d_name);
		data = read_all(path);
		if (svcfile_from_mem(data.p, data.n, path, &f, &err) == 0) {
			size_t bom;
			const char *enc = iconv_name(f, &bom);
			int did;

			did = roundtrip_every_certificate(&data, path, bom, enc);
			svcfile_free(f);
			edits += did;
			files += did > 0;
		} else {
			CU_ASSERT(strstr(path, "Dynatrace") != NULL);
		}
		free(data.p);
		free(names[i]);
	}
	free(names);
	/* Nine samples have certificates with a thumbprint attribute; 15 values in all. */
	CU_ASSERT_EQUAL(files, 9);
	CU_ASSERT_EQUAL(edits, 15);
}

/* A sample transcoded to each encoding the issue names keeps that encoding through an edit. */
static void
test_encoding_variants_keep_their_encoding(void)
{
	static const struct {
		const char *to;         /* iconv target for the body */
		const char *bom;        /* bytes put in front */
		size_t bomlen;
		const char *want;
	} cases[] = {
		{ "UTF-8", "", 0, "UTF-8" },
		{ "UTF-8", "\xEF\xBB\xBF", 3, "UTF-8 with BOM" },
		{ "UTF-16LE", "\xFF\xFE", 2, "UTF-16LE" },
		{ "UTF-16BE", "\xFE\xFF", 2, "UTF-16BE" },
	};
	struct buf orig = read_all(SAMPLES "/NuGet__NuGet.Services.Work__ServiceConfiguration.Cloud.cscfg");
	size_t i;

	CU_ASSERT_FATAL(orig.n > 3);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf body = transcode(orig.p + 3, orig.n - 3, "UTF-8", cases[i].to);
		struct buf data;
		struct svcfile *f = NULL;
		struct pk_error err;

		data.n = cases[i].bomlen + body.n;
		data.p = malloc(data.n + 2);
		memcpy(data.p, cases[i].bom, cases[i].bomlen);
		memcpy(data.p + cases[i].bomlen, body.p, body.n);
		CU_ASSERT_FATAL(svcfile_from_mem(data.p, data.n, cases[i].to, &f, &err) == 0);
		CU_ASSERT_STRING_EQUAL(svcfile_encoding(f), cases[i].want);
		svcfile_free(f);
		CU_ASSERT(roundtrip_every_certificate(&data, cases[i].want, cases[i].bomlen,
		    cases[i].to) == 3);
		free(body.p);
		free(data.p);
	}
	free(orig.p);
}

static const char crafted[] =
    "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n"
    "<!-- <Certificate name=\"SSL\" thumbprint=\"COMMENTED\" /> -->\r\n"
    "<ServiceConfiguration serviceName='s'  xmlns='http://schemas.microsoft.com/"
    "ServiceHosting/2008/10/ServiceConfiguration'>\r\n"
    "  <Role name=\"Web\">\r\n"
    "    <ConfigurationSettings><Setting name=\"x\" value=\"a &gt; b &amp; thumbprint='no'\" /></ConfigurationSettings>\r\n"
    "    <Certificates>\r\n"
    "      <![CDATA[ <Certificate name=\"SSL\" thumbprint=\"CDATA\"/> ]]>\r\n"
    "      <Certificate\r\n"
    "          thumbprintAlgorithm = 'sha1'\r\n"
    "          thumbprint = 'ab cd'\r\n"
    "          name = 'SSL'/>\r\n"
    "      <Certificate name=\"Mark\" thumbprint=\"&#x200E;\" thumbprintAlgorithm=\"sha1\"></Certificate>\r\n"
    "      <Certificate name=\"Amp\" thumbprint=\"a&amp;b\" thumbprintAlgorithm=\"sha1\" />\r\n"
    "    </Certificates>\r\n"
    "  </Role>\r\n"
    "  <Role name=\"Worker\"><Certificates><Certificate name=\"ssl\" thumbprint=\"\" thumbprintAlgorithm=\"sha1\"/></Certificates></Role>\r\n"
    "</ServiceConfiguration>";

/* Edits in the crafted file, each checked against a hand-made expectation. */
static void
test_crafted_quotes_spacing_entities_and_comments_survive(void)
{
	static const struct {
		const char *role, *name, *before, *after;
	} cases[] = {
		{ "Web", "SSL", "thumbprint = 'ab cd'", "thumbprint = '" NEW_A "'" },
		{ "Web", "Mark", "thumbprint=\"&#x200E;\"", "thumbprint=\"" NEW_A "\"" },
		{ "Web", "Amp", "thumbprint=\"a&amp;b\"", "thumbprint=\"" NEW_A "\"" },
		{ "Worker", "SSL", "thumbprint=\"\"", "thumbprint=\"" NEW_A "\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct svcfile *f = NULL;
		struct pk_error err;
		const unsigned char *p;
		size_t len, changed;
		char *want, *at;

		CU_ASSERT_FATAL(svcfile_from_mem(crafted, sizeof(crafted) - 1, "crafted",
		    &f, &err) == 0);
		CU_ASSERT(svcfile_set_thumbprint(f, cases[i].role, cases[i].name, NEW_A,
		    &changed, &err) == 0);
		CU_ASSERT(changed == 1);
		want = malloc(sizeof(crafted) + 64);
		at = strstr(crafted, cases[i].before);
		if (strcmp(cases[i].role, "Worker") == 0)
			at = strstr(strstr(crafted, "Worker"), cases[i].before);
		CU_ASSERT_FATAL(at != NULL);
		snprintf(want, sizeof(crafted) + 64, "%.*s%s%s", (int)(at - crafted), crafted,
		    cases[i].after, at + strlen(cases[i].before));
		p = svcfile_bytes(f, &len);
		CU_ASSERT(len == strlen(want) && memcmp(p, want, len) == 0);
		free(want);
		svcfile_free(f);
	}
}

static void
test_names_match_without_regard_to_case_in_every_role(void)
{
	struct svcfile *f = NULL;
	struct pk_error err;
	size_t changed;

	CU_ASSERT_FATAL(svcfile_from_mem(crafted, sizeof(crafted) - 1, "crafted", &f,
	    &err) == 0);
	/* No role: "SSL" in Web and "ssl" in Worker. */
	CU_ASSERT(svcfile_set_thumbprint(f, NULL, "Ssl", NEW_B, &changed, &err) == 0);
	CU_ASSERT(changed == 2);
	CU_ASSERT(svcfile_set_thumbprint(f, "WEB", "ssl", NEW_B, &changed, &err) == 0);
	CU_ASSERT(changed == 0);
	CU_ASSERT(svcfile_name_eq("nuget.org", "NuGet.Org"));
	CU_ASSERT(!svcfile_name_eq("SSL", "SSL1"));
	svcfile_free(f);
}

static void
test_unknown_role_or_name_and_unsettable_certificates_change_nothing(void)
{
	static const struct {
		const char *sample, *role, *name;
		int want;
		const char *says;
	} cases[] = {
		{ "MRCollective__AzureWebFarm__ServiceConfiguration.Cloud.cscfg", "Nope", "HTTPS",
		  PK_ERR_NOT_FOUND, "no role named 'Nope'" },
		{ "MRCollective__AzureWebFarm__ServiceConfiguration.Cloud.cscfg", NULL, "HTTP",
		  PK_ERR_NOT_FOUND, "no certificate named 'HTTP' in any role" },
		{ "MRCollective__AzureWebFarm__ServiceConfiguration.Cloud.cscfg",
		  "AzureWebFarm.Example.Web", "SSL", PK_ERR_NOT_FOUND, "in role" },
		{ "Azure__azure-powershell__dSMSTest.cscfg", NULL, "dSMSCert", PK_ERR_FORMAT,
		  "has no thumbprint attribute" },
		{ "MRCollective__AzureWebFarm__ServiceDefinition.csdef", NULL, "HTTPS",
		  PK_ERR_FORMAT, "is a service definition" },
		{ "markrendle__gotocms__ServiceConfiguration.Cloud.cscfg", NULL, "SSL",
		  PK_ERR_NOT_FOUND, "no certificate named" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[1024];
		struct svcfile *f = NULL;
		struct pk_error err;

		snprintf(path, sizeof(path), "%s/%s", SAMPLES, cases[i].sample);
		CU_ASSERT_FATAL(svcfile_load(path, &f, &err) == 0);
		CU_ASSERT_EQUAL(svcfile_set_thumbprint(f, cases[i].role, cases[i].name,
		    NEW_A, NULL, &err), cases[i].want);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, cases[i].says));
		CU_ASSERT(!svcfile_dirty(f));
		svcfile_free(f);
	}
}

static void
test_malformed_sample_names_its_line(void)
{
	struct svcfile *f = NULL;
	struct pk_error err;

	CU_ASSERT_EQUAL(svcfile_load(SAMPLES "/dtPaTh__Dynatrace-Azure-CloudServices__"
	    "ServiceConfiguration.Cloud.cscfg", &f, &err), PK_ERR_FORMAT);
	CU_ASSERT_PTR_NULL(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not well-formed XML: line 6:"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "Unescaped '<'"));
}

/* Hostile and foreign documents, each refused with the reason. */
static void
test_hostile_and_foreign_documents_are_refused(void)
{
	static const struct {
		const char *label, *xml;
		int want;
		const char *says;
	} cases[] = {
		{ "external entity (file)", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x "
		  "SYSTEM \"file:///etc/passwd\">]><ServiceConfiguration xmlns=\""
		  SVCFILE_NS_CONFIGURATION "\"><Role name=\"&x;\"/></ServiceConfiguration>",
		  PK_ERR_FORMAT, "DOCTYPE" },
		{ "external entity (http)", "<!DOCTYPE r SYSTEM \"http://127.0.0.1:9/x.dtd\">"
		  "<ServiceConfiguration xmlns=\"" SVCFILE_NS_CONFIGURATION "\"/>",
		  PK_ERR_FORMAT, "DOCTYPE" },
		{ "billion laughs", "<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
		  "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
		  "]><ServiceConfiguration xmlns=\"" SVCFILE_NS_CONFIGURATION "\">&c;</ServiceConfiguration>",
		  PK_ERR_FORMAT, "DOCTYPE" },
		{ "undeclared entity", "<ServiceConfiguration xmlns=\"" SVCFILE_NS_CONFIGURATION
		  "\"><Role name=\"&x;\"/></ServiceConfiguration>", PK_ERR_FORMAT, "line 1" },
		{ "no namespace", "<ServiceConfiguration><Role name=\"a\"/></ServiceConfiguration>",
		  PK_ERR_FORMAT, "is not a service configuration" },
		{ "other XML", "<project/>", PK_ERR_FORMAT, "root element is 'project'" },
		{ "empty", "", PK_ERR_FORMAT, "is empty" },
		{ "text", "hello", PK_ERR_FORMAT, "not well-formed" },
		{ "UTF-32", "\xFF\xFE\x00\x00<\x00\x00\x00", PK_ERR_FORMAT, "UTF-32" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct svcfile *f = NULL;
		struct pk_error err;
		size_t len = strlen(cases[i].xml);

		if (strcmp(cases[i].label, "UTF-32") == 0)
			len = 8;
		memset(&err, 0, sizeof(err));
		CU_ASSERT_EQUAL(svcfile_from_mem(cases[i].xml, len, cases[i].label, &f, &err),
		    cases[i].want);
		if (strstr(err.msg, cases[i].says) == NULL)
			fprintf(stderr, "\n  %s: got \"%s\"\n", cases[i].label, err.msg);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, cases[i].says));
		CU_ASSERT_PTR_NULL(f);
	}
}

static void
test_deep_nesting_and_huge_input_hit_limits(void)
{
	size_t depth = 100000, i, n = 0;
	char *xml = malloc(depth * 7 + 200), *big;
	struct svcfile *f = NULL;
	struct pk_error err;

	n += (size_t)sprintf(xml, "<ServiceConfiguration xmlns=\"%s\">",
	    SVCFILE_NS_CONFIGURATION);
	for (i = 0; i < depth; i++)
		n += (size_t)sprintf(xml + n, "<a>");
	CU_ASSERT_EQUAL(svcfile_from_mem(xml, n, "deep", &f, &err), PK_ERR_LIMIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "deeper than 64"));
	free(xml);
	big = calloc(1, SVCFILE_MAX_SIZE + 1);
	CU_ASSERT_EQUAL(svcfile_from_mem(big, SVCFILE_MAX_SIZE + 1, "big", &f, &err),
	    PK_ERR_LIMIT);
	free(big);
}

/* A file of just under the cap parses in any encoding: libxml2 gets it whole. */
static void
test_files_at_the_size_cap_parse_in_every_encoding(void)
{
	static const struct {
		const char *label, *declared, *iconv_name;
		int unit;                    /* bytes per character here */
		const char *filler;          /* the character of one long comment, in UTF-8 */
	} cases[] = {
		{ "UTF-8, ASCII", "utf-8", "UTF-8", 1, "a" },
		{ "ISO-8859-1, doubling in UTF-8", "iso-8859-1", "ISO-8859-1", 1, "\xC3\xA9" },
		{ "UTF-16LE, CJK", "utf-16", "UTF-16LE", 2, "\xE4\xB8\xAD" },
		{ "UTF-16BE, CJK", "utf-16", "UTF-16BE", 2, "\xE4\xB8\xAD" },
	};
	const char *tail = "-->\n</ServiceConfiguration>\n";
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *bom = cases[i].unit == 2 ? "\xEF\xBB\xBF" : "";   /* U+FEFF */
		size_t flen = strlen(cases[i].filler), n, chars, fill;
		char *text = malloc(3 * SVCFILE_MAX_SIZE);
		struct svcfile *f = NULL;
		struct pk_error err;
		struct buf bytes;

		/* UTF-16 starts with a BOM, which iconv writes in the target byte order. */
		n = (size_t)sprintf(text, "%s<?xml version=\"1.0\" encoding=\"%s\"?>\n"
		    "<ServiceConfiguration xmlns=\"%s\"><Role name=\"r\"><Certificates>"
		    "<Certificate name=\"c\" thumbprint=\"3BFC4E04C034E21B852A8D18B4FF47955338FEE9"
		    "\"/></Certificates></Role><!--", bom, cases[i].declared,
		    SVCFILE_NS_CONFIGURATION);
		chars = n - strlen(bom) + (*bom != '\0');
		fill = SVCFILE_MAX_SIZE / (size_t)cases[i].unit - chars - strlen(tail) - 1;
		for (k = 0; k < fill; k++, n += flen)
			memcpy(text + n, cases[i].filler, flen);
		n += (size_t)sprintf(text + n, "%s", tail);
		bytes = transcode(text, n, "UTF-8", cases[i].iconv_name);
		CU_ASSERT(bytes.n <= SVCFILE_MAX_SIZE && bytes.n > SVCFILE_MAX_SIZE - 8);
		CU_ASSERT_EQUAL(svcfile_from_mem(bytes.p, bytes.n, cases[i].label, &f, &err), 0);
		if (f == NULL)
			fprintf(stderr, "\n  %s: %s\n", cases[i].label, err.msg);
		else
			CU_ASSERT_STRING_EQUAL(svcfile_cert(f, 0)->thumbprint,
			    "3BFC4E04C034E21B852A8D18B4FF47955338FEE9");
		svcfile_free(f);
		free(bytes.p);
		free(text);
	}
}

static void
test_thumbprint_input_is_normalised_or_refused(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "3bfc4e04c034e21b852a8d18b4ff47955338fee9", "3BFC4E04C034E21B852A8D18B4FF47955338FEE9" },
		{ " 3b fc 4e 04 c0 34 e2 1b 85 2a 8d 18 b4 ff 47 95 53 38 fe e9 ",
		  "3BFC4E04C034E21B852A8D18B4FF47955338FEE9" },
		{ "\xE2\x80\x8E" "3BFC4E04C034E21B852A8D18B4FF47955338FEE9",
		  "3BFC4E04C034E21B852A8D18B4FF47955338FEE9" },
		{ "3BFC4E04C034E21B852A8D18B4FF47955338FEE", NULL },
		{ "3BFC4E04C034E21B852A8D18B4FF47955338FEE90", NULL },
		{ "3B:FC:4E:04:C0:34:E2:1B:85:2A:8D:18:B4:FF:47:95:53:38:FE:E9", NULL },
		{ "", NULL },
		{ "YOUR CERTIFICATE THUMBPRINT", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[41];
		struct pk_error err;
		int rc = svcfile_thumbprint_normalize(cases[i].in, out, &err);

		if (cases[i].want != NULL) {
			CU_ASSERT(rc == 0);
			CU_ASSERT_STRING_EQUAL(out, cases[i].want);
		} else {
			CU_ASSERT(rc == PK_ERR_USAGE);
			CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "is not valid"));
		}
	}
}

static void
test_thumbprint_problems_name_what_is_wrong(void)
{
	static const struct {
		const char *in, *says;
	} cases[] = {
		{ "3BFC4E04C034E21B852A8D18B4FF47955338FEE9", NULL },
		{ NULL, "no thumbprint" },
		{ "", "empty" },
		{ "\xE2\x80\x8E", "invisible" },
		{ "{{PLACEHOLDER}}", "not hexadecimal" },
		{ "170141183460469231731687303715884105727", "shorter" },
		{ "f54701bd5d320c2316031b8a914139652176fe5c", "lower case" },
		{ "3BFC 4E04C034E21B852A8D18B4FF47955338FEE9", "white space" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = svcfile_thumbprint_problem(cases[i].in);

		if (cases[i].says == NULL) {
			CU_ASSERT_PTR_NULL(got);
		} else {
			CU_ASSERT(got != NULL && strstr(got, cases[i].says) != NULL);
		}
	}
}

static const char check_def[] =
    "<ServiceDefinition name=\"s\" xmlns=\"" SVCFILE_NS_DEFINITION "\">\n"
    "  <WebRole name=\"Web\">\n"
    "    <Endpoints>\n"
    "      <InputEndpoint name=\"HttpsIn\" protocol=\"https\" port=\"443\" certificate=\"SSL\" />\n"
    "      <InputEndpoint name=\"Api\" protocol=\"https\" port=\"8443\" certificate=\"ApiOnly\" />\n"
    "    </Endpoints>\n"
    "    <Certificates>\n"
    "      <Certificate name=\"SSL\" storeLocation=\"LocalMachine\" storeName=\"My\" />\n"
    "      <Certificate name=\"Missing\" storeLocation=\"LocalMachine\" storeName=\"CA\" />\n"
    "      <Certificate name=\"Empty\" storeLocation=\"LocalMachine\" storeName=\"My\" />\n"
    "      <Certificate name=\"Bad\" storeLocation=\"LocalMachine\" storeName=\"My\" />\n"
    "      <Certificate name=\"Absent\" storeLocation=\"LocalMachine\" storeName=\"Root\" />\n"
    "    </Certificates>\n"
    "  </WebRole>\n"
    "  <WorkerRole name=\"NotConfigured\" />\n"
    "</ServiceDefinition>\n";

static const char check_cfg[] =
    "<ServiceConfiguration serviceName=\"s\" xmlns=\"" SVCFILE_NS_CONFIGURATION "\">\n"
    "  <Role name=\"web\">\n"
    "    <Certificates>\n"
    "      <Certificate name=\"ssl\" thumbprint=\"3BFC4E04C034E21B852A8D18B4FF47955338FEE9\" thumbprintAlgorithm=\"sha1\" />\n"
    "      <Certificate name=\"Empty\" thumbprint=\"\" thumbprintAlgorithm=\"sha1\" />\n"
    "      <Certificate name=\"Bad\" thumbprint=\"123\" thumbprintAlgorithm=\"sha256\" />\n"
    "      <Certificate name=\"Absent\" thumbprint=\"FEDCBA9876543210FEDCBA9876543210FEDCBA98\" thumbprintAlgorithm=\"sha1\" />\n"
    "      <Certificate name=\"Extra\" thumbprint=\"0123456789ABCDEF0123456789ABCDEF01234567\" thumbprintAlgorithm=\"sha1\" />\n"
    "      <Certificate name=\"Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption\" thumbprint=\"0123456789ABCDEF0123456789ABCDEF01234567\" thumbprintAlgorithm=\"sha1\" />\n"
    "    </Certificates>\n"
    "  </Role>\n"
    "  <Role name=\"Orphan\" />\n"
    "</ServiceConfiguration>\n";

/* The fake store holds two of the thumbprints; it records the store names it was asked. */
static int
fake_lookup(void *ctx, const char *store_name, const char *thumbprint, struct pk_error *err)
{
	char *asked = ctx;

	(void)err;
	strcat(asked, store_name != NULL ? store_name : "-");
	strcat(asked, ",");
	return strcmp(thumbprint, "3BFC4E04C034E21B852A8D18B4FF47955338FEE9") == 0 ||
	    strcmp(thumbprint, "0123456789ABCDEF0123456789ABCDEF01234567") == 0;
}

static void
test_check_reports_each_problem_of_a_crafted_pair(void)
{
	static const struct {
		const char *file;       /* "cfg" or "def" */
		unsigned line;
		const char *says;
	} want[] = {
		{ "def", 15, "Role 'NotConfigured' has no Role element" },
		{ "def", 9, "certificate 'Missing' is declared in the definition but has no Certificate" },
		{ "def", 5, "endpoint 'Api' uses certificate 'ApiOnly', which has no Certificate" },
		{ "cfg", 12, "Role 'Orphan' is not in the definition" },
		{ "cfg", 5, "certificate 'Empty' has an empty thumbprint" },
		{ "cfg", 6, "certificate 'Bad' has a thumbprint shorter than 40" },
		{ "cfg", 6, "thumbprintAlgorithm 'sha256'" },
		{ "cfg", 7, "FEDCBA9876543210FEDCBA9876543210FEDCBA98 is not in the certificate store 'Root'" },
		{ "cfg", 8, "certificate 'Extra' is not declared in the definition" },
	};
	struct svcfile *cfg = NULL, *def = NULL;
	struct svcfile_problems problems = { NULL, 0 };
	struct pk_error err;
	char asked[256] = "";
	size_t i;

	CU_ASSERT_FATAL(svcfile_from_mem(check_cfg, strlen(check_cfg), "cfg", &cfg, &err) == 0);
	CU_ASSERT_FATAL(svcfile_from_mem(check_def, strlen(check_def), "def", &def, &err) == 0);
	CU_ASSERT(svcfile_check(cfg, def, fake_lookup, asked, &problems, &err) == 0);
	for (i = 0; problems.count != sizeof(want) / sizeof(want[0]) && i < problems.count; i++)
		fprintf(stderr, "\n  %s:%u: %s", problems.items[i].file, problems.items[i].line,
		    problems.items[i].message);
	CU_ASSERT_EQUAL(problems.count, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < problems.count && i < sizeof(want) / sizeof(want[0]); i++) {
		CU_ASSERT_STRING_EQUAL(problems.items[i].file, want[i].file);
		CU_ASSERT_EQUAL(problems.items[i].line, want[i].line);
		CU_ASSERT_PTR_NOT_NULL(strstr(problems.items[i].message, want[i].says));
	}
	/* Well-formed thumbprints only are looked up, in the store the definition names. */
	CU_ASSERT_STRING_EQUAL(asked, "My,Root,-,-,");
	svcfile_problems_clear(&problems);
	svcfile_free(cfg);
	svcfile_free(def);
}

static void
test_check_passes_the_consistent_sample_pairs(void)
{
	static const char *const pairs[][2] = {
		{ "Azure-Samples__cloud-services-extended-support__ServiceConfiguration.Cloud.cscfg",
		  "Azure-Samples__cloud-services-extended-support__ServiceDefinition.csdef" },
		{ "MRCollective__AzureWebFarm__ServiceConfiguration.Cloud.cscfg",
		  "MRCollective__AzureWebFarm__ServiceDefinition.csdef" },
	};
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char a[1024], b[1024];
		struct svcfile *cfg = NULL, *def = NULL;
		struct svcfile_problems problems = { NULL, 0 };
		struct pk_error err;

		snprintf(a, sizeof(a), "%s/%s", SAMPLES, pairs[i][0]);
		snprintf(b, sizeof(b), "%s/%s", SAMPLES, pairs[i][1]);
		CU_ASSERT_FATAL(svcfile_load(a, &cfg, &err) == 0);
		CU_ASSERT_FATAL(svcfile_load(b, &def, &err) == 0);
		CU_ASSERT(svcfile_check(cfg, def, NULL, NULL, &problems, &err) == 0);
		CU_ASSERT_EQUAL(problems.count, 0);
		svcfile_problems_clear(&problems);
		svcfile_free(cfg);
		svcfile_free(def);
	}
}

static char tmpdir[256];

static int
make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_svcfile.XXXXXX");
	return mkdtemp(tmpdir) == NULL;
}

static int
remove_tmpdir(void)
{
	return cunit_remove_tree(tmpdir);
}

static int rename_calls;

static int
rename_fails_second_time(const char *from, const char *to)
{
	if (++rename_calls == 2) {
		errno = EXDEV;
		return -1;
	}
	return rename(from, to);
}

/* Copies a sample into the temp dir under name, with mode. */
static void
stage(const char *sample, const char *name, mode_t mode, char *path, size_t size)
{
	char src[1024];
	struct buf b;

	snprintf(src, sizeof(src), "%s/%s", SAMPLES, sample);
	snprintf(path, size, "%s/%s", tmpdir, name);
	b = read_all(src);
	unlink(path);
	write_all(path, b.p, b.n);
	chmod(path, mode);
	free(b.p);
}

static int
file_equals(const char *path, const unsigned char *p, size_t n)
{
	struct buf b = read_all(path);
	int same = b.n == n && memcmp(b.p, p, n) == 0;

	free(b.p);
	return same;
}

static void
test_commit_writes_all_files_keeping_their_mode(void)
{
	char a[512], b[512];
	struct svcfile *files[2] = { NULL, NULL };
	struct pk_error err;
	struct stat st;
	size_t written, i;

	stage("MRCollective__AzureWebFarm__ServiceConfiguration.Cloud.cscfg", "a.cscfg", 0640,
	    a, sizeof(a));
	stage("NuGet__NuGet.Services.Work__ServiceConfiguration.Cloud.cscfg", "b.cscfg", 0604,
	    b, sizeof(b));
	CU_ASSERT_FATAL(svcfile_load(a, &files[0], &err) == 0);
	CU_ASSERT_FATAL(svcfile_load(b, &files[1], &err) == 0);
	for (i = 0; i < 2; i++)
		CU_ASSERT(svcfile_set_thumbprint(files[i], NULL,
		    "Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption", NEW_A, NULL,
		    &err) == 0);
	CU_ASSERT(svcfile_commit(files, 2, &written, &err) == 0);
	CU_ASSERT_EQUAL(written, 2);
	for (i = 0; i < 2; i++) {
		size_t len;
		const unsigned char *p = svcfile_bytes(files[i], &len);

		CU_ASSERT(file_equals(svcfile_path(files[i]), p, len));
		svcfile_free(files[i]);
	}
	CU_ASSERT(stat(a, &st) == 0 && (st.st_mode & 07777) == 0640);
	CU_ASSERT(stat(b, &st) == 0 && (st.st_mode & 07777) == 0604);
}

static void
test_commit_failing_half_way_restores_the_files_already_replaced(void)
{
	char a[512], b[512];
	struct svcfile *files[2] = { NULL, NULL };
	struct buf orig_a, orig_b;
	struct pk_error err;
	size_t i;
	DIR *dir;
	struct dirent *d;
	int entries = 0;

	stage("MRCollective__AzureWebFarm__ServiceConfiguration.Cloud.cscfg", "a.cscfg", 0644,
	    a, sizeof(a));
	stage("NuGet__NuGet.Services.Work__ServiceConfiguration.Cloud.cscfg", "b.cscfg", 0644,
	    b, sizeof(b));
	orig_a = read_all(a);
	orig_b = read_all(b);
	CU_ASSERT_FATAL(svcfile_load(a, &files[0], &err) == 0);
	CU_ASSERT_FATAL(svcfile_load(b, &files[1], &err) == 0);
	for (i = 0; i < 2; i++)
		CU_ASSERT(svcfile_set_thumbprint(files[i], NULL,
		    "Microsoft.WindowsAzure.Plugins.RemoteAccess.PasswordEncryption", NEW_A, NULL,
		    &err) == 0);
	rename_calls = 0;
	atomicfile_rename_hook = rename_fails_second_time;
	CU_ASSERT_EQUAL(svcfile_commit(files, 2, NULL, &err), PK_ERR_IO);
	atomicfile_rename_hook = rename;
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "were restored"));
	CU_ASSERT(file_equals(a, orig_a.p, orig_a.n));
	CU_ASSERT(file_equals(b, orig_b.p, orig_b.n));
	/* No temporary file is left behind. */
	dir = opendir(tmpdir);
	while ((d = readdir(dir)) != NULL)
		entries += d->d_name[0] != '.' || strstr(d->d_name, "pkishim") != NULL;
	closedir(dir);
	CU_ASSERT_EQUAL(entries, 2);
	for (i = 0; i < 2; i++)
		svcfile_free(files[i]);
	free(orig_a.p);
	free(orig_b.p);
}

static void
test_commit_refuses_links_read_only_and_changed_files_before_writing(void)
{
	static const char *const says[] = { "symbolic link", "read-only", "changed while" };
	char a[512], b[512], link_path[600];
	size_t k;

	for (k = 0; k < 3; k++) {
		struct svcfile *files[2] = { NULL, NULL };
		struct buf orig_a;
		struct pk_error err;
		const char *target = b;
		size_t i;

		stage("MRCollective__AzureWebFarm__ServiceConfiguration.Cloud.cscfg", "a.cscfg",
		    0644, a, sizeof(a));
		stage("NuGet__NuGet.Services.Work__ServiceConfiguration.Cloud.cscfg", "b.cscfg",
		    k == 1 ? 0444 : 0644, b, sizeof(b));
		snprintf(link_path, sizeof(link_path), "%s/link.cscfg", tmpdir);
		unlink(link_path);
		if (k == 0) {
			CU_ASSERT(symlink("b.cscfg", link_path) == 0);
			target = link_path;
		}
		orig_a = read_all(a);
		CU_ASSERT_FATAL(svcfile_load(a, &files[0], &err) == 0);
		CU_ASSERT_FATAL(svcfile_load(target, &files[1], &err) == 0);
		for (i = 0; i < 2; i++)
			CU_ASSERT(svcfile_set_thumbprint(files[i], NULL, "SSL", NEW_A, NULL,
			    &err) == 0 || i == 0);
		CU_ASSERT(svcfile_set_thumbprint(files[0], NULL, "HTTPS", NEW_A, NULL, &err) == 0);
		if (k == 2) {
			FILE *fp = fopen(b, "ab");

			fputs("\n", fp);
			fclose(fp);
		}
		CU_ASSERT(svcfile_commit(files, 2, NULL, &err) != 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, says[k]));
		CU_ASSERT(file_equals(a, orig_a.p, orig_a.n));
		for (i = 0; i < 2; i++)
			svcfile_free(files[i]);
		free(orig_a.p);
		chmod(b, 0644);
	}
}

static void
test_unchanged_file_is_not_rewritten(void)
{
	char a[512];
	struct svcfile *f = NULL;
	struct pk_error err;
	struct stat before, after;
	size_t written = 99;

	stage("MRCollective__AzureWebFarm__ServiceConfiguration.Cloud.cscfg", "a.cscfg", 0644,
	    a, sizeof(a));
	CU_ASSERT(stat(a, &before) == 0);
	CU_ASSERT_FATAL(svcfile_load(a, &f, &err) == 0);
	CU_ASSERT(svcfile_set_thumbprint(f, NULL, "HTTPS",
	    "B6E8A99CB3B0174C053DAF5A48DACB504C5889EC", NULL, &err) == 0);
	CU_ASSERT(!svcfile_dirty(f));
	CU_ASSERT(svcfile_commit(&f, 1, &written, &err) == 0);
	CU_ASSERT_EQUAL(written, 0);
	CU_ASSERT(stat(a, &after) == 0 && after.st_ino == before.st_ino &&
	    after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
	svcfile_free(f);
}

static void
test_definition_rows_join_endpoints_and_certificates(void)
{
	struct svcfile *f = NULL;
	struct pk_error err;
	const struct svcfile_cert *c;

	CU_ASSERT_FATAL(svcfile_load(SAMPLES "/NuGet__NuGetGallery__NuGetGallery.csdef", &f,
	    &err) == 0);
	CU_ASSERT_EQUAL(svcfile_kind(f), SVCFILE_DEFINITION);
	CU_ASSERT_EQUAL_FATAL(svcfile_count(f), 1);
	c = svcfile_cert(f, 0);
	CU_ASSERT_STRING_EQUAL(c->name, "nuget.org");
	CU_ASSERT_STRING_EQUAL(c->endpoints, "SSL");
	CU_ASSERT(!c->declared);
	svcfile_free(f);
	/* The commented-out certificate of lokad-cloud is no row. */
	CU_ASSERT_FATAL(svcfile_load(SAMPLES "/cdrnet__lokad-cloud__ServiceDefinition.csdef",
	    &f, &err) == 0);
	CU_ASSERT_EQUAL(svcfile_count(f), 2);
	CU_ASSERT_STRING_EQUAL(svcfile_cert(f, 0)->store_location, "CurrentUser");
	svcfile_free(f);
}

static CU_TestInfo edit_tests[] = {
	{ "every sample certificate edits exactly its value, and back", test_every_sample_certificate_edits_exactly_its_value_and_back },
	{ "UTF-8, UTF-8 BOM, UTF-16LE and UTF-16BE variants keep their encoding", test_encoding_variants_keep_their_encoding },
	{ "quotes, spacing, entities, CDATA and comments survive an edit", test_crafted_quotes_spacing_entities_and_comments_survive },
	{ "names match without regard to case, in every role", test_names_match_without_regard_to_case_in_every_role },
	{ "an unknown role or name, or an unsettable certificate, changes nothing", test_unknown_role_or_name_and_unsettable_certificates_change_nothing },
	CU_TEST_INFO_NULL
};

static CU_TestInfo read_tests[] = {
	{ "the malformed sample names its line", test_malformed_sample_names_its_line },
	{ "hostile and foreign documents are refused", test_hostile_and_foreign_documents_are_refused },
	{ "deep nesting and huge input hit the limits", test_deep_nesting_and_huge_input_hit_limits },
	{ "files at the size cap parse in every encoding", test_files_at_the_size_cap_parse_in_every_encoding },
	{ "definition rows join endpoints and certificates", test_definition_rows_join_endpoints_and_certificates },
	{ "thumbprint input is normalised or refused", test_thumbprint_input_is_normalised_or_refused },
	{ "thumbprint problems name what is wrong", test_thumbprint_problems_name_what_is_wrong },
	CU_TEST_INFO_NULL
};

static CU_TestInfo check_tests[] = {
	{ "the check reports each problem of a crafted pair", test_check_reports_each_problem_of_a_crafted_pair },
	{ "the check passes the consistent sample pairs", test_check_passes_the_consistent_sample_pairs },
	CU_TEST_INFO_NULL
};

static CU_TestInfo commit_tests[] = {
	{ "commit writes all files keeping their mode", test_commit_writes_all_files_keeping_their_mode },
	{ "commit failing half-way restores the files already replaced", test_commit_failing_half_way_restores_the_files_already_replaced },
	{ "commit refuses links, read-only and changed files before writing", test_commit_refuses_links_read_only_and_changed_files_before_writing },
	{ "an unchanged file is not rewritten", test_unchanged_file_is_not_rewritten },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "svcfile edit", NULL, NULL, NULL, NULL, edit_tests },
	{ "svcfile read", NULL, NULL, NULL, NULL, read_tests },
	{ "svcfile check", NULL, NULL, NULL, NULL, check_tests },
	{ "svcfile commit", make_tmpdir, remove_tmpdir, NULL, NULL, commit_tests },
	CU_SUITE_INFO_NULL
};

int
main(void)
{
	return cunit_run(suites);
}
