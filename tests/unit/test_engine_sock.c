// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Sockets after creation: TCP states and endpoints by socket identity, unix peers. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"
#include "engine_view.h"

#define PID 100
#define TCP_ESTABLISHED 1
#define TCP_CLOSE_WAIT 8
#define TCP_LISTEN 10


/* the open fd of a live process, through the public API (engine_view.h) */
static const struct ls_fd *open_fd(struct ls_engine *eng, const struct ls_process *p, int fd)
{
	return view_fd(eng, p->pid, fd);
}

static void test_tcp_state_lands_on_the_socket(void **state)
{
	struct ls_engine *eng = engine_new();
	const struct ls_process *p;
	const struct ls_fd *f;

	(void)state;
	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PID, 1, 1, "srv", "srv\0", 4, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(PID, 10, 3, 2, 0xf3, 0x5003, 0)), 0);
	p = engine_find_live(eng, PID);
	/* a state change from no process's context, found by the socket */
	assert_int_equal(ev_apply(eng, ev_tcp_state(20, 0x5003, 2, TCP_ESTABLISHED, 4000, 80)), 0);
	assert_int_equal(ev_apply(eng, ev_tcp_state(30, 0x5003, TCP_ESTABLISHED, TCP_CLOSE_WAIT,
						    4000, 80)), 0);
	f = open_fd(eng, p, 3);
	assert_non_null(f);
	assert_int_equal(ls_ofd_ext(f->ofd)->tcp_state, TCP_CLOSE_WAIT);
	assert_int_equal(ls_ofd_ext(f->ofd)->tcp_state_ns, 30);
	assert_int_equal(ls_ofd_ext(f->ofd)->local.port, 4000);
	assert_int_equal(ls_ofd_ext(f->ofd)->remote.port, 80);
	assert_int_equal(ls_ofd_ext(f->ofd)->remote.addr[0], 127);
	assert_string_equal(ls_tcp_state_name(ls_ofd_ext(f->ofd)->tcp_state), "CLOSE_WAIT");
	assert_ptr_equal(engine_find_socket(eng, 0x5003), f->ofd);

	/* a socket nobody holds (closed, or never traced): counted, ignored */
	assert_int_equal(ev_apply(eng, ev_close(PID, PID, 40, 3)), 0);
	assert_null(engine_find_socket(eng, 0x5003));
	assert_int_equal(ev_apply(eng, ev_tcp_state(50, 0x5003, TCP_CLOSE_WAIT, 9, 4000, 80)), 0);
	assert_int_equal(engine_stats(eng)->unknown_socket, 1);
	engine_free(eng);
}

/*
 * Two descriptions with one socket identity: the kernel freed the socket of
 * the first and reused it for the second, and the first one's close was not
 * seen. State changes are the newer one's (found by fuzz_engine: the first
 * holder kept the identity, and the socket really open was never found).
 */
static void test_reused_socket_newest_holder_wins(void **state)
{
	struct ls_engine *eng = engine_new();
	const struct ls_process *p;
	const struct ls_fd *old, *cur;

	(void)state;
	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PID, 1, 1, "srv", "srv\0", 4, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(PID, 2, 3, 2, 0x40, 0xc0, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(PID, 10, 7, 2, 0x41, 0xc0, 0)), 0);
	p = engine_find_live(eng, PID);
	old = open_fd(eng, p, 3);
	cur = open_fd(eng, p, 7);
	assert_ptr_equal(engine_find_socket(eng, 0xc0), cur->ofd);
	assert_int_equal(ev_apply(eng, ev_tcp_state(20, 0xc0, TCP_ESTABLISHED, TCP_CLOSE_WAIT,
						    443, 5000)), 0);
	assert_int_equal(ls_ofd_ext(cur->ofd)->tcp_state, TCP_CLOSE_WAIT);
	assert_int_equal(ls_ofd_ext(old->ofd)->tcp_state, 0);
	/* the newer one closed: the older holder is all that is left of it */
	assert_int_equal(ev_apply(eng, ev_close(PID, PID, 30, 7)), 0);
	assert_ptr_equal(engine_find_socket(eng, 0xc0), old->ofd);
	assert_int_equal(ev_apply(eng, ev_close(PID, PID, 40, 3)), 0);
	assert_null(engine_find_socket(eng, 0xc0));
	engine_free(eng);
}

static void test_unix_peers_link_both_ways(void **state)
{
	struct ls_engine *eng = engine_new();
	const struct ls_process *p;
	const struct ls_fd *a, *b;

	(void)state;
	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PID, 1, 1, "app", "app\0", 4, 0)), 0);
	/* socketpair: the first end's peer is not known to the engine yet */
	assert_int_equal(ev_apply(eng, ev_socket(PID, 10, 3, 1, 0xf3, 0x7003, 0x7004)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(PID, 10, 4, 1, 0xf4, 0x7004, 0x7003)), 0);
	p = engine_find_live(eng, PID);
	a = open_fd(eng, p, 3);
	b = open_fd(eng, p, 4);
	assert_int_equal(ls_ofd_ext(a->ofd)->peer_id, b->ofd->id);
	assert_int_equal(ls_ofd_ext(b->ofd)->peer_id, a->ofd->id);
	/* the link survives the exit that moves both into exit records */
	assert_int_equal(ev_apply(eng, ev_exit(PID, PID, 20, 0, 1)), 0);
	assert_int_equal(p->exit_fds_len, 2);
	assert_int_equal(ls_ofd_ext(p->exit_fds[0]->ofd)->peer_id, p->exit_fds[1]->ofd->id);
	engine_free(eng);
}

static void test_malformed_socket_update(void **state)
{
	struct ls_engine *eng = engine_new();
	struct ls_sock_update e = ev_tcp_state(1, 1, 1, 1, 1, 1);

	(void)state;
	e.local.len = 17;
	assert_int_equal(ev_apply(eng, e), -EINVAL);
	assert_int_equal(engine_stats(eng)->bad_events, 1);
	engine_free(eng);
}

static void test_epoll_watches(void **state)
{
	struct ls_engine *eng = engine_new();
	const struct ls_process *p;
	const struct ls_ofd *ep;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_attach(PID, 1, 1, "app", "app\0", 4, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 2, 3, "anon_inode:[eventpoll]",
					       LS_RES_ANON, 0xe3, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 3, 4, "/a", LS_RES_FILE, 0xe4, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 4, 5, "/b", LS_RES_FILE, 0xe5, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 5, 6, "/c", LS_RES_FILE, 0xe6, 0)), 0);
	p = engine_find_live(eng, PID);
	ep = open_fd(eng, p, 3)->ofd;
	assert_int_equal(ep->res_type, LS_RES_EPOLL);
	assert_int_equal(ev_apply(eng, ev_epoll_ctl(PID, 6, 3, 4, LS_EPOLL_CTL_ADD)), 0);
	assert_int_equal(ev_apply(eng, ev_epoll_ctl(PID, 7, 3, 5, LS_EPOLL_CTL_ADD)), 0);
	assert_int_equal(ev_apply(eng, ev_epoll_ctl(PID, 8, 3, 6, LS_EPOLL_CTL_ADD)), 0);
	assert_int_equal(ls_ofd_ext(ep)->nwatches, 3);
	assert_int_equal(ev_apply(eng, ev_epoll_ctl(PID, 9, 3, 5, LS_EPOLL_CTL_DEL)), 0);
	assert_int_equal(ls_ofd_ext(ep)->nwatches, 2);
	/* closing the last fd of a watched file drops its watch, as the kernel does */
	assert_int_equal(ev_apply(eng, ev_close(PID, PID, 10, 4)), 0);
	assert_int_equal(ls_ofd_ext(ep)->nwatches, 1);
	assert_int_equal(ls_ofd_ext(ep)->watches[0].fd, 6);
	assert_int_equal(ls_ofd_ext(ep)->watches[0].ofd_id, open_fd(eng, p, 6)->ofd->id);
	/* an unknown fd is counted, not watched */
	assert_int_equal(ev_apply(eng, ev_epoll_ctl(PID, 11, 3, 42, LS_EPOLL_CTL_ADD)), 0);
	assert_int_equal(engine_stats(eng)->unknown_fd, 1);
	/* the epoll instance itself closing, then its targets: nothing dangles */
	assert_int_equal(ev_apply(eng, ev_close(PID, PID, 12, 3)), 0);
	assert_int_equal(ev_apply(eng, ev_close(PID, PID, 13, 6)), 0);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_state_lands_on_the_socket),
		cmocka_unit_test(test_reused_socket_newest_holder_wins),
		cmocka_unit_test(test_unix_peers_link_both_ways),
		cmocka_unit_test(test_malformed_socket_update),
		cmocka_unit_test(test_epoll_watches),
	};

	return cmocka_run_group_tests_name("engine_sock", tests, NULL, NULL);
}
