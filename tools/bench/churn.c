// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Syscall churn: tight loops of the resource lifecycles leakscope traces,
 * timed per family. Prints "family ns_per_iteration" lines.
 *
 *   churn [ITERATIONS]   (default 200000; thread churn uses a tenth)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void churn_open(long n)
{
	for (long i = 0; i < n; i++) {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (fd < 0 || close(fd))
			die("open/close");
	}
}

static void churn_socket(long n)
{
	for (long i = 0; i < n; i++) {
		int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

		if (fd < 0 || close(fd))
			die("socket/close");
	}
}

static void churn_pipe(long n)
{
	int p[2];

	for (long i = 0; i < n; i++) {
		if (pipe2(p, O_CLOEXEC) || close(p[0]) || close(p[1]))
			die("pipe/close");
	}
}

static void churn_mmap(long n)
{
	for (long i = 0; i < n; i++) {
		void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED || munmap(m, 4096))
			die("mmap/munmap");
	}
}

static void *nothing(void *arg)
{
	return arg;
}

static void churn_thread(long n)
{
	pthread_t t;

	for (long i = 0; i < n; i++) {
		if (pthread_create(&t, NULL, nothing, NULL) || pthread_join(t, NULL))
			die("pthread_create/join");
	}
}

static void churn_mixed(long n)
{
	for (long i = 0; i < n / 4; i++) {
		churn_open(1);
		churn_socket(1);
		churn_pipe(1);
		churn_mmap(1);
	}
}

struct family {
	const char *name;
	void (*run)(long n);
	long divisor; /* iterations = n / divisor */
};

int main(int argc, char **argv)
{
	static const struct family families[] = {
		{ "open_close", churn_open, 1 },   { "socket_close", churn_socket, 1 },
		{ "pipe_close", churn_pipe, 1 },   { "mmap_munmap", churn_mmap, 1 },
		{ "thread_create_join", churn_thread, 10 }, { "mixed", churn_mixed, 1 },
	};
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 200000;

	if (n < 10) {
		fprintf(stderr, "churn: ITERATIONS must be at least 10\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		long iters = n / families[i].divisor;
		uint64_t t0 = now_ns();

		families[i].run(iters);
		printf("%s %.1f\n", families[i].name, (double)(now_ns() - t0) / iters);
	}
	return 0;
}
