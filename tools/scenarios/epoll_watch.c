// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * epoll_watch leak|clean - an epoll instance and what it watches.
 *
 * epoll_create1, a pipe and an eventfd; EPOLL_CTL_ADD the pipe's read end
 * and the eventfd, EPOLL_CTL_MOD the pipe's read end (no change in the
 * watches), EPOLL_CTL_DEL the eventfd, then close the eventfd. Prints
 * "epfd N pipe_r N".
 *
 * leak:  exits with the epoll fd and the pipe's read end open (and closes
 *        the write end).
 * clean: closes everything.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

static void __attribute__((noreturn)) die(const char *what)
{
	perror(what);
	exit(1);
}

static void close_or_die(int fd)
{
	if (close(fd))
		die("close");
}

static void ctl_or_die(int epfd, int op, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	if (epoll_ctl(epfd, op, fd, op == EPOLL_CTL_DEL ? NULL : &ev))
		die("epoll_ctl");
}

int main(int argc, char **argv)
{
	int epfd, efd, p[2];
	bool leak;

	if (argc != 2 || (strcmp(argv[1], "leak") && strcmp(argv[1], "clean"))) {
		fprintf(stderr, "usage: %s leak|clean\n", argv[0]);
		return 2;
	}
	leak = !strcmp(argv[1], "leak");

	epfd = epoll_create1(0);
	if (epfd < 0)
		die("epoll_create1");
	if (pipe(p))
		die("pipe");
	efd = eventfd(0, 0);
	if (efd < 0)
		die("eventfd");
	ctl_or_die(epfd, EPOLL_CTL_ADD, p[0], EPOLLIN);
	ctl_or_die(epfd, EPOLL_CTL_ADD, efd, EPOLLIN);
	ctl_or_die(epfd, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLRDHUP);
	ctl_or_die(epfd, EPOLL_CTL_DEL, efd, 0);
	close_or_die(efd);
	if (printf("epfd %d pipe_r %d\n", epfd, p[0]) < 0 || fflush(stdout))
		die("stdout");
	close_or_die(p[1]);
	if (!leak) {
		close_or_die(p[0]);
		close_or_die(epfd);
	}
	return 0;
}
