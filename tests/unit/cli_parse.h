/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the command-line tests share: parse an argv, check a usage error. */
#ifndef LEAKSCOPE_TEST_CLI_PARSE_H
#define LEAKSCOPE_TEST_CLI_PARSE_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct parsed {
	struct options o;
	char err[256];
	int ret;
};

/* argv is a NULL-terminated array of writable pointers, as main gets it. */
#define ARGV(...) ((char *[]){ "leakscope", __VA_ARGS__, NULL })
#define PARSE(pr, ...) parse((pr), ARGV(__VA_ARGS__))

static int parse(struct parsed *pr, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	memset(pr, 0x5a, sizeof(*pr)); /* cli_parse must set everything itself */
	pr->ret = cli_parse(argc, argv, &pr->o, pr->err, sizeof(pr->err));
	return pr->ret;
}

static void assert_usage_error(struct parsed *pr, const char *needle)
{
	assert_int_equal(pr->ret, -EINVAL);
	assert_non_null(strstr(pr->err, needle));
	assert_null(strchr(pr->err, '\n'));
}

#endif /* LEAKSCOPE_TEST_CLI_PARSE_H */
