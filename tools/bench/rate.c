// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Open/close churn at a set rate, for the sustained event rate an observer
 * keeps up with: THREADS threads share RATE lifecycles per second (0: as
 * fast as they can) for SECONDS. Each thread keeps to a schedule measured
 * from the start, so a thread delayed by the scheduler catches up instead of
 * lowering the rate. A lifecycle is open("/dev/null") + close, or with
 * "dup" dup(0) + close: the cheapest fd creation there is, for the highest
 * event rate two cores can generate. Prints "iterations N seconds S per_s R".
 *
 *   rate RATE SECONDS [THREADS [open|dup]]   (defaults: 1 thread, open)
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct worker {
	pthread_t thread;
	double rate;      /* lifecycles per second for this thread; 0: no limit */
	uint64_t end_ns;
	uint64_t start_ns;
	long done;
	int dup; /* dup(0) instead of open */
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	/* sleeping less than this is not worth a syscall that is not traced */
	const struct timespec nap = { 0, 50000 };

	for (;;) {
		uint64_t t = now_ns();

		if (t >= w->end_ns)
			break;
		if (w->rate > 0 && w->done >= (long)(w->rate * (t - w->start_ns) / 1e9)) {
			nanosleep(&nap, NULL);
			continue;
		}
		/* a burst between clock reads keeps the clock out of the cost */
		for (int i = 0; i < 16; i++) {
			int fd = w->dup ? dup(0) : open("/dev/null", O_RDONLY | O_CLOEXEC);

			if (fd < 0 || close(fd)) {
				perror("rate: create/close");
				exit(1);
			}
		}
		w->done += 16;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct worker workers[64];
	double rate, seconds;
	long threads, total = 0;
	int dup_mode;
	uint64_t start, end;

	if (argc < 3) {
		fprintf(stderr, "usage: rate RATE SECONDS [THREADS]\n");
		return 2;
	}
	rate = strtod(argv[1], NULL);
	seconds = strtod(argv[2], NULL);
	threads = argc > 3 ? strtol(argv[3], NULL, 10) : 1;
	dup_mode = argc > 4 && strcmp(argv[4], "dup") == 0;
	if (rate < 0 || seconds <= 0 || threads < 1 || threads > 64 ||
	    (argc > 4 && !dup_mode && strcmp(argv[4], "open"))) {
		fprintf(stderr, "rate: RATE >= 0, SECONDS > 0, 1 <= THREADS <= 64, open or dup\n");
		return 2;
	}
	start = now_ns();
	for (long i = 0; i < threads; i++) {
		workers[i].rate = rate / threads;
		workers[i].start_ns = start;
		workers[i].end_ns = start + (uint64_t)(seconds * 1e9);
		workers[i].done = 0;
		workers[i].dup = dup_mode;
		if (pthread_create(&workers[i].thread, NULL, work, &workers[i])) {
			perror("rate: pthread_create");
			return 1;
		}
	}
	for (long i = 0; i < threads; i++) {
		pthread_join(workers[i].thread, NULL);
		total += workers[i].done;
	}
	end = now_ns();
	printf("iterations %ld seconds %.3f per_s %.0f\n", total, (end - start) / 1e9,
	       total / ((end - start) / 1e9));
	return 0;
}
