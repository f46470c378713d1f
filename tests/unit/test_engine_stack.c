// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Allocation stacks reach the records their syscall made, thread by thread. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"
#include "engine_view.h"

#define PID 200
#define T2 201

/* a stack for thread tid's next syscall: pipe2 makes two records, the rest one */
static struct ls_stack_ref ref(uint32_t tid, uint64_t ts, uint16_t syscall, uint32_t id)
{
	return ev_stack_ref(PID, tid, ts, syscall, syscall == LS_SYS_PIPE2 ? 2 : 1, id);
}

static struct ls_engine *started(void)
{
	struct ls_engine *eng = engine_new();

	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PID, 1, 1, "app", "app\0", 4, 1)), 0);
	return eng;
}

static void test_stack_reaches_both_pipe_ends(void **state)
{
	struct ls_engine *eng = started();

	(void)state;
	assert_int_equal(ev_apply(eng, ref(PID, 2, LS_SYS_PIPE2, 7)), 0);
	/* another thread's records in between take nothing */
	assert_int_equal(ev_apply(eng, ev_open(PID, T2, 3, 9, "/x", LS_RES_FILE, 0x99, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_pipe_end(PID, 4, 3, 4, 0xa, 77, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_pipe_end(PID, 4, 4, 3, 0xb, 77, 1)), 0);
	assert_int_equal(view_fd(eng, PID, 3)->stack_id, 7);
	assert_int_equal(view_fd(eng, PID, 4)->stack_id, 7);
	assert_int_equal(view_fd(eng, PID, 9)->stack_id, 0);
	assert_int_equal(engine_stats(eng)->bad_events, 0);
	/* a later pipe whose stack was left out (ring half full) takes none */
	assert_int_equal(ev_apply(eng, ev_pipe_end(PID, 5, 5, 6, 0xc, 78, 0)), 0);
	assert_int_equal(view_fd(eng, PID, 5)->stack_id, 0);
	engine_free(eng);
}

static void test_threads_keep_their_own(void **state)
{
	struct ls_engine *eng = started();

	(void)state;
	/* two threads' stacks before either's record: each gets its own */
	assert_int_equal(ev_apply(eng, ref(PID, 2, LS_SYS_OPENAT, 1)), 0);
	assert_int_equal(ev_apply(eng, ref(T2, 2, LS_SYS_OPENAT, 2)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, T2, 3, 5, "/b", LS_RES_FILE, 0xb, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 3, 6, "/a", LS_RES_FILE, 0xa, 0)), 0);
	assert_int_equal(view_fd(eng, PID, 5)->stack_id, 2);
	assert_int_equal(view_fd(eng, PID, 6)->stack_id, 1);
	/* a stack of another syscall is not this record's */
	assert_int_equal(ev_apply(eng, ref(PID, 4, LS_SYS_SOCKET, 3)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 5, 7, "/c", LS_RES_FILE, 0xc, 0)), 0);
	assert_int_equal(view_fd(eng, PID, 7)->stack_id, 0);
	/* a stack that could not be unwound (id 0) replaces the thread's last */
	assert_int_equal(ev_apply(eng, ref(T2, 6, LS_SYS_OPENAT, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, T2, 7, 8, "/d", LS_RES_FILE, 0xd, 0)), 0);
	assert_int_equal(view_fd(eng, PID, 8)->stack_id, 0);
	engine_free(eng);
}

static void test_raw_stack_is_accepted_and_checked(void **state)
{
	struct ls_engine *eng = started();
	struct {
		struct ls_user_stack s;
		uint8_t data[64];
	} rec;

	(void)state;
	memset(&rec, 0, sizeof(rec));
	rec.s.hdr = ev_header(LS_EV_USER_STACK, sizeof(rec), PID, PID, 2);
	rec.s.len = sizeof(rec.data);
	assert_int_equal(engine_apply(eng, &rec, sizeof(rec)), 0);
	/* a length past the record is malformed */
	rec.s.len = sizeof(rec.data) + 1;
	assert_int_equal(engine_apply(eng, &rec, sizeof(rec)), -EINVAL);
	assert_int_equal(engine_stats(eng)->bad_events, 1);
	/* a stack for a process never seen creates nothing */
	assert_int_equal(engine_process_count(eng), 1);
	{
		struct ls_stack_ref r = ref(PID, 3, LS_SYS_OPENAT, 4);

		r.hdr.tgid = 999;
		assert_int_equal(ev_apply(eng, r), 0);
	}
	assert_int_equal(engine_process_count(eng), 1);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stack_reaches_both_pipe_ends),
		cmocka_unit_test(test_threads_keep_their_own),
		cmocka_unit_test(test_raw_stack_is_accepted_and_checked),
	};

	return cmocka_run_group_tests_name("engine_stack", tests, NULL, NULL);
}
