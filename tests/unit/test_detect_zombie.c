// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* zombie detector: the grace period at its edge, reaped children, orphans. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"
#include "findings.h"

#define PARENT 100
#define CHILD 101
#define SEC 1000000000ULL

/* parent 100 forks 101, which exits with status 3 at t = 2 s */
static struct ls_engine *family(void)
{
	struct ls_engine *eng = engine_new();

	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PARENT, 1, 1, "parent", "parent\0", 7, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_fork(PARENT, PARENT, SEC, CHILD, CHILD, 0, 0, "parent")), 0);
	assert_int_equal(ev_apply(eng, ev_exit(CHILD, CHILD, 2 * SEC, 3 << 8, 1)), 0);
	return eng;
}

static size_t detect(struct ls_engine *eng, uint64_t now, struct findings *fs)
{
	struct detect_opts o = { .now_ns = now };

	findings_free(fs);
	assert_int_equal(detect_zombies(eng, &o, fs), 0);
	return fs->len;
}

static void test_unreaped_child_after_grace(void **state)
{
	struct ls_engine *eng = family();
	struct findings fs = { 0 };

	(void)state;
	/* the grace period is one second: at 3 s exactly it counts, a ns before not */
	assert_int_equal(detect(eng, 3 * SEC - 1, &fs), 0);
	assert_int_equal(detect(eng, 10 * SEC, &fs), 1);
	assert_int_equal(fs.v[0].kind, FINDING_ZOMBIE);
	assert_int_equal(fs.v[0].proc->pid, PARENT);
	assert_int_equal(fs.v[0].child->pid, CHILD);
	assert_null(fs.v[0].fd);
	assert_int_equal(fs.v[0].duration_ns, 8 * SEC);
	assert_int_equal(detect(eng, 3 * SEC, &fs), 1);
	assert_string_equal(finding_kind_name(FINDING_ZOMBIE), "zombie");
	findings_free(&fs);
	engine_free(eng);
}

static void test_reaped_child_is_clean(void **state)
{
	struct ls_engine *eng = family();
	struct findings fs = { 0 };

	(void)state;
	assert_int_equal(ev_apply(eng, ev_reap(CHILD, 2 * SEC + 5)), 0);
	assert_int_equal(detect(eng, 100 * SEC, &fs), 0);
	findings_free(&fs);
	engine_free(eng);
}

static void test_parent_exit_without_wait_is_its_leak(void **state)
{
	struct ls_engine *eng = family();
	struct findings fs = { 0 };

	(void)state;
	assert_int_equal(ev_apply(eng, ev_exit(PARENT, PARENT, 4 * SEC, 0, 1)), 0);
	/* init reaps the orphan later: the parent owed the wait from 2 s to 4 s */
	assert_int_equal(ev_apply(eng, ev_reap(CHILD, 5 * SEC)), 0);
	/* and the parent's own parent is not observed: it is unreaped itself */
	assert_int_equal(detect(eng, 100 * SEC, &fs), 2);
	assert_int_equal(fs.v[0].proc->pid, PARENT);
	assert_int_equal(fs.v[0].child->pid, PARENT);
	assert_int_equal(fs.v[1].proc->pid, PARENT);
	assert_int_equal(fs.v[1].child->pid, CHILD);
	assert_int_equal(fs.v[1].duration_ns, 2 * SEC);
	findings_free(&fs);
	engine_free(eng);
}

static void test_parent_exit_right_after_child_is_clean(void **state)
{
	struct ls_engine *eng = family();
	struct findings fs = { 0 };

	(void)state;
	/* the parent exits within the grace period: a wait may have been in flight */
	assert_int_equal(ev_apply(eng, ev_exit(PARENT, PARENT, 3 * SEC - 1, 0, 1)), 0);
	assert_int_equal(ev_apply(eng, ev_reap(PARENT, 3 * SEC)), 0);
	assert_int_equal(detect(eng, 100 * SEC, &fs), 0);
	findings_free(&fs);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unreaped_child_after_grace),
		cmocka_unit_test(test_reaped_child_is_clean),
		cmocka_unit_test(test_parent_exit_without_wait_is_its_leak),
		cmocka_unit_test(test_parent_exit_right_after_child_is_clean),
	};

	return cmocka_run_group_tests_name("detect_zombie", tests, NULL, NULL);
}
