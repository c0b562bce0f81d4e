/* svcthumb.c: whether a .cscfg refers to a certificate (the Azure check's Configuration rule). */
#include <string.h>

#include "xml/svcfile.h"

int
svcfile_references_thumbprint(const struct svcfile *cfg, const char *thumbprint)
{
	char normal[41];
	size_t i;

	for (i = 0; i < svcfile_count(cfg); i++) {
		const struct svcfile_cert *c = svcfile_cert(cfg, i);

		if (c->thumbprint != NULL &&
		    svcfile_thumbprint_normalize(c->thumbprint, normal, NULL) == 0 &&
		    strcmp(normal, thumbprint) == 0)
			return 1;
	}
	return 0;
}
