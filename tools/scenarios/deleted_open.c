// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * deleted_open DIR - a file unlinked while open: disk space du cannot find.
 *
 * Creates DIR/big.log, writes 3 MiB to it and unlinks it, keeping the fd;
 * creates DIR/kept.log, writes 1 KiB and keeps it (not unlinked). Prints
 * "fd N" (big.log's fd), "kept M" (kept.log's fd) and "ready", waits until
 * DIR/go exists (polling every 10 ms, exit 1 after 30 s), then exits 0
 * without closing either.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define POLL_NS (10 * 1000 * 1000)
#define MAX_POLLS 3000 /* 30 s */
#define CHUNK (64 * 1024)
#define BIG_BYTES (3 * 1024 * 1024)
#define KEPT_BYTES 1024

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void path_in(char *buf, size_t len, const char *dir, const char *name)
{
	if (snprintf(buf, len, "%s/%s", dir, name) >= (int)len) {
		fprintf(stderr, "deleted_open: directory name too long\n");
		exit(1);
	}
}

/* Writes n bytes of 'x' to fd. */
static void fill(int fd, size_t n, const char *what)
{
	static char buf[CHUNK];

	memset(buf, 'x', sizeof(buf));
	while (n) {
		size_t len = n < sizeof(buf) ? n : sizeof(buf);
		ssize_t w = write(fd, buf, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			die(what);
		}
		n -= (size_t)w;
	}
}

static void wait_for(const char *path)
{
	struct timespec ts = { 0, POLL_NS };
	struct stat st;

	for (int i = 0; i < MAX_POLLS; i++) {
		if (stat(path, &st) == 0)
			return;
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "deleted_open: %s did not appear within 30 s\n", path);
	exit(1);
}

int main(int argc, char **argv)
{
	char big[4096], kept[4096], go[4096];
	int fd, kfd;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	path_in(big, sizeof(big), argv[1], "big.log");
	path_in(kept, sizeof(kept), argv[1], "kept.log");
	path_in(go, sizeof(go), argv[1], "go");

	fd = open(big, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0)
		die("deleted_open: open big.log");
	fill(fd, BIG_BYTES, "deleted_open: write big.log");
	if (unlink(big))
		die("deleted_open: unlink big.log");
	kfd = open(kept, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (kfd < 0)
		die("deleted_open: open kept.log");
	fill(kfd, KEPT_BYTES, "deleted_open: write kept.log");

	if (printf("fd %d\nkept %d\nready\n", fd, kfd) < 0 || fflush(stdout))
		die("deleted_open: stdout");
	wait_for(go);
	/* both fds still open: the point of the scenario */
	return 0;
}
