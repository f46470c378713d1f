// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The intrusive hash map the engine finds processes and descriptions with. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "u64_map.h"

struct item {
	struct u64_map_node node;
	int value;
};

static struct item *item_of(struct u64_map_node *n)
{
	return n ? (struct item *)((char *)n - offsetof(struct item, node)) : NULL;
}

static void test_insert_find_remove_through_growth(void **state)
{
	enum { N = 5000 };
	struct item *items = calloc(N, sizeof(*items));
	struct u64_map m;
	int i;

	(void)state;
	assert_non_null(items);
	assert_int_equal(u64_map_init(&m), 0);
	assert_null(u64_map_find(&m, 1));
	for (i = 0; i < N; i++) {
		items[i].value = i;
		/* keys shaped like kernel pointers: only high bits differ */
		u64_map_insert(&m, &items[i].node, 0xffff888000000000ULL + ((uint64_t)i << 8));
	}
	assert_int_equal(m.count, N);
	assert_true(m.nbuckets >= N);
	for (i = 0; i < N; i++)
		assert_int_equal(item_of(u64_map_find(&m, 0xffff888000000000ULL +
						      ((uint64_t)i << 8)))->value, i);
	for (i = 0; i < N; i += 2)
		u64_map_remove(&m, &items[i].node);
	assert_int_equal(m.count, N / 2);
	for (i = 0; i < N; i++) {
		struct item *it = item_of(u64_map_find(&m, 0xffff888000000000ULL +
						       ((uint64_t)i << 8)));

		if (i % 2)
			assert_int_equal(it->value, i);
		else
			assert_null(it);
	}
	u64_map_fini(&m);
	free(items);
}

static void test_repeated_key_finds_latest(void **state)
{
	struct item a = { .value = 1 }, b = { .value = 2 };
	struct u64_map m;

	(void)state;
	assert_int_equal(u64_map_init(&m), 0);
	u64_map_insert(&m, &a.node, 42);
	u64_map_insert(&m, &b.node, 42);
	assert_int_equal(item_of(u64_map_find(&m, 42))->value, 2);
	u64_map_remove(&m, &b.node);
	assert_int_equal(item_of(u64_map_find(&m, 42))->value, 1);
	u64_map_remove(&m, &a.node);
	assert_null(u64_map_find(&m, 42));
	assert_int_equal(m.count, 0);
	u64_map_fini(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_find_remove_through_growth),
		cmocka_unit_test(test_repeated_key_finds_latest),
	};

	return cmocka_run_group_tests_name("u64_map", tests, NULL, NULL);
}
