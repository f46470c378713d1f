// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * How the engine keeps a million fds small: slabs, interned files, and the
 * extensions only some descriptions get; and that none of it loses a fact.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "engine_view.h"
#include "events_build.h"
#include "file_names.h"
#include "slab.h"

#define PID 100

static void test_slab_reuses_and_zeroes(void **state)
{
	struct slab s;
	uint64_t *v[1000], *again;

	(void)state;
	slab_init(&s, 20); /* rounded up to whole words */
	assert_int_equal(s.size, 24);
	for (int i = 0; i < 1000; i++) {
		v[i] = slab_alloc(&s);
		assert_non_null(v[i]);
		assert_int_equal(v[i][0] | v[i][1] | v[i][2], 0);
		v[i][0] = v[i][1] = v[i][2] = (uint64_t)i + 1;
		for (int j = 0; j < i; j += 97)
			assert_ptr_not_equal(v[i], v[j]);
	}
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i][2], (uint64_t)i + 1);
	slab_free(&s, v[500]);
	slab_free(&s, NULL);
	again = slab_alloc(&s);
	assert_ptr_equal(again, v[500]);
	assert_int_equal(again[0] | again[1] | again[2], 0);
	slab_fini(&s);
}

static void test_file_names_are_shared_by_all_facts(void **state)
{
	struct file_names n;
	const struct ls_file *a, *b, *c[5];

	(void)state;
	assert_int_equal(file_names_init(&n), 0);
	a = file_names_get(&n, "/var/log/app.log", 16, false, 8, 42, 0100644);
	b = file_names_get(&n, "/var/log/app.log", 16, false, 8, 42, 0100644);
	assert_non_null(a);
	assert_ptr_equal(a, b);
	assert_int_equal(a->refs, 2);
	assert_string_equal(a->path, "/var/log/app.log");
	/* any fact that differs is another file */
	c[0] = file_names_get(&n, "/var/log/app.log", 15, false, 8, 42, 0100644);
	c[1] = file_names_get(&n, "/var/log/app.log", 16, true, 8, 42, 0100644);
	c[2] = file_names_get(&n, "/var/log/app.log", 16, false, 9, 42, 0100644);
	c[3] = file_names_get(&n, "/var/log/app.log", 16, false, 8, 43, 0100644);
	c[4] = file_names_get(&n, "/var/log/app.log", 16, false, 8, 42, 0100600);
	for (int i = 0; i < 5; i++) {
		assert_non_null(c[i]);
		assert_ptr_not_equal(c[i], a);
		for (int j = 0; j < i; j++)
			assert_ptr_not_equal(c[i], c[j]);
	}
	assert_string_equal(c[0]->path, "/var/log/app.lo");
	assert_int_equal(n.count, 6);
	file_names_put(&n, b);
	assert_int_equal(a->refs, 1);
	file_names_put(&n, a);
	for (int i = 0; i < 5; i++)
		file_names_put(&n, c[i]);
	assert_int_equal(n.count, 0);
	/* past the first buckets */
	for (uint64_t i = 0; i < 5000; i++)
		assert_non_null(file_names_get(&n, "", 0, false, 1, i, 0));
	assert_int_equal(n.count, 5000);
	assert_int_equal(file_names_get(&n, "", 0, false, 1, 77, 0)->refs, 2);
	file_names_fini(&n);
}

static struct ls_engine *engine_with_process(void)
{
	struct ls_engine *eng = engine_new();

	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PID, 10, 1, "srv", "srv\0", 4, 1)), 0);
	return eng;
}

/* Descriptions of one file share its path; each keeps its own identity. */
static void test_descriptions_share_their_file(void **state)
{
	struct ls_engine *eng = engine_with_process();
	const struct ls_fd *a, *b, *c;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 10, 3, "/var/log/app.log", LS_RES_FILE,
					       0x100, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 11, 4, "/var/log/app.log", LS_RES_FILE,
					       0x200, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 12, 5, "/var/log/other", LS_RES_FILE,
					       0x300, 0)), 0);
	a = view_fd(eng, PID, 3);
	b = view_fd(eng, PID, 4);
	c = view_fd(eng, PID, 5);
	assert_ptr_not_equal(a->ofd, b->ofd);
	assert_int_equal(a->ofd->file_id, 0x100);
	assert_int_equal(b->ofd->file_id, 0x200);
	assert_ptr_equal(a->ofd->file, b->ofd->file);
	assert_int_equal(a->ofd->file->refs, 2);
	assert_ptr_not_equal(a->ofd->file, c->ofd->file);
	assert_string_equal(c->ofd->file->path, "/var/log/other");
	/* plain files get no extension */
	assert_null(a->ofd->ext);
	assert_ptr_equal(ls_ofd_ext(a->ofd), &ls_ofd_ext_none);
	assert_int_equal(ev_apply(eng, ev_close(PID, PID, 13, 3)), 0);
	assert_int_equal(b->ofd->file->refs, 1);
	assert_string_equal(b->ofd->file->path, "/var/log/app.log");
	engine_free(eng);
}

/* A stat'ed file gets only the state; becoming an epoll target's watcher
 * (or going in flight) grows it to the whole extension, state kept. */
static void test_state_then_whole_extension(void **state)
{
	struct ls_engine *eng = engine_with_process();
	struct ls_file_state st;
	const struct ls_fd *f;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 10, 3, "/tmp/big", LS_RES_FILE, 0x100,
					       0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 11, 4, "/tmp/other", LS_RES_FILE, 0x200,
					       0)), 0);
	st = ev_file_state(PID, 20, 3, 0, 12345);
	assert_int_equal(ev_apply(eng, st), 0);
	f = view_fd(eng, PID, 3);
	assert_non_null(f->ofd->ext);
	assert_false(f->ofd->ext_full);
	assert_true(ls_ofd_state(f->ofd)->state_known);
	assert_true(ls_ofd_state(f->ofd)->deleted);
	assert_int_equal(ls_ofd_state(f->ofd)->size, 12345);
	assert_int_equal(ls_ofd_ext(f->ofd)->nwatches, 0);
	/* not an epoll instance in the kernel, but the engine keeps what it is told */
	assert_int_equal(ev_apply(eng, ev_epoll_add(PID, 21, 3, 4)), 0);
	assert_true(f->ofd->ext_full);
	assert_ptr_equal(f->ofd->ext->owner, f->ofd);
	assert_int_equal(ls_ofd_ext(f->ofd)->nwatches, 1);
	assert_int_equal(ls_ofd_state(f->ofd)->size, 12345);
	assert_true(ls_ofd_state(f->ofd)->deleted);
	assert_null(view_fd(eng, PID, 4)->ofd->ext);
	engine_free(eng);
}

/* A child's copy of an fd has use facts of its own, equal to the parent's. */
static void test_fork_copies_use_facts(void **state)
{
	struct ls_engine *eng = engine_with_process();
	const struct ls_fd *parent, *child;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 10, 3, "/tmp/f", LS_RES_FILE, 0x100, 0)),
			 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 11, 4, "/tmp/g", LS_RES_FILE, 0x200, 0)),
			 0);
	assert_int_equal(ev_apply(eng, ev_access(PID, 20, 3, 7, 15)), 0);
	assert_int_equal(ev_apply(eng, ev_fork(PID, PID, 30, PID + 1, PID + 1, 0, 0, "child")), 0);
	parent = view_fd(eng, PID, 3);
	child = view_fd(eng, PID + 1, 3);
	assert_non_null(child);
	assert_non_null(child->use);
	assert_ptr_not_equal(child->use, parent->use);
	assert_int_equal(child->use->accesses, 7);
	assert_int_equal(child->use->last_access_ns, 15);
	assert_null(view_fd(eng, PID + 1, 4)->use);
	assert_int_equal(ls_fd_accesses(view_fd(eng, PID + 1, 4)->use), 0);
	assert_int_equal(ev_apply(eng, ev_access(PID + 1, 40, 3, 9, 35)), 0);
	assert_int_equal(parent->use->accesses, 7);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slab_reuses_and_zeroes),
		cmocka_unit_test(test_file_names_are_shared_by_all_facts),
		cmocka_unit_test(test_descriptions_share_their_file),
		cmocka_unit_test(test_state_then_whole_extension),
		cmocka_unit_test(test_fork_copies_use_facts),
	};

	return cmocka_run_group_tests_name("memory", tests, NULL, NULL);
}
