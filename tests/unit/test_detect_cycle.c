// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* cycle detector: the SCM_RIGHTS garbage cycle from event sequences. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"
#include "engine_view.h"
#include "findings.h"

#define PID 100
#define PEER 101
#define AF_UNIX_ 1

/* socketpairs A (3: sock 0x53, 4: 0x54) and B (5: 0x55, 6: 0x56) */
static struct ls_engine *two_pairs(uint32_t pid)
{
	struct ls_engine *eng = engine_new();

	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(pid, 1, 1, "cyc", "cyc\0", 4, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(pid, 2, 3, AF_UNIX_, 0xa3, 0x53, 0x54)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(pid, 2, 4, AF_UNIX_, 0xa4, 0x54, 0x53)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(pid, 2, 5, AF_UNIX_, 0xa5, 0x55, 0x56)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(pid, 2, 6, AF_UNIX_, 0xa6, 0x56, 0x55)), 0);
	return eng;
}

/* A's 3 sent over B (to 5's queue) and B's 5 over A (to 3's queue) */
static void cross_send(struct ls_engine *eng, uint32_t pid)
{
	assert_int_equal(ev_apply(eng, ev_scm_send1(pid, 3, 6, 0x56, 0x55, 3, 0xa3)), 0);
	assert_int_equal(ev_apply(eng, ev_scm_send1(pid, 4, 4, 0x54, 0x53, 5, 0xa5)), 0);
}

static void close_all(struct ls_engine *eng, uint32_t pid, uint64_t ts)
{
	for (int fd = 3; fd <= 6; fd++)
		assert_int_equal(ev_apply(eng, ev_close(pid, pid, ts, fd)), 0);
}

static size_t detect(const struct ls_engine *eng, struct findings *fs)
{
	struct detect_opts o = { .now_ns = 100 };

	findings_free(fs);
	assert_int_equal(detect_cycles(eng, &o, fs), 0);
	return fs->len;
}

static void test_garbage_cycle(void **state)
{
	struct ls_engine *eng = two_pairs(PID);
	struct findings fs = { 0 };
	uint64_t a = view_fd(eng, PID, 3)->ofd->id, b = view_fd(eng, PID, 5)->ofd->id;
	const struct ls_cycle *c;

	(void)state;
	cross_send(eng, PID);
	close_all(eng, PID, 5);
	assert_int_equal(detect(eng, &fs), 1);
	assert_int_equal(fs.v[0].kind, FINDING_CYCLE);
	assert_int_equal(fs.v[0].severity, SEVERITY_WARNING);
	assert_null(fs.v[0].fd);
	assert_int_equal(fs.v[0].proc->pid, PID);
	assert_int_equal(fs.cycles.len, 1);
	assert_int_equal(fs.v[0].cycle, 0);
	c = &fs.cycles.v[0];
	assert_int_equal(c->nmembers, 2);
	assert_int_equal(c->members[0].desc, a);
	assert_int_equal(c->members[1].desc, b);
	assert_int_equal(c->nlinks, 2);
	assert_int_equal(c->links[0].kind, LINK_IN_FLIGHT);
	assert_int_equal(c->held_by_fds, 0);
	assert_int_equal(c->closed_ns, 4);
	assert_string_equal(finding_kind_name(FINDING_CYCLE), "cycle");
	/* it outlives the process: nothing received it */
	assert_int_equal(ev_apply(eng, ev_exit(PID, PID, 6, 0, 1)), 0);
	assert_int_equal(detect(eng, &fs), 1);
	findings_free(&fs);
	assert_int_equal(fs.cycles.len, 0);
	engine_free(eng);
}

static void test_cycle_still_held(void **state)
{
	struct ls_engine *eng = two_pairs(PID);
	struct findings fs = { 0 };

	(void)state;
	cross_send(eng, PID);
	/* every fd still open: a cycle of 3 and 5, held by one fd each */
	assert_int_equal(detect(eng, &fs), 1);
	assert_int_equal(fs.cycles.v[0].held_by_fds, 2);
	findings_free(&fs);
	engine_free(eng);
}

static void test_received_is_no_cycle(void **state)
{
	struct ls_engine *eng = two_pairs(PID);
	struct findings fs = { 0 };

	(void)state;
	cross_send(eng, PID);
	/* 5 receives 3 (as 7): the cycle is broken */
	assert_int_equal(ev_apply(eng, ev_recv_fd(PID, 5, 7, LS_RES_SOCKET, 0xa3)), 0);
	close_all(eng, PID, 6);
	assert_int_equal(detect(eng, &fs), 0);
	assert_int_equal(fs.cycles.len, 0);
	findings_free(&fs);
	engine_free(eng);
}

static void test_one_way_is_no_cycle(void **state)
{
	struct ls_engine *eng = two_pairs(PID);
	struct findings fs = { 0 };

	(void)state;
	/* only A's 3 in flight on B: closing everything purges B's queue */
	assert_int_equal(ev_apply(eng, ev_scm_send1(PID, 3, 6, 0x56, 0x55, 3, 0xa3)), 0);
	assert_int_equal(detect(eng, &fs), 0);
	close_all(eng, PID, 5);
	assert_int_equal(detect(eng, &fs), 0);
	assert_int_equal(engine_inflight_count(eng), 0);
	findings_free(&fs);
	engine_free(eng);
}

static void test_cycle_across_processes(void **state)
{
	struct ls_engine *eng = two_pairs(PID);
	struct findings fs = { 0 };

	(void)state;
	/* a child sends B's 5 over A, after the parent sent A's 3 over B */
	assert_int_equal(ev_apply(eng, ev_fork(PID, PID, 3, PEER, PEER, 0, 0, "cyc")), 0);
	assert_int_equal(ev_apply(eng, ev_scm_send1(PID, 4, 6, 0x56, 0x55, 3, 0xa3)), 0);
	assert_int_equal(ev_apply(eng, ev_scm_send1(PEER, 5, 4, 0x54, 0x53, 5, 0xa5)), 0);
	close_all(eng, PID, 6);
	assert_int_equal(detect(eng, &fs), 1);
	assert_int_equal(fs.cycles.v[0].held_by_fds, 2); /* the child's copies */
	assert_int_equal(ev_apply(eng, ev_exit(PEER, PEER, 7, 0, 1)), 0);
	assert_int_equal(detect(eng, &fs), 1);
	assert_int_equal(fs.cycles.v[0].held_by_fds, 0);
	/* the child's send closed it */
	assert_int_equal(fs.v[0].proc->pid, PEER);
	findings_free(&fs);
	engine_free(eng);
}

static void test_detect_all_includes_cycles(void **state)
{
	struct ls_engine *eng = two_pairs(PID);
	struct detect_opts o = { .now_ns = 100 };
	struct findings fs = { 0 };

	(void)state;
	cross_send(eng, PID);
	close_all(eng, PID, 5);
	assert_int_equal(detect_all(eng, &o, &fs), 0);
	assert_int_equal(findings_count_kind(&fs, FINDING_CYCLE), 1);
	assert_int_equal(findings_count_at_least(&fs, SEVERITY_WARNING), fs.len);
	findings_free(&fs);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_garbage_cycle),
		cmocka_unit_test(test_cycle_still_held),
		cmocka_unit_test(test_received_is_no_cycle),
		cmocka_unit_test(test_one_way_is_no_cycle),
		cmocka_unit_test(test_cycle_across_processes),
		cmocka_unit_test(test_detect_all_includes_cycles),
	};

	return cmocka_run_group_tests_name("detect_cycle", tests, NULL, NULL);
}
