// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * busy DIR K WAIT_FILE - a process that is always in the middle of work,
 * until it is killed.
 *
 * Prints "ready" and waits (polling every 10 ms, 30 s at most, then exit
 * status 1) until WAIT_FILE exists: time to attach to it.  Then opens
 * DIR/held-000 .. DIR/held-<K-1> (fds 3 .. 3+K-1 when only 0-2 were
 * inherited) and keeps them, prints "held K", and from then on the main
 * thread and 2 more threads open and close DIR/churn-<thread> (the last
 * thread with close_range, the others with close), 10 times a millisecond each (busy, yet within what a consumer on a loaded machine
 * drains), forever (60 s at most, then exit status 1): whenever it is
 * killed, up to 3 more fds are open for an instant.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHURN_THREADS 2
#define MAX_SECONDS 60

static const char *dir;

static void __attribute__((noreturn)) die(const char *what, int err)
{
	fprintf(stderr, "busy: %s: %s\n", what, strerror(err));
	exit(1);
}

static int open_in_dir(const char *fmt, long i)
{
	char name[64], path[4096];
	int fd;

	snprintf(name, sizeof(name), fmt, i);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_CREAT | O_RDWR, 0600);
	if (fd < 0)
		die(path, errno);
	return fd;
}

static void *churn(void *arg)
{
	long id = (long)arg;
	time_t end = time(NULL) + MAX_SECONDS;

	struct timespec pause = { .tv_nsec = 1000 * 1000 };

	while (time(NULL) < end) {
		for (int i = 0; i < 10; i++) {
			int fd = open_in_dir("churn-%ld", id);

			if (id == CHURN_THREADS ? close_range(fd, fd, 0) : close(fd))
				die("close", errno);
		}
		nanosleep(&pause, NULL);
	}
	fprintf(stderr, "busy: not killed within %d s\n", MAX_SECONDS);
	exit(1);
}

int main(int argc, char **argv)
{
	struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	pthread_t threads[CHURN_THREADS];
	char *end;
	long k;
	int err;

	if (argc != 4) {
		fprintf(stderr, "usage: %s DIR K WAIT_FILE\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	errno = 0;
	k = strtol(argv[2], &end, 10);
	if (errno || *end || k < 0 || k > 1000) {
		fprintf(stderr, "busy: bad K '%s'\n", argv[2]);
		return 2;
	}
	if (printf("ready\n") < 0 || fflush(stdout))
		die("stdout", errno);
	for (int i = 0; access(argv[3], F_OK); i++) {
		if (i == 3000) {
			fprintf(stderr, "busy: %s did not appear in 30 s\n", argv[3]);
			return 1;
		}
		nanosleep(&tick, NULL);
	}
	for (long i = 0; i < k; i++)
		open_in_dir("held-%03ld", i);
	if (printf("held %ld\n", k) < 0 || fflush(stdout))
		die("stdout", errno);
	for (long i = 0; i < CHURN_THREADS; i++) {
		err = pthread_create(&threads[i], NULL, churn, (void *)(i + 1));
		if (err)
			die("pthread_create", err);
	}
	churn((void *)0);
	return 1;
}
