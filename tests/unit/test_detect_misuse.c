// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* fd misuse: kinds, close stacks, repeats counted, the cap; the detector's severities. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"
#include "findings.h"

#define PID 300

static struct ls_stack_ref ev_ref(uint64_t ts, uint16_t syscall, uint32_t id)
{
	return ev_stack_ref(PID, PID, ts, syscall, 1, id);
}

static struct ls_engine *started(void)
{
	struct ls_engine *eng = engine_new();

	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PID, 1, 1, "app", "app\0", 4, 1)), 0);
	return eng;
}

static const struct ls_process *proc(struct ls_engine *eng)
{
	return engine_find_live(eng, PID);
}

static void test_double_close_has_both_stacks(void **state)
{
	struct ls_engine *eng = started();
	const struct ls_misuse *m;
	struct findings fs = { 0 };
	struct detect_opts o = { 0 };

	(void)state;
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 10, 5, "/a", LS_RES_FILE, 0xa, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_ref(20, LS_SYS_CLOSE, 7)), 0);
	assert_int_equal(ev_apply(eng, ev_close(PID, PID, 20, 5)), 0);
	assert_int_equal(ev_apply(eng, ev_ref(30, LS_SYS_CLOSE, 8)), 0);
	assert_int_equal(ev_apply(eng, ev_misuse(PID, 30, 5, LS_SYS_CLOSE)), 0);
	assert_int_equal(proc(eng)->nmisuses, 1);
	m = &proc(eng)->misuses[0];
	assert_int_equal(m->kind, LS_MISUSE_DOUBLE_CLOSE);
	assert_int_equal(m->stack_id, 8);
	assert_int_equal(m->close_stack_id, 7);
	assert_int_equal(m->closed_ns, 20);
	assert_int_equal(m->first_ns, 30);
	assert_int_equal(detect_misuse(eng, &o, &fs), 0);
	assert_int_equal(fs.len, 1);
	assert_int_equal(fs.v[0].kind, FINDING_FD_MISUSE);
	assert_int_equal(fs.v[0].severity, SEVERITY_ERROR);
	assert_ptr_equal(fs.v[0].misuse, m);
	assert_null(fs.v[0].fd);
	assert_string_equal(ls_misuse_name(m->kind), "double-close");
	findings_free(&fs);
	engine_free(eng);
}

static void test_kinds_and_severities(void **state)
{
	struct ls_engine *eng = started();
	struct findings fs = { 0 };
	struct detect_opts o = { 0 };

	(void)state;
	/* closed by close_range, then written: use after close */
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 10, 6, "/b", LS_RES_FILE, 0xb, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_close_range(PID, PID, 11, 6, 6, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_misuse(PID, 12, 6, LS_SYS_WRITE)), 0);
	/* never open: write to -1, close of 77 */
	assert_int_equal(ev_apply(eng, ev_misuse(PID, 13, -1, LS_SYS_WRITE)), 0);
	assert_int_equal(ev_apply(eng, ev_misuse(PID, 14, 77, LS_SYS_CLOSE)), 0);
	assert_int_equal(detect_misuse(eng, &o, &fs), 0);
	assert_int_equal(fs.len, 3);
	assert_int_equal(fs.v[0].misuse->kind, LS_MISUSE_USE_AFTER_CLOSE);
	assert_int_equal(fs.v[0].misuse->closed_ns, 11);
	assert_int_equal(fs.v[0].severity, SEVERITY_ERROR);
	assert_int_equal(fs.v[1].misuse->kind, LS_MISUSE_USE_UNOPENED);
	assert_int_equal(fs.v[1].severity, SEVERITY_WARNING);
	assert_int_equal(fs.v[1].misuse->closed_ns, 0);
	assert_int_equal(fs.v[2].misuse->kind, LS_MISUSE_CLOSE_UNOPENED);
	assert_int_equal(fs.v[2].severity, SEVERITY_INFO);
	findings_free(&fs);
	engine_free(eng);
}

static void test_repeats_counted_and_capped(void **state)
{
	struct ls_engine *eng = started();
	const struct ls_process *p;

	(void)state;
	/* a daemon closing 3..99 from one place: one record */
	for (int fd = 3; fd < 100; fd++) {
		assert_int_equal(ev_apply(eng, ev_ref(fd, LS_SYS_CLOSE, 5)), 0);
		assert_int_equal(ev_apply(eng, ev_misuse(PID, fd, fd, LS_SYS_CLOSE)), 0);
	}
	p = proc(eng);
	assert_int_equal(p->nmisuses, 1);
	assert_int_equal(p->misuses[0].count, 97);
	assert_int_equal(p->misuses[0].fd, 3);
	assert_int_equal(p->misuses[0].last_ns, 99);
	/* without stacks the fd tells places apart; past the cap, counted */
	for (int fd = 0; fd < LS_MISUSES_MAX + 10; fd++)
		assert_int_equal(ev_apply(eng, ev_misuse(PID, 200, 1000 + fd, LS_SYS_READ)), 0);
	p = proc(eng);
	assert_int_equal(p->nmisuses, LS_MISUSES_MAX);
	assert_int_equal(p->misuses_dropped, 11);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_double_close_has_both_stacks),
		cmocka_unit_test(test_kinds_and_severities),
		cmocka_unit_test(test_repeats_counted_and_capped),
	};

	return cmocka_run_group_tests_name("detect_misuse", tests, NULL, NULL);
}
