// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Command-line parsing: the options of each output and feature (reports, pictures,
 * redaction, growth, metrics, stacks, idle, intervals, the ring size). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cli_parse.h"

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
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_file),
		cmocka_unit_test(test_picture_files),
		cmocka_unit_test(test_redact_options),
		cmocka_unit_test(test_json_missing_or_empty_argument),
		cmocka_unit_test(test_growth_options),
		cmocka_unit_test(test_metrics_options),
		cmocka_unit_test(test_ring_size_accepted),
		cmocka_unit_test(test_stack_bytes),
		cmocka_unit_test(test_idle_options),
		cmocka_unit_test(test_continuous_options),
		cmocka_unit_test(test_ring_size_rejected),
	};

	return cmocka_run_group_tests_name("cli_options", tests, NULL, NULL);
}
