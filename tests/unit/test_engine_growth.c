// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Limits as facts, inherited at fork; the counts over time each process keeps. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"

#define PID 100
#define CHILD 101
#define SEC 1000000000ULL
#define MS 1000000ULL
#define K4 4096ULL

/* pid 100 attached at 1 s holding fds 0-2 (one instant, as a snapshot is) */
static struct ls_engine *attached(void)
{
	struct ls_engine *eng = engine_new();

	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PID, SEC, 1, "srv", "srv\0", 4, 0)), 0);
	for (int fd = 0; fd < 3; fd++)
		assert_int_equal(ev_apply(eng, ev_snapshot_fd(PID, SEC, fd, "/dev/pts/0",
							      LS_RES_CHR, 0x10 + fd, 0)), 0);
	return eng;
}

static struct ls_series view(const struct ls_engine *eng, const struct ls_series *s, uint64_t now)
{
	struct ls_series v;

	engine_series_at(eng, s, now, &v);
	return v;
}

static void test_limits_are_facts_inherited_at_fork(void **state)
{
	struct ls_engine *eng = attached();
	const struct ls_process *p = engine_find_live(eng, PID), *c;

	(void)state;
	assert_false(p->nofile.known);
	assert_int_equal(ev_apply(eng, ev_limits(PID, SEC, 1024, 4096, LS_SYS_SNAPSHOT, 0)), 0);
	assert_true(p->nofile.known);
	assert_int_equal(p->nofile.cur, 1024);
	assert_int_equal(p->nofile.max, 4096);
	assert_int_equal(p->nofile.syscall, LS_SYS_SNAPSHOT);
	assert_int_equal(ev_apply(eng, ev_fork(PID, PID, 2 * SEC, CHILD, CHILD, 0, 0, "srv")), 0);
	c = engine_find_live(eng, CHILD);
	assert_true(c->nofile.known);
	assert_int_equal(c->nofile.cur, 1024);
	assert_int_equal(c->nofile.max, 4096);
	/* another process raises the child's (prlimit): the parent keeps its own */
	assert_int_equal(ev_apply(eng, ev_limits(CHILD, 3 * SEC, 2048, 2048, LS_SYS_PRLIMIT64, 77)), 0);
	assert_int_equal(c->nofile.cur, 2048);
	assert_int_equal(c->nofile.setter, 77);
	assert_int_equal(c->nofile.syscall, LS_SYS_PRLIMIT64);
	assert_int_equal(p->nofile.cur, 1024);
	/* the latest fact wins even when its timestamp is older */
	assert_int_equal(ev_apply(eng, ev_limits(PID, SEC / 2, 512, 4096, LS_SYS_SNAPSHOT, 0)), 0);
	assert_int_equal(p->nofile.cur, 512);
	assert_false(engine_host_limits(eng)->known);
	assert_int_equal(ev_apply(eng, ev_host_limits(SEC, 63000, 65530, 1048576)), 0);
	assert_true(engine_host_limits(eng)->known);
	assert_int_equal(engine_host_limits(eng)->threads_max, 63000);
	assert_int_equal(engine_host_limits(eng)->max_map_count, 65530);
	assert_int_equal(engine_host_limits(eng)->nr_open, 1048576);
	assert_string_equal(ls_growth_class_name(LS_CLASS_MAPPINGS), "mappings");
	engine_free(eng);
}

/* A short record of the new types is malformed, not applied. */
static void test_short_limits_are_bad_events(void **state)
{
	struct ls_engine *eng = attached();
	struct ls_proc_limits l = ev_limits(PID, SEC, 1, 1, LS_SYS_SNAPSHOT, 0);
	struct ls_host_limits h = ev_host_limits(SEC, 1, 1, 1);

	(void)state;
	l.hdr.size = sizeof(l) - 8;
	h.hdr.size = sizeof(h) - 8;
	assert_int_equal(engine_apply(eng, &l, sizeof(l)), -EINVAL);
	assert_int_equal(engine_apply(eng, &h, sizeof(h)), -EINVAL);
	assert_int_equal(engine_stats(eng)->bad_events, 2);
	assert_false(engine_find_live(eng, PID)->nofile.known);
	assert_false(engine_host_limits(eng)->known);
	engine_free(eng);
}

/* One open every 100 ms: the fd series and the file series climb with it. */
static void test_fd_series_follows_opens_and_closes(void **state)
{
	struct ls_engine *eng = attached();
	const struct ls_process *p = engine_find_live(eng, PID);
	struct ls_series v;

	(void)state;
	for (int i = 0; i < 50; i++)
		assert_int_equal(ev_apply(eng, ev_open(PID, PID, 2 * SEC + i * 100 * MS + 1, 3 + i,
						       "/var/log/x", LS_RES_FILE, 0x100 + i, 0)), 0);
	v = view(eng, &p->series[LS_CLASS_FDS], 7 * SEC);
	assert_int_equal(v.start_ns, SEC);
	/* the snapshot is one instant: the series starts at 3, not at 1 */
	assert_int_equal(v.floor[0], 3);
	assert_int_equal(v.last, 53);
	for (unsigned int i = 1; i < v.len; i++) {
		uint64_t t = v.start_ns + i * v.width_ns;
		uint32_t opened = t <= 2 * SEC ? 0 : (t - 2 * SEC - 1) / (100 * MS) + 1;

		assert_int_equal(v.floor[i], 3 + (opened > 50 ? 50 : opened));
	}
	assert_non_null(p->type_series[LS_RES_FILE]);
	assert_non_null(p->type_series[LS_RES_CHR]);
	assert_null(p->type_series[LS_RES_SOCKET]);
	v = view(eng, p->type_series[LS_RES_FILE], 7 * SEC);
	assert_int_equal(v.last, 50);
	assert_int_equal(engine_class_count(p, LS_CLASS_FDS), 53);
	/* closes bring it down again */
	for (int i = 0; i < 50; i++)
		assert_int_equal(ev_apply(eng, ev_close(PID, PID, 8 * SEC + i * MS, 3 + i)), 0);
	v = view(eng, &p->series[LS_CLASS_FDS], 9 * SEC);
	assert_int_equal(v.last, 3);
	assert_int_equal(v.floor[v.len - 1], 3);
	/* an exit frees the per-type series */
	assert_int_equal(ev_apply(eng, ev_exit(PID, PID, 10 * SEC, 0, 1)), 0);
	assert_null(p->type_series[LS_RES_FILE]);
	engine_free(eng);
}

/* Threads come and go; anonymous mappings next to each other are one VMA. */
static void test_thread_and_mapping_series(void **state)
{
	struct ls_engine *eng = attached();
	const struct ls_process *p = engine_find_live(eng, PID);
	struct ls_series v;

	(void)state;
	for (uint32_t i = 0; i < 10; i++)
		assert_int_equal(ev_apply(eng, ev_fork(PID, PID, 2 * SEC + i * 10 * MS, PID,
						       PID + 1 + i, 1, 1, "srv")), 0);
	assert_int_equal(engine_class_count(p, LS_CLASS_THREADS), 11);
	assert_int_equal(ev_apply(eng, ev_exit(PID, PID + 1, 3 * SEC, 0, 0)), 0);
	v = view(eng, &p->series[LS_CLASS_THREADS], 4 * SEC);
	assert_int_equal(v.floor[0], 1);
	assert_int_equal(v.last, 10);

	/* a heap grown in pieces stays one; pieces with gaps count each */
	for (uint64_t i = 0; i < 8; i++)
		assert_int_equal(ev_apply(eng, ev_anon_mmap(PID, 5 * SEC + i * MS, 0x10000000 + i * K4,
							    K4, LS_PROT_READ | LS_PROT_WRITE)), 0);
	assert_int_equal(engine_class_count(p, LS_CLASS_MAPPINGS), 1);
	for (uint64_t i = 0; i < 8; i++)
		assert_int_equal(ev_apply(eng, ev_anon_mmap(PID, 6 * SEC + i * MS, 0x20000000 + i * 2 * K4,
							    K4, LS_PROT_READ)), 0);
	assert_int_equal(engine_class_count(p, LS_CLASS_MAPPINGS), 9);
	v = view(eng, &p->series[LS_CLASS_MAPPINGS], 7 * SEC);
	assert_int_equal(v.floor[0], 0);
	assert_int_equal(v.last, 9);
	engine_free(eng);
}

/* CLONE_FILES: a close by one process changes what the other holds too. */
static void test_shared_table_samples_every_user(void **state)
{
	struct ls_engine *eng = attached();
	const struct ls_process *p = engine_find_live(eng, PID), *c;
	struct ls_series v;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_fork(PID, PID, 2 * SEC, CHILD, CHILD, 0, 1, "srv")), 0);
	c = engine_find_live(eng, CHILD);
	assert_int_equal(engine_class_count(c, LS_CLASS_FDS), 3);
	assert_int_equal(ev_apply(eng, ev_open(CHILD, CHILD, 3 * SEC, 3, "/a", LS_RES_FILE, 0x99, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_close(CHILD, CHILD, 4 * SEC, 0)), 0);
	v = view(eng, &p->series[LS_CLASS_FDS], 5 * SEC);
	assert_int_equal(v.last, 3);
	assert_int_equal(v.floor[(3 * SEC - v.start_ns) / v.width_ns + 1], 4);
	v = view(eng, &c->series[LS_CLASS_FDS], 5 * SEC);
	assert_int_equal(v.start_ns, 2 * SEC);
	assert_int_equal(v.floor[0], 3);
	assert_int_equal(v.last, 3);
	engine_free(eng);
}

/* Seen by its own syscalls first, then attached: the series starts over. */
static void test_attach_restarts_the_series(void **state)
{
	struct ls_engine *eng = engine_new();
	const struct ls_process *p;
	struct ls_series v;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, SEC, 40, "/x", LS_RES_FILE, 0x1, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 2 * SEC, 41, "/y", LS_RES_FILE, 0x2, 0)), 0);
	p = engine_find_live(eng, PID);
	assert_non_null(p->type_series[LS_RES_FILE]);
	assert_int_equal(ev_apply(eng, ev_attach(PID, 3 * SEC, 1, "srv", "srv\0", 4, 0)), 0);
	for (int fd = 0; fd < 40; fd++)
		assert_int_equal(ev_apply(eng, ev_snapshot_fd(PID, 3 * SEC, fd, "/z", LS_RES_FILE,
							      0x100 + fd, 0)), 0);
	v = view(eng, &p->series[LS_CLASS_FDS], 4 * SEC);
	assert_int_equal(v.start_ns, 3 * SEC);
	assert_int_equal(v.floor[0], 42);
	v = view(eng, p->type_series[LS_RES_FILE], 4 * SEC);
	assert_int_equal(v.start_ns, 3 * SEC);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits_are_facts_inherited_at_fork),
		cmocka_unit_test(test_short_limits_are_bad_events),
		cmocka_unit_test(test_fd_series_follows_opens_and_closes),
		cmocka_unit_test(test_thread_and_mapping_series),
		cmocka_unit_test(test_shared_table_samples_every_user),
		cmocka_unit_test(test_attach_restarts_the_series),
	};

	return cmocka_run_group_tests_name("engine_growth", tests, NULL, NULL);
}
