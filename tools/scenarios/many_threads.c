// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * many_threads N EVERY DIR [WAIT_FILE] - N threads alive at once, each
 * holding one fd.
 *
 * With WAIT_FILE, it first prints "ready" and waits (polling every 10 ms, 30 s
 * at most, then exit status 1) until WAIT_FILE exists: time to attach to it.
 * Thread i (0-based) opens DIR/leak-<i> (5 digits) when i % EVERY == 0 and
 * DIR/shared otherwise, waits until all N threads and the main thread hold
 * theirs (a barrier), then closes it - except the leak-* ones, which stay
 * open until the process exits - and returns.  The main thread joins them
 * all, prints "pid P", "threads N" and "leaked L" (one line each) and exits 0.
 *
 * Stacks are 64 KiB (pthread_attr_setstacksize) so that 10 000 threads take
 * about 700 MB of address space and little memory; RLIMIT_NOFILE's soft
 * limit is raised to the hard one so that N fds fit.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define STACK_BYTES (64 * 1024)

static pthread_barrier_t all_hold;
static const char *dir;
static long every;

static void __attribute__((noreturn)) die(const char *what, int err)
{
	fprintf(stderr, "many_threads: %s: %s\n", what, strerror(err));
	exit(1);
}

static void *worker(void *arg)
{
	long i = (long)arg;
	char path[4096];
	int fd, err;

	if (i % every == 0)
		snprintf(path, sizeof(path), "%s/leak-%05ld", dir, i);
	else
		snprintf(path, sizeof(path), "%s/shared", dir);
	fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		die(path, errno);
	err = pthread_barrier_wait(&all_hold);
	if (err && err != PTHREAD_BARRIER_SERIAL_THREAD)
		die("pthread_barrier_wait", err);
	if (i % every != 0 && close(fd))
		die("close", errno);
	return NULL;
}

static void wait_for(const char *path)
{
	struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };

	if (printf("ready\n") < 0 || fflush(stdout))
		die("stdout", errno);
	for (int i = 0; access(path, F_OK); i++) {
		if (i == 3000) {
			fprintf(stderr, "many_threads: %s did not appear in 30 s\n", path);
			exit(1);
		}
		nanosleep(&tick, NULL);
	}
}

static long parse_positive(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > 100000) {
		fprintf(stderr, "many_threads: bad %s '%s'\n", what, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	pthread_attr_t attr;
	pthread_t *threads;
	struct rlimit rl;
	long n, leaked;
	int err;

	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: %s N EVERY DIR [WAIT_FILE]\n", argv[0]);
		return 2;
	}
	n = parse_positive(argv[1], "N");
	every = parse_positive(argv[2], "EVERY");
	dir = argv[3];
	leaked = (n + every - 1) / every;
	if (argc == 5)
		wait_for(argv[4]);

	if (getrlimit(RLIMIT_NOFILE, &rl))
		die("getrlimit", errno);
	if ((rlim_t)n + 16 > rl.rlim_max) {
		fprintf(stderr, "many_threads: RLIMIT_NOFILE hard limit %llu < %ld + 16\n",
			(unsigned long long)rl.rlim_max, n);
		return 1;
	}
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit", errno);

	threads = calloc((size_t)n, sizeof(*threads));
	if (!threads)
		die("calloc", ENOMEM);
	err = pthread_barrier_init(&all_hold, NULL, (unsigned)n + 1);
	if (!err)
		err = pthread_attr_init(&attr);
	if (!err)
		err = pthread_attr_setstacksize(&attr, STACK_BYTES);
	if (err)
		die("pthread attributes", err);
	for (long i = 0; i < n; i++) {
		err = pthread_create(&threads[i], &attr, worker, (void *)i);
		if (err) {
			fprintf(stderr, "many_threads: pthread_create #%ld: %s\n", i, strerror(err));
			return 1;
		}
	}
	err = pthread_barrier_wait(&all_hold);
	if (err && err != PTHREAD_BARRIER_SERIAL_THREAD)
		die("pthread_barrier_wait", err);
	for (long i = 0; i < n; i++) {
		err = pthread_join(threads[i], NULL);
		if (err)
			die("pthread_join", err);
	}
	if (printf("pid %d\nthreads %ld\nleaked %ld\n", (int)getpid(), n, leaked) < 0 ||
	    fflush(stdout))
		die("stdout", errno);
	return 0;
}
