/* azureout.c: Azure's verdicts as lines for scripts, or JSON for the module. */
#include "cmdlets/azureout.h"
#include "cmdlets/json.h"

void
azureout_print(const char *thumbprint, const char *source,
    const struct azure_verdict *verdicts, size_t n, int json, FILE *fp)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct azure_verdict *v = &verdicts[i];

		if (!json) {
			fprintf(fp, "%s\t%s\t%s\t%s\n", azure_status_name(v->status), v->rule,
			    v->reason, v->fix);
			continue;
		}
		fputc('{', fp);
		json_field("Thumbprint", thumbprint, 1, fp);
		json_field("Source", source, 0, fp);
		json_field("Rule", v->rule, 0, fp);
		json_field("Status", azure_status_name(v->status), 0, fp);
		json_field("Reason", v->reason, 0, fp);
		json_field("Fix", v->fix, 0, fp);
		fputs("}\n", fp);
	}
}
