// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * exec_storm chain N DIR - one process that execs itself N times in a row.
 * exec_storm fork M DIR  - M children at once, each exec'ing /bin/true.
 *
 * chain: the first image opens DIR/keep (fd 3) and a pipe (fds 4 and 5),
 * none close-on-exec, so they cross every exec.  Every image (the first and
 * each of the N re-execs) makes an eventfd with EFD_CLOEXEC, which the next
 * exec releases; the last image keeps its own until it exits.  Nothing is
 * ever closed by a syscall.  The last image prints
 * "pid P keep 3 pipe 4 5 eventfd E execs N" and exits 0.
 *
 * fork: opens DIR/keep without and an eventfd with close-on-exec, then forks
 * M children that each exec /bin/true (so each inherits both, and its exec
 * releases its copy of the eventfd), waits for them all, checks that each
 * exited 0, and prints "child PID" for each and "pid P children M"; exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "exec_storm: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long parse_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > 100000) {
		fprintf(stderr, "exec_storm: bad count '%s'\n", s);
		exit(2);
	}
	return v;
}

static int open_keep(const char *dir)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/keep", dir);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0)
		die(path);
	return fd;
}

/* argv: exec_storm chain N DIR [STEP] (STEP is absent in the first image) */
static int chain(int argc, char **argv)
{
	long n = parse_count(argv[2]);
	long step = argc == 5 ? parse_count(argv[4]) : 0;
	int keep = 3, pipefd[2] = { 4, 5 }, efd;
	char next[32];

	if (step == 0) {
		keep = open_keep(argv[3]);
		if (pipe(pipefd))
			die("pipe");
	}
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		die("eventfd");
	if (step < n) {
		char *args[] = { argv[0], argv[1], argv[2], argv[3], next, NULL };

		snprintf(next, sizeof(next), "%ld", step + 1);
		execv("/proc/self/exe", args);
		die("execv /proc/self/exe");
	}
	if (printf("pid %d keep %d pipe %d %d eventfd %d execs %ld\n", (int)getpid(), keep,
		   pipefd[0], pipefd[1], efd, n) < 0 || fflush(stdout))
		die("stdout");
	return 0;
}

static int fork_storm(char **argv)
{
	long m = parse_count(argv[2]);
	pid_t *kids = calloc((size_t)m + 1, sizeof(*kids));
	int status;

	if (!kids)
		die("calloc");
	open_keep(argv[3]);
	if (eventfd(0, EFD_CLOEXEC) < 0)
		die("eventfd");
	for (long i = 0; i < m; i++) {
		kids[i] = fork();
		if (kids[i] < 0)
			die("fork");
		if (kids[i] == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
	}
	for (long i = 0; i < m; i++) {
		while (waitpid(kids[i], &status, 0) != kids[i])
			if (errno != EINTR)
				die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "exec_storm: child %d: wait status %#x\n", (int)kids[i], status);
			return 1;
		}
		if (printf("child %d\n", (int)kids[i]) < 0)
			die("stdout");
	}
	if (printf("pid %d children %ld\n", (int)getpid(), m) < 0 || fflush(stdout))
		die("stdout");
	free(kids);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "chain") && argc <= 5)
		return chain(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "fork"))
		return fork_storm(argv);
	fprintf(stderr, "usage: %s chain N DIR | fork M DIR\n", argv[0]);
	return 2;
}
