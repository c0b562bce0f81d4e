/* fileout.c: the files the Export commands write, shown as pwsh shows a FileInfo. */
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmdlets/cmdlet.h"
#include "cmdlets/fileout.h"
#include "cmdlets/json.h"

/* ls -l's mode string, which pwsh shows as UnixMode. */
static void
unix_mode(mode_t m, char out[11])
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	out[0] = S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : '-';
	for (i = 0; i < 9; i++)
		out[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
	out[10] = '\0';
}

/*
 * The written file as a System.IO.FileInfo: on a terminal pwsh's Unix
 * file-system table (invariant culture dates), captured the full path, and
 * {"FullName":...} for the module, which turns it back into a FileInfo.
 */
int
fileout_print(const char *path, struct pk_error *err)
{
	char *full = realpath(path, NULL), *slash, mode[11], when[32];
	struct passwd *pw;
	struct group *gr;
	struct stat st;
	struct tm tm;

	if (full == NULL || stat(full, &st) != 0) {
		free(full);
		return pk_fail(err, PK_ERR_IO, "Cannot read back '%s'.", path);
	}
	if (cmdlet_json_output()) {
		fputc('{', stdout);
		json_field("FullName", full, 1, stdout);
		fputs("}\n", stdout);
	} else if (!isatty(STDOUT_FILENO)) {
		printf("%s\n", full);
	} else {
		slash = strrchr(full, '/');
		*slash = '\0';
		unix_mode(st.st_mode, mode);
		localtime_r(&st.st_mtime, &tm);
		strftime(when, sizeof(when), "%m/%d/%Y %H:%M", &tm);
		pw = getpwuid(st.st_uid);
		gr = getgrgid(st.st_gid);
		printf("\n    Directory: %s\n\n", full == slash ? "/" : full);
		printf("%-10s %10s %-10s %16s %12s %s\n", "UnixMode", "User", "Group",
		    "LastWriteTime", "Size", "Name");
		printf("%-10s %10s %-10s %16s %12s %s\n", "--------", "----", "-----",
		    "-------------", "----", "----");
		printf("%-10s %10s %-10s %16s %12lld %s\n\n", mode, pw ? pw->pw_name : "",
		    gr ? gr->gr_name : "", when, (long long)st.st_size, slash + 1);
	}
	free(full);
	return 0;
}

