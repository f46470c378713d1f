// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * exit_code N      - exits with status N (0-255) with /dev/null open (fd 3).
 * exit_code signal - the same, but dies of SIGKILL instead.
 *
 * The open /dev/null makes sure there is a leak to report alongside the
 * exit status, whichever way the process ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void __attribute__((noreturn)) usage(const char *prog)
{
	fprintf(stderr, "usage: %s N|signal   (0 <= N <= 255)\n", prog);
	exit(2);
}

int main(int argc, char **argv)
{
	bool by_signal;
	long code = 0;
	char *end;

	if (argc != 2)
		usage(argv[0]);
	by_signal = !strcmp(argv[1], "signal");
	if (!by_signal) {
		errno = 0;
		code = strtol(argv[1], &end, 10);
		if (errno || end == argv[1] || *end || code < 0 || code > 255)
			usage(argv[0]);
	}

	if (open("/dev/null", O_RDONLY) < 0) {
		perror("open /dev/null");
		return 1;
	}

	if (by_signal) {
		/* SIGKILL cannot be caught, so returning at all is the failure. */
		raise(SIGKILL);
		perror("raise");
		return 1;
	}
	exit(code);
}
