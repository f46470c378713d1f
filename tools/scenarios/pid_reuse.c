// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pid_reuse same DIR     - two children, one after the other, with one pid.
 * pid_reuse at PID DIR   - one process made with exactly pid PID.
 *
 * same: forks a first child that opens DIR/first (fd 3) and exits without
 * closing it; reaps it; then makes a second child with the same pid
 * (clone3 with set_tid, which needs CAP_SYS_ADMIN: a pid is reused only
 * after its process was reaped), which opens DIR/second-0 and DIR/second-1
 * (fds 3 and 4) and exits without closing them.  The second child is left a
 * zombie: the parent prints "first PID" and "second PID" (equal), sleeps
 * 1.5 s and exits 0 without waiting for it.  Should another process take
 * the pid in the instant between the reap and the clone (clone3 fails with
 * EEXIST), the whole round is tried again, up to 20 times.
 *
 * at: makes a child with pid PID (clone3, set_tid) that opens DIR/outsider
 * and exits; waits for it and exits 0 (1 when the pid is taken).  Run
 * untraced, after a traced process with that pid ended, it checks that the
 * pid's next owner is not traced.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "pid_reuse: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The child of a raw clone3 must not rely on glibc's view of itself: it only
 * opens files and leaves with _exit. */
static void __attribute__((noreturn)) child_opens(const char *dir, const char *const *names)
{
	char path[4096];

	for (; *names; names++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *names);
		if (open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600) < 0)
			_exit(1);
	}
	_exit(0);
}

/* A child with pid `want`: its pid, or -1 with errno (EEXIST: taken). */
static pid_t clone_with_pid(pid_t want, const char *dir, const char *const *names)
{
	pid_t tid = want;
	struct clone_args args = {
		.exit_signal = SIGCHLD,
		.set_tid = (uint64_t)(uintptr_t)&tid,
		.set_tid_size = 1,
	};
	long pid = syscall(SYS_clone3, &args, sizeof(args));

	if (pid == 0)
		child_opens(dir, names);
	return (pid_t)pid;
}

static int reap_ok(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) != pid)
		if (errno != EINTR)
			die("waitpid");
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int same(const char *dir)
{
	static const char *const first_names[] = { "first", NULL };
	static const char *const second_names[] = { "second-0", "second-1", NULL };
	struct timespec pause = { .tv_sec = 1, .tv_nsec = 500 * 1000 * 1000 };
	pid_t first, second;

	for (int round = 0; round < 20; round++) {
		first = fork();
		if (first < 0)
			die("fork");
		if (first == 0)
			child_opens(dir, first_names);
		if (!reap_ok(first)) {
			fprintf(stderr, "pid_reuse: the first child failed\n");
			return 1;
		}
		second = clone_with_pid(first, dir, second_names);
		if (second < 0 && errno == EEXIST)
			continue;
		if (second < 0)
			die("clone3 with set_tid");
		if (printf("first %d\nsecond %d\n", (int)first, (int)second) < 0 || fflush(stdout))
			die("stdout");
		nanosleep(&pause, NULL);
		return 0;
	}
	fprintf(stderr, "pid_reuse: the pid was taken by another process 20 times\n");
	return 1;
}

static int at(const char *pid_s, const char *dir)
{
	static const char *const names[] = { "outsider", NULL };
	char *end;
	long want;
	pid_t pid;

	errno = 0;
	want = strtol(pid_s, &end, 10);
	if (errno || *end || want <= 1 || want > INT32_MAX) {
		fprintf(stderr, "pid_reuse: bad pid '%s'\n", pid_s);
		return 2;
	}
	pid = clone_with_pid((pid_t)want, dir, names);
	if (pid < 0)
		die("clone3 with set_tid");
	if (!reap_ok(pid)) {
		fprintf(stderr, "pid_reuse: the child failed\n");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "same"))
		return same(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "at"))
		return at(argv[2], argv[3]);
	fprintf(stderr, "usage: %s same DIR | at PID DIR\n", argv[0]);
	return 2;
}
