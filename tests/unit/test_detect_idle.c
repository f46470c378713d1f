// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* old-and-idle: thresholds at their edges, counters that belong to another lifecycle. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"
#include "findings.h"

#define PID 400
#define SEC 1000000000ULL

/* fd 5 opened at 10 s, last used at 20 s; fd 6 opened at 10 s, never used */
static struct ls_engine *server(uint64_t now)
{
	struct ls_engine *eng = engine_new();

	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PID, 1, 1, "srv", "srv\0", 4, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 10 * SEC, 5, "/a", LS_RES_FILE, 0xa, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 10 * SEC, 6, "/b", LS_RES_FILE, 0xb, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_access(PID, now, 5, 42, 20 * SEC)), 0);
	assert_int_equal(ev_apply(eng, ev_access(PID, now, 6, 0, 0)), 0);
	return eng;
}

static size_t detect(struct ls_engine *eng, uint64_t now, uint64_t min_age, uint64_t idle,
		     struct findings *fs)
{
	struct detect_opts o = { .now_ns = now, .min_age_ns = min_age, .idle_ns = idle };

	findings_free(fs);
	assert_int_equal(detect_idle(eng, &o, fs), 0);
	return fs->len;
}

static void test_edges(void **state)
{
	struct ls_engine *eng = server(40 * SEC);
	struct findings fs = { 0 };

	(void)state;
	/* at 40 s: fd 5 idle 20 s, fd 6 idle 30 s (since created), both 30 s old */
	assert_int_equal(detect(eng, 40 * SEC, 30 * SEC, 20 * SEC, &fs), 2);
	assert_int_equal(fs.v[0].fd->fd, 5);
	assert_int_equal(fs.v[0].duration_ns, 20 * SEC);
	assert_int_equal(fs.v[0].severity, SEVERITY_INFO);
	assert_int_equal(fs.v[1].fd->fd, 6);
	assert_int_equal(fs.v[1].duration_ns, 30 * SEC);
	/* a ns more idle wanted: fd 5 drops out; a ns more age wanted: both */
	assert_int_equal(detect(eng, 40 * SEC, 30 * SEC, 20 * SEC + 1, &fs), 1);
	assert_int_equal(fs.v[0].fd->fd, 6);
	assert_int_equal(detect(eng, 40 * SEC, 30 * SEC + 1, 1, &fs), 0);
	assert_string_equal(finding_kind_name(FINDING_OLD_IDLE), "old-and-idle");
	findings_free(&fs);
	engine_free(eng);
}

static void test_unknown_and_stale_counters(void **state)
{
	struct ls_engine *eng = server(40 * SEC);
	struct findings fs = { 0 };

	(void)state;
	/* no counter handed over: not judged */
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 10 * SEC, 7, "/c", LS_RES_FILE, 0xc, 0)), 0);
	/* a counter from before the fd was created belongs to its previous life */
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 30 * SEC, 8, "/d", LS_RES_FILE, 0xd, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_access(PID, 40 * SEC, 8, 9, 25 * SEC)), 0);
	assert_int_equal(detect(eng, 100 * SEC, 1, 1, &fs), 3);
	assert_int_equal(fs.v[2].fd->fd, 8);
	assert_int_equal(fs.v[2].fd->use->accesses, 0);
	assert_int_equal(fs.v[2].duration_ns, 70 * SEC);
	/* an exited process is not judged */
	assert_int_equal(ev_apply(eng, ev_exit(PID, PID, 101 * SEC, 0, 1)), 0);
	assert_int_equal(detect(eng, 200 * SEC, 1, 1, &fs), 0);
	findings_free(&fs);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_unknown_and_stale_counters),
	};

	return cmocka_run_group_tests_name("detect_idle", tests, NULL, NULL);
}
