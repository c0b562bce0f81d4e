/*
 * floor.c: the acceptance script's work done by the library calls alone, in
 * one process: make the certificate into a store, write the PFX, write the
 * .cer. The benchmark measures it as the floor the commands are held to.
 *   bench_floor <rsa|ecdsa> <directory>
 * It also fills a store for the store-size benchmark:
 *   bench_floor fill <count>    (ECDSA certificates into LocalMachine\My)
 * and measures what any command pays before its work:
 *   bench_floor start -         (a process that starts OpenSSL as a command does, then exits)
 *
 * Like for like with the commands: it starts OpenSSL as a command's main does
 * (crypto_init_process), and puts the certificate into the store as
 * New-SelfSignedCertificate must (crypto_store_enroll: the store and the CA
 * copy, one durable batch). Until 2026-12-07 it wrote the store entry alone
 * (crypto_store_add) and read openssl.cnf; PKISHIM_BENCH_OLD_FLOOR=1 does that
 * again, for comparison.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/atomicfile.h"
#include "crypto/certfile.h"
#include "crypto/init.h"
#include "crypto/pfx.h"
#include "crypto/selfsigned.h"
#include "crypto/store.h"

static int
fill(long count)
{
	struct crypto_selfsigned_request req;
	struct pk_error err = { 0, "" };
	char name[64];
	const char *dns[1] = { name };
	long i;

	memset(&req, 0, sizeof(req));
	req.key_algorithm = "ECDSA_nistP256";
	req.dns_names = dns;
	req.ndns_names = 1;
	req.machine_key = 1;
	for (i = 0; i < count; i++) {
		struct crypto_cert *cert = NULL;
		int rc;

		snprintf(name, sizeof(name), "fill%ld.example", i);
		if ((rc = crypto_selfsigned_create(&req, NULL, NULL, &cert, &err)) == 0)
			rc = crypto_store_add(CRYPTO_STORE_LOCAL_MACHINE, "My", cert, NULL, &err);
		crypto_cert_free(cert);
		if (rc != 0) {
			fprintf(stderr, "bench_floor: %s\n", err.msg);
			return 1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const char *const dns[] = { "yourdomain.cloudapp.net" };
	struct crypto_selfsigned_request req;
	struct crypto_cert *cert = NULL;
	struct pk_error err = { 0, "" };
	char pfx[4096], cer[4096];
	const char *old = getenv("PKISHIM_BENCH_OLD_FLOOR");
	int rc, old_floor = old != NULL && strcmp(old, "1") == 0;

	if (argc != 3)
		return 2;
	if (!old_floor)
		(void)crypto_init_process();
	if (strcmp(argv[1], "start") == 0)
		return 0;
	if (strcmp(argv[1], "fill") == 0)
		return fill(strtol(argv[2], NULL, 10));
	memset(&req, 0, sizeof(req));
	req.dns_names = dns;
	req.ndns_names = 1;
	req.machine_key = 1;
	/* -KeySpec names a CAPI provider, which holds RSA keys only. */
	if (strcmp(argv[1], "ecdsa") == 0)
		req.key_algorithm = "ECDSA_nistP256";
	else {
		req.key_length = 2048;
		req.key_spec = CRYPTO_KEYSPEC_KEYEXCHANGE;
	}
	snprintf(pfx, sizeof(pfx), "%s/my-cert-file.pfx", argv[2]);
	snprintf(cer, sizeof(cer), "%s/my-cert-file.cer", argv[2]);
	if ((rc = crypto_selfsigned_create(&req, NULL, NULL, &cert, &err)) == 0 &&
	    (rc = old_floor ?
	    crypto_store_add(CRYPTO_STORE_LOCAL_MACHINE, "My", cert, NULL, &err) :
	    crypto_store_enroll(CRYPTO_STORE_LOCAL_MACHINE, "My", cert, NULL, &err)) == 0 &&
	    (rc = crypto_pfx_write(pfx, &cert, 1, "your-password", NULL, ATOMICFILE_FORCE, &err)) == 0)
		rc = crypto_certfile_write(cer, &cert, 1, CRYPTO_CERTFILE_CERT, ATOMICFILE_FORCE, &err);
	if (rc != 0)
		fprintf(stderr, "bench_floor: %s\n", err.msg);
	crypto_cert_free(cert);
	return rc == 0 ? 0 : 1;
}
