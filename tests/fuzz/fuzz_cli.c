// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target: the command-line parser.
 *
 * Input: the arguments after argv[0], separated by NUL bytes (what
 * /proc/PID/cmdline holds). Each argument gets a buffer of exactly its size,
 * so AddressSanitizer sees a read past any of them.
 *
 * Checked: a result is 0 or a usage error with a one-line message that
 * does not call an option that exists unknown; what is
 * parsed is within the documented ranges and modes exclude each other; a
 * second parse of the same argv, with a message buffer too small for most
 * messages, gives the same options (getopt keeps state between calls, and
 * cli_parse must reset it) and a truncated, terminated message. Each argument
 * also goes through the value parsers on its own.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_ARGS 256
#define ERR_LEN 256
#define SMALL_ERR_LEN 16
#define MAX_SECONDS_MS (366ULL * 86400 * 1000)

static _Noreturn void violated(const char *what, char **argv, int argc)
{
	fprintf(stderr, "cli invariant violated: %s\nargv:", what);
	for (int i = 0; i < argc; i++)
		fprintf(stderr, " '%s'", argv[i]);
	fputc('\n', stderr);
	abort();
}

#define CHECK(cond, what)                             \
	do {                                          \
		if (!(cond))                          \
			violated((what), argv, argc); \
	} while (0)

/* s points into one of the arguments (options keep pointers, not copies) */
static bool in_argv(const char *s, char **argv, int argc)
{
	uintptr_t p = (uintptr_t)s;

	for (int i = 0; i < argc; i++)
		if (p >= (uintptr_t)argv[i] && p <= (uintptr_t)argv[i] + strlen(argv[i]))
			return true;
	return false;
}

static bool seconds_ok(uint64_t ms)
{
	return ms >= 1 && ms <= MAX_SECONDS_MS;
}

static void check_value_parsers(const char *s, char **argv, int argc)
{
	uint32_t pids[CLI_MAX_PIDS], u;
	uint64_t ms;
	int n;

	if (!cli_parse_ring_size(s, &u))
		CHECK(u >= 4096 && u <= (1U << 30) && !(u & (u - 1)), "ring size out of range");
	if (!cli_parse_stack_bytes(s, &u))
		CHECK(u <= 16384 && u % 512 == 0, "stack bytes out of range");
	if (!cli_parse_seconds(s, &ms))
		CHECK(seconds_ok(ms), "seconds out of range");
	if (!cli_parse_pids(s, pids, &n)) {
		CHECK(n >= 1 && n <= CLI_MAX_PIDS, "pid count out of range");
		for (int i = 0; i < n; i++)
			CHECK(pids[i] >= 1 && pids[i] <= 4194304, "pid out of range");
	}
}

static void check_options(const struct options *o, char **argv, int argc)
{
	int targets = (o->cmd != NULL) + (o->npids > 0) + (o->cgroup != NULL);

	CHECK(o->npids >= 0 && o->npids <= CLI_MAX_PIDS, "pid count out of range");
	for (int i = 0; i < o->npids; i++)
		CHECK(o->pids[i] >= 1 && o->pids[i] <= 4194304, "pid out of range");
	CHECK(o->ring_bytes >= 4096 && o->ring_bytes <= (1U << 30) &&
	      !(o->ring_bytes & (o->ring_bytes - 1)), "ring size out of range");
	CHECK(o->stack_bytes <= 16384 && o->stack_bytes % 512 == 0, "stack bytes out of range");
	CHECK(o->error_exitcode >= 0 && o->error_exitcode <= 255, "error exit code out of range");
	CHECK(o->fail_on >= 0 && o->fail_on <= 2, "fail-on out of range");
	CHECK(seconds_ok(o->close_wait_ms) && seconds_ok(o->min_age_ms) && seconds_ok(o->idle_ms),
	      "a threshold out of range");
	CHECK(!o->duration_ms || seconds_ok(o->duration_ms), "duration out of range");
	CHECK(o->nsuppressions >= 0 && o->nsuppressions <= CLI_MAX_SUPPRESSIONS,
	      "suppression file count out of range");
	for (int i = 0; i < o->nsuppressions; i++)
		CHECK(o->suppressions[i][0] && in_argv(o->suppressions[i], argv, argc),
		      "a suppressions file name empty or not from argv");
	CHECK(!o->json_path || (o->json_path[0] && in_argv(o->json_path, argv, argc)),
	      "--json empty or not from argv");
	CHECK(!o->text_path || (o->text_path[0] && in_argv(o->text_path, argv, argc)),
	      "--text empty or not from argv");
	CHECK(!o->cgroup || (o->cgroup[0] && in_argv(o->cgroup, argv, argc)),
	      "--cgroup empty or not from argv");
	if (o->help || o->version)
		return; /* the parse stopped there: the rest is defaults */
	CHECK(targets <= 1, "more than one of -- CMD, -p and --cgroup");
	CHECK(!o->no_children || o->npids, "--no-children without -p");
	switch (o->mode) {
	case MODE_COMMAND:
		CHECK(o->cmd && o->cmd > argv && o->cmd < argv + argc &&
		      o->cmd_argc == argc - (int)(o->cmd - argv) && !o->cmd[o->cmd_argc],
		      "the command is not the tail of argv");
		CHECK(o->track_access, "a command without use counters");
		break;
	case MODE_PID:
		CHECK(o->npids && !o->cmd, "pid mode without pids");
		CHECK(o->track_access, "pid mode without use counters");
		break;
	case MODE_CGROUP:
		CHECK(o->cgroup && !o->cmd && !o->npids, "cgroup mode without a cgroup");
		break;
	case MODE_SYSTEM:
		CHECK(!targets, "system mode with a target");
		break;
	default:
		CHECK(false, "unknown mode");
	}
}

/* The long options as the README lists them. */
static const char *const long_names[] = {
	"pid", "no-children", "cgroup", "duration", "json", "text", "error-exitcode", "fail-on",
	"close-wait", "min-age", "idle", "track-inherited", "ring-size", "stack-bytes",
	"suppressions", "quiet", "verbose", "help", "version",
};

/* "unknown option '--NAME...'" must not name an option that exists. */
static bool calls_valid_option_unknown(const char *err)
{
	static const char prefix[] = "unknown option '--";
	const char *name = err + sizeof(prefix) - 1, *end = strrchr(err, '\'');
	size_t n;

	if (strncmp(err, prefix, sizeof(prefix) - 1))
		return false;
	/* the name may hold quotes itself: it ends at the message's last one */
	n = end > name ? (size_t)(end - name) : 0;
	for (size_t i = 0; i < sizeof(long_names) / sizeof(long_names[0]); i++)
		if (strlen(long_names[i]) == n && !strncmp(long_names[i], name, n))
			return true;
	return false;
}

static void check_message(int ret, const char *err, size_t len, char **argv, int argc)
{
	CHECK(ret == 0 || ret == -EINVAL, "neither 0 nor -EINVAL");
	CHECK(memchr(err, '\0', len), "message not terminated");
	CHECK(ret ? err[0] != '\0' : err[0] == '\0', "a message without an error or none with one");
	CHECK(!strchr(err, '\n'), "a message of more than one line");
	CHECK(!calls_valid_option_unknown(err), "a valid option called unknown");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2], *small_err;
	struct options o, again;
	char err[ERR_LEN];
	int argc = 1, ret, ret2;
	size_t i = 0;

	argv[0] = strdup("leakscope");
	while (i < size && argc <= MAX_ARGS) {
		const uint8_t *nul = memchr(data + i, '\0', size - i);
		size_t n = nul ? (size_t)(nul - (data + i)) : size - i;

		argv[argc] = malloc(n + 1);
		if (!argv[argc])
			abort();
		memcpy(argv[argc], data + i, n);
		argv[argc][n] = '\0';
		argc++;
		i += n + 1;
	}
	argv[argc] = NULL;

	memset(err, 0x5a, sizeof(err));
	memset(&o, 0x5a, sizeof(o));
	ret = cli_parse(argc, argv, &o, err, sizeof(err));
	check_message(ret, err, sizeof(err), argv, argc);
	if (!ret)
		check_options(&o, argv, argc);

	small_err = malloc(SMALL_ERR_LEN);
	if (!small_err)
		abort();
	memset(&again, 0xa5, sizeof(again));
	ret2 = cli_parse(argc, argv, &again, small_err, SMALL_ERR_LEN);
	check_message(ret2, small_err, SMALL_ERR_LEN, argv, argc);
	CHECK(ret2 == ret, "a second parse of the same argv returned otherwise");
	CHECK(!strncmp(small_err, err, SMALL_ERR_LEN - 1), "a second parse said otherwise");
	CHECK(ret || !memcmp(&o, &again, sizeof(o)), "a second parse gave other options");
	free(small_err);

	for (int a = 1; a < argc; a++)
		check_value_parsers(argv[a], argv, argc);
	for (int a = 0; a < argc; a++)
		free(argv[a]);
	return 0;
}
