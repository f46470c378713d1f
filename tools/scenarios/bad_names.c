// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bad_names DIR - leaks one file (fd 3) whose name needs every kind of
 * escaping a report writer can get wrong: bytes that are not UTF-8, a
 * double quote, a backslash, a newline, a tab and a control byte.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Split so that no hex escape can swallow the character after it. */
static const char bad_name[] = "bad" "\xff\xfe" "\"q\\b\n\t" "\x01" ".txt";

int main(int argc, char **argv)
{
	char path[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	if (snprintf(path, sizeof(path), "%s/%s", argv[1], bad_name) >= (int)sizeof(path)) {
		fprintf(stderr, "bad_names: directory name too long\n");
		return 1;
	}
	/* perror() alone: the path itself would break the one-line message. */
	if (open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600) < 0) {
		perror("open");
		return 1;
	}
	return 0;
}
