// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * growth leak|clean DIR - open fds rising steadily toward RLIMIT_NOFILE, or
 * not at all.
 *
 * Sets the soft RLIMIT_NOFILE to 1024 (the hard limit stays as inherited, so
 * that prlimit(1) can raise the soft one again without CAP_SYS_RESOURCE) and
 * prints "ready". Then every
 * 100 ms (absolute deadlines, so the rate stays 10 a second) opens DIR/data:
 * leak keeps every fd, clean closes each one right away. After each step it
 * prints "step N OPEN T": N steps so far, OPEN fds it holds now (what
 * /proc/self/fd listed at start, plus what it kept), T the CLOCK_REALTIME
 * seconds of the step. Stops and exits 0 when DIR/stop exists or after 120
 * s; at EMFILE it prints "emfile OPEN" and waits for DIR/stop.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define NOFILE 1024
#define STEP_NS (100 * 1000 * 1000L)
#define MAX_STEPS 1200 /* 120 s */

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* The fds open now, not counting the one that lists them. */
static int count_open(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	if (!d)
		die("growth: /proc/self/fd");
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n - 1;
}

static void path_in(char *buf, size_t len, const char *dir, const char *name)
{
	if (snprintf(buf, len, "%s/%s", dir, name) >= (int)len) {
		fprintf(stderr, "growth: directory name too long\n");
		exit(1);
	}
}

static void next_deadline(struct timespec *t)
{
	t->tv_nsec += STEP_NS;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_nsec -= 1000000000L;
		t->tv_sec++;
	}
}

int main(int argc, char **argv)
{
	struct rlimit rl;
	char data[4096], stop[4096];
	struct timespec deadline, now;
	int leak, open_now, fd;

	if (argc != 3 || (strcmp(argv[1], "leak") && strcmp(argv[1], "clean"))) {
		fprintf(stderr, "usage: %s leak|clean DIR\n", argv[0]);
		return 2;
	}
	leak = !strcmp(argv[1], "leak");
	path_in(data, sizeof(data), argv[2], "data");
	path_in(stop, sizeof(stop), argv[2], "stop");
	fd = open(data, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || close(fd))
		die("growth: create data");
	if (getrlimit(RLIMIT_NOFILE, &rl))
		die("growth: getrlimit");
	rl.rlim_cur = NOFILE;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("growth: setrlimit");
	setvbuf(stdout, NULL, _IOLBF, 0);
	open_now = count_open();
	printf("ready\n");
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	for (int step = 1; step <= MAX_STEPS && access(stop, F_OK); step++) {
		next_deadline(&deadline);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == EINTR)
			;
		fd = open(data, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno == EMFILE) {
			printf("emfile %d\n", open_now);
			while (access(stop, F_OK))
				sleep(1);
			break;
		}
		if (fd < 0)
			die("growth: open data");
		if (leak)
			open_now++;
		else if (close(fd))
			die("growth: close");
		clock_gettime(CLOCK_REALTIME, &now);
		printf("step %d %d %lld.%09ld\n", step, open_now, (long long)now.tv_sec, now.tv_nsec);
	}
	return 0;
}
