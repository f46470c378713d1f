// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* SCM_RIGHTS: descriptions in flight, their arrival, failed sends, queues
 * that die, garbage cycles. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"
#include "engine_view.h"

#define PARENT 100
#define CHILD 101
#define AF_UNIX_ 1
#define FILE_ID 0xf5

/*
 * The scenario of tools/scenarios/scm_rights.c: the parent's socketpair
 * (3: sock 0x53, 4: sock 0x54), a child that keeps 4, opens fd 5 and sends it
 * over 4, to the queue of 3, then closes its copy.
 */
static struct engine_fixture *passing(void)
{
	struct engine_fixture *fx = engine_fixture_new();
	struct ls_engine *eng;

	assert_non_null(fx);
	eng = fx->eng;
	assert_int_equal(ev_apply(eng, ev_attach(PARENT, 1, 1, "parent", "parent\0", 7, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(PARENT, 2, 3, AF_UNIX_, 0xa3, 0x53, 0x54)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(PARENT, 2, 4, AF_UNIX_, 0xa4, 0x54, 0x53)), 0);
	assert_int_equal(ev_apply(eng, ev_fork(PARENT, PARENT, 3, CHILD, CHILD, 0, 0, "parent")), 0);
	assert_int_equal(ev_apply(eng, ev_close(CHILD, CHILD, 4, 3)), 0);
	assert_int_equal(ev_apply(eng, ev_close(PARENT, PARENT, 4, 4)), 0);
	assert_int_equal(ev_apply(eng, ev_open(CHILD, CHILD, 5, 5, "/tmp/passed", LS_RES_FILE,
					       FILE_ID, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_scm_send1(CHILD, 6, 4, 0x54, 0x53, 5, FILE_ID)), 0);
	return fx;
}

static void test_send_puts_the_description_in_flight(void **state)
{
	struct engine_fixture *fx = passing();
	struct ls_engine *eng = fx->eng;
	const struct ls_inflight *in;
	const struct ls_fd *queue = view_fd(eng, PARENT, 3);

	(void)state;
	assert_int_equal(engine_inflight_count(eng), 1);
	in = engine_inflight_at(eng, 0);
	assert_non_null(in);
	assert_null(engine_inflight_at(eng, 1));
	assert_ptr_equal(in->ofd, view_fd(eng, CHILD, 5)->ofd);
	assert_ptr_equal(in->queue, queue->ofd);
	assert_int_equal(in->sender->pid, CHILD);
	assert_int_equal(in->from.pid, CHILD);
	assert_int_equal(in->from.serial, engine_find_live(eng, CHILD)->serial);
	assert_int_equal(in->from.fd, 5);
	assert_int_equal(in->from.generation, 0);
	assert_int_equal(in->from.socket_id, queue->ofd->id);
	assert_int_equal(in->from.sent_ns, 6);
	engine_fixture_free(fx);
}

/* A sender whose fd is still in flight is not forgotten (the entry names
 * it); once received, it can be. */
static void test_sender_in_flight_is_kept(void **state)
{
	struct engine_fixture *fx = passing();
	struct ls_engine *eng = fx->eng;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_exit(CHILD, CHILD, 7, 0, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_reap(CHILD, 8)), 0);
	assert_int_equal(engine_forget_exited(eng, 0), 0);
	assert_non_null(engine_inflight_at(eng, 0)->sender);
	assert_int_equal(engine_inflight_at(eng, 0)->sender->pid, CHILD);
	assert_int_equal(ev_apply(eng, ev_recv_fd(PARENT, 9, 4, LS_RES_FILE, FILE_ID)), 0);
	assert_int_equal(engine_inflight_count(eng), 0);
	assert_int_equal(engine_forget_exited(eng, 0), 1);
	assert_int_equal(engine_fd_origin(eng, view_fd(eng, PARENT, 4))->pid, CHILD);
	engine_fixture_free(fx);
}

static void test_receive_joins_the_sender(void **state)
{
	struct engine_fixture *fx = passing();
	struct ls_engine *eng = fx->eng;
	const struct ls_fd_origin *o;
	const struct ls_fd *got;
	uint64_t id = view_fd(eng, CHILD, 5)->ofd->id;

	(void)state;
	/* the sender closes its copy: the queue keeps the description alive */
	assert_int_equal(ev_apply(eng, ev_close(CHILD, CHILD, 7, 5)), 0);
	assert_int_equal(engine_inflight_count(eng), 1);
	assert_int_equal(engine_inflight_at(eng, 0)->ofd->id, id);
	assert_int_equal(engine_inflight_at(eng, 0)->ofd->refs, 0);
	/* the parent receives it as fd 4 (a new lifecycle of that number) */
	assert_int_equal(ev_apply(eng, ev_recv_fd(PARENT, 8, 4, LS_RES_FILE, FILE_ID)), 0);
	assert_int_equal(engine_inflight_count(eng), 0);
	got = view_fd(eng, PARENT, 4);
	assert_non_null(got);
	assert_int_equal(got->ofd->id, id);
	assert_string_equal(got->ofd->file->path, "/tmp/passed");
	assert_int_equal(got->generation, 1);
	o = engine_fd_origin(eng, got);
	assert_non_null(o);
	assert_int_equal(o->pid, CHILD);
	assert_int_equal(o->fd, 5);
	assert_int_equal(o->generation, 0);
	assert_int_equal(o->socket_id, view_fd(eng, PARENT, 3)->ofd->id);
	/* fds made otherwise have no origin */
	assert_null(engine_fd_origin(eng, view_fd(eng, PARENT, 3)));
	/* a fork's copy of a received fd was inherited, not received */
	assert_int_equal(ev_apply(eng, ev_fork(PARENT, PARENT, 9, 102, 102, 0, 0, "parent")), 0);
	assert_null(engine_fd_origin(eng, view_fd(eng, 102, 4)));
	assert_int_equal(engine_stats(eng)->unknown_fd, 0);
	assert_int_equal(engine_stats(eng)->scm_unfollowed, 0);
	engine_fixture_free(fx);
}

static void test_origin_stays_with_exit_records(void **state)
{
	struct engine_fixture *fx = passing();
	struct ls_engine *eng = fx->eng;
	const struct ls_process *p;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_recv_fd(PARENT, 8, 7, LS_RES_FILE, FILE_ID)), 0);
	p = engine_find_live(eng, PARENT);
	assert_int_equal(ev_apply(eng, ev_exit(PARENT, PARENT, 9, 0, 1)), 0);
	assert_int_equal(p->exit_fds_len, 2);
	assert_int_equal(p->exit_fds[1]->fd, 7);
	assert_non_null(engine_fd_origin(eng, p->exit_fds[1]));
	assert_int_equal(engine_fd_origin(eng, p->exit_fds[1])->pid, CHILD);
	engine_fixture_free(fx);
}

static void test_closed_receiver_forgets_origin(void **state)
{
	struct engine_fixture *fx = passing();
	struct ls_engine *eng = fx->eng;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_recv_fd(PARENT, 8, 7, LS_RES_FILE, FILE_ID)), 0);
	assert_int_equal(ev_apply(eng, ev_close(PARENT, PARENT, 9, 7)), 0);
	/* a new lifecycle at the same number and address is not received */
	assert_int_equal(ev_apply(eng, ev_open(PARENT, PARENT, 10, 7, "/x", LS_RES_FILE, 0x77, 0)), 0);
	assert_null(engine_fd_origin(eng, view_fd(eng, PARENT, 7)));
	/* received again without a send seen: no origin either */
	assert_int_equal(ev_apply(eng, ev_recv_fd(PARENT, 11, 8, LS_RES_FILE, FILE_ID)), 0);
	assert_null(engine_fd_origin(eng, view_fd(eng, PARENT, 8)));
	engine_fixture_free(fx);
}

static void test_failed_send_takes_back(void **state)
{
	struct engine_fixture *fx = passing();
	struct ls_engine *eng = fx->eng;

	(void)state;
	/* another thread's failure, or another call's, changes nothing */
	assert_int_equal(ev_apply(eng, ev_scm_failed(CHILD, CHILD + 1, 7, 6, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_scm_failed(CHILD, CHILD, 7, 5, 0)), 0);
	assert_int_equal(engine_inflight_count(eng), 1);
	assert_int_equal(ev_apply(eng, ev_scm_failed(CHILD, CHILD, 7, 6, 0)), 0);
	assert_int_equal(engine_inflight_count(eng), 0);
	/* received anyway (a stream the engine cannot follow): no origin */
	assert_int_equal(ev_apply(eng, ev_recv_fd(PARENT, 8, 7, LS_RES_FILE, FILE_ID)), 0);
	assert_null(engine_fd_origin(eng, view_fd(eng, PARENT, 7)));
	engine_fixture_free(fx);
}

static void test_sendmmsg_partial_failure(void **state)
{
	struct engine_fixture *fx = passing();
	struct ls_engine *eng = fx->eng;
	int fds[2] = { 5, 6 };
	uint64_t ids[2] = { FILE_ID, 0xf6 };
	struct ls_scm_send m0, m1;
	struct ls_fd_create r;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_scm_failed(CHILD, CHILD, 7, 6, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(CHILD, CHILD, 8, 6, "/tmp/b", LS_RES_FILE, 0xf6, 0)), 0);
	/* one call at 9: message 0 passes both fds, message 1 passes fd 6 */
	m0 = ev_scm_send(CHILD, CHILD, 9, 4, 0x54, 0x53, 0, 2, fds, ids);
	m1 = ev_scm_send(CHILD, CHILD, 9, 4, 0x54, 0x53, 1, 1, &fds[1], &ids[1]);
	m0.syscall = m1.syscall = LS_SYS_SENDMMSG;
	assert_int_equal(ev_apply(eng, m0), 0);
	assert_int_equal(ev_apply(eng, m1), 0);
	assert_int_equal(engine_inflight_count(eng), 3);
	/* it sent one message */
	assert_int_equal(ev_apply(eng, ev_scm_failed(CHILD, CHILD, 10, 9, 1)), 0);
	assert_int_equal(engine_inflight_count(eng), 2);
	assert_int_equal(engine_inflight_at(eng, 0)->from.fd, 5);
	assert_int_equal(engine_inflight_at(eng, 1)->from.fd, 6);
	assert_int_equal(engine_inflight_at(eng, 1)->msg_index, 0);
	/* the oldest entry of a description is taken first */
	assert_int_equal(ev_apply(eng, ev_recv_fd(PARENT, 11, 7, LS_RES_FILE, 0xf6)), 0);
	assert_int_equal(engine_inflight_count(eng), 1);
	assert_int_equal(engine_fd_origin(eng, view_fd(eng, PARENT, 7))->fd, 6);
	/* the other one arrives with recvmmsg: received the same way */
	r = ev_recv_fd(PARENT, 12, 8, LS_RES_FILE, FILE_ID);
	r.syscall = LS_SYS_RECVMMSG;
	assert_int_equal(ev_apply(eng, r), 0);
	assert_int_equal(engine_inflight_count(eng), 0);
	assert_int_equal(view_fd(eng, PARENT, 8)->ofd, view_fd(eng, CHILD, 5)->ofd);
	assert_int_equal(engine_fd_origin(eng, view_fd(eng, PARENT, 8))->fd, 5);
	/* and its close forgets the origin (ASan: nothing left behind) */
	assert_int_equal(ev_apply(eng, ev_close(PARENT, PARENT, 13, 8)), 0);
	assert_int_equal(engine_stats(eng)->unknown_fd, 0);
	engine_fixture_free(fx);
}

static void test_dead_queue_lets_go(void **state)
{
	struct engine_fixture *fx = passing();
	struct ls_engine *eng = fx->eng;
	uint64_t id = view_fd(eng, CHILD, 5)->ofd->id;
	const struct ls_fd *again;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_close(CHILD, CHILD, 7, 5)), 0);
	/* the receiver closes its socket unread: the kernel purges the queue */
	assert_int_equal(ev_apply(eng, ev_close(PARENT, PARENT, 8, 3)), 0);
	assert_int_equal(engine_inflight_count(eng), 0);
	/* the description died: its kernel identity is free for a new file */
	assert_int_equal(ev_apply(eng, ev_open(PARENT, PARENT, 9, 3, "/tmp/new", LS_RES_FILE,
					       FILE_ID, 0)), 0);
	again = view_fd(eng, PARENT, 3);
	assert_int_not_equal(again->ofd->id, id);
	assert_string_equal(again->ofd->file->path, "/tmp/new");
	engine_fixture_free(fx);
}

static void test_unknown_queue_is_not_followed(void **state)
{
	struct engine_fixture *fx = passing();
	struct ls_engine *eng = fx->eng;

	(void)state;
	/* to an address, or to a socket no traced process holds */
	assert_int_equal(ev_apply(eng, ev_scm_send1(CHILD, 7, 4, 0x54, 0, 5, FILE_ID)), 0);
	assert_int_equal(ev_apply(eng, ev_scm_send1(CHILD, 8, 4, 0x54, 0x99, 5, FILE_ID)), 0);
	assert_int_equal(engine_inflight_count(eng), 1);
	assert_int_equal(engine_stats(eng)->scm_unfollowed, 2);
	/* an fd the sender does not hold is not sent */
	assert_int_equal(ev_apply(eng, ev_scm_send1(CHILD, 9, 4, 0x54, 0x53, 9, 0xeeee)), 0);
	assert_int_equal(engine_inflight_count(eng), 1);
	assert_int_equal(engine_stats(eng)->unknown_fd, 1);
	engine_fixture_free(fx);
}

static void test_replaced_fd_sends_by_identity(void **state)
{
	struct engine_fixture *fx = passing();
	struct ls_engine *eng = fx->eng;
	uint64_t id = view_fd(eng, CHILD, 5)->ofd->id;

	(void)state;
	/* the kernel read fd 5's file, then another thread dup2'ed over it */
	assert_int_equal(ev_apply(eng, ev_dup(CHILD, CHILD, 7, LS_SYS_DUP, 5, 6, LS_RES_FILE,
					      FILE_ID, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(CHILD, CHILD, 8, 5, "/other", LS_RES_FILE, 0x55, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_scm_send1(CHILD, 9, 4, 0x54, 0x53, 5, FILE_ID)), 0);
	assert_int_equal(engine_inflight_count(eng), 2);
	assert_int_equal(engine_inflight_at(eng, 1)->ofd->id, id);
	assert_int_equal(engine_inflight_at(eng, 1)->from.fd, -1);
	engine_fixture_free(fx);
}

/* socketpairs A (3, 4) and B (5, 6) in one process */
static struct engine_fixture *two_pairs(void)
{
	struct engine_fixture *fx = engine_fixture_new();
	struct ls_engine *eng;

	assert_non_null(fx);
	eng = fx->eng;
	assert_int_equal(ev_apply(eng, ev_attach(PARENT, 1, 1, "cyc", "cyc\0", 4, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(PARENT, 2, 3, AF_UNIX_, 0xa3, 0x53, 0x54)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(PARENT, 2, 4, AF_UNIX_, 0xa4, 0x54, 0x53)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(PARENT, 2, 5, AF_UNIX_, 0xa5, 0x55, 0x56)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(PARENT, 2, 6, AF_UNIX_, 0xa6, 0x56, 0x55)), 0);
	return fx;
}

static void close_all(struct ls_engine *eng, uint64_t ts)
{
	for (int fd = 3; fd <= 6; fd++)
		assert_int_equal(ev_apply(eng, ev_close(PARENT, PARENT, ts, fd)), 0);
}

static void test_garbage_cycle_stays_in_flight(void **state)
{
	struct engine_fixture *fx = two_pairs();
	struct ls_engine *eng = fx->eng;
	uint64_t a = view_fd(eng, PARENT, 3)->ofd->id, b = view_fd(eng, PARENT, 5)->ofd->id;

	(void)state;
	/* A's fd 3 over B (to 5's queue), B's fd 5 over A (to 3's queue) */
	assert_int_equal(ev_apply(eng, ev_scm_send1(PARENT, 3, 6, 0x56, 0x55, 3, 0xa3)), 0);
	assert_int_equal(ev_apply(eng, ev_scm_send1(PARENT, 4, 4, 0x54, 0x53, 5, 0xa5)), 0);
	close_all(eng, 5);
	assert_int_equal(engine_inflight_count(eng), 2);
	assert_int_equal(engine_inflight_at(eng, 0)->ofd->id, a);
	assert_int_equal(engine_inflight_at(eng, 0)->queue->id, b);
	assert_int_equal(engine_inflight_at(eng, 1)->ofd->id, b);
	assert_int_equal(engine_inflight_at(eng, 1)->queue->id, a);
	assert_int_equal(engine_inflight_at(eng, 0)->ofd->refs, 0);
	assert_int_equal(engine_inflight_at(eng, 1)->ofd->refs, 0);
	/* the process exits: nothing changes for what no fd holds */
	assert_int_equal(ev_apply(eng, ev_exit(PARENT, PARENT, 6, 0, 1)), 0);
	assert_int_equal(engine_inflight_count(eng), 2);
	/* engine_free frees the cycle (LeakSanitizer checks) */
	engine_fixture_free(fx);
}

static void test_collected_cycle_gives_way(void **state)
{
	struct engine_fixture *fx = two_pairs();
	struct ls_engine *eng = fx->eng;
	uint64_t a = view_fd(eng, PARENT, 3)->ofd->id;
	const struct ls_fd *f;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_scm_send1(PARENT, 3, 6, 0x56, 0x55, 3, 0xa3)), 0);
	assert_int_equal(ev_apply(eng, ev_scm_send1(PARENT, 4, 4, 0x54, 0x53, 5, 0xa5)), 0);
	close_all(eng, 5);
	/* the unix garbage collector freed the cycle; a new socket got A's file
	 * and sock addresses: a new description, found by them from now on */
	assert_int_equal(ev_apply(eng, ev_socket(PARENT, 6, 3, AF_UNIX_, 0xa3, 0x53, 0)), 0);
	f = view_fd(eng, PARENT, 3);
	assert_int_not_equal(f->ofd->id, a);
	assert_ptr_equal(engine_find_socket(eng, 0x53), f->ofd);
	/* the old one stays in flight for the reports */
	assert_int_equal(engine_inflight_count(eng), 2);
	assert_int_equal(engine_inflight_at(eng, 0)->ofd->id, a);
	/* a socket that reuses only a sock address takes it over too */
	assert_int_equal(ev_apply(eng, ev_socket(PARENT, 7, 4, AF_UNIX_, 0xb5, 0x55, 0)), 0);
	assert_ptr_equal(engine_find_socket(eng, 0x55), view_fd(eng, PARENT, 4)->ofd);
	engine_fixture_free(fx);
}

static void test_chain_dies_from_its_head(void **state)
{
	struct engine_fixture *fx = two_pairs();
	struct ls_engine *eng = fx->eng;

	(void)state;
	/* 5 in flight on 3's queue; 6 in flight on 5's queue (sent over itself) */
	assert_int_equal(ev_apply(eng, ev_scm_send1(PARENT, 3, 4, 0x54, 0x53, 5, 0xa5)), 0);
	assert_int_equal(ev_apply(eng, ev_scm_send1(PARENT, 4, 6, 0x56, 0x55, 6, 0xa6)), 0);
	assert_int_equal(ev_apply(eng, ev_close(PARENT, PARENT, 5, 5)), 0);
	assert_int_equal(ev_apply(eng, ev_close(PARENT, PARENT, 5, 6)), 0);
	assert_int_equal(engine_inflight_count(eng), 2);
	/* closing 3 purges its queue, which lets 5 die, which purges 6 */
	assert_int_equal(ev_apply(eng, ev_close(PARENT, PARENT, 6, 3)), 0);
	assert_int_equal(engine_inflight_count(eng), 0);
	assert_null(engine_find_socket(eng, 0x55));
	assert_null(engine_find_socket(eng, 0x56));
	engine_fixture_free(fx);
}

static void test_socket_in_flight_on_itself(void **state)
{
	struct engine_fixture *fx = two_pairs();
	struct ls_engine *eng = fx->eng;
	uint64_t a = view_fd(eng, PARENT, 3)->ofd->id;

	(void)state;
	/* 3 sent over its peer 4 lands on 3's own queue */
	assert_int_equal(ev_apply(eng, ev_scm_send1(PARENT, 3, 4, 0x54, 0x53, 3, 0xa3)), 0);
	close_all(eng, 4);
	assert_int_equal(engine_inflight_count(eng), 1);
	assert_int_equal(engine_inflight_at(eng, 0)->ofd->id, a);
	assert_ptr_equal(engine_inflight_at(eng, 0)->queue, engine_inflight_at(eng, 0)->ofd);
	assert_ptr_equal(engine_find_socket(eng, 0x53), engine_inflight_at(eng, 0)->ofd);
	engine_fixture_free(fx);
}

static void test_malformed_sends(void **state)
{
	struct ls_engine *eng = engine_new();
	struct ls_scm_send e;
	int fd = 3;
	uint64_t id = 1;

	(void)state;
	assert_non_null(eng);
	e = ev_scm_send1(PARENT, 1, 4, 0x54, 0x53, fd, id);
	e.nfds = LS_SCM_MAX_FDS + 1;
	assert_int_equal(ev_apply(eng, e), -EINVAL);
	e = ev_scm_send1(PARENT, 1, 4, 0x54, 0x53, fd, id);
	e.phase = 7;
	assert_int_equal(ev_apply(eng, e), -EINVAL);
	/* a record cut before the rights it says it has */
	e = ev_scm_send1(PARENT, 1, 4, 0x54, 0x53, fd, id);
	e.hdr.size = offsetof(struct ls_scm_send, rights) + 8;
	assert_int_equal(engine_apply(eng, &e, e.hdr.size), -EINVAL);
	e.hdr.size = offsetof(struct ls_scm_send, rights) - 1;
	assert_int_equal(engine_apply(eng, &e, sizeof(e)), -EINVAL);
	assert_int_equal(engine_stats(eng)->bad_events, 4);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_send_puts_the_description_in_flight),
		cmocka_unit_test(test_sender_in_flight_is_kept),
		cmocka_unit_test(test_receive_joins_the_sender),
		cmocka_unit_test(test_origin_stays_with_exit_records),
		cmocka_unit_test(test_closed_receiver_forgets_origin),
		cmocka_unit_test(test_failed_send_takes_back),
		cmocka_unit_test(test_sendmmsg_partial_failure),
		cmocka_unit_test(test_dead_queue_lets_go),
		cmocka_unit_test(test_unknown_queue_is_not_followed),
		cmocka_unit_test(test_replaced_fd_sends_by_identity),
		cmocka_unit_test(test_garbage_cycle_stays_in_flight),
		cmocka_unit_test(test_collected_cycle_gives_way),
		cmocka_unit_test(test_chain_dies_from_its_head),
		cmocka_unit_test(test_socket_in_flight_on_itself),
		cmocka_unit_test(test_malformed_sends),
	};

	return cmocka_run_group_tests_name("engine_scm", tests, NULL, NULL);
}
