/* cunit_run.h: one CUnit runner shared by every unit test program. */
#ifndef PKISHIM_CUNIT_RUN_H
#define PKISHIM_CUNIT_RUN_H

#include <CUnit/CUnit.h>

/* Registers the suites and runs them verbosely; returns the process exit status. */
int cunit_run(CU_SuiteInfo *suites);

/* Removes a test's directory tree, read-only parts included; 0 on success. */
int cunit_remove_tree(const char *dir);

#endif
