// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Command-line parsing: the command after the options, targets, numbers, usage errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_parse.h"

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
		cmocka_unit_test(test_unknown_options),
		cmocka_unit_test(test_message_is_one_line),
		cmocka_unit_test(test_no_command_is_system_wide),
		cmocka_unit_test(test_targets),
		cmocka_unit_test(test_bad_pids_and_durations),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_parse_is_repeatable),
		cmocka_unit_test(test_argument_to_flag_option),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
