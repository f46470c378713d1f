// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The fd table: slots by fd, generations, copies for fork and unshare, users. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include "fdtable.h"

/* where the records come from, as in the engine */
static struct fd_store store;

static struct ls_fd *new_fd(int fd, struct ls_ofd *o, uint32_t flags)
{
	struct ls_fd *f = fd_store_new(&store);

	assert_non_null(f);
	f->fd = fd;
	f->ofd = o;
	f->fd_flags = flags;
	f->created_ns = 100 + (uint64_t)fd;
	f->tid = 7;
	f->src_fd = -1;
	o->refs++;
	return f;
}

static void put(struct ls_fdtable *t, struct ls_fd *f)
{
	assert_int_equal(fdtable_reserve(t, f->fd), 0);
	fdtable_install(t, f);
}

static void drop(struct ls_fdtable *t, int fd)
{
	struct ls_fd *f = fdtable_take(t, fd);

	assert_non_null(f);
	f->ofd->refs--;
	fd_store_free(&store, f);
}

static void empty_and_free(struct ls_fdtable *t)
{
	struct ls_fd *f;

	for (uint32_t fd = 0; (f = fdtable_next(t, &fd)); fd++)
		drop(t, (int)fd);
	assert_int_equal(t->open, 0);
	fdtable_free(t);
}

static void test_reserve_allocates_pages(void **state)
{
	struct ls_fdtable *t = fdtable_new();

	(void)state;
	assert_non_null(t);
	assert_int_equal(fdtable_reserve(t, -1), -EINVAL);
	assert_int_equal(fdtable_reserve(t, 0), 0);
	assert_int_equal(fdtable_page_count(t), 1);
	assert_int_equal(fdtable_reserve(t, FDTABLE_PAGE_SLOTS - 1), 0);
	assert_int_equal(fdtable_page_count(t), 1);
	assert_int_equal(fdtable_reserve(t, FDTABLE_PAGE_SLOTS), 0);
	assert_int_equal(fdtable_page_count(t), 2);
	assert_null(fdtable_get(t, -5));
	assert_null(fdtable_get(t, 1000));
	assert_null(fdtable_get(t, 1 << 20));
	assert_null(fdtable_get(t, 0x7fffffff));
	fdtable_free(t);
}

/* Numbers the kernel allows with a raised fs.nr_open (up to 2^30) and up to
 * INT_MAX through dup2: each costs one page, not the range below it. */
static void test_huge_fds_cost_one_page(void **state)
{
	static const int huge[] = { 1 << 24, (1 << 30) - 1, 0x7fffffff, FDTABLE_DENSE_FDS,
				    FDTABLE_DENSE_FDS - 1 };
	struct ls_ofd o = { .id = 1, .res_type = LS_RES_FILE };
	struct ls_fdtable *t = fdtable_new();
	size_t i;

	(void)state;
	assert_non_null(t);
	for (i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		put(t, new_fd(huge[i], &o, 0));
		assert_int_equal(fdtable_page_count(t), i + 1);
		assert_ptr_equal(fdtable_get(t, huge[i])->ofd, &o);
		assert_null(fdtable_get(t, huge[i] - 1));
	}
	/* the dense directory reaches the highest dense page only */
	assert_int_equal(t->npages, FDTABLE_DENSE_FDS / FDTABLE_PAGE_SLOTS);
	assert_int_equal(t->nfar, 4);
	assert_int_equal(t->open, 5);
	drop(t, 0x7fffffff);
	put(t, new_fd(0x7fffffff, &o, 0));
	assert_int_equal(fdtable_get(t, 0x7fffffff)->generation, 1);
	empty_and_free(t);
	assert_int_equal(o.refs, 0);
}

/* The walk visits open fds in fd order, dense pages then far ones, and
 * taking each as it goes (as exit does) disturbs nothing. */
static void test_walk_in_fd_order_over_sparse_numbers(void **state)
{
	struct ls_ofd o = { .id = 1, .res_type = LS_RES_FILE };
	struct ls_fdtable *t = fdtable_new(), *c;
	uint32_t x = 12345, want[600], n = 0;
	struct ls_fd *f;
	size_t i, seen = 0;

	(void)state;
	assert_non_null(t);
	for (i = 0; i < 600; i++) {
		int fd;

		x = x * 1103515245 + 12345;
		/* a third low, a third in the dense range, a third far */
		fd = i % 3 == 0 ? (int)(x % 300) : i % 3 == 1 ? (int)(x % FDTABLE_DENSE_FDS)
							      : (int)(x & 0x7fffffff);
		if (fdtable_get(t, fd))
			continue;
		put(t, new_fd(fd, &o, 0));
	}
	for (uint32_t fd = 0; (f = fdtable_next(t, &fd)); fd++) {
		assert_int_equal(f->fd, (int)fd);
		if (n)
			assert_true(fd > want[n - 1]);
		want[n++] = fd;
	}
	assert_int_equal(n, t->open);
	/* the copy walks the same numbers */
	c = fdtable_copy_for_unshare(t, &store);
	assert_non_null(c);
	for (uint32_t fd = 0; (f = fdtable_next(c, &fd)); fd++)
		assert_int_equal(fd, want[seen++]);
	assert_int_equal(seen, n);
	empty_and_free(c);
	/* from the middle of the range */
	{
		uint32_t fd = want[n / 2] + 1;

		f = fdtable_next(t, &fd);
		assert_non_null(f);
		assert_int_equal(fd, want[n / 2 + 1]);
	}
	seen = 0;
	for (uint32_t fd = 0; (f = fdtable_next(t, &fd)); fd++) {
		assert_ptr_equal(fdtable_take(t, (int)fd), f);
		f->ofd->refs--;
		fd_store_free(&store, f);
		seen++;
	}
	assert_int_equal(seen, n);
	assert_int_equal(t->open, 0);
	fdtable_free(t);
	assert_int_equal(o.refs, 0);
}

static void test_install_take_and_generations(void **state)
{
	struct ls_ofd o = { .id = 1, .res_type = LS_RES_PIPE };
	struct ls_fdtable *t = fdtable_new();
	struct ls_process user = { 0 };
	struct ls_fd *f;

	(void)state;
	assert_non_null(t);
	assert_int_equal(fdtable_add_user(t, &user), 0);
	put(t, new_fd(3, &o, 0));
	assert_int_equal(fdtable_get(t, 3)->generation, 0);
	assert_int_equal(t->open, 1);
	assert_int_equal(user.counts[LS_RES_PIPE].open, 1);
	drop(t, 3);
	assert_null(fdtable_get(t, 3));
	assert_null(fdtable_take(t, 3));
	assert_int_equal(user.counts[LS_RES_PIPE].open, 0);
	put(t, new_fd(3, &o, 0));
	put(t, new_fd(4, &o, 0));
	f = fdtable_get(t, 3);
	assert_int_equal(f->generation, 1);
	assert_int_equal(fdtable_get(t, 4)->generation, 0);
	assert_int_equal(o.refs, 2);
	assert_int_equal(user.counts[LS_RES_PIPE].open, 2);
	fdtable_remove_user(t, &user);
	assert_int_equal(t->nusers, 0);
	empty_and_free(t);
	assert_int_equal(o.refs, 0);
}

static void test_copy_for_fork(void **state)
{
	struct ls_ofd a = { .id = 1, .res_type = LS_RES_FILE };
	struct ls_ofd b = { .id = 2, .res_type = LS_RES_SOCKET };
	struct ls_fdtable *t = fdtable_new(), *c;
	struct ls_process child = { 0 };
	const struct ls_fd *f;

	(void)state;
	assert_non_null(t);
	put(t, new_fd(0, &a, LS_FD_CLOEXEC));
	drop(t, 0);
	put(t, new_fd(0, &a, LS_FD_CLOEXEC));
	put(t, new_fd(200, &b, 0));
	fdtable_get(t, 200)->before_attach = true;

	c = fdtable_copy_for_fork(t, &store, 5000, 9);
	assert_non_null(c);
	assert_int_equal(c->open, 2);
	assert_int_equal(a.refs, 2);
	assert_int_equal(b.refs, 2);
	f = fdtable_get(c, 0);
	assert_ptr_not_equal(f, fdtable_get(t, 0));
	assert_ptr_equal(f->ofd, &a);
	assert_true(f->inherited);
	assert_int_equal(f->generation, 0);
	assert_int_equal(f->fd_flags, LS_FD_CLOEXEC);
	assert_int_equal(f->created_ns, 5000);
	assert_int_equal(f->tid, 9);
	assert_int_equal(fdtable_get(t, 0)->generation, 1);
	assert_false(fdtable_get(c, 200)->before_attach);
	assert_int_equal(fdtable_add_user(c, &child), 0);
	assert_int_equal(child.counts[LS_RES_FILE].open, 1);
	assert_int_equal(child.counts[LS_RES_SOCKET].open, 1);

	/* the child's next fd 0 is its second lifecycle of that number */
	drop(c, 0);
	put(c, new_fd(0, &a, 0));
	assert_int_equal(fdtable_get(c, 0)->generation, 1);
	empty_and_free(c);
	empty_and_free(t);
	assert_int_equal(a.refs, 0);
	assert_int_equal(b.refs, 0);
}

static void test_copy_for_unshare_keeps_lifecycles(void **state)
{
	struct ls_ofd a = { .id = 1, .res_type = LS_RES_FILE };
	struct ls_fdtable *t = fdtable_new(), *c;
	const struct ls_fd *f;

	(void)state;
	assert_non_null(t);
	put(t, new_fd(3, &a, 0));
	drop(t, 3);
	put(t, new_fd(3, &a, LS_FD_CLOEXEC));
	c = fdtable_copy_for_unshare(t, &store);
	assert_non_null(c);
	f = fdtable_get(c, 3);
	assert_int_equal(f->generation, 1);
	assert_false(f->inherited);
	assert_int_equal(f->created_ns, 103);
	assert_int_equal(f->fd_flags, LS_FD_CLOEXEC);
	assert_int_equal(a.refs, 2);
	drop(c, 3);
	put(c, new_fd(3, &a, 0));
	assert_int_equal(fdtable_get(c, 3)->generation, 2);
	empty_and_free(c);
	empty_and_free(t);
}

static void test_users(void **state)
{
	struct ls_ofd a = { .id = 1, .res_type = LS_RES_EVENTFD };
	struct ls_fdtable *t = fdtable_new();
	struct ls_process p[3] = { 0 };
	int i;

	(void)state;
	assert_non_null(t);
	put(t, new_fd(1, &a, 0));
	for (i = 0; i < 3; i++)
		assert_int_equal(fdtable_add_user(t, &p[i]), 0);
	assert_int_equal(t->nusers, 3);
	assert_int_equal(p[2].counts[LS_RES_EVENTFD].open, 1);
	fdtable_remove_user(t, &p[0]);
	put(t, new_fd(2, &a, 0));
	assert_int_equal(p[0].counts[LS_RES_EVENTFD].open, 1);
	assert_int_equal(p[1].counts[LS_RES_EVENTFD].open, 2);
	assert_int_equal(p[2].counts[LS_RES_EVENTFD].open, 2);
	fdtable_remove_user(t, &p[0]);
	assert_int_equal(t->nusers, 2);
	empty_and_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reserve_allocates_pages),
		cmocka_unit_test(test_huge_fds_cost_one_page),
		cmocka_unit_test(test_walk_in_fd_order_over_sparse_numbers),
		cmocka_unit_test(test_install_take_and_generations),
		cmocka_unit_test(test_copy_for_fork),
		cmocka_unit_test(test_copy_for_unshare_keeps_lifecycles),
		cmocka_unit_test(test_users),
	};

	int failed;

	fd_store_init(&store);
	failed = cmocka_run_group_tests_name("fdtable", tests, NULL, NULL);
	fd_store_fini(&store);
	return failed;
}
