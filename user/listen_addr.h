/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --metrics-listen ADDR:PORT, parsed without side effects: numeric
 * addresses only (no name lookup at startup to hang or to be spoofed), and
 * loopback unless an address is given, so that a bare port never exposes
 * the metrics to the network by surprise.
 */
#ifndef LEAKSCOPE_LISTEN_ADDR_H
#define LEAKSCOPE_LISTEN_ADDR_H

#include <netinet/in.h>
#include <sys/socket.h>

struct listen_addr {
	struct sockaddr_storage ss; /* sockaddr_in or sockaddr_in6, port set */
	socklen_t len;
	int family;                 /* AF_INET or AF_INET6 */
	char text[80];              /* "127.0.0.1:9464", "[::1]:9464", for messages */
};

/*
 * "PORT" (127.0.0.1), "IPV4:PORT" or "[IPV6]:PORT"; PORT from 1 to 65535.
 * Returns 0, or -EINVAL with a one-line reason (no newline) in err.
 */
int listen_addr_parse(const char *s, struct listen_addr *out, char *err, size_t errlen);

#endif /* LEAKSCOPE_LISTEN_ADDR_H */
