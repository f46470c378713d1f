// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Tarjan over link sets built by hand: which components are cycles. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cycles.h"

/* a keeps-alive link desc:from -> desc:to, made by by at ns */
static void add(struct link_set *s, enum link_kind kind, uint64_t from, uint64_t to,
		const struct ls_process *by, uint64_t ns)
{
	if (s->len == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		assert_non_null(s->v);
	}
	s->v[s->len++] = (struct ls_link){ .kind = kind, .from = link_end_desc(from),
					   .to = link_end_desc(to), .count = 1, .by = by,
					   .ns = ns };
}

static void flight(struct link_set *s, uint64_t from, uint64_t to)
{
	add(s, LINK_IN_FLIGHT, from, to, NULL, 0);
}

static void find(struct link_set *s, struct cycle_set *c)
{
	memset(c, 0, sizeof(*c));
	assert_int_equal(cycles_find(s, c), 0);
}

static uint64_t member(const struct cycle_set *c, size_t i, size_t j)
{
	assert_true(i < c->len);
	assert_true(j < c->v[i].nmembers);
	assert_int_equal(c->v[i].members[j].type, LINK_END_DESC);
	return c->v[i].members[j].desc;
}

static void test_no_cycle(void **state)
{
	struct link_set s = { 0 };
	struct cycle_set c;

	(void)state;
	find(&s, &c);
	assert_int_equal(c.len, 0);
	/* a chain and a diamond hold, but nothing holds back */
	flight(&s, 1, 2);
	flight(&s, 2, 3);
	flight(&s, 1, 4);
	flight(&s, 4, 3);
	/* links that keep nothing alive do not count, even in a loop */
	add(&s, LINK_UNIX_PEER, 3, 1, NULL, 0);
	add(&s, LINK_DUP, 5, 5, NULL, 0);
	find(&s, &c);
	assert_int_equal(c.len, 0);
	cycles_free(&c);
	links_free(&s);
}

static void test_two_held_by_each_other(void **state)
{
	struct ls_process p1 = { .pid = 10 }, p2 = { .pid = 20 };
	struct link_set s = { 0 };
	struct cycle_set c;

	(void)state;
	add(&s, LINK_IN_FLIGHT, 7, 4, &p1, 100);
	add(&s, LINK_IN_FLIGHT, 4, 7, &p2, 200);
	flight(&s, 7, 9); /* held by the cycle, not in it */
	find(&s, &c);
	assert_int_equal(c.len, 1);
	assert_int_equal(c.v[0].nmembers, 2);
	assert_int_equal(member(&c, 0, 0), 4);
	assert_int_equal(member(&c, 0, 1), 7);
	assert_int_equal(c.v[0].nlinks, 2);
	/* the latest link closed it */
	assert_ptr_equal(c.v[0].closed_by, &p2);
	assert_int_equal(c.v[0].closed_ns, 200);
	/* no description known: nothing counted as held */
	assert_int_equal(c.v[0].held_by_fds, 0);
	cycles_free(&c);
	assert_null(c.v);
	links_free(&s);
}

static void test_self_and_separate_cycles(void **state)
{
	struct link_set s = { 0 };
	struct cycle_set c;

	(void)state;
	flight(&s, 30, 30); /* a socket in flight on its own queue */
	flight(&s, 1, 2);   /* a triangle with a tail into it */
	flight(&s, 2, 3);
	flight(&s, 3, 1);
	flight(&s, 0, 1);
	flight(&s, 40, 41); /* a lone pair that does not close */
	find(&s, &c);
	assert_int_equal(c.len, 2);
	/* in the order of their first member */
	assert_int_equal(c.v[0].nmembers, 3);
	assert_int_equal(member(&c, 0, 0), 1);
	assert_int_equal(member(&c, 0, 2), 3);
	assert_int_equal(c.v[0].nlinks, 3);
	assert_int_equal(c.v[1].nmembers, 1);
	assert_int_equal(member(&c, 1, 0), 30);
	assert_int_equal(c.v[1].nlinks, 1);
	cycles_free(&c);
	links_free(&s);
}

static void test_held_by_fds(void **state)
{
	struct ls_ofd a = { .id = 1, .refs = 2 }, b = { .id = 2, .refs = 0 };
	struct link_set s = { 0 };
	struct cycle_set c;

	(void)state;
	flight(&s, 1, 2);
	flight(&s, 2, 1);
	s.v[0].from = link_end_ofd(&a);
	s.v[0].to = link_end_ofd(&b);
	s.v[1].from = link_end_ofd(&b);
	s.v[1].to = link_end_ofd(&a);
	find(&s, &c);
	assert_int_equal(c.len, 1);
	assert_int_equal(c.v[0].held_by_fds, 2);
	cycles_free(&c);
	links_free(&s);
}

/* deep enough that a recursive walk would need a deep stack */
static void test_long_ring(void **state)
{
	const uint64_t n = 200000;
	struct link_set s = { 0 };
	struct cycle_set c;

	(void)state;
	for (uint64_t i = 0; i < n; i++)
		flight(&s, i + 1, (i + 1) % n + 1);
	flight(&s, n + 1, 1);
	find(&s, &c);
	assert_int_equal(c.len, 1);
	assert_int_equal(c.v[0].nmembers, n);
	assert_int_equal(c.v[0].nlinks, n);
	cycles_free(&c);
	links_free(&s);
}

/* each component is read in time of its own size */
static void test_many_small_cycles(void **state)
{
	const uint64_t n = 50000;
	struct link_set s = { 0 };
	struct cycle_set c;

	(void)state;
	for (uint64_t i = 0; i < n; i++) {
		flight(&s, 2 * i + 1, 2 * i + 2);
		flight(&s, 2 * i + 2, 2 * i + 1);
	}
	find(&s, &c);
	assert_int_equal(c.len, n);
	assert_int_equal(member(&c, n - 1, 1), 2 * n);
	cycles_free(&c);
	links_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_cycle),
		cmocka_unit_test(test_two_held_by_each_other),
		cmocka_unit_test(test_self_and_separate_cycles),
		cmocka_unit_test(test_held_by_fds),
		cmocka_unit_test(test_long_ring),
		cmocka_unit_test(test_many_small_cycles),
	};

	return cmocka_run_group_tests_name("cycles", tests, NULL, NULL);
}
