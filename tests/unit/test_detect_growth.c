// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* growth detector on synthetic sequences: steady, flat, noisy, released,
 * one step, too short, limits known and not, thresholds at their edges. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"
#include "findings.h"

#define PID 100
#define SEC 1000000000ULL
#define MS 1000000ULL
#define T0 SEC           /* attach */
#define RISE (2 * SEC)   /* the first open of a ramp */
#define WINDOW (300 * SEC)
#define K4 4096ULL

struct fixture {
	struct ls_engine *eng;
	struct findings fs;
	int next_fd;
};

/* pid 100 attached at T0 with fds 0-2, RLIMIT_NOFILE soft limit nofile (0: not known) */
static void setup(struct fixture *fx, uint64_t nofile)
{
	fx->eng = engine_new();
	fx->fs = (struct findings){ 0 };
	fx->next_fd = 3;
	assert_non_null(fx->eng);
	assert_int_equal(ev_apply(fx->eng, ev_attach(PID, T0, 1, "srv", "srv\0", 4, 0)), 0);
	for (int fd = 0; fd < 3; fd++)
		assert_int_equal(ev_apply(fx->eng, ev_snapshot_fd(PID, T0, fd, "/dev/null",
								  LS_RES_CHR, 0x10 + fd, 0)), 0);
	if (nofile)
		assert_int_equal(ev_apply(fx->eng, ev_limits(PID, T0, nofile, nofile,
							     LS_SYS_SNAPSHOT, 0)), 0);
	assert_int_equal(ev_apply(fx->eng, ev_host_limits(T0, 50000, 65530, 1048576)), 0);
}

static void teardown(struct fixture *fx)
{
	findings_free(&fx->fs);
	engine_free(fx->eng);
}

static void open_at(struct fixture *fx, uint64_t ts)
{
	int fd = fx->next_fd++;

	assert_int_equal(ev_apply(fx->eng, ev_open(PID, PID, ts, fd, "/var/log/x", LS_RES_FILE,
						   0x1000 + (uint64_t)fd, 0)), 0);
}

static void close_last(struct fixture *fx, uint64_t ts)
{
	assert_int_equal(ev_apply(fx->eng, ev_close(PID, PID, ts, --fx->next_fd)), 0);
}

/* n opens, one every step_ns from start */
static void ramp(struct fixture *fx, uint64_t start, uint64_t step_ns, int n)
{
	for (int i = 0; i < n; i++)
		open_at(fx, start + (uint64_t)i * step_ns);
}

static size_t detect_with(struct fixture *fx, uint64_t now, uint64_t window, uint32_t min)
{
	struct detect_opts o = { .now_ns = now, .growth_window_ns = window,
				 .growth_min_increase = min };

	findings_free(&fx->fs);
	assert_int_equal(detect_growth(fx->eng, &o, &fx->fs), 0);
	for (size_t i = 0; i < fx->fs.len; i++) {
		assert_int_equal(fx->fs.v[i].kind, FINDING_GROWTH);
		assert_null(fx->fs.v[i].fd);
		assert_non_null(fx->fs.v[i].growth);
	}
	return fx->fs.len;
}

static size_t detect(struct fixture *fx, uint64_t now)
{
	return detect_with(fx, now, WINDOW, 10);
}

/* 10 fds a second for 10 s, RLIMIT_NOFILE 1024: 92 s left, an error. */
static void test_steady_rise(void **state)
{
	struct fixture fx;
	const struct growth_detail *g;
	uint64_t now = RISE + 10 * SEC;

	(void)state;
	setup(&fx, 1024);
	ramp(&fx, RISE, 100 * MS, 100);
	assert_int_equal(detect(&fx, now), 1);
	g = fx.fs.v[0].growth;
	assert_int_equal(fx.fs.v[0].proc->pid, PID);
	assert_int_equal(g->cls, LS_CLASS_FDS);
	assert_int_equal(g->open_now, 103);
	assert_int_equal(g->first, 3);
	assert_true(g->last >= 100 && g->last <= 103);
	assert_float_equal(g->slope_per_s, 10, 0.2);
	assert_true(g->tau > 0.95);
	assert_true(g->points >= 32);
	assert_int_equal(g->window_ns, now - T0);
	assert_int_equal(g->limit, 1024);
	assert_string_equal(g->limit_name, "RLIMIT_NOFILE (soft)");
	assert_float_equal(g->exhaustion_s, (1024 - 103) / 10.0, 2);
	assert_int_equal(fx.fs.v[0].severity, SEVERITY_ERROR);
	/* all of it files */
	assert_int_equal(g->ntypes, 1);
	assert_int_equal(g->by_type[0].type, LS_RES_FILE);
	assert_int_equal(g->by_type[0].open_now, 100);
	assert_true(g->by_type[0].increase >= 97);
	assert_float_equal(g->by_type[0].slope_per_s, 10, 0.2);
	assert_string_equal(finding_kind_name(FINDING_GROWTH), "growth");
	teardown(&fx);
}

static void test_flat_is_clean(void **state)
{
	struct fixture fx;

	(void)state;
	setup(&fx, 1024);
	ramp(&fx, RISE, 100 * MS, 20);
	assert_int_equal(detect(&fx, RISE + 60 * SEC), 0);
	teardown(&fx);
}

/* Opens and closes at random between 10 and 40 open for a minute: no trend. */
static void test_noisy_but_flat_is_clean(void **state)
{
	struct fixture fx;
	uint32_t x = 42;

	(void)state;
	setup(&fx, 1024);
	ramp(&fx, RISE, MS, 10);
	for (int i = 0; i < 1200; i++) {
		uint64_t ts = RISE + SEC + (uint64_t)i * 50 * MS;

		x = x * 1103515245 + 12345;
		if (((x >> 16) & 1) ? fx.next_fd < 43 : fx.next_fd <= 13)
			open_at(&fx, ts);
		else
			close_last(&fx, ts);
	}
	assert_int_equal(detect(&fx, RISE + 62 * SEC), 0);
	teardown(&fx);
}

/* A rise that is released again was a burst, not a leak. */
static void test_rise_then_release(void **state)
{
	struct fixture fx;

	(void)state;
	setup(&fx, 1024);
	ramp(&fx, RISE, 100 * MS, 100);
	assert_int_equal(detect(&fx, RISE + 10 * SEC), 1);
	for (int i = 0; i < 100; i++)
		close_last(&fx, RISE + 10 * SEC + (uint64_t)i * 20 * MS);
	assert_int_equal(detect(&fx, RISE + 13 * SEC), 0);
	/* released halfway only: the trend is gone, though the count stays up */
	ramp(&fx, RISE + 14 * SEC, 100 * MS, 100);
	for (int i = 0; i < 50; i++)
		close_last(&fx, RISE + 24 * SEC + (uint64_t)i * 100 * MS);
	assert_int_equal(detect_with(&fx, RISE + 30 * SEC, 16 * SEC, 10), 0);
	teardown(&fx);
}

/* Fifty fds at once (a pool filled), then nothing: a step, not a trend. */
static void test_single_step_is_clean(void **state)
{
	struct fixture fx;

	(void)state;
	setup(&fx, 1024);
	ramp(&fx, RISE + 4 * SEC, 1, 50);
	assert_int_equal(detect(&fx, RISE + 10 * SEC), 0);
	/* the same in a window that starts just before it */
	assert_int_equal(detect_with(&fx, RISE + 10 * SEC, 12 * SEC, 10), 0);
	teardown(&fx);
}

/* Less than 5 s seen (or half the window, if shorter): too soon to tell. */
static void test_too_short(void **state)
{
	struct fixture fx;

	(void)state;
	setup(&fx, 1024);
	ramp(&fx, T0 + MS, 100 * MS, 45);
	assert_int_equal(detect(&fx, T0 + 4500 * MS), 0);
	assert_int_equal(detect(&fx, T0 + 5000 * MS), 1);
	/* a 4 s window needs 2 s of it */
	assert_int_equal(detect_with(&fx, T0 + 4500 * MS, 4 * SEC, 10), 1);
	assert_true(fx.fs.v[0].growth->window_ns <= 4 * SEC);
	assert_true(fx.fs.v[0].growth->window_ns > 3 * SEC);
	assert_int_equal(detect_with(&fx, T0 + 1900 * MS, 4 * SEC, 10), 0);
	/* and a growth window of 0 turns the detector off */
	assert_int_equal(detect_with(&fx, T0 + 4500 * MS, 0, 10), 0);
	teardown(&fx);
}

/* --growth-min: the rise over the window, first cell to last. */
static void test_min_increase_edge(void **state)
{
	struct fixture fx;

	(void)state;
	setup(&fx, 1024);
	ramp(&fx, RISE, SEC, 10);
	assert_int_equal(detect_with(&fx, RISE + 10 * SEC, WINDOW, 11), 0);
	assert_int_equal(detect_with(&fx, RISE + 10 * SEC, WINDOW, 10), 1);
	assert_int_equal(fx.fs.v[0].growth->last - fx.fs.v[0].growth->first, 10);
	teardown(&fx);
}

/* No RLIMIT_NOFILE known: still a growth, with no time to exhaustion. */
static void test_limit_unknown(void **state)
{
	struct fixture fx;

	(void)state;
	setup(&fx, 0);
	ramp(&fx, RISE, 100 * MS, 100);
	assert_int_equal(detect(&fx, RISE + 10 * SEC), 1);
	assert_int_equal(fx.fs.v[0].growth->limit, 0);
	assert_true(fx.fs.v[0].growth->exhaustion_s < 0);
	assert_int_equal(fx.fs.v[0].severity, SEVERITY_WARNING);
	teardown(&fx);
}

/* An error within the hour, a warning beyond; at the limit already: 0 s. */
static void test_severity_edges(void **state)
{
	uint64_t limits[] = { 103 + 10 * 3500, 103 + 10 * 3700, 50 };
	enum severity want[] = { SEVERITY_ERROR, SEVERITY_WARNING, SEVERITY_ERROR };
	struct fixture fx;

	(void)state;
	for (int i = 0; i < 3; i++) {
		setup(&fx, limits[i]);
		ramp(&fx, RISE, 100 * MS, 100);
		assert_int_equal(detect(&fx, RISE + 10 * SEC), 1);
		assert_int_equal(fx.fs.v[0].severity, want[i]);
		if (i == 2)
			assert_float_equal(fx.fs.v[0].growth->exhaustion_s, 0, 0);
		teardown(&fx);
	}
}

/* Threads against threads-max, mappings against max_map_count; an exited
 * process is nobody's growth any more. */
static void test_threads_and_mappings(void **state)
{
	const struct growth_detail *g;
	struct fixture fx;

	(void)state;
	setup(&fx, 1024);
	for (uint32_t i = 0; i < 50; i++) {
		uint64_t ts = RISE + i * 200 * MS;

		assert_int_equal(ev_apply(fx.eng, ev_fork(PID, PID, ts, PID, PID + 1 + i, 1, 1,
							  "srv")), 0);
		/* every other page, so that the kernel could not merge them */
		assert_int_equal(ev_apply(fx.eng, ev_anon_mmap(PID, ts + MS, 0x10000000 + i * 2 * K4,
							       K4, LS_PROT_READ)), 0);
	}
	assert_int_equal(detect(&fx, RISE + 10 * SEC), 2);
	g = fx.fs.v[0].growth;
	assert_int_equal(g->cls, LS_CLASS_THREADS);
	assert_int_equal(g->open_now, 51);
	assert_int_equal(g->limit, 50000);
	assert_string_equal(g->limit_name, "kernel.threads-max");
	assert_float_equal(g->slope_per_s, 5, 0.2);
	assert_float_equal(g->exhaustion_s, (50000 - 51) / 5.0, 400);
	assert_int_equal(fx.fs.v[0].severity, SEVERITY_WARNING);
	assert_int_equal(g->ntypes, 0);
	g = fx.fs.v[1].growth;
	assert_int_equal(g->cls, LS_CLASS_MAPPINGS);
	assert_int_equal(g->open_now, 50);
	assert_int_equal(g->limit, 65530);
	assert_string_equal(g->limit_name, "vm.max_map_count");
	assert_int_equal(ev_apply(fx.eng, ev_exit(PID, PID, RISE + 11 * SEC, 0, 1)), 0);
	assert_int_equal(detect(&fx, RISE + 12 * SEC), 0);
	teardown(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steady_rise),
		cmocka_unit_test(test_flat_is_clean),
		cmocka_unit_test(test_noisy_but_flat_is_clean),
		cmocka_unit_test(test_rise_then_release),
		cmocka_unit_test(test_single_step_is_clean),
		cmocka_unit_test(test_too_short),
		cmocka_unit_test(test_min_increase_edge),
		cmocka_unit_test(test_limit_unknown),
		cmocka_unit_test(test_severity_edges),
		cmocka_unit_test(test_threads_and_mappings),
	};

	return cmocka_run_group_tests_name("detect_growth", tests, NULL, NULL);
}
