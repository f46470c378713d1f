// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Syscall churn: tight loops of the resource lifecycles leakscope traces,
 * timed per family, in CPU time of the process (user + sys: the BPF programs
 * run inside its syscalls, so their cost is in it) and in wall time (what a
 * tracer that stops the process, like strace, costs: the process waits).
 * On a shared machine other processes take the CPU in the middle of a run;
 * CPU time does not count those waits, and each family runs in BATCHES
 * batches whose fastest is the one disturbed least (a tracer's cost is paid
 * inside every syscall, so it is in every batch). Prints one line a family:
 * "family best_batch_cpu_ns_per_iteration best_batch_wall_ns_per_iteration".
 *
 *   churn [ITERATIONS [BATCHES]]   (defaults 200000 and 5; thread churn
 *                                   uses a tenth of the iterations)
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

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
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
	long batches = argc > 2 ? strtol(argv[2], NULL, 10) : 5;

	if (batches < 1 || n / 10 < batches * 4) {
		fprintf(stderr, "churn: need BATCHES >= 1 and ITERATIONS >= 40 * BATCHES\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		/* a multiple of 4: the mixed family does four lifecycles a step */
		long per_batch = n / families[i].divisor / batches / 4 * 4;
		uint64_t best_cpu = UINT64_MAX, best_wall = UINT64_MAX;

		for (long b = 0; b < batches; b++) {
			/* the process clock: thread churn's time is in its threads */
			uint64_t c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID), w0 = now_ns(CLOCK_MONOTONIC);
			uint64_t dc, dw;

			families[i].run(per_batch);
			dw = now_ns(CLOCK_MONOTONIC) - w0;
			dc = now_ns(CLOCK_PROCESS_CPUTIME_ID) - c0;
			if (dc < best_cpu)
				best_cpu = dc;
			if (dw < best_wall)
				best_wall = dw;
		}
		printf("%s %.1f %.1f\n", families[i].name, (double)best_cpu / per_batch,
		       (double)best_wall / per_batch);
		fflush(stdout);
	}
	return 0;
}
