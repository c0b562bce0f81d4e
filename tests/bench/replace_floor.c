/*
 * replace_floor.c: the file work of Set-ServiceCertificate without the XML:
 * read every file, write its bytes to a temporary file beside it, then rename
 * each over the original. service-files.sh times it as the least that an
 * atomic replacement of every file costs on the filesystem at hand.
 *   bench_replace_floor <file>...
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct copy {
	unsigned char *bytes;
	size_t len;
	char *tmp;
};

static int
read_file(const char *path, struct copy *c)
{
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1)
		return -1;
	c->len = (size_t)st.st_size;
	if ((c->bytes = malloc(c->len + 1)) == NULL ||
	    read(fd, c->bytes, c->len + 1) != (ssize_t)c->len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static int
write_beside(const char *path, struct copy *c)
{
	int fd;

	if ((c->tmp = malloc(strlen(path) + 16)) == NULL)
		return -1;
	sprintf(c->tmp, "%s.floor-XXXXXX", path);
	if ((fd = mkstemp(c->tmp)) == -1)
		return -1;
	if (write(fd, c->bytes, c->len) != (ssize_t)c->len || fchmod(fd, 0644) == -1) {
		close(fd);
		return -1;
	}
	return close(fd);
}

int
main(int argc, char **argv)
{
	struct copy *copies;
	int i, n = argc - 1;

	if (n < 1 || (copies = calloc((size_t)n, sizeof(*copies))) == NULL) {
		fprintf(stderr, "usage: bench_replace_floor <file>...\n");
		return 2;
	}
	for (i = 0; i < n; i++)
		if (read_file(argv[i + 1], &copies[i]) == -1) {
			perror(argv[i + 1]);
			return 1;
		}
	for (i = 0; i < n; i++)
		if (write_beside(argv[i + 1], &copies[i]) == -1) {
			perror(argv[i + 1]);
			return 1;
		}
	for (i = 0; i < n; i++)
		if (rename(copies[i].tmp, argv[i + 1]) == -1) {
			perror(argv[i + 1]);
			return 1;
		}
	return 0;
}
