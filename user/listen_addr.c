// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listen_addr.h"

#define ADDR_MAX 64
#define NOT_IPV4 "not a numeric IPv4 address (names are not looked up)"

static int fail(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -EINVAL;
}

/* Digits only: strtoul would take a sign, spaces and "0x". */
static int parse_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;

	if (!*s || strlen(s) > 5)
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v < 1 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int listen_addr_parse(const char *s, struct listen_addr *out, char *err, size_t errlen)
{
	char host[ADDR_MAX] = "127.0.0.1";
	const char *port_s = s, *colon;
	uint16_t port;

	memset(out, 0, sizeof(*out));
	if (!s || !*s)
		return fail(err, errlen, "want PORT, IPV4:PORT or [IPV6]:PORT");
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof(host))
			return fail(err, errlen, "want [IPV6]:PORT");
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		port_s = close + 2;
	} else if ((colon = strrchr(s, ':'))) {
		if (colon == s)
			return fail(err, errlen, "no address before ':' (give 0.0.0.0 for every "
				    "interface, or only the port for loopback)");
		if (memchr(s, ':', (size_t)(colon - s)))
			return fail(err, errlen, "an IPv6 address goes in brackets: [ADDR]:PORT");
		if ((size_t)(colon - s) >= sizeof(host))
			return fail(err, errlen, NOT_IPV4);
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
		port_s = colon + 1;
	}
	if (parse_port(port_s, &port))
		return fail(err, errlen, "the port must be a number from 1 to 65535");
	if (s[0] == '[') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&out->ss;

		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			return fail(err, errlen, "not a numeric IPv6 address");
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		out->len = sizeof(*a);
		out->family = AF_INET6;
		snprintf(out->text, sizeof(out->text), "[%s]:%u", host, port);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&out->ss;

		/* inet_pton takes only the dotted quad, not inet_aton's "127.1" */
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			return fail(err, errlen, NOT_IPV4);
		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		out->len = sizeof(*a);
		out->family = AF_INET;
		snprintf(out->text, sizeof(out->text), "%s:%u", host, port);
	}
	return 0;
}
