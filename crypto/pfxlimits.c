/*
 * pfxlimits.c: the work a PFX may ask of its reader, bounded as .NET's
 * Pkcs12LoaderLimits.Defaults bound it (openssl-pfx.md §2.5), and counted
 * from the ASN.1 structure alone, before the key derivation it describes.
 */
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "crypto/pfxint.h"

static int
charge(struct pfx_budget *b, long iter, int is_mac, struct pk_error *err)
{
	long limit = is_mac ? PFX_MAX_MAC_ITERATIONS : PFX_MAX_KDF_ITERATIONS;
	const char *what = is_mac ? "MAC" : "key derivation";

	/* ASN1_INTEGER_get gives -1 for a value that does not fit a long. */
	if (iter < 0)
		return pk_fail(err, PK_ERR_LIMIT, "The PFX file asks for an out-of-range number "
		    "of %s iterations; at most %ld are allowed (the per-%s iteration limit).",
		    what, limit, is_mac ? "MAC" : "KDF");
	if (iter > limit)
		return pk_fail(err, PK_ERR_LIMIT, "The PFX file asks for %ld %s iterations; "
		    "at most %ld are allowed (the per-%s iteration limit).", iter, what, limit,
		    is_mac ? "MAC" : "KDF");
	if (iter > PFX_MAX_TOTAL_ITERATIONS - b->iterations)
		return pk_fail(err, PK_ERR_LIMIT, "The PFX file asks for more than %ld key "
		    "derivation iterations in all, MAC included (the total iteration limit "
		    "per file).", PFX_MAX_TOTAL_ITERATIONS);
	b->iterations += iter;
	return 0;
}

/* The PBKDF2 iteration count of a PBES2 AlgorithmIdentifier; other KDFs are refused. */
static int
pbes2_iterations(const ASN1_STRING *seq, long *iter, struct pk_error *err)
{
	PBE2PARAM *p2 = ASN1_item_unpack(seq, ASN1_ITEM_rptr(PBE2PARAM));
	PBKDF2PARAM *kdf = NULL;
	int nid, rc = 0;

	*iter = 1;
	if (p2 == NULL)
		return 0;       /* undecodable: the decryption refuses it */
	nid = OBJ_obj2nid(p2->keyfunc->algorithm);
	if (nid != NID_id_pbkdf2) {
		/*
		 * .NET reads PBES2 with PBKDF2 only; scrypt's cost (N, r, p) is the
		 * file's to choose, and 600 bytes can ask for hours of work.
		 */
		rc = pk_fail(err, PK_ERR_UNSUPPORTED, "The PFX file derives its keys with %s; "
		    "only PBKDF2 is read (as .NET reads), since a file's own scrypt "
		    "parameters could make reading it run for hours.",
		    nid == NID_id_scrypt ? "scrypt" : "an unknown key derivation function");
	} else if (p2->keyfunc->parameter != NULL &&
	    p2->keyfunc->parameter->type == V_ASN1_SEQUENCE &&
	    (kdf = ASN1_item_unpack(p2->keyfunc->parameter->value.sequence,
	    ASN1_ITEM_rptr(PBKDF2PARAM))) != NULL)
		*iter = ASN1_INTEGER_get(kdf->iter);
	PBKDF2PARAM_free(kdf);
	PBE2PARAM_free(p2);
	return rc;
}

int
pfx_budget_algorithm(struct pfx_budget *b, const X509_ALGOR *alg, struct pk_error *err)
{
	const ASN1_OBJECT *obj;
	const void *pval;
	long iter = 1;
	int ptype, rc;

	X509_ALGOR_get0(&obj, &ptype, &pval, alg);
	if (ptype == V_ASN1_SEQUENCE && OBJ_obj2nid(obj) == NID_pbes2) {
		if ((rc = pbes2_iterations(pval, &iter, err)) != 0)
			return rc;
	} else if (ptype == V_ASN1_SEQUENCE) {
		PBEPARAM *p = ASN1_item_unpack(pval, ASN1_ITEM_rptr(PBEPARAM));

		if (p != NULL)
			iter = ASN1_INTEGER_get(p->iter);
		PBEPARAM_free(p);
	}
	return charge(b, iter, 0, err);
}

int
pfx_budget_bags(struct pfx_budget *b, const STACK_OF(PKCS12_SAFEBAG) *bags, int depth,
    struct pk_error *err)
{
	const X509_ALGOR *alg;
	int i, rc = 0;

	for (i = 0; rc == 0 && i < sk_PKCS12_SAFEBAG_num(bags); i++) {
		const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);

		if (++b->bags > PFX_MAX_BAGS)
			return pk_fail(err, PK_ERR_LIMIT, "The PFX file holds more than %d items "
			    "(the bag limit).", PFX_MAX_BAGS);
		switch (PKCS12_SAFEBAG_get_nid(bag)) {
		case NID_pkcs8ShroudedKeyBag:
			X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, NULL);
			if ((rc = pfx_budget_algorithm(b, alg, err)) != 0)
				return rc;
			/* fall through */
		case NID_keyBag:
			if (++b->keys > PFX_MAX_KEYS)
				return pk_fail(err, PK_ERR_LIMIT, "The PFX file holds more than "
				    "%d private keys (the key limit).", PFX_MAX_KEYS);
			break;
		case NID_certBag:
			if (++b->certs > PFX_MAX_CERTS)
				return pk_fail(err, PK_ERR_LIMIT, "The PFX file holds more than "
				    "%d certificates (the certificate limit).", PFX_MAX_CERTS);
			break;
		case NID_safeContentsBag:
			if (depth >= PFX_MAX_DEPTH)
				return pk_fail(err, PK_ERR_LIMIT, "The PFX file nests its contents "
				    "more than %d levels deep (the nesting limit).", PFX_MAX_DEPTH);
			rc = pfx_budget_bags(b, PKCS12_SAFEBAG_get0_safes(bag), depth + 1, err);
			break;
		default:
			break;
		}
	}
	return rc;
}

int
pfx_budget_file(struct pfx_budget *b, PKCS12 *p12, struct pk_error *err)
{
	STACK_OF(PKCS7) *safes;
	const ASN1_INTEGER *iter = NULL;
	int i, rc = 0;

	if (PKCS12_mac_present(p12)) {
		PKCS12_get0_mac(NULL, NULL, NULL, &iter, p12);
		if ((rc = charge(b, iter != NULL ? ASN1_INTEGER_get(iter) : 1, 1,
		    err)) != 0)
			return rc;
	}
	if ((safes = PKCS12_unpack_authsafes(p12)) == NULL)
		return 0;       /* the reader reports the damage */
	for (i = 0; rc == 0 && i < sk_PKCS7_num(safes); i++) {
		PKCS7 *p7 = sk_PKCS7_value(safes, i);
		STACK_OF(PKCS12_SAFEBAG) *bags;

		switch (OBJ_obj2nid(p7->type)) {
		case NID_pkcs7_data:
			if ((bags = PKCS12_unpack_p7data(p7)) != NULL)
				rc = pfx_budget_bags(b, bags, 0, err);
			sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
			break;
		case NID_pkcs7_encrypted:
			/* Its bags are counted once decrypted, before any key in them is. */
			if (p7->d.encrypted != NULL && p7->d.encrypted->enc_data != NULL)
				rc = pfx_budget_algorithm(b,
				    p7->d.encrypted->enc_data->algorithm, err);
			break;
		default:
			break;
		}
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	return rc;
}
