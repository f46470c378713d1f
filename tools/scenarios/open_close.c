// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * open_close DIR N M - opens N files DIR/f-000 .. DIR/f-<N-1>, closes the
 * first M in creation order and exits with the other N-M still open.
 *
 * With only fds 0-2 inherited, file i gets fd 3+i, so the leaks are
 * fds 3+M .. 3+N-1 (DIR/f-<M> .. DIR/f-<N-1>).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void __attribute__((noreturn)) usage(const char *prog)
{
	fprintf(stderr, "usage: %s DIR N M   (0 <= M <= N)\n", prog);
	exit(2);
}

static long parse_count(const char *s, const char *prog)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 1000000)
		usage(prog);
	return v;
}

int main(int argc, char **argv)
{
	char path[4096];
	long n, m, i;
	int *fds;

	if (argc != 4)
		usage(argv[0]);
	n = parse_count(argv[2], argv[0]);
	m = parse_count(argv[3], argv[0]);
	if (m > n)
		usage(argv[0]);

	fds = calloc(n ? n : 1, sizeof(*fds));
	if (!fds) {
		perror("calloc");
		return 1;
	}

	for (i = 0; i < n; i++) {
		if (snprintf(path, sizeof(path), "%s/f-%03ld", argv[1], i) >= (int)sizeof(path)) {
			fprintf(stderr, "open_close: directory name too long\n");
			return 1;
		}
		fds[i] = open(path, O_CREAT | O_RDWR, 0600);
		if (fds[i] < 0) {
			fprintf(stderr, "open %s: %s\n", path, strerror(errno));
			return 1;
		}
	}

	for (i = 0; i < m; i++) {
		if (close(fds[i])) {
			perror("close");
			return 1;
		}
	}

	/* The remaining fds are the point of the test: exit with them open. */
	return 0;
}
