// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * leaky - the demo "service" that `make demo` runs under leakscope.
 *
 * It leaks fds of several kinds next to ones it releases correctly, so the
 * report shows leakscope telling the two apart.  Everything is done in a
 * fixed order, so the leaked fd numbers are the same on every run (given
 * only fds 0-2 are inherited):
 *
 *   fd 3-7  DIR/log-0.txt .. DIR/log-4.txt   (open_logs)
 *   fd 8    TCP socket bound to 127.0.0.1     (connect_backend)
 *   fd 10   write end of a pipe               (start_worker_pipe)
 *
 * Usage: leaky [DIR]    (DIR defaults to /tmp/leakscope-demo)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_DIR	"/tmp/leakscope-demo"
#define NR_LOGS		5
#define NR_SCRATCH	10

static const char *dir = DEFAULT_DIR;

static void __attribute__((noreturn)) die(const char *what)
{
	perror(what);
	exit(1);
}

static int open_in_dir(const char *fmt, int n)
{
	char name[64], path[4096];
	int fd;

	snprintf(name, sizeof(name), fmt, n);
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		fprintf(stderr, "leaky: directory name too long: %s\n", dir);
		exit(1);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static void write_line(int fd, const char *line)
{
	size_t len = strlen(line);

	if (write(fd, line, len) != (ssize_t)len)
		die("write");
}

/* The bug on show: the fds go nowhere, so nothing can ever close them. */
static void __attribute__((noinline)) open_logs(void)
{
	int i, fd;

	for (i = 0; i < NR_LOGS; i++) {
		fd = open_in_dir("log-%d.txt", i);
		write_line(fd, "service started\n");
	}
}

/* Well-behaved counterpart, so the report is not just "every open leaks". */
static void __attribute__((noinline)) write_scratch_files(void)
{
	int i, fd;

	for (i = 0; i < NR_SCRATCH; i++) {
		fd = open_in_dir("tmp-%d.txt", i);
		write_line(fd, "scratch\n");
		if (close(fd))
			die("close");
	}
}

/*
 * The worker that would own the read end never exists, so the read end is
 * dropped; the write end is forgotten, which is the leak.
 */
static void __attribute__((noinline)) start_worker_pipe(void)
{
	int pfd[2];

	if (pipe(pfd))
		die("pipe");
	if (close(pfd[0]))
		die("close");
}

/*
 * Bound rather than connected so the demo needs no server; a loopback
 * address with port 0 can never collide with anything else on the host.
 */
static void __attribute__((noinline)) connect_backend(void)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = 0,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int fd;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)))
		die("bind");
}

static void __attribute__((noinline)) send_metrics(void)
{
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (close(fd))
		die("close");
}

static void __attribute__((noinline)) notify_ready(void)
{
	uint64_t one = 1;
	int fd;

	fd = eventfd(0, EFD_CLOEXEC);
	if (fd < 0)
		die("eventfd");
	if (write(fd, &one, sizeof(one)) != (ssize_t)sizeof(one))
		die("write");
	if (close(fd))
		die("close");
}

int main(int argc, char **argv)
{
	if (argc > 2) {
		fprintf(stderr, "usage: %s [DIR]\n", argv[0]);
		return 2;
	}
	if (argc == 2)
		dir = argv[1];
	if (mkdir(dir, 0755) && errno != EEXIST)
		die("mkdir");

	open_logs();
	write_scratch_files();
	connect_backend();
	start_worker_pipe();
	send_metrics();
	notify_ready();

	printf("leaky: done (expected leaks: 5 files, 1 pipe end, 1 socket)\n");
	return 0;
}
