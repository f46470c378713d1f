// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * stacks: leaks from functions of its own, through glibc's wrappers, built
 * -O2 -g without frame pointers (the Debian default), so that only DWARF
 * unwinding can name the caller. Each leaking call is on a line marked
 * "LEAK:<name>" for the test to find.
 *
 *   open_config  open(2) from a noinline function          (fd 3)
 *   read_table   fopen(3): glibc's deeper call chain       (fd 4)
 *   dial         socket(2) from a static function inlined into its caller
 *   in_thread    open(2) from a second thread
 *
 * Usage: stacks DIR
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *dir;

static int __attribute__((noinline)) open_config(void)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/config", dir);
	return open(path, O_RDWR | O_CREAT, 0600); /* LEAK:open_config */
}

static FILE *__attribute__((noinline)) read_table(void)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/table", dir);
	return fopen(path, "w"); /* LEAK:read_table */
}

static inline int dial(void)
{
	return socket(AF_INET, SOCK_STREAM, 0); /* LEAK:dial */
}

static volatile int dialed;

/* work after the call: a tail call would leave no frame of connect_all */
static int __attribute__((noinline)) connect_all(void)
{
	int fd = dial();

	dialed++;
	return fd;
}

static void *in_thread(void *arg)
{
	char path[512];

	(void)arg;
	snprintf(path, sizeof(path), "%s/thread", dir);
	if (open(path, O_RDWR | O_CREAT, 0600) < 0) /* LEAK:in_thread */
		perror("open");
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc != 2) {
		fprintf(stderr, "usage: stacks DIR\n");
		return 2;
	}
	dir = argv[1];
	if (open_config() < 0 || !read_table() || connect_all() < 0) {
		perror("stacks");
		return 1;
	}
	if (pthread_create(&t, NULL, in_thread, NULL) || pthread_join(t, NULL)) {
		fprintf(stderr, "stacks: thread failed\n");
		return 1;
	}
	return 0;
}
