// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tcp_close_wait leak|clean [inet|inet6] - TCP endpoints and states, unix peers.
 *
 * A TCP listener on 127.0.0.1 (inet6: ::1) port 0; a client connects and the
 * listener accepts it; the client closes, and 300 ms later (the peer's FIN
 * has arrived: the accepted socket is in CLOSE_WAIT) a
 * socketpair(AF_UNIX, SOCK_STREAM) is made. Prints "port N", the listener's
 * port.
 *
 * leak:  exits with the listener, the accepted socket and both ends of the
 *        socketpair open.
 * clean: closes them all first.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
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

static int socket_or_die(int domain, int type)
{
	int fd = socket(domain, type, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 300 * 1000000L };
	socklen_t len;
	int family = AF_INET, listener, client, peer, pair[2];
	unsigned int port;
	bool leak;

	if (argc < 2 || argc > 3 || (strcmp(argv[1], "leak") && strcmp(argv[1], "clean")) ||
	    (argc == 3 && strcmp(argv[2], "inet") && strcmp(argv[2], "inet6"))) {
		fprintf(stderr, "usage: %s leak|clean [inet|inet6]\n", argv[0]);
		return 2;
	}
	leak = !strcmp(argv[1], "leak");
	if (argc == 3 && !strcmp(argv[2], "inet6"))
		family = AF_INET6;

	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		in4->sin_family = AF_INET;
		in4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*in4);
	} else {
		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
		len = sizeof(*in6);
	}
	listener = socket_or_die(family, SOCK_STREAM);
	if (bind(listener, (struct sockaddr *)&ss, len))
		die("bind");
	if (listen(listener, 1))
		die("listen");
	if (getsockname(listener, (struct sockaddr *)&ss, &len))
		die("getsockname");
	port = ntohs(family == AF_INET ? in4->sin_port : in6->sin6_port);

	client = socket_or_die(family, SOCK_STREAM);
	if (connect(client, (struct sockaddr *)&ss, len))
		die("connect");
	peer = accept(listener, NULL, NULL);
	if (peer < 0)
		die("accept");
	close_or_die(client);
	while (nanosleep(&ts, &ts))
		if (errno != EINTR)
			die("nanosleep");

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair))
		die("socketpair");
	if (printf("port %u\n", port) < 0 || fflush(stdout))
		die("stdout");
	if (!leak) {
		close_or_die(pair[0]);
		close_or_die(pair[1]);
		close_or_die(peer);
		close_or_die(listener);
	}
	return 0;
}
