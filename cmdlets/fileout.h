/* fileout.h: how the Export commands show the file they wrote. */
#ifndef PKISHIM_FILEOUT_H
#define PKISHIM_FILEOUT_H

#include "crypto/error.h"

/*
 * The written file as a System.IO.FileInfo: on a terminal pwsh's Unix
 * file-system table (invariant culture dates), captured the full path, and
 * {"FullName":...} for the module, which turns it back into a FileInfo.
 */
int fileout_print(const char *path, struct pk_error *err);

#endif
