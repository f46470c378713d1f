// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Suppressions: the file format, its errors, and matching by each key. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"
#include "findings.h"
#include "suppress.h"

#define PID 500

static int parse(struct suppressions *s, const char *text, char *err)
{
	return suppressions_parse(s, text, strlen(text), err, 200);
}

static void test_format(void **state)
{
	struct suppressions s = { 0 };
	char err[200];

	(void)state;
	assert_int_equal(parse(&s, "# comment\n\n  keep-logs  kind=released-at-exit type=file "
				   "path=/var/log/*\r\nvendor function=vendor_* # a comment=x\n", err), 0);
	assert_int_equal(s.len, 2);
	assert_string_equal(s.v[0].name, "keep-logs");
	assert_int_equal(s.v[0].line, 3);
	assert_string_equal(s.v[0].want[SUPP_PATH], "/var/log/*");
	assert_null(s.v[0].want[SUPP_COMM]);
	assert_string_equal(s.v[1].want[SUPP_FUNCTION], "vendor_*");
	assert_int_equal(s.v[1].line, 4);
	suppressions_free(&s);
}

static void test_errors_name_the_line(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{ "x kind=nope", "line 1: unknown kind 'nope'" },
		{ "\nx colour=red", "line 2: 'colour=red': want KEY=VALUE" },
		{ "x", "line 1: suppression 'x' has no condition" },
		{ "x comm=a comm=b", "line 1: comm given twice or empty" },
		{ "x comm=", "line 1: comm given twice or empty" },
		{ "x type=sock", "line 1: unknown type 'sock'" },
		{ "x severity=fatal", "line 1: unknown severity 'fatal'" },
		{ "x path", "line 1: 'path': want KEY=VALUE" },
	};
	char err[200];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct suppressions s = { 0 };

		err[0] = '\0';
		assert_int_equal(parse(&s, bad[i].text, err), -EINVAL);
		assert_non_null(strstr(err, bad[i].msg));
		suppressions_free(&s);
	}
	{
		struct suppressions s = { 0 };

		assert_int_equal(suppressions_parse(&s, "x comm=a\0b", 10, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, "NUL"));
		suppressions_free(&s);
	}
}

static void test_matching(void **state)
{
	struct ls_engine *eng = engine_new();
	struct stack_table *stacks = stack_table_new();
	struct suppressions s = { 0 };
	struct findings fs = { 0 };
	struct detect_opts o = { .now_ns = 100 };
	struct stack_frame fr = { .function = "vendor_open", .module = "/lib/v.so" };
	uint32_t id = stack_table_intern(stacks, &fr, 1, STACK_END_CLEAN);
	struct ls_stack_ref ref = ev_stack_ref(PID, PID, 3, LS_SYS_OPENAT, 1, id);
	char err[200];

	(void)state;
	assert_int_equal(ev_apply(eng, ev_attach(PID, 1, 1, "srv", "srv\0", 4, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 2, 3, "/var/log/a", LS_RES_FILE, 1, 0)), 0);
	assert_int_equal(ev_apply(eng, ref), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 3, 4, "/data/b", LS_RES_FILE, 2, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 4, 5, "/data/c", LS_RES_FILE, 3, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_exit(PID, PID, 10, 0, 1)), 0);
	assert_int_equal(detect_all(eng, &o, &fs), 0);
	assert_int_equal(fs.len, 3);
	assert_int_equal(parse(&s, "logs path=/var/log/* kind=released-at-exit\n"
				   "vendor function=vendor_*\n"
				   "other-comm comm=nginx\n"
				   "sockets type=socket\n", err), 0);
	assert_int_equal(suppressions_apply(&s, &fs, stacks), 2);
	assert_int_equal(fs.len, 1);
	assert_string_equal(fs.v[0].fd->ofd->file->path, "/data/c");
	assert_int_equal(s.v[0].hits, 1);
	assert_int_equal(s.v[1].hits, 1);
	assert_int_equal(s.v[2].hits, 0);
	assert_int_equal(s.v[3].hits, 0);
	suppressions_free(&s);
	assert_int_equal(parse(&s, "all comm=s?v severity=warning", err), 0);
	assert_int_equal(suppressions_apply(&s, &fs, stacks), 1);
	assert_int_equal(fs.len, 0);
	suppressions_free(&s);
	findings_free(&fs);
	stack_table_free(stacks);
	engine_free(eng);
}

/* A dropped growth finding takes its detail with it (LeakSanitizer checks):
 * with --metrics-interval, suppressions run every second. */
static void test_dropped_growth_is_freed(void **state)
{
	struct ls_engine *eng = engine_new();
	struct suppressions s = { 0 };
	struct findings fs = { 0 };
	char err[200];

	(void)state;
	assert_int_equal(ev_apply(eng, ev_attach(PID, 1, 1, "srv", "srv\0", 4, 1)), 0);
	for (int i = 0; i < 2; i++) {
		struct finding fi = { .kind = FINDING_GROWTH, .severity = SEVERITY_WARNING,
				      .proc = engine_find_live(eng, PID) };

		fi.growth = calloc(1, sizeof(*fi.growth));
		assert_non_null(fi.growth);
		assert_int_equal(findings_add(&fs, &fi), 0);
	}
	assert_int_equal(parse(&s, "growth kind=growth", err), 0);
	assert_int_equal(suppressions_apply(&s, &fs, NULL), 2);
	assert_int_equal(fs.len, 0);
	assert_int_equal(s.v[0].hits, 2);
	suppressions_free(&s);
	findings_free(&fs);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_errors_name_the_line),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_dropped_growth_is_freed),
	};

	return cmocka_run_group_tests_name("suppress", tests, NULL, NULL);
}
