// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Bounded state: the oldest exited, reaped processes are folded into counts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"

/* pids 10..15 forked by 1; 10..13 exit (13 unreaped: a zombie); each left one fd open */
static struct ls_engine *six(void)
{
	struct ls_engine *eng = engine_new();

	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(1, 1, 0, "init", "init\0", 5, 0)), 0);
	for (uint32_t pid = 10; pid < 16; pid++) {
		assert_int_equal(ev_apply(eng, ev_fork(1, 1, 2, pid, pid, 0, 0, "w")), 0);
		assert_int_equal(ev_apply(eng, ev_open(pid, pid, 3, 3, "/x", LS_RES_FILE, pid, 0)), 0);
	}
	for (uint32_t pid = 10; pid < 14; pid++) {
		assert_int_equal(ev_apply(eng, ev_exit(pid, pid, 4, 0, 1)), 0);
		if (pid != 13)
			assert_int_equal(ev_apply(eng, ev_reap(pid, 5)), 0);
	}
	return eng;
}

static void test_forget_oldest_reaped(void **state)
{
	struct ls_engine *eng = six();
	const struct ls_forgotten *f;
	const struct ls_process *p;

	(void)state;
	assert_int_equal(engine_process_count(eng), 7);
	/* 3 exited and reaped (the zombie 13 does not count) */
	assert_false(engine_forget_due(eng, 3));
	assert_true(engine_forget_due(eng, 2));
	assert_int_equal(engine_forget_exited(eng, 3), 0);
	assert_int_equal(engine_process_count(eng), 7);
	/* keep 1, forget 10 and 11 */
	assert_int_equal(engine_forget_exited(eng, 1), 2);
	assert_int_equal(engine_process_count(eng), 5);
	f = engine_forgotten(eng);
	assert_int_equal(f->processes, 2);
	assert_int_equal(f->released_at_exit[LS_RES_FILE], 2);
	assert_int_equal(f->created[LS_RES_FILE], 2);
	/* the rest in order, found by serial and by index */
	assert_int_equal(engine_process_at(eng, 1)->pid, 12);
	assert_int_equal(engine_process_at(eng, 2)->pid, 13);
	p = engine_process_by_serial(eng, engine_process_at(eng, 3)->serial);
	assert_non_null(p);
	assert_int_equal(p->pid, 14);
	assert_int_equal(engine_process_index(eng, p), 3);
	assert_null(engine_process_by_serial(eng, 2)); /* pid 10's: forgotten */
	/* the zombie and the live ones stay; live ones still work */
	assert_non_null(engine_find_live(eng, 15));
	assert_int_equal(ev_apply(eng, ev_close(15, 15, 6, 3)), 0);
	assert_false(engine_forget_due(eng, 1));
	assert_int_equal(engine_forget_exited(eng, 1), 0);
	/* reaping the zombie makes it forgettable too */
	assert_int_equal(ev_apply(eng, ev_reap(13, 7)), 0);
	assert_true(engine_forget_due(eng, 1));
	assert_int_equal(engine_forget_exited(eng, 0), 2);
	assert_int_equal(engine_forgotten(eng)->processes, 4);
	assert_int_equal(engine_process_at(eng, 1)->pid, 14);
	assert_false(engine_forget_due(eng, 0));
	engine_free(eng);
}

/* The last process an event was about, forgotten, is not looked at again
 * by the sampling after the next event (ASan: no use after free). */
static void test_forgotten_last_process(void **state)
{
	struct ls_engine *eng = engine_new();

	(void)state;
	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(1, 1, 0, "init", "init\0", 5, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_fork(1, 1, 1, 10, 10, 0, 0, "w")), 0);
	assert_int_equal(ev_apply(eng, ev_open(10, 10, 2, 3, "/x", LS_RES_FILE, 10, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_exit(10, 10, 3, 0, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_reap(10, 4)), 0);
	assert_int_equal(engine_forget_exited(eng, 0), 1);
	/* a fork looks its parent up without making it the last process */
	assert_int_equal(ev_apply(eng, ev_fork(1, 1, 5, 11, 11, 0, 0, "w")), 0);
	assert_int_equal(engine_find_live(eng, 11)->ppid, 1);
	engine_free(eng);
}

static void test_loss_marks_the_live(void **state)
{
	struct ls_engine *eng = six();
	struct ls_loss e;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_LOSS, sizeof(e), 0, 0, 9);
	e.lost_total = 12;
	assert_int_equal(ev_apply(eng, e), 0);
	for (size_t i = 0; i < engine_process_count(eng); i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		/* exited before the loss: their counts were whole */
		assert_int_equal(p->maybe_incomplete, !p->exited);
	}
	assert_true(engine_find_live(eng, 15)->maybe_incomplete);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forget_oldest_reaped),
		cmocka_unit_test(test_forgotten_last_process),
		cmocka_unit_test(test_loss_marks_the_live),
	};

	return cmocka_run_group_tests_name("engine_forget", tests, NULL, NULL);
}
