// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pipes_sockets leak|clean - creates one fd of each non-file kind leakscope
 * classifies: pipe() and pipe2(O_CLOEXEC) pipes, a socketpair, UDP and
 * TCPv6 sockets, an eventfd and a TCP listener with a connected client and
 * the accepted peer.
 *
 * clean: closes all of them.
 * leak:  exits with exactly the pipe() write end, the eventfd and the
 *        accepted socket open.  Creation order is fixed, so with only fds
 *        0-2 inherited these are fds 4, 11 and 14.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
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

/*
 * glibc's pipe() is pipe2(fds, 0) underneath, which would leave the tracer's
 * handling of the old pipe syscall untested; use it where the arch has it.
 */
static int old_pipe(int fds[2])
{
#ifdef SYS_pipe
	return syscall(SYS_pipe, fds);
#else
	return pipe(fds);
#endif
}

static int socket_or_die(int domain, int type)
{
	int fd = socket(domain, type, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

int main(int argc, char **argv)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = 0,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	socklen_t addr_len = sizeof(addr);
	int plain[2], cloexec[2], pair[2];
	int udp, tcp6, efd, listener, client, peer;
	bool leak;

	if (argc != 2 || (strcmp(argv[1], "leak") && strcmp(argv[1], "clean"))) {
		fprintf(stderr, "usage: %s leak|clean\n", argv[0]);
		return 2;
	}
	leak = !strcmp(argv[1], "leak");

	if (old_pipe(plain))
		die("pipe");
	if (pipe2(cloexec, O_CLOEXEC))
		die("pipe2");
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair))
		die("socketpair");
	udp = socket_or_die(AF_INET, SOCK_DGRAM);
	tcp6 = socket_or_die(AF_INET6, SOCK_STREAM);
	efd = eventfd(0, 0);
	if (efd < 0)
		die("eventfd");

	/* Port 0 on loopback: no collision with anything else on the host. */
	listener = socket_or_die(AF_INET, SOCK_STREAM);
	if (bind(listener, (struct sockaddr *)&addr, sizeof(addr)))
		die("bind");
	if (listen(listener, 1))
		die("listen");
	if (getsockname(listener, (struct sockaddr *)&addr, &addr_len))
		die("getsockname");
	client = socket_or_die(AF_INET, SOCK_STREAM);
	/* Loopback connect completes from the backlog, before accept runs. */
	if (connect(client, (struct sockaddr *)&addr, sizeof(addr)))
		die("connect");
	peer = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
	if (peer < 0)
		die("accept4");

	close_or_die(plain[0]);
	if (!leak)
		close_or_die(plain[1]);
	close_or_die(cloexec[0]);
	close_or_die(cloexec[1]);
	close_or_die(pair[0]);
	close_or_die(pair[1]);
	close_or_die(udp);
	close_or_die(tcp6);
	if (!leak)
		close_or_die(efd);
	close_or_die(client);
	if (!leak)
		close_or_die(peer);
	close_or_die(listener);
	return 0;
}
