// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Command-line parsing: options, the command after them, --ring-size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

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

static void test_command_after_double_dash(void **state)
{
	struct parsed pr;

	(void)state;
	assert_int_equal(PARSE(&pr, "--", "cmd", "a", "b"), 0);
	assert_string_equal(pr.err, "");
	assert_int_equal(pr.o.cmd_argc, 3);
	assert_string_equal(pr.o.cmd[0], "cmd");
	assert_string_equal(pr.o.cmd[1], "a");
	assert_string_equal(pr.o.cmd[2], "b");
	assert_null(pr.o.cmd[3]);
}

static void test_defaults(void **state)
{
	struct parsed pr;

	(void)state;
	assert_int_equal(PARSE(&pr, "cmd"), 0);
	assert_int_equal(pr.o.cmd_argc, 1);
	assert_string_equal(pr.o.cmd[0], "cmd");
	assert_null(pr.o.json_path);
	assert_null(pr.o.dot_path);
	assert_null(pr.o.html_path);
	assert_int_equal(pr.o.ring_bytes, 8U << 20);
	assert_false(pr.o.verbose);
	assert_false(pr.o.quiet);
	assert_false(pr.o.track_inherited);
	assert_false(pr.o.help);
	assert_false(pr.o.version);
	assert_int_equal(pr.o.growth_window_ms, 300000);
	assert_int_equal(pr.o.growth_min, 10);
}

/* everything after the command is the command's, options included */
static void test_options_after_command_belong_to_it(void **state)
{
	struct parsed pr;

	(void)state;
	assert_int_equal(PARSE(&pr, "-q", "cmd", "--json", "x", "-v", "--bogus"), 0);
	assert_true(pr.o.quiet);
	assert_false(pr.o.verbose);
	assert_null(pr.o.json_path);
	assert_int_equal(pr.o.cmd_argc, 5);
	assert_string_equal(pr.o.cmd[0], "cmd");
	assert_string_equal(pr.o.cmd[1], "--json");
	assert_string_equal(pr.o.cmd[2], "x");
	assert_string_equal(pr.o.cmd[3], "-v");
	assert_string_equal(pr.o.cmd[4], "--bogus");

	/* after --, a command that looks like an option */
	assert_int_equal(PARSE(&pr, "--", "-v", "--json"), 0);
	assert_false(pr.o.verbose);
	assert_int_equal(pr.o.cmd_argc, 2);
	assert_string_equal(pr.o.cmd[0], "-v");
}

static void test_json_file(void **state)
{
	struct parsed pr;

	(void)state;
	assert_int_equal(PARSE(&pr, "--json", "out.json", "cmd"), 0);
	assert_string_equal(pr.o.json_path, "out.json");
	assert_string_equal(pr.o.cmd[0], "cmd");

	assert_int_equal(PARSE(&pr, "--json=r.json", "--", "cmd", "x"), 0);
	assert_string_equal(pr.o.json_path, "r.json");
	assert_int_equal(pr.o.cmd_argc, 2);
}

/* the pictures: each its own file, a name needed */
static void test_picture_files(void **state)
{
	struct parsed pr;

	(void)state;
	assert_int_equal(PARSE(&pr, "--dot", "g.dot", "--json", "r.json", "cmd"), 0);
	assert_string_equal(pr.o.dot_path, "g.dot");
	assert_string_equal(pr.o.json_path, "r.json");
	assert_int_equal(PARSE(&pr, "--dot=x.dot", "-p", "1"), 0);
	assert_string_equal(pr.o.dot_path, "x.dot");
	PARSE(&pr, "--dot", "", "cmd");
	assert_usage_error(&pr, "--dot needs a file name");
	PARSE(&pr, "--dot");
	assert_usage_error(&pr, "--dot");
	assert_int_equal(PARSE(&pr, "--html", "r.html", "--dot", "g.dot", "cmd"), 0);
	assert_string_equal(pr.o.html_path, "r.html");
	assert_string_equal(pr.o.dot_path, "g.dot");
	PARSE(&pr, "--html=", "cmd");
	assert_usage_error(&pr, "--html needs a file name");
}

static void test_redact_options(void **state)
{
	struct parsed pr;

	(void)state;
	assert_int_equal(PARSE(&pr, "cmd"), 0);
	assert_false(pr.o.redact);
	assert_null(pr.o.redact_key);
	assert_int_equal(PARSE(&pr, "--redact", "cmd"), 0);
	assert_true(pr.o.redact);
	assert_null(pr.o.redact_key);
	/* a key is only for redacting: it implies --redact */
	assert_int_equal(PARSE(&pr, "--redact-key", "k", "cmd"), 0);
	assert_true(pr.o.redact);
	assert_string_equal(pr.o.redact_key, "k");
	PARSE(&pr, "--redact-key=", "cmd");
	assert_usage_error(&pr, "--redact-key needs a file name");
	PARSE(&pr, "--redact-key");
	assert_usage_error(&pr, "--redact-key");
	PARSE(&pr, "--redact=yes", "cmd");
	assert_usage_error(&pr, "option '--redact' takes no argument");
}

static void test_json_missing_or_empty_argument(void **state)
{
	struct parsed pr;

	(void)state;
	PARSE(&pr, "--json");
	assert_usage_error(&pr, "--json");
	assert_non_null(strstr(pr.err, "argument"));

	PARSE(&pr, "--json=", "cmd");
	assert_usage_error(&pr, "--json");

	PARSE(&pr, "--json", "", "cmd");
	assert_usage_error(&pr, "--json");

	PARSE(&pr, "--ring-size");
	assert_usage_error(&pr, "--ring-size");
}

static void test_unknown_options(void **state)
{
	struct parsed pr;

	(void)state;
	PARSE(&pr, "--bogus", "cmd");
	assert_usage_error(&pr, "--bogus");

	PARSE(&pr, "-Z", "cmd");
	assert_usage_error(&pr, "-Z");

	/* in a cluster of short options */
	PARSE(&pr, "-qx", "cmd");
	assert_usage_error(&pr, "-x");

	/* not first in its cluster, after a long option: the message is about
	 * -x, not the option before it (found by fuzz_cli: "--idle=5 -x1"
	 * called --idle unknown) */
	PARSE(&pr, "--quiet", "-xq", "cmd");
	assert_usage_error(&pr, "'-x'");
	assert_null(strstr(pr.err, "quiet"));
	PARSE(&pr, "--idle=5", "-x1", "cmd");
	assert_usage_error(&pr, "'-x'");
	PARSE(&pr, "--json", "--r.json", "-qd");
	assert_usage_error(&pr, "'-qd' needs an argument");

	/* an ambiguous prefix (--verbose, --version) is not guessed */
	PARSE(&pr, "--ver", "cmd");
	assert_usage_error(&pr, "--ver");
}

/*
 * Messages quote what was given; control characters in it come out as '?',
 * so the message stays one line and sends no escape to the terminal (found
 * by fuzz_cli: "--x\n\ny" made a three-line message).
 */
static void test_message_is_one_line(void **state)
{
	struct parsed pr;

	(void)state;
	PARSE(&pr, "--bo\ngus", "cmd");
	assert_usage_error(&pr, "'--bo?gus'");
	PARSE(&pr, "-d", "1\r\n\x1b[2J", "cmd");
	assert_usage_error(&pr, "-d '1???[2J'");
	PARSE(&pr, "--ring-size", "8\x7f", "cmd");
	assert_usage_error(&pr, "'8?'");
}

/* No target at all: the whole machine, as bcc's tools do. */
static void test_no_command_is_system_wide(void **state)
{
	struct parsed pr;

	(void)state;
	assert_int_equal(parse(&pr, (char *[]){ "leakscope", NULL }), 0);
	assert_int_equal(pr.o.mode, MODE_SYSTEM);
	assert_null(pr.o.cmd);

	assert_int_equal(PARSE(&pr, "-q", "-d", "1.5"), 0);
	assert_int_equal(pr.o.mode, MODE_SYSTEM);
	assert_int_equal(pr.o.duration_ms, 1500);

	/* but a "--" promises a command */
	PARSE(&pr, "--json", "f", "--");
	assert_usage_error(&pr, "no command after");
	assert_string_equal(cli_mode_name(MODE_SYSTEM), "system");
}

static void test_targets(void **state)
{
	struct parsed pr;

	(void)state;
	assert_int_equal(PARSE(&pr, "-p", "12,34,5"), 0);
	assert_int_equal(pr.o.mode, MODE_PID);
	assert_int_equal(pr.o.npids, 3);
	assert_int_equal(pr.o.pids[0], 12);
	assert_int_equal(pr.o.pids[2], 5);
	assert_false(pr.o.no_children);
	assert_int_equal(PARSE(&pr, "--pid", "7", "--no-children"), 0);
	assert_true(pr.o.no_children);
	assert_int_equal(PARSE(&pr, "--cgroup", "/sys/fs/cgroup/unified/x"), 0);
	assert_int_equal(pr.o.mode, MODE_CGROUP);
	assert_string_equal(pr.o.cgroup, "/sys/fs/cgroup/unified/x");
	assert_int_equal(PARSE(&pr, "cmd"), 0);
	assert_int_equal(pr.o.mode, MODE_COMMAND);

	/* one target at a time */
	PARSE(&pr, "-p", "1", "--", "cmd");
	assert_usage_error(&pr, "one of");
	PARSE(&pr, "-p", "1", "--cgroup", "/x");
	assert_usage_error(&pr, "one of");
	PARSE(&pr, "--no-children", "--", "cmd");
	assert_usage_error(&pr, "--no-children");
	PARSE(&pr, "--cgroup=");
	assert_usage_error(&pr, "--cgroup");
}

static void test_bad_pids_and_durations(void **state)
{
	static const char *const bad_pids[] = { "", "0", "-1", "1,", ",1", "1,,2", "x", "1x",
						"99999999999999999999", "4194305", " 1" };
	static const char *const bad_secs[] = { "", "0", "-1", "x", "1x", "nan", "inf",
						"1e12", " 1", "0.0001" };
	uint32_t pids[CLI_MAX_PIDS];
	char many[CLI_MAX_PIDS * 3 + 8] = "";
	struct parsed pr;
	uint64_t ms;
	int n;

	(void)state;
	for (size_t i = 0; i < sizeof(bad_pids) / sizeof(bad_pids[0]); i++) {
		assert_int_not_equal(cli_parse_pids(bad_pids[i], pids, &n), 0);
		PARSE(&pr, "-p", (char *)bad_pids[i]);
		assert_usage_error(&pr, "-p");
	}
	for (int i = 0; i <= CLI_MAX_PIDS; i++)
		strcat(many, i ? ",1" : "1");
	assert_int_equal(cli_parse_pids(many, pids, &n), -E2BIG);
	for (size_t i = 0; i < sizeof(bad_secs) / sizeof(bad_secs[0]); i++) {
		assert_int_not_equal(cli_parse_seconds(bad_secs[i], &ms), 0);
		PARSE(&pr, "-d", (char *)bad_secs[i]);
		assert_usage_error(&pr, "-d");
	}
	assert_int_equal(cli_parse_seconds("0.25", &ms), 0);
	assert_int_equal(ms, 250);
	assert_int_equal(cli_parse_seconds("60", &ms), 0);
	assert_int_equal(ms, 60000);
}

static void test_growth_options(void **state)
{
	static const char *const bad_min[] = { "", "0", "-1", "x", "1x", "1000001", "2.5" };
	struct parsed pr;

	(void)state;
	assert_int_equal(PARSE(&pr, "--growth-window", "2.5", "--growth-min", "1", "cmd"), 0);
	assert_int_equal(pr.o.growth_window_ms, 2500);
	assert_int_equal(pr.o.growth_min, 1);
	assert_int_equal(PARSE(&pr, "--growth-min=1000000", "cmd"), 0);
	assert_int_equal(pr.o.growth_min, 1000000);
	PARSE(&pr, "--growth-window", "0", "cmd");
	assert_usage_error(&pr, "--growth-window '0'");
	for (size_t i = 0; i < sizeof(bad_min) / sizeof(bad_min[0]); i++) {
		PARSE(&pr, "--growth-min", (char *)bad_min[i], "cmd");
		assert_usage_error(&pr, "--growth-min");
	}
}

static void test_metrics_options(void **state)
{
	static const char *const bad_top[] = { "", "0", "-1", "x", "10001", "2.5" };
	struct parsed pr;

	(void)state;
	/* off unless asked for; the defaults */
	assert_int_equal(PARSE(&pr, "cmd"), 0);
	assert_false(pr.o.metrics_listen);
	assert_null(pr.o.metrics_path);
	assert_int_equal(pr.o.metrics_top, 20);
	assert_int_equal(pr.o.metrics_interval_ms, 1000);
	assert_int_equal(PARSE(&pr, "--metrics-listen", "9464", "--metrics-file", "/x/m.prom",
			       "--metrics-top", "5", "--metrics-interval", "0.25", "cmd"), 0);
	assert_true(pr.o.metrics_listen);
	assert_string_equal(pr.o.metrics_addr.text, "127.0.0.1:9464");
	assert_string_equal(pr.o.metrics_path, "/x/m.prom");
	assert_int_equal(pr.o.metrics_top, 5);
	assert_int_equal(pr.o.metrics_interval_ms, 250);
	assert_int_equal(PARSE(&pr, "--metrics-listen=[::1]:80", "-p", "1"), 0);
	assert_string_equal(pr.o.metrics_addr.text, "[::1]:80");
	assert_int_equal(PARSE(&pr, "--metrics-file", "m.prom", "--metrics-top", "10000"), 0);
	assert_false(pr.o.metrics_listen);
	assert_int_equal(pr.o.metrics_top, 10000);
	/* bad values, each named with the reason */
	PARSE(&pr, "--metrics-listen", "localhost:9464", "cmd");
	assert_usage_error(&pr, "--metrics-listen 'localhost:9464': not a numeric IPv4 address");
	PARSE(&pr, "--metrics-listen", "70000", "cmd");
	assert_usage_error(&pr, "--metrics-listen '70000': the port must be");
	PARSE(&pr, "--metrics-file", "", "cmd");
	assert_usage_error(&pr, "--metrics-file needs a file name");
	for (size_t i = 0; i < sizeof(bad_top) / sizeof(bad_top[0]); i++) {
		PARSE(&pr, "--metrics-file", "m", "--metrics-top", (char *)bad_top[i], "cmd");
		assert_usage_error(&pr, "--metrics-top");
	}
	PARSE(&pr, "--metrics-file", "m", "--metrics-interval", "0.05", "cmd");
	assert_usage_error(&pr, "--metrics-interval '0.05': want at least 0.1 seconds");
	/* tuning what is not there is a mistake worth saying */
	PARSE(&pr, "--metrics-top", "5", "cmd");
	assert_usage_error(&pr, "go with --metrics-listen or --metrics-file");
	PARSE(&pr, "--metrics-interval", "5", "cmd");
	assert_usage_error(&pr, "go with --metrics-listen or --metrics-file");
}

static void test_help_and_version(void **state)
{
	struct parsed pr;

	(void)state;
	assert_int_equal(PARSE(&pr, "-h"), 0);
	assert_true(pr.o.help);
	assert_false(pr.o.version);

	assert_int_equal(PARSE(&pr, "--help"), 0);
	assert_true(pr.o.help);

	assert_int_equal(PARSE(&pr, "-V"), 0);
	assert_true(pr.o.version);
	assert_false(pr.o.help);

	assert_int_equal(PARSE(&pr, "-q", "--version", "cmd"), 0);
	assert_true(pr.o.version);
	assert_true(pr.o.quiet);
}

static void test_flags(void **state)
{
	struct parsed pr;

	(void)state;
	assert_int_equal(PARSE(&pr, "--track-inherited", "-q", "-v", "cmd"), 0);
	assert_true(pr.o.track_inherited);
	assert_true(pr.o.quiet);
	assert_true(pr.o.verbose);

	assert_int_equal(PARSE(&pr, "-vq", "cmd"), 0);
	assert_true(pr.o.quiet);
	assert_true(pr.o.verbose);
	assert_false(pr.o.track_inherited);

	assert_int_equal(PARSE(&pr, "--quiet", "--verbose", "cmd"), 0);
	assert_true(pr.o.quiet);
	assert_true(pr.o.verbose);
}

static void test_ring_size_accepted(void **state)
{
	static const struct {
		const char *arg;
		uint32_t bytes;
	} ok[] = {
		{ "4096", 4096 },	    { "4K", 4096 },	      { "64K", 64U << 10 },
		{ "64k", 64U << 10 },	    { "8M", 8U << 20 },	      { "1G", 1U << 30 },
		{ "1073741824", 1U << 30 }, { "1048576", 1U << 20 },
	};
	struct parsed pr;
	uint32_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		v = 0;
		assert_int_equal(cli_parse_ring_size(ok[i].arg, &v), 0);
		assert_int_equal(v, ok[i].bytes);
	}
	assert_int_equal(PARSE(&pr, "--ring-size", "64K", "cmd"), 0);
	assert_int_equal(pr.o.ring_bytes, 64U << 10);
	assert_int_equal(PARSE(&pr, "--ring-size=1G", "cmd"), 0);
	assert_int_equal(pr.o.ring_bytes, 1U << 30);
}

static void test_stack_bytes(void **state)
{
	static const char *const bad[] = { "", "-512", "1000", "16385", "17K", "8M", "4x",
					   "99999999999999999999999", "0x200", " 512" };
	struct parsed pr;
	uint32_t v = 1;

	(void)state;
	assert_int_equal(cli_parse_stack_bytes("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(cli_parse_stack_bytes("512", &v), 0);
	assert_int_equal(v, 512);
	assert_int_equal(cli_parse_stack_bytes("16K", &v), 0);
	assert_int_equal(v, 16384);
	assert_int_equal(cli_parse_stack_bytes("16384", &v), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_not_equal(cli_parse_stack_bytes(bad[i], &v), 0);
	/* on for what the user pointed at, off when watching everything */
	assert_int_equal(PARSE(&pr, "cmd"), 0);
	assert_int_equal(pr.o.stack_bytes, 8192);
	assert_int_equal(PARSE(&pr, "-p", "1"), 0);
	assert_int_equal(pr.o.stack_bytes, 8192);
	assert_int_equal(PARSE(&pr, "-d", "1"), 0);
	assert_int_equal(pr.o.stack_bytes, 0);
	assert_int_equal(PARSE(&pr, "--cgroup", "/sys/fs/cgroup/x"), 0);
	assert_int_equal(pr.o.stack_bytes, 0);
	assert_int_equal(PARSE(&pr, "--stack-bytes", "4K"), 0);
	assert_int_equal(pr.o.stack_bytes, 4096);
	assert_int_equal(PARSE(&pr, "--stack-bytes", "0", "cmd"), 0);
	assert_int_equal(pr.o.stack_bytes, 0);
	assert_int_equal(PARSE(&pr, "--stack-bytes", "1000", "cmd"), -EINVAL);
	assert_non_null(strstr(pr.err, "multiple of 512"));
}

static void test_idle_options(void **state)
{
	struct parsed pr;

	(void)state;
	assert_int_equal(PARSE(&pr, "cmd"), 0);
	assert_true(pr.o.track_access);
	assert_int_equal(pr.o.min_age_ms, 60000);
	assert_int_equal(pr.o.idle_ms, 60000);
	/* system-wide: every read would pay; asking for idle turns it on */
	assert_int_equal(PARSE(&pr, "-d", "5"), 0);
	assert_false(pr.o.track_access);
	assert_int_equal(PARSE(&pr, "--idle", "2.5", "-d", "5"), 0);
	assert_true(pr.o.track_access);
	assert_int_equal(pr.o.idle_ms, 2500);
	assert_int_equal(PARSE(&pr, "--min-age", "1", "cmd"), 0);
	assert_int_equal(pr.o.min_age_ms, 1000);
	assert_int_equal(PARSE(&pr, "--idle", "0", "cmd"), -EINVAL);
	assert_non_null(strstr(pr.err, "--idle '0'"));
	assert_int_equal(PARSE(&pr, "--min-age", "x", "cmd"), -EINVAL);
	assert_non_null(strstr(pr.err, "--min-age 'x'"));
}

static void test_continuous_options(void **state)
{
	struct parsed pr;

	(void)state;
	assert_int_equal(PARSE(&pr, "--interval", "0.5", "--report-dir", "/tmp", "--keep", "3",
			       "--count", "2", "--max-exited", "50", "--capture", "/tmp/c", "cmd"), 0);
	assert_int_equal(pr.o.interval_ms, 500);
	assert_string_equal(pr.o.report_dir, "/tmp");
	assert_int_equal(pr.o.keep, 3);
	assert_int_equal(pr.o.count, 2);
	assert_int_equal(pr.o.max_exited, 50);
	assert_string_equal(pr.o.capture_path, "/tmp/c");
	assert_int_equal(PARSE(&pr, "cmd"), 0);
	assert_int_equal(pr.o.max_exited, 10000);
	assert_int_equal(PARSE(&pr, "--interval", "1", "cmd"), -EINVAL);
	assert_non_null(strstr(pr.err, "--interval and --report-dir go together"));
	assert_int_equal(PARSE(&pr, "--report-dir", "/tmp", "cmd"), -EINVAL);
	assert_int_equal(PARSE(&pr, "--count", "2", "cmd"), -EINVAL);
	assert_non_null(strstr(pr.err, "--keep and --count go with --interval"));
	assert_int_equal(PARSE(&pr, "--interval", "1", "--report-dir", "/tmp", "--keep", "0",
			       "cmd"), -EINVAL);
	assert_non_null(strstr(pr.err, "--keep '0'"));
	assert_int_equal(PARSE(&pr, "--max-exited", "-1", "cmd"), -EINVAL);
	assert_int_equal(PARSE(&pr, "--capture", "", "cmd"), -EINVAL);
	assert_non_null(strstr(pr.err, "--capture needs a file name"));
}

static void test_ring_size_rejected(void **state)
{
	static const char *const bad[] = {
		"0", "3", "5000", "2048", "-8M", "+8M", "8X", "8MB", "K", "0x1000",
		"99999999999999999999", "2G", "2048M", "4097", "",
	};
	struct parsed pr;
	uint32_t v;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 12345;
		if (cli_parse_ring_size(bad[i], &v) == 0)
			fail_msg("ring size '%s' accepted as %u", bad[i], v);
		assert_int_equal(v, 12345);

		parse(&pr, (char *[]){ "leakscope", "--ring-size", (char *)bad[i], "cmd", NULL });
		assert_usage_error(&pr, "--ring-size");
	}
	assert_int_not_equal(cli_parse_ring_size(NULL, &v), 0);
}

/*
 * Each call starts from scratch, whatever the previous one left behind.
 * After "-hq" (which returns at 'h') the next call must not parse the stale
 * 'q': resetting optind to 1 would not do; 0 asks glibc to reinitialise.
 */
static void test_parse_is_repeatable(void **state)
{
	static char *first[] = { "leakscope", "-hq", NULL };
	struct parsed pr;

	(void)state;
	assert_int_equal(parse(&pr, first), 0);
	assert_true(pr.o.help);
	assert_false(pr.o.quiet);
	assert_int_equal(PARSE(&pr, "cmd"), 0);
	assert_false(pr.o.quiet);
	assert_string_equal(pr.o.cmd[0], "cmd");
}

/*
 * An argument given to an option that takes none.
 * "--verbose=x" must name --verbose and say it takes no argument, not call
 * it an unknown "-v" or say it needs one.
 */
static void test_argument_to_flag_option(void **state)
{
	struct parsed pr;

	(void)state;
	PARSE(&pr, "--track-inherited=x", "cmd");
	assert_int_equal(pr.ret, -EINVAL);
	PARSE(&pr, "--verbose=x", "cmd");
	assert_int_equal(pr.ret, -EINVAL);
	PARSE(&pr, "--track-inherited=x", "cmd");
	assert_usage_error(&pr, "--track-inherited");
	assert_null(strstr(pr.err, "needs an argument"));
	PARSE(&pr, "--verbose=x", "cmd");
	assert_usage_error(&pr, "--verbose");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_command_after_double_dash),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_options_after_command_belong_to_it),
		cmocka_unit_test(test_json_file),
		cmocka_unit_test(test_json_missing_or_empty_argument),
		cmocka_unit_test(test_picture_files),
		cmocka_unit_test(test_redact_options),
		cmocka_unit_test(test_unknown_options),
		cmocka_unit_test(test_message_is_one_line),
		cmocka_unit_test(test_no_command_is_system_wide),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_bad_pids_and_durations),
		cmocka_unit_test(test_growth_options),
		cmocka_unit_test(test_metrics_options),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_ring_size_accepted),
		cmocka_unit_test(test_ring_size_rejected),
		cmocka_unit_test(test_stack_bytes),
		cmocka_unit_test(test_idle_options),
		cmocka_unit_test(test_continuous_options),
		cmocka_unit_test(test_parse_is_repeatable),
		cmocka_unit_test(test_argument_to_flag_option),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
