/*
 * naivewrite.c: replaces a file the ways that lose data at a power cut, to
 * show that lazyfs catches them (tests/cmd/test_power_loss.sh).
 *
 *   naivewrite none|file|dir|both FILE TEXT
 *
 * writes TEXT to FILE.tmp, renames it over FILE, and syncs nothing (none),
 * only the temporary (file), only the directory after the rename (dir), or
 * both, as crypto/atomicfile does.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char *argv[])
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	int fd, sync_file, sync_dir;
	size_t len;

	if (argc != 4 || (strcmp(argv[1], "none") != 0 && strcmp(argv[1], "file") != 0 &&
	    strcmp(argv[1], "dir") != 0 && strcmp(argv[1], "both") != 0)) {
		fprintf(stderr, "usage: naivewrite none|file|dir|both FILE TEXT\n");
		return 2;
	}
	sync_file = strcmp(argv[1], "file") == 0 || strcmp(argv[1], "both") == 0;
	sync_dir = strcmp(argv[1], "dir") == 0 || strcmp(argv[1], "both") == 0;
	len = strlen(argv[3]);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", argv[2]) >= (int)sizeof(tmp) ||
	    snprintf(dir, sizeof(dir), "%s", argv[2]) >= (int)sizeof(dir)) {
		fprintf(stderr, "naivewrite: path too long\n");
		return 1;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0 ||
	    write(fd, argv[3], len) != (ssize_t)len || (sync_file && fsync(fd) != 0) ||
	    close(fd) != 0 || rename(tmp, argv[2]) != 0) {
		fprintf(stderr, "naivewrite: %s: %s\n", tmp, strerror(errno));
		return 1;
	}
	if (sync_dir && ((fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    fsync(fd) != 0 || close(fd) != 0)) {
		fprintf(stderr, "naivewrite: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	return 0;
}
