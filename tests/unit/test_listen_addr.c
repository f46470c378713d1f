// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --metrics-listen: what is accepted, what it means, what is refused and why. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "listen_addr.h"

static void accepted(const char *in, int family, const char *addr, unsigned int port,
		     const char *text)
{
	struct listen_addr a;
	char err[128] = "", buf[INET6_ADDRSTRLEN];

	assert_int_equal(listen_addr_parse(in, &a, err, sizeof(err)), 0);
	assert_int_equal(a.family, family);
	if (family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)&a.ss;

		assert_int_equal(s->sin_family, AF_INET);
		assert_int_equal(a.len, sizeof(*s));
		assert_int_equal(ntohs(s->sin_port), port);
		assert_non_null(inet_ntop(AF_INET, &s->sin_addr, buf, sizeof(buf)));
	} else {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)&a.ss;

		assert_int_equal(s->sin6_family, AF_INET6);
		assert_int_equal(a.len, sizeof(*s));
		assert_int_equal(ntohs(s->sin6_port), port);
		assert_non_null(inet_ntop(AF_INET6, &s->sin6_addr, buf, sizeof(buf)));
	}
	assert_string_equal(buf, addr);
	assert_string_equal(a.text, text);
}

static void refused(const char *in, const char *needle)
{
	struct listen_addr a;
	char err[128] = "";

	assert_int_equal(listen_addr_parse(in, &a, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, needle));
	assert_null(strchr(err, '\n'));
}

static void test_accepted(void **state)
{
	(void)state;
	/* only a port: loopback, never every interface by surprise */
	accepted("9464", AF_INET, "127.0.0.1", 9464, "127.0.0.1:9464");
	accepted("1", AF_INET, "127.0.0.1", 1, "127.0.0.1:1");
	accepted("65535", AF_INET, "127.0.0.1", 65535, "127.0.0.1:65535");
	accepted("0.0.0.0:9464", AF_INET, "0.0.0.0", 9464, "0.0.0.0:9464");
	accepted("10.1.2.3:80", AF_INET, "10.1.2.3", 80, "10.1.2.3:80");
	accepted("[::1]:9464", AF_INET6, "::1", 9464, "[::1]:9464");
	accepted("[::]:9464", AF_INET6, "::", 9464, "[::]:9464");
	accepted("[fe80::1:2]:8080", AF_INET6, "fe80::1:2", 8080, "[fe80::1:2]:8080");
}

static void test_refused(void **state)
{
	(void)state;
	refused("", "want PORT");
	refused("0", "from 1 to 65535");
	refused("65536", "from 1 to 65535");
	refused("123456", "from 1 to 65535");
	refused("-1", "from 1 to 65535");
	refused("+80", "from 1 to 65535");
	refused(" 80", "from 1 to 65535");
	refused("0x50", "from 1 to 65535");
	refused("127.0.0.1:", "from 1 to 65535");
	refused("127.0.0.1:http", "from 1 to 65535");
	refused(":9464", "no address before ':'");
	refused("localhost:9464", "not a numeric IPv4 address");
	refused("127.1:9464", "not a numeric IPv4 address");
	refused("1.2.3.4.5:80", "not a numeric IPv4 address");
	refused("256.0.0.1:80", "not a numeric IPv4 address");
	refused("::1:9464", "in brackets");
	refused("[::1]", "want [IPV6]:PORT");
	refused("[::1:9464", "want [IPV6]:PORT");
	refused("[::1]9464", "want [IPV6]:PORT");
	refused("[127.0.0.1]:80", "not a numeric IPv6 address");
	refused("[::1]:0", "from 1 to 65535");
	refused("[0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000]:80",
		"not a numeric IPv6 address");
	/* longer than any address: refused before it is copied */
	refused("[0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0000]:80",
		"want [IPV6]:PORT");
	refused("1111111111111111111111111111111111111111111111111111111111111111:80",
		"not a numeric IPv4 address");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
