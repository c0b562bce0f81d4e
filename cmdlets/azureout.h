/* azureout.h: how Test-ServiceCertificate -PfxPath/-Cert shows Azure's verdicts. */
#ifndef PKISHIM_AZUREOUT_H
#define PKISHIM_AZUREOUT_H

#include <stdio.h>

#include "crypto/azurecheck.h"

/*
 * One line per rule. Script and terminal: "<Status>\t<Rule>\t<Reason>\t<Fix>"
 * (Status Pass, Warning, Fail or Skipped; Fix empty unless Warning or Fail).
 * PKISHIM_OUTPUT=json: {"Thumbprint","Source","Rule","Status","Reason","Fix"}.
 */
void azureout_print(const char *thumbprint, const char *source,
    const struct azure_verdict *verdicts, size_t n, int json, FILE *fp);

#endif
