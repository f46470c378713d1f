// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * million_fds DIR N [GO_FILE [START_FILE]] - N open fds (1000000 in the test), the scale
 * of issue #8.
 *
 * One process holds them all if it may: it raises RLIMIT_NOFILE (soft and
 * hard) to N + 64, which needs fs.nr_open at least that (the test sets it)
 * and, above the current hard limit, CAP_SYS_RESOURCE. Without that
 * capability (containers often drop it) the N fds are spread over as few
 * child processes as the hard limit allows, each a share of N (even
 * numbers). It prints "processes P per_process C" (C: the first P-1
 * shares; the last one holds the rest) before it starts.
 *
 * A holder (the process itself, or child i) opens DIR/base (fd 3), 100
 * distinct files DIR/file-<i>-000 .. 099 (fds 4-103), 50 socket pairs (fds
 * 104-203), and dups DIR/base until its share is open: fds 3 .. share+2.
 * It writes its pid to DIR/ready-<i> (a temporary name, then renamed), and
 * with GO_FILE (not "-") waits until that exists (an observer attaches
 * meanwhile). With START_FILE, nothing happens before that exists (an
 * observer attaches before the first fd).
 * Then it closes the upper half of its fds, one close each, writes
 * DIR/closed-<i>, and exits 0 with the lower half open. Children take turns,
 * child i opening after DIR/ready-<i-1> and closing after DIR/closed-<i-1>:
 * one process at a time makes the syscalls, as the single process would.
 * The parent of children waits for them and exits 0 if they all did. Exit
 * status 1 with a message if a step fails; every wait gives up after 60 s.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DISTINCT_FILES 100
#define SOCKET_PAIRS 50
#define FIRST_FD 3
#define MIN_SHARE (2 + DISTINCT_FILES + 2 * SOCKET_PAIRS)

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "million_fds: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void path_in(char *buf, size_t len, const char *dir, const char *name)
{
	if (snprintf(buf, len, "%s/%s", dir, name) >= (int)len) {
		errno = ENAMETOOLONG;
		die(dir);
	}
}

static void write_ready(const char *dir, const char *name)
{
	char tmp[4096], path[4096], tmp_name[80];
	FILE *f;

	snprintf(tmp_name, sizeof(tmp_name), "%s.tmp", name);
	path_in(tmp, sizeof(tmp), dir, tmp_name);
	path_in(path, sizeof(path), dir, name);
	f = fopen(tmp, "w");
	if (!f)
		die(tmp);
	fprintf(f, "%d\n", (int)getpid());
	if (fclose(f) || rename(tmp, path))
		die(path);
}

static void wait_for(const char *path)
{
	struct timespec poll = { .tv_nsec = 10 * 1000 * 1000 };

	for (int i = 0; i < 6000; i++) {
		if (!access(path, F_OK))
			return;
		nanosleep(&poll, NULL);
	}
	errno = ETIMEDOUT;
	die(path);
}

/* Holder i's share of the fds: open, wait, close half, exit. */
static void __attribute__((noreturn)) hold(const char *dir, int i, long share, const char *go)
{
	char path[4096], name[64];
	long open_now;
	int base;

	if (i) {
		snprintf(name, sizeof(name), "ready-%d", i - 1);
		path_in(path, sizeof(path), dir, name);
		wait_for(path);
	}
	path_in(path, sizeof(path), dir, "base");
	base = open(path, O_CREAT | O_RDWR, 0600);
	if (base != FIRST_FD) {
		errno = base < 0 ? errno : EBADF;
		die("base is not fd 3 (only fds 0-2 may be open at the start)");
	}
	for (int k = 0; k < DISTINCT_FILES; k++) {
		snprintf(name, sizeof(name), "file-%d-%03d", i, k);
		path_in(path, sizeof(path), dir, name);
		if (open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600) < 0)
			die(path);
	}
	for (int k = 0; k < SOCKET_PAIRS; k++) {
		int sv[2];

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			die("socketpair");
	}
	for (open_now = 1 + DISTINCT_FILES + 2 * SOCKET_PAIRS; open_now < share; open_now++)
		if (dup(base) < 0)
			die("dup");
	snprintf(name, sizeof(name), "ready-%d", i);
	write_ready(dir, name);
	if (go)
		wait_for(go);
	if (i) {
		snprintf(name, sizeof(name), "closed-%d", i - 1);
		path_in(path, sizeof(path), dir, name);
		wait_for(path);
	}
	for (long fd = FIRST_FD + share / 2; fd < FIRST_FD + share; fd++)
		if (close((int)fd))
			die("close");
	snprintf(name, sizeof(name), "closed-%d", i);
	write_ready(dir, name);
	exit(0);
}

int main(int argc, char **argv)
{
	const char *go = argc >= 4 && strcmp(argv[3], "-") ? argv[3] : NULL;
	struct rlimit rl;
	long n, per, procs, cap;
	int status, failed = 0;
	char *end;

	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: %s DIR N [GO_FILE|- [START_FILE]]\n", argv[0]);
		return 2;
	}
	errno = 0;
	n = strtol(argv[2], &end, 10);
	if (errno || *end || n < MIN_SHARE || n > 100000000 || n % 2) {
		fprintf(stderr, "million_fds: N even, from %d to 100000000\n", MIN_SHARE);
		return 2;
	}
	if (argc == 5)
		wait_for(argv[4]);
	rl.rlim_cur = rl.rlim_max = (rlim_t)n + 64;
	if (!setrlimit(RLIMIT_NOFILE, &rl)) {
		printf("processes 1 per_process %ld\n", n);
		fflush(stdout);
		hold(argv[1], 0, n, go);
	}
	if (errno != EPERM || getrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit(RLIMIT_NOFILE) (is fs.nr_open high enough?)");
	/* not allowed past the hard limit: as many processes as it takes */
	cap = ((long)rl.rlim_max - 64) & ~1L;
	if (cap < MIN_SHARE) {
		errno = EMFILE;
		die("the hard RLIMIT_NOFILE is too low even for a share");
	}
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit(RLIMIT_NOFILE) to the hard limit");
	procs = (n + cap - 1) / cap;
	per = ((n + procs - 1) / procs + 1) & ~1L;
	printf("processes %ld per_process %ld\n", procs, per);
	fflush(stdout);
	for (long i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid)
			hold(argv[1], (int)i, i < procs - 1 ? per : n - (procs - 1) * per, go);
	}
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	return failed;
}
