// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * misuse MODE DIR: fd bugs that leak nothing, and an idle fd.
 *
 *   double-close     open DIR/a, close it, close it again      (EBADF)
 *   use-after-close  open DIR/a, close it, write to it          (EBADF)
 *   bad-fd           write to fd -1, as after a failed open     (EBADF)
 *   clean            open DIR/a, write, close once
 *   idle SECS        DIR/busy written every 50 ms, DIR/idle opened and never
 *                    used, for SECS seconds; prints "ready" once both are open
 *
 * Each misusing call is on a line marked "MISUSE:<mode>" for the test.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *dir;

static int __attribute__((noinline)) open_in(const char *name)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "misuse: open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static void __attribute__((noinline)) release(int fd)
{
	if (close(fd)) /* CLOSED:first */
		perror("close");
}

static int __attribute__((noinline)) double_close(void)
{
	int fd = open_in("a");

	release(fd);
	return close(fd) == -1 && errno == EBADF ? 0 : 1; /* MISUSE:double-close */
}

static int __attribute__((noinline)) use_after_close(void)
{
	int fd = open_in("a");

	release(fd);
	return write(fd, "x", 1) == -1 && errno == EBADF ? 0 : 1; /* MISUSE:use-after-close */
}

static int __attribute__((noinline)) bad_fd(void)
{
	int fd = -1;

	return write(fd, "x", 1) == -1 ? 0 : 1; /* MISUSE:bad-fd */
}

static int clean(void)
{
	int fd = open_in("a");

	if (write(fd, "x", 1) != 1)
		return 1;
	return close(fd);
}

static int idle(double secs)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	int busy = open_in("busy"), quiet = open_in("idle");
	long n = (long)(secs * 20);

	printf("ready\n");
	fflush(stdout);
	for (long i = 0; i < n; i++) {
		if (write(busy, "x", 1) != 1)
			return 1;
		nanosleep(&tick, NULL);
	}
	close(quiet);
	return close(busy);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: misuse double-close|use-after-close|bad-fd|clean|idle DIR [SECS]\n");
		return 2;
	}
	dir = argv[2];
	if (!strcmp(argv[1], "double-close"))
		return double_close();
	if (!strcmp(argv[1], "use-after-close"))
		return use_after_close();
	if (!strcmp(argv[1], "bad-fd"))
		return bad_fd();
	if (!strcmp(argv[1], "clean"))
		return clean();
	if (!strcmp(argv[1], "idle") && argc == 4)
		return idle(atof(argv[3]));
	fprintf(stderr, "misuse: unknown mode %s\n", argv[1]);
	return 2;
}
