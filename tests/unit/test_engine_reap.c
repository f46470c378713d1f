// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Zombies: a process that exited stays unreaped until its reap event. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"

static void test_exit_then_reap(void **state)
{
	struct ls_engine *eng = engine_new();
	const struct ls_process *child;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_attach(10, 1, 1, "parent", "p\0", 2, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_fork(10, 10, 2, 11, 11, 0, 0, "child")), 0);
	assert_int_equal(ev_apply(eng, ev_exit(11, 11, 3, 0, 1)), 0);
	child = engine_process_at(eng, 1);
	assert_true(child->exited);
	assert_false(child->reaped);
	assert_int_equal(ev_apply(eng, ev_reap(11, 4)), 0);
	assert_true(child->reaped);
	assert_int_equal(child->reap_ns, 4);
	/* a second reap, or one of a pid never seen, changes nothing */
	assert_int_equal(ev_apply(eng, ev_reap(11, 5)), 0);
	assert_int_equal(child->reap_ns, 4);
	assert_int_equal(ev_apply(eng, ev_reap(99, 5)), 0);
	engine_free(eng);
}

static void test_reap_finds_the_latest_with_that_pid(void **state)
{
	struct ls_engine *eng = engine_new();
	const struct ls_process *first, *second;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_attach(10, 1, 1, "parent", "p\0", 2, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_fork(10, 10, 2, 11, 11, 0, 0, "a")), 0);
	assert_int_equal(ev_apply(eng, ev_exit(11, 11, 3, 0, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_reap(11, 4)), 0);
	/* pid 11 reused after the reap */
	assert_int_equal(ev_apply(eng, ev_fork(10, 10, 5, 11, 11, 0, 0, "b")), 0);
	assert_int_equal(ev_apply(eng, ev_exit(11, 11, 6, 0, 1)), 0);
	first = engine_process_at(eng, 1);
	second = engine_process_at(eng, 2);
	assert_true(first->reaped);
	assert_false(second->reaped);
	assert_int_equal(ev_apply(eng, ev_reap(11, 7)), 0);
	assert_true(second->reaped);
	assert_int_equal(first->reap_ns, 4);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_then_reap),
		cmocka_unit_test(test_reap_finds_the_latest_with_that_pid),
	};

	return cmocka_run_group_tests_name("engine_reap", tests, NULL, NULL);
}
