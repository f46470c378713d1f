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

/*
 * The order seen on Linux 6.18 (tools/scenarios/pid_reuse.c): the kernel
 * announces a task's free an RCU grace period after its reap, by which time
 * the pid can belong to a new process that has exited too. The first was
 * reaped when its pid was given again; the late reap event is not the
 * second's, and the kernel side does not send it then (only the second's own).
 */
static void test_pid_reused_before_the_reap_event(void **state)
{
	struct ls_engine *eng = engine_new();
	const struct ls_process *first, *second;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_attach(10, 1, 1, "parent", "p\0", 2, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_fork(10, 10, 2, 11, 11, 0, 0, "a")), 0);
	assert_int_equal(ev_apply(eng, ev_exit(11, 11, 3, 0, 1)), 0);
	/* reaped at 4, but its reap event is late: pid 11 comes back first */
	assert_int_equal(ev_apply(eng, ev_fork(10, 10, 5, 11, 11, 0, 0, "b")), 0);
	first = engine_process_at(eng, 1);
	second = engine_process_at(eng, 2);
	assert_true(first->reaped);
	assert_int_equal(first->reap_ns, 5);
	assert_false(second->exited);
	/* the late reap of the first, while the second lives: not the second's */
	assert_int_equal(ev_apply(eng, ev_reap(11, 6)), 0);
	assert_int_equal(first->reap_ns, 5);
	assert_false(second->reaped);
	/* the second exits and stays a zombie until its own reap */
	assert_int_equal(ev_apply(eng, ev_exit(11, 11, 7, 0, 1)), 0);
	assert_false(second->reaped);
	assert_int_equal(ev_apply(eng, ev_reap(11, 8)), 0);
	assert_true(second->reaped);
	assert_int_equal(second->reap_ns, 8);
	assert_int_equal(first->reap_ns, 5);
	engine_free(eng);
}

/* The same for a process the engine first meets by its own syscall. */
static void test_pid_reused_by_an_unknown_process(void **state)
{
	struct ls_engine *eng = engine_new();
	const struct ls_process *first, *second;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_attach(10, 1, 1, "parent", "p\0", 2, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_fork(10, 10, 2, 11, 11, 0, 0, "a")), 0);
	assert_int_equal(ev_apply(eng, ev_exit(11, 11, 3, 0, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_open(11, 11, 5, 3, "/x", LS_RES_FILE, 100, 0)), 0);
	first = engine_process_at(eng, 1);
	second = engine_process_at(eng, 2);
	assert_true(first->reaped);
	assert_int_equal(first->reap_ns, 5);
	assert_false(second->exited);
	assert_int_equal(second->pid, 11);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_then_reap),
		cmocka_unit_test(test_reap_finds_the_latest_with_that_pid),
		cmocka_unit_test(test_pid_reused_before_the_reap_event),
		cmocka_unit_test(test_pid_reused_by_an_unknown_process),
	};

	return cmocka_run_group_tests_name("engine_reap", tests, NULL, NULL);
}
