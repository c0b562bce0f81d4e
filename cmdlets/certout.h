/* certout.h: how every command shows the certificates it returns. */
#ifndef PKISHIM_CERTOUT_H
#define PKISHIM_CERTOUT_H

#include <stddef.h>
#include <stdio.h>

#include "crypto/cert.h"

struct certout_item {
	const struct crypto_cert *cert;
	const char *parent;   /* "LocalMachine\My" (store name as typed), or NULL when not in a store */
	const char *file;     /* the file that holds it (store file or input file), or NULL */
};

/*
 * DESIGN §2.6. On a terminal: PowerShell's ThumbprintTable, grouped under
 * "PSParentPath: Microsoft.PowerShell.Security\Certificate::<parent>".
 * Captured: one line per certificate that -Cert/-Signer accept back:
 * "Cert:\<parent>\<THUMBPRINT>", or the thumbprint when not in a store.
 * With PKISHIM_OUTPUT=json: one JSON object per line (Thumbprint, Subject,
 * Issuer, HasPrivateKey, PSParentPath, PSPath, File, ...), for the module.
 */
void certout_print(const struct certout_item *items, size_t n, FILE *fp);

#endif
