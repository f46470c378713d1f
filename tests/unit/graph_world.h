/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A small world for the tests of the pictures (the graph, DOT, HTML), from
 * events, with its findings, links and stacks:
 *
 *   srv (pid 100, live): a pipe, read end 3 and write end 4, 4 dup'ed to 7,
 *     an epoll instance 5 watching 3, WORLD_WEIRD (a name that needs every
 *     escape) at 6, /data/db at 8 mapped at 0x10000, one thread, and log
 *     files 10..29 opened one a millisecond (its open fds rise);
 *   kid (pid 101, forked by srv at 30 ms, inherits all that): opens /tmp/kid
 *     at 9 from WORLD_FUNC (stack 1) and exits at 40 ms: released-at-exit;
 *   cyc (pid 102, live): two unix socketpairs, each end sent into the other
 *     pair's queue, every fd closed: a cycle.
 */
#ifndef LEAKSCOPE_GRAPH_WORLD_H
#define LEAKSCOPE_GRAPH_WORLD_H

#include <stdio.h>

#include "engine.h"
#include "events_build.h"
#include "findings.h"
#include "links.h"
#include "report.h"
#include "stack_table.h"

#define WORLD_SRV 100
#define WORLD_KID 101
#define WORLD_CYC 102
#define WORLD_MS 1000000ULL
#define WORLD_WEIRD "/tmp/a\xff\"b\\c\nd<e>&f"
#define WORLD_FUNC "open_kid<T>"

struct world {
	struct ls_engine *eng;
	struct stack_table *stacks;
	struct findings fs;
	struct link_set links;
	struct report_meta meta;
};

static char *const world_command[] = { "srv", "--port", "8080", NULL };

static inline void world_apply_open(struct ls_engine *eng, uint32_t pid, uint64_t ms, int fd,
				    const char *path, uint64_t file_id, uint32_t flags)
{
	struct ls_fd_create e = ev_open(pid, pid, ms * WORLD_MS, fd, path, LS_RES_FILE,
					file_id, 0);

	e.file_flags = flags;
	e.dev = 8 << 20 | 1;
	e.ino = file_id;
	assert_int_equal(engine_apply(eng, &e, sizeof(e)), 0);
}

static inline void world_srv(struct world *w)
{
	struct ls_engine *eng = w->eng;
	struct ls_fd_create ep;

	assert_int_equal(ev_apply(eng, ev_attach(WORLD_SRV, 1 * WORLD_MS, 1, "srv",
						 "srv\0--port\0" "8080\0", 16, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_pipe_end(WORLD_SRV, 2 * WORLD_MS, 3, 4, 0x103, 77, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_pipe_end(WORLD_SRV, 2 * WORLD_MS, 4, 3, 0x104, 77, 1)), 0);
	ep = ev_fd_create(WORLD_SRV, WORLD_SRV, 3 * WORLD_MS, LS_SYS_EPOLL_CREATE1, 5, -1,
			  LS_RES_EPOLL, 0x105, 0);
	assert_int_equal(ev_apply(eng, ep), 0);
	assert_int_equal(ev_apply(eng, ev_epoll_add(WORLD_SRV, 3 * WORLD_MS, 5, 3)), 0);
	world_apply_open(eng, WORLD_SRV, 4, 6, WORLD_WEIRD, 0x106, 2);
	assert_int_equal(ev_apply(eng, ev_dup(WORLD_SRV, WORLD_SRV, 5 * WORLD_MS, LS_SYS_DUP, 4, 7,
					      LS_RES_PIPE, 0x104, 0)), 0);
	world_apply_open(eng, WORLD_SRV, 6, 8, "/data/db", 0x108, 0);
	assert_int_equal(ev_apply(eng, ev_mmap_file(WORLD_SRV, 7 * WORLD_MS, 0x10000, 8192,
						    "/data/db", 8 << 20 | 1, 0x108, 8)), 0);
	assert_int_equal(ev_apply(eng, ev_fork(WORLD_SRV, WORLD_SRV, 8 * WORLD_MS, WORLD_SRV, 111,
					       1, 1, "srv")), 0);
	for (int i = 0; i < 20; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/var/log/srv-%02d", i);
		world_apply_open(eng, WORLD_SRV, 10 + i, 10 + i, path, 0x200 + i, 1);
	}
}

static inline void world_kid(struct world *w, uint32_t stack_id)
{
	struct ls_engine *eng = w->eng;

	assert_int_equal(ev_apply(eng, ev_fork(WORLD_SRV, WORLD_SRV, 30 * WORLD_MS, WORLD_KID,
					       WORLD_KID, 0, 0, "kid")), 0);
	assert_int_equal(ev_apply(eng, ev_stack_ref(WORLD_KID, WORLD_KID, 31 * WORLD_MS,
						    LS_SYS_OPENAT, 1, stack_id)), 0);
	world_apply_open(eng, WORLD_KID, 31, 9, "/tmp/kid", 0x309, 1);
	assert_int_equal(ev_apply(eng, ev_exit(WORLD_KID, WORLD_KID, 40 * WORLD_MS, 0, 1)), 0);
}

static inline void world_cyc(struct world *w)
{
	struct ls_engine *eng = w->eng;

	assert_int_equal(ev_apply(eng, ev_attach(WORLD_CYC, 50 * WORLD_MS, 1, "cyc", "cyc\0", 4, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(WORLD_CYC, 51 * WORLD_MS, 3, 1, 0xa3, 0x53, 0x54)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(WORLD_CYC, 51 * WORLD_MS, 4, 1, 0xa4, 0x54, 0x53)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(WORLD_CYC, 51 * WORLD_MS, 5, 1, 0xa5, 0x55, 0x56)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(WORLD_CYC, 51 * WORLD_MS, 6, 1, 0xa6, 0x56, 0x55)), 0);
	assert_int_equal(ev_apply(eng, ev_scm_send1(WORLD_CYC, 52 * WORLD_MS, 6, 0x56, 0x55, 3,
						    0xa3)), 0);
	assert_int_equal(ev_apply(eng, ev_scm_send1(WORLD_CYC, 53 * WORLD_MS, 4, 0x54, 0x53, 5,
						    0xa5)), 0);
	for (int fd = 3; fd <= 6; fd++)
		assert_int_equal(ev_apply(eng, ev_close(WORLD_CYC, WORLD_CYC, 54 * WORLD_MS, fd)), 0);
}

static inline void world_build(struct world *w)
{
	struct stack_frame frames[] = {
		{ .pc = 0x7f0001, .offset = 0xf4b2a, .module = "/lib/libc.so.6",
		  .function = "__libc_open64", .file = "open64.c", .line = 41 },
		{ .pc = 0x5600a1, .offset = 0x13c4, .module = "/opt/kid",
		  .function = WORLD_FUNC, .file = "kid.c", .line = 51 },
		{ .pc = 0x5600b2, .offset = 0x1400, .module = "/opt/kid",
		  .function = "main", .file = "kid.c", .line = 90 },
	};
	struct detect_opts o = { .now_ns = 100 * WORLD_MS };
	struct links_opts lo = { 0 };
	uint32_t id;

	memset(w, 0, sizeof(*w));
	w->eng = engine_new();
	w->stacks = stack_table_new();
	assert_non_null(w->eng);
	assert_non_null(w->stacks);
	id = stack_table_intern(w->stacks, frames, 3, STACK_END_CLEAN);
	assert_int_equal(id, 1);
	assert_int_equal(stack_table_name(w->stacks, id, frames, 3, false), 0);
	world_srv(w);
	world_kid(w, id);
	world_cyc(w);
	assert_int_equal(detect_all(w->eng, &o, &w->fs), 0);
	assert_int_equal(links_build(w->eng, &lo, &w->links), 0);
	w->meta = (struct report_meta){
		.version = "0.1.0", .kernel = "6.18.0-test", .host = "box<1>", .mode = "command",
		.command = world_command, .start_ns = 1 * WORLD_MS, .end_ns = 100 * WORLD_MS,
		.realtime_offset_ns = 1795392000LL * 1000000000LL, .events_received = 77,
		.kernel_stats = { [LS_STAT_EVENTS] = 77 }, .stacks = w->stacks,
	};
}

static inline void world_free(struct world *w)
{
	links_free(&w->links);
	findings_free(&w->fs);
	stack_table_free(w->stacks);
	engine_free(w->eng);
}

#endif /* LEAKSCOPE_GRAPH_WORLD_H */
