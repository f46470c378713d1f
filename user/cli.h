/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command-line options: parsed without side effects, so they can be tested. */
#ifndef LEAKSCOPE_CLI_H
#define LEAKSCOPE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LS_EXIT_USAGE 2 /* bad command line */
#define LS_EXIT_ERROR 1 /* leakscope itself failed (BPF load, report write, ...) */

struct options {
	const char *json_path;  /* --json FILE */
	bool verbose;           /* -v */
	bool quiet;             /* -q: no human summary */
	bool track_inherited;   /* report fds the program did not create itself */
	uint32_t ring_bytes;    /* --ring-size */
	bool help;
	bool version;
	char **cmd;             /* the command after the options, NULL-terminated */
	int cmd_argc;
};

/* Returns 0, or -EINVAL with a one-line message (no newline) in err. */
int cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen);
/* Parses "8M", "256K", "4194304": a power of two between 4 KiB and 1 GiB. */
int cli_parse_ring_size(const char *s, uint32_t *out);
void cli_print_help(const char *prog);

#endif /* LEAKSCOPE_CLI_H */
