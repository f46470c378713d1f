// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Interned allocation stacks: one id per call site, whatever the addresses. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "stack_table.h"

static void frames3(struct stack_frame f[3], uint64_t aslr)
{
	memset(f, 0, 3 * sizeof(*f));
	f[0] = (struct stack_frame){ .pc = aslr + 0x1000, .offset = 0x1000,
				     .module = "/usr/lib/x86_64-linux-gnu/libc.so.6",
				     .function = "__libc_open64" };
	f[1] = (struct stack_frame){ .pc = 0x5000 + aslr, .offset = 0x1234, .module = "/usr/bin/app",
				     .function = "open_logs", .file = "app.c", .line = 23 };
	f[2] = (struct stack_frame){ .pc = 0x5100 + aslr, .offset = 0x1300, .module = "/usr/bin/app",
				     .function = "main", .file = "app.c", .line = 40 };
}

static void test_same_site_same_id(void **state)
{
	struct stack_table *t = stack_table_new();
	struct stack_frame a[3], b[3];
	const struct stack *s;
	uint32_t id;

	(void)state;
	assert_non_null(t);
	frames3(a, 0x7f0000000000ULL);
	frames3(b, 0x7e0000000000ULL); /* another process: other addresses */
	id = stack_table_intern(t, a, 3, STACK_END_CLEAN);
	assert_int_equal(id, 1);
	assert_int_equal(stack_table_intern(t, b, 3, STACK_END_CLEAN), id);
	assert_int_equal(stack_table_count(t), 1);
	s = stack_table_get(t, id);
	assert_non_null(s);
	assert_int_equal(s->nframes, 3);
	assert_false(s->truncated);
	assert_string_equal(s->frames[1].function, "open_logs");
	/* the table owns copies of the strings */
	assert_ptr_not_equal(s->frames[1].function, a[1].function);
	assert_int_equal(s->frames[0].pc, 0x7f0000001000ULL);
	/* the site is the caller of the libc wrapper */
	assert_ptr_equal(stack_site_frame(s), &s->frames[1]);
	assert_null(stack_table_get(t, 0));
	assert_null(stack_table_get(t, 2));
	stack_table_free(t);
}

static void test_differences_make_new_ids(void **state)
{
	struct stack_table *t = stack_table_new();
	struct stack_frame a[3];

	(void)state;
	frames3(a, 0);
	assert_int_equal(stack_table_intern(t, a, 3, STACK_END_CLEAN), 1);
	/* the same frames but the walk was cut short: not the same stack */
	assert_int_equal(stack_table_intern(t, a, 3, STACK_END_CUT), 2);
	/* another line */
	a[1].line = 24;
	assert_int_equal(stack_table_intern(t, a, 3, STACK_END_CLEAN), 3);
	/* fewer frames */
	assert_int_equal(stack_table_intern(t, a, 2, STACK_END_CLEAN), 4);
	/* without a symbol, the module offset tells sites apart */
	a[1].function = NULL;
	a[1].file = NULL;
	assert_int_equal(stack_table_intern(t, a, 2, STACK_END_CLEAN), 5);
	a[1].offset = 0x9999;
	assert_int_equal(stack_table_intern(t, a, 2, STACK_END_CLEAN), 6);
	assert_int_equal(stack_table_intern(t, a, 2, STACK_END_CLEAN), 6);
	assert_int_equal(stack_table_count(t), 6);
	stack_table_free(t);
}

static void test_naming_keeps_identity(void **state)
{
	struct stack_table *t = stack_table_new();
	struct stack_frame raw[2], named[3];
	const struct stack *s;

	(void)state;
	memset(raw, 0, sizeof(raw));
	raw[0] = (struct stack_frame){ .pc = 0x7f01, .offset = 0x101, .module = "/lib/libc.so.6" };
	raw[1] = (struct stack_frame){ .pc = 0x5502, .offset = 0x202, .module = "/bin/app" };
	assert_int_equal(stack_table_intern(t, raw, 2, STACK_END_ERROR), 1);
	s = stack_table_get(t, 1);
	assert_false(s->symbolized);
	assert_true(s->truncated); /* until names show it ended at an entry point */
	/* named: an inlined call adds a frame */
	memcpy(named, raw, sizeof(raw));
	named[0].function = "open64";
	named[1].function = "helper";
	named[1].inlined = true;
	named[2] = raw[1];
	named[2].function = "main";
	assert_int_equal(stack_table_name(t, 1, named, 3, false), 0);
	s = stack_table_get(t, 1);
	assert_true(s->symbolized);
	assert_false(s->truncated);
	assert_int_equal(s->nframes, 3);
	assert_string_equal(s->frames[1].function, "helper");
	assert_string_equal(s->frames[2].function, "main");
	/* the raw frames still identify it */
	raw[0].pc = 0x7e01;
	assert_int_equal(stack_table_intern(t, raw, 2, STACK_END_ERROR), 1);
	assert_int_equal(stack_table_name(t, 9, named, 3, false), -ENOENT);
	stack_table_free(t);
}

static void test_nameless_and_overlong(void **state)
{
	struct stack_table *t = stack_table_new();
	struct stack_frame many[STACK_MAX_FRAMES + 5];
	const struct stack *s;
	uint32_t id;

	(void)state;
	memset(many, 0, sizeof(many));
	for (size_t i = 0; i < STACK_MAX_FRAMES + 5; i++)
		many[i].offset = i;
	id = stack_table_intern(t, many, STACK_MAX_FRAMES + 5, STACK_END_CLEAN);
	s = stack_table_get(t, id);
	assert_non_null(s);
	assert_int_equal(s->nframes, STACK_MAX_FRAMES);
	assert_true(s->truncated);
	assert_null(s->frames[0].module);
	/* nothing named: the innermost frame stands for the site */
	assert_ptr_equal(stack_site_frame(s), &s->frames[0]);
	assert_null(stack_site_frame(NULL));
	stack_table_free(t);
	stack_table_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_site_same_id),
		cmocka_unit_test(test_differences_make_new_ids),
		cmocka_unit_test(test_naming_keeps_identity),
		cmocka_unit_test(test_nameless_and_overlong),
	};

	return cmocka_run_group_tests_name("stack_table", tests, NULL, NULL);
}
