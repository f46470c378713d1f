// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Links between resources, from synthetic event sequences: every kind, ids
 * across fd and pid reuse, exited processes, the limit. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"
#include "engine_view.h"
#include "links.h"

#define PARENT 100
#define CHILD 101
#define AF_UNIX_ 1
#define AF_INET_ 2
#define AF_INET6_ 10

static const struct ls_link *find(const struct link_set *s, enum link_kind k, const char *from,
				  const char *to)
{
	char a[LINK_ID_MAX], b[LINK_ID_MAX];

	for (size_t i = 0; i < s->len; i++) {
		if (s->v[i].kind != k)
			continue;
		link_end_format(&s->v[i].from, a, sizeof(a));
		link_end_format(&s->v[i].to, b, sizeof(b));
		if (!strcmp(a, from) && !strcmp(b, to))
			return &s->v[i];
	}
	return NULL;
}

static size_t count_kind(const struct link_set *s, enum link_kind k)
{
	size_t n = 0;

	for (size_t i = 0; i < s->len; i++)
		n += s->v[i].kind == k;
	return n;
}

static void build(const struct ls_engine *eng, struct link_set *s)
{
	struct links_opts o = { 0 };

	assert_int_equal(links_build(eng, &o, s), 0);
}

static const char *desc_id(uint64_t id)
{
	static char buf[4][LINK_ID_MAX];
	static int next;
	struct link_end e = link_end_desc(id);

	next = (next + 1) % 4;
	link_end_format(&e, buf[next], sizeof(buf[next]));
	return buf[next];
}

static void test_ids(void **state)
{
	struct ls_process p = { .pid = 4242, .serial = 7 };
	struct ls_fd f = { .fd = 12, .generation = 3 };
	struct link_end e;
	char buf[LINK_ID_MAX];

	(void)state;
	e = link_end_proc(&p);
	assert_int_equal(link_end_format(&e, buf, sizeof(buf)), strlen("proc:4242.7"));
	assert_string_equal(buf, "proc:4242.7");
	e = link_end_fd(&p, &f);
	link_end_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "fd:4242.7:12:3");
	e = link_end_desc(19);
	link_end_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "desc:19");
	e = link_end_map(&p, 0x7f0000001000ULL);
	link_end_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "map:4242.7:0x7f0000001000");
	e = (struct link_end){ .type = LINK_END_THREADS, .pid = 1, .serial = 2 };
	link_end_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "threads:1.2");
	/* cut, always terminated */
	e = link_end_fd(&p, &f);
	assert_int_equal(link_end_format(&e, buf, 6), 5);
	assert_string_equal(buf, "fd:42");
	assert_int_equal(link_end_format(&e, buf, 0), 0);
	/* ids order and compare whole */
	assert_int_equal(link_end_cmp(&e, &e), 0);
	assert_true(link_end_cmp(&(struct link_end){ .type = LINK_END_DESC, .desc = 1 },
				 &(struct link_end){ .type = LINK_END_DESC, .desc = 2 }) < 0);
	assert_string_equal(link_kind_name(LINK_PIPE_PEER), "pipe_peer");
	assert_string_equal(link_kind_name(LINK_KIND_MAX), "unknown");
	assert_true(link_kind_keeps_alive(LINK_IN_FLIGHT));
	assert_false(link_kind_keeps_alive(LINK_DUP));
}

/*
 * parent 100: socketpair 3/4, dup 3 -> 7; fork child 101 (3, 4, 7 inherited);
 * the child closes 3 and 7, the parent 4; the child opens 5 and sends it
 * over 4 to 3's queue.
 */
static struct ls_engine *family(void)
{
	struct ls_engine *eng = engine_new();

	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PARENT, 1, 1, "parent", "parent\0", 7, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(PARENT, 2, 3, AF_UNIX_, 0xa3, 0x53, 0x54)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(PARENT, 2, 4, AF_UNIX_, 0xa4, 0x54, 0x53)), 0);
	assert_int_equal(ev_apply(eng, ev_dup(PARENT, PARENT, 3, LS_SYS_DUP, 3, 7, LS_RES_SOCKET,
					      0xa3, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_fork(PARENT, PARENT, 4, CHILD, CHILD, 0, 0, "parent")), 0);
	assert_int_equal(ev_apply(eng, ev_close(CHILD, CHILD, 5, 3)), 0);
	assert_int_equal(ev_apply(eng, ev_close(CHILD, CHILD, 5, 7)), 0);
	assert_int_equal(ev_apply(eng, ev_close(PARENT, PARENT, 5, 4)), 0);
	assert_int_equal(ev_apply(eng, ev_open(CHILD, CHILD, 6, 5, "/tmp/passed", LS_RES_FILE,
					       0xf5, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_scm_send1(CHILD, 7, 4, 0x54, 0x53, 5, 0xf5)), 0);
	return eng;
}

static void test_passing_dups_and_inheritance(void **state)
{
	struct ls_engine *eng = family();
	const struct ls_link *l;
	struct link_set s;
	uint64_t sock3 = view_fd(eng, PARENT, 3)->ofd->id, sock4 = view_fd(eng, CHILD, 4)->ofd->id;
	uint64_t passed = view_fd(eng, CHILD, 5)->ofd->id;

	(void)state;
	build(eng, &s);
	assert_non_null(find(&s, LINK_DUP, "fd:100.1:3:0", "fd:100.1:7:0"));
	assert_int_equal(count_kind(&s, LINK_DUP), 1);
	/* the child's 4 came from the parent's 4, which is closed: no link */
	assert_int_equal(count_kind(&s, LINK_INHERITED), 0);
	assert_non_null(find(&s, LINK_UNIX_PEER, desc_id(sock3), desc_id(sock4)));
	l = find(&s, LINK_IN_FLIGHT, desc_id(sock3), desc_id(passed));
	assert_non_null(l);
	assert_int_equal(l->count, 1);
	assert_int_equal(l->by->pid, CHILD);
	assert_int_equal(l->ns, 7);
	assert_int_equal(link_end_cmp(&l->sender, &(struct link_end){ .type = LINK_END_FD,
			 .pid = CHILD, .serial = 2, .fd = 5 }), 0);
	assert_int_equal(count_kind(&s, LINK_SCM_RIGHTS), 0);
	links_free(&s);

	/* received: in flight no more, a link from the sender's fd instead */
	assert_int_equal(ev_apply(eng, ev_close(CHILD, CHILD, 8, 5)), 0);
	assert_int_equal(ev_apply(eng, ev_recv_fd(PARENT, 9, 8, LS_RES_FILE, 0xf5)), 0);
	build(eng, &s);
	assert_int_equal(count_kind(&s, LINK_IN_FLIGHT), 0);
	l = find(&s, LINK_SCM_RIGHTS, "fd:101.2:5:0", "fd:100.1:8:0");
	assert_non_null(l);
	assert_int_equal(l->socket, sock3);
	links_free(&s);

	/* a second child inherits 3, 7, 8 while the parent holds them */
	assert_int_equal(ev_apply(eng, ev_fork(PARENT, PARENT, 10, 102, 102, 0, 0, "parent")), 0);
	build(eng, &s);
	assert_int_equal(count_kind(&s, LINK_INHERITED), 3);
	assert_non_null(find(&s, LINK_INHERITED, "fd:100.1:8:0", "fd:102.3:8:0"));
	assert_non_null(find(&s, LINK_DUP, "fd:102.3:3:0", "fd:102.3:7:0"));
	/* the copy was inherited, not received */
	assert_null(find(&s, LINK_SCM_RIGHTS, "fd:101.2:5:0", "fd:102.3:8:0"));
	links_free(&s);
	engine_free(eng);
}

static void test_exited_processes_keep_their_links(void **state)
{
	struct ls_engine *eng = family();
	struct link_set s;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_recv_fd(PARENT, 9, 8, LS_RES_FILE, 0xf5)), 0);
	assert_int_equal(ev_apply(eng, ev_fork(PARENT, PARENT, 10, 102, 102, 0, 0, "parent")), 0);
	assert_int_equal(ev_apply(eng, ev_exit(CHILD, CHILD, 11, 0, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_exit(102, 102, 12, 0, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_exit(PARENT, PARENT, 13, 0, 1)), 0);
	build(eng, &s);
	/* every fd is an exit record now */
	assert_non_null(find(&s, LINK_SCM_RIGHTS, "fd:101.2:5:0", "fd:100.1:8:0"));
	assert_non_null(find(&s, LINK_DUP, "fd:100.1:3:0", "fd:100.1:7:0"));
	assert_non_null(find(&s, LINK_INHERITED, "fd:100.1:7:0", "fd:102.3:7:0"));
	links_free(&s);
	engine_free(eng);
}

static void test_fd_and_pid_reuse(void **state)
{
	struct ls_engine *eng = engine_new();
	struct link_set s;

	(void)state;
	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PARENT, 1, 1, "a", "a\0", 2, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PARENT, PARENT, 2, 3, "/x", LS_RES_FILE, 0xb3, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_close(PARENT, PARENT, 3, 3)), 0);
	/* fd 3's second lifecycle, duplicated to 4 */
	assert_int_equal(ev_apply(eng, ev_open(PARENT, PARENT, 4, 3, "/y", LS_RES_FILE, 0xc3, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_dup(PARENT, PARENT, 5, LS_SYS_DUP, 3, 4, LS_RES_FILE,
					      0xc3, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_exit(PARENT, PARENT, 6, 0, 1)), 0);
	/* pid 100 again: a new process, a new serial */
	assert_int_equal(ev_apply(eng, ev_attach(PARENT, 7, 1, "b", "b\0", 2, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PARENT, PARENT, 8, 3, "/z", LS_RES_FILE, 0xd3, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_dup(PARENT, PARENT, 9, LS_SYS_DUP, 3, 5, LS_RES_FILE,
					      0xd3, 0)), 0);
	build(eng, &s);
	assert_int_equal(count_kind(&s, LINK_DUP), 2);
	assert_non_null(find(&s, LINK_DUP, "fd:100.1:3:1", "fd:100.1:4:0"));
	assert_non_null(find(&s, LINK_DUP, "fd:100.2:3:0", "fd:100.2:5:0"));
	links_free(&s);
	engine_free(eng);
}

static void test_pipes_and_epoll(void **state)
{
	struct ls_engine *eng = engine_new();
	struct ls_fd_create ep;
	struct link_set s;
	uint64_t r, w, old_r, old_w;

	(void)state;
	assert_non_null(eng);
	/* an old pipe on inode 77, gone with its process */
	assert_int_equal(ev_apply(eng, ev_attach(99, 1, 1, "old", "old\0", 4, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_pipe_end(99, 2, 3, 4, 0x1003, 77, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_pipe_end(99, 2, 4, 3, 0x1004, 77, 1)), 0);
	old_r = view_fd(eng, 99, 3)->ofd->id;
	old_w = view_fd(eng, 99, 4)->ofd->id;
	assert_int_equal(ev_apply(eng, ev_exit(99, 99, 3, 0, 1)), 0);
	/* the kernel reuses inode 77 for a new pipe */
	assert_int_equal(ev_apply(eng, ev_attach(PARENT, 4, 1, "p", "p\0", 2, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_pipe_end(PARENT, 5, 3, 4, 0x2003, 77, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_pipe_end(PARENT, 5, 4, 3, 0x2004, 77, 1)), 0);
	r = view_fd(eng, PARENT, 3)->ofd->id;
	w = view_fd(eng, PARENT, 4)->ofd->id;
	ep = ev_fd_create(PARENT, PARENT, 6, LS_SYS_EPOLL_CREATE1, 5, -1, LS_RES_EPOLL, 0x2005, 0);
	assert_int_equal(ev_apply(eng, ep), 0);
	assert_int_equal(ev_apply(eng, ev_epoll_add(PARENT, 7, 5, 3)), 0);
	build(eng, &s);
	assert_int_equal(count_kind(&s, LINK_PIPE_PEER), 2);
	assert_non_null(find(&s, LINK_PIPE_PEER, desc_id(w), desc_id(r)));
	assert_non_null(find(&s, LINK_PIPE_PEER, desc_id(old_w), desc_id(old_r)));
	assert_non_null(find(&s, LINK_EPOLL_WATCH, "fd:100.2:5:0", "fd:100.2:3:0"));
	links_free(&s);

	/* the read end moves to 6: the watch names the description */
	assert_int_equal(ev_apply(eng, ev_dup(PARENT, PARENT, 8, LS_SYS_DUP, 3, 6, LS_RES_PIPE,
					      0x2003, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_close(PARENT, PARENT, 9, 3)), 0);
	build(eng, &s);
	assert_non_null(find(&s, LINK_EPOLL_WATCH, "fd:100.2:5:0", desc_id(r)));
	links_free(&s);
	engine_free(eng);
}

/* A TCP socket with these endpoints (127.0.0.1 or ::ffff:127.0.0.1) */
static struct ls_fd_create tcp_sock(uint32_t pid, uint64_t ts, int fd, uint64_t file_id,
				    uint16_t lport, uint16_t rport, int v6)
{
	struct ls_fd_create e = ev_socket(pid, ts, fd, v6 ? AF_INET6_ : AF_INET_, file_id,
					  file_id + 0x1000, 0);
	struct ls_sock_addr a = { .len = 4, .addr = { 127, 0, 0, 1 } };

	e.sock_protocol = 6;
	e.sock_state = 1;
	if (v6) {
		memset(&a, 0, sizeof(a));
		a.len = 16;
		a.addr[10] = a.addr[11] = 0xff;
		a.addr[12] = 127;
		a.addr[15] = 1;
	}
	e.local = e.remote = a;
	e.local.port = lport;
	e.remote.port = rport;
	return e;
}

static void test_tcp_peers(void **state)
{
	struct ls_engine *eng = engine_new();
	struct link_set s;
	uint64_t client, server, client6, server6;

	(void)state;
	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PARENT, 1, 1, "p", "p\0", 2, 1)), 0);
	/* a listener (no remote), a client and the accepted end */
	assert_int_equal(ev_apply(eng, tcp_sock(PARENT, 2, 3, 0x3003, 8080, 0, 0)), 0);
	assert_int_equal(ev_apply(eng, tcp_sock(PARENT, 3, 4, 0x3004, 40000, 8080, 0)), 0);
	assert_int_equal(ev_apply(eng, tcp_sock(PARENT, 4, 5, 0x3005, 8080, 40000, 0)), 0);
	/* an IPv4 client of a dual-stack server */
	assert_int_equal(ev_apply(eng, tcp_sock(PARENT, 5, 6, 0x3006, 40001, 9090, 0)), 0);
	assert_int_equal(ev_apply(eng, tcp_sock(PARENT, 6, 7, 0x3007, 9090, 40001, 1)), 0);
	/* a connection to elsewhere */
	assert_int_equal(ev_apply(eng, tcp_sock(PARENT, 7, 8, 0x3008, 40002, 443, 0)), 0);
	client = view_fd(eng, PARENT, 4)->ofd->id;
	server = view_fd(eng, PARENT, 5)->ofd->id;
	client6 = view_fd(eng, PARENT, 6)->ofd->id;
	server6 = view_fd(eng, PARENT, 7)->ofd->id;
	build(eng, &s);
	assert_int_equal(count_kind(&s, LINK_TCP_PEER), 2);
	assert_non_null(find(&s, LINK_TCP_PEER, desc_id(client), desc_id(server)));
	assert_non_null(find(&s, LINK_TCP_PEER, desc_id(client6), desc_id(server6)));
	links_free(&s);
	engine_free(eng);
}

static void test_mappings_and_threads(void **state)
{
	struct ls_engine *eng = engine_new();
	const struct ls_link *l;
	struct link_set s;

	(void)state;
	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PARENT, 1, 1, "p", "p\0", 2, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_fork(PARENT, PARENT, 2, PARENT, 111, 1, 1, "p")), 0);
	assert_int_equal(ev_apply(eng, ev_fork(PARENT, PARENT, 2, PARENT, 112, 1, 1, "p")), 0);
	assert_int_equal(ev_apply(eng, ev_fork(PARENT, PARENT, 2, PARENT, 113, 1, 1, "p")), 0);
	assert_int_equal(ev_apply(eng, ev_exit(PARENT, 113, 3, 0, 0)), 0);
	{
		struct ls_fd_create e = ev_open(PARENT, PARENT, 3, 3, "/data/db", LS_RES_FILE,
						0x4003, 0);

		e.dev = 8 << 20 | 1;
		e.ino = 99;
		assert_int_equal(ev_apply(eng, e), 0);
	}
	assert_int_equal(ev_apply(eng, ev_mmap_file(PARENT, 4, 0x10000, 8192, "/data/db",
						    8 << 20 | 1, 99, 3)), 0);
	assert_int_equal(ev_apply(eng, ev_mmap_file(PARENT, 4, 0x20000, 4096, "/lib/libc.so",
						    8 << 20 | 1, 100, -1)), 0);
	build(eng, &s);
	assert_int_equal(count_kind(&s, LINK_MAPS_FILE), 1);
	assert_non_null(find(&s, LINK_MAPS_FILE, "map:100.1:0x10000", "fd:100.1:3:0"));
	l = find(&s, LINK_THREAD_OF, "threads:100.1", "proc:100.1");
	assert_non_null(l);
	assert_int_equal(l->count, 2);
	assert_int_equal(l->created, 3);
	links_free(&s);
	engine_free(eng);
}

static void test_limit_and_kinds(void **state)
{
	struct ls_engine *eng = family();
	struct links_opts o = { .max = 1 };
	struct link_set s;

	(void)state;
	/* dup, unix_peer, in_flight: one kept, in kind order */
	assert_int_equal(links_build(eng, &o, &s), 0);
	assert_int_equal(s.len, 1);
	assert_int_equal(s.v[0].kind, LINK_IN_FLIGHT);
	assert_int_equal(s.omitted, 2);
	assert_int_equal(s.by_kind[LINK_DUP], 1);
	assert_int_equal(s.by_kind[LINK_UNIX_PEER], 1);
	assert_int_equal(s.by_kind[LINK_IN_FLIGHT], 1);
	links_free(&s);
	o = (struct links_opts){ .kinds = LINK_KIND_BIT(LINK_DUP) | LINK_KIND_BIT(LINK_UNIX_PEER) };
	assert_int_equal(links_build(eng, &o, &s), 0);
	assert_int_equal(s.len, 2);
	assert_int_equal(s.by_kind[LINK_IN_FLIGHT], 0);
	assert_int_equal(s.omitted, 0);
	links_free(&s);
	engine_free(eng);
}

static void test_empty_engine(void **state)
{
	struct ls_engine *eng = engine_new();
	struct link_set s;

	(void)state;
	assert_non_null(eng);
	build(eng, &s);
	assert_int_equal(s.len, 0);
	assert_int_equal(s.omitted, 0);
	links_free(&s);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_passing_dups_and_inheritance),
		cmocka_unit_test(test_exited_processes_keep_their_links),
		cmocka_unit_test(test_fd_and_pid_reuse),
		cmocka_unit_test(test_pipes_and_epoll),
		cmocka_unit_test(test_tcp_peers),
		cmocka_unit_test(test_mappings_and_threads),
		cmocka_unit_test(test_limit_and_kinds),
		cmocka_unit_test(test_empty_engine),
	};

	return cmocka_run_group_tests_name("links", tests, NULL, NULL);
}
