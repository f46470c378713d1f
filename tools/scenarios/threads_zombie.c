// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * threads_zombie leak|clean - threads that come and go, children that exit.
 *
 * Starts 4 pthreads that each sleep 50 ms and return, and joins them all.
 * Then forks 2 children that _exit(0) at once.
 *
 * leak:  waits for the first child only, prints "reaped PID" and
 *        "zombie PID" (one line each), then sleeps 1.5 s: the second child
 *        stays a zombie for more than a second before this process exits.
 * clean: waits for both, prints "reaped PID" for each, then sleeps 1.5 s.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 4

static void __attribute__((noreturn)) die(const char *what)
{
	perror(what);
	exit(1);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts))
		if (errno != EINTR)
			die("nanosleep");
}

static void *worker(void *arg)
{
	(void)arg;
	sleep_ms(50);
	return NULL;
}

static pid_t fork_exiting_child(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(0);
	return pid;
}

static void reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) != pid)
		if (errno != EINTR)
			die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "threads_zombie: child %d did not exit 0\n", (int)pid);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	pthread_t threads[NTHREADS];
	pid_t first, second;
	bool leak;
	int err;

	if (argc != 2 || (strcmp(argv[1], "leak") && strcmp(argv[1], "clean"))) {
		fprintf(stderr, "usage: %s leak|clean\n", argv[0]);
		return 2;
	}
	leak = !strcmp(argv[1], "leak");

	for (int i = 0; i < NTHREADS; i++) {
		err = pthread_create(&threads[i], NULL, worker, NULL);
		if (err) {
			errno = err;
			die("pthread_create");
		}
	}
	for (int i = 0; i < NTHREADS; i++) {
		err = pthread_join(threads[i], NULL);
		if (err) {
			errno = err;
			die("pthread_join");
		}
	}

	first = fork_exiting_child();
	second = fork_exiting_child();
	reap(first);
	if (!leak)
		reap(second);
	if (printf("reaped %d\n%s %d\n", (int)first, leak ? "zombie" : "reaped",
		   (int)second) < 0 || fflush(stdout))
		die("stdout");
	sleep_ms(1500);
	return 0;
}
