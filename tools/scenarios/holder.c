// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * holder DIR N WAIT_FILE [M] - a long-running process to attach to.
 *
 * Opens N files DIR/pre-000 .. DIR/pre-<N-1> and keeps them open, writes its
 * pid to DIR/ready (to a temporary name, then renamed: a reader never sees a
 * partial file), then waits until WAIT_FILE exists.  Then it opens M more
 * files DIR/post-000 .. DIR/post-<M-1> (default 5) and forks a child that
 * opens DIR/child.txt; both wait until DIR/stop exists, the parent reaps the
 * child, and both exit 0 without closing anything.
 *
 * With only fds 0-2 inherited, pre-i is fd 3+i and post-i is fd 3+N+i (the
 * temporary ready file is closed before).  Every wait polls every 10 ms and
 * gives up after 30 s with exit status 1, so a failed test never leaves a
 * holder behind for long.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POLL_NS (10 * 1000 * 1000)
#define MAX_POLLS 3000 /* 30 s */

static void __attribute__((noreturn)) usage(const char *prog)
{
	fprintf(stderr, "usage: %s DIR N WAIT_FILE [M]\n", prog);
	exit(2);
}

static long parse_count(const char *s, const char *prog)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 100000)
		usage(prog);
	return v;
}

static void path_in(char *buf, size_t len, const char *dir, const char *name)
{
	if (snprintf(buf, len, "%s/%s", dir, name) >= (int)len) {
		fprintf(stderr, "holder: directory name too long\n");
		exit(1);
	}
}

static int open_or_die(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);

	if (fd < 0) {
		fprintf(stderr, "holder: open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static void open_series(const char *dir, const char *prefix, long n)
{
	char name[64], path[4096];

	for (long i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s-%03ld", prefix, i);
		path_in(path, sizeof(path), dir, name);
		open_or_die(path);
	}
}

/* Waits until path exists; exits 1 after 30 s. stat() creates no fd. */
static void wait_for(const char *path)
{
	struct timespec ts = { 0, POLL_NS };
	struct stat st;

	for (int i = 0; i < MAX_POLLS; i++) {
		if (stat(path, &st) == 0)
			return;
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "holder: %s did not appear within 30 s\n", path);
	exit(1);
}

static void write_ready(const char *dir)
{
	char tmp[4096], ready[4096], buf[32];
	int fd, len;

	path_in(tmp, sizeof(tmp), dir, "ready.tmp");
	path_in(ready, sizeof(ready), dir, "ready");
	fd = open_or_die(tmp);
	len = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(fd, buf, len) != len || close(fd)) {
		fprintf(stderr, "holder: writing %s failed\n", tmp);
		exit(1);
	}
	if (rename(tmp, ready)) {
		fprintf(stderr, "holder: rename %s: %s\n", tmp, strerror(errno));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	char path[4096], stop[4096];
	long n, m = 5;
	int status;
	pid_t pid;

	if (argc != 4 && argc != 5)
		usage(argv[0]);
	n = parse_count(argv[2], argv[0]);
	if (argc == 5)
		m = parse_count(argv[4], argv[0]);
	path_in(stop, sizeof(stop), argv[1], "stop");

	open_series(argv[1], "pre", n);
	write_ready(argv[1]);
	wait_for(argv[3]);
	open_series(argv[1], "post", m);

	pid = fork();
	if (pid < 0) {
		perror("holder: fork");
		return 1;
	}
	if (pid == 0) {
		path_in(path, sizeof(path), argv[1], "child.txt");
		open_or_die(path);
		wait_for(stop);
		/* every fd still open: the point of the scenario */
		exit(0);
	}
	wait_for(stop);
	if (waitpid(pid, &status, 0) != pid) {
		perror("holder: waitpid");
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "holder: child failed (wait status %#x)\n", status);
		return 1;
	}
	return 0;
}
