// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The bounded time series: coarsening, sliding, floors, instants. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "series.h"

#define MS 1000000ULL
#define SEC 1000000000ULL
#define NO_CAP UINT64_MAX

/* The count at time t of "base, then one more every step_ns from t0". */
static uint32_t ramp(uint64_t t, uint64_t t0, uint64_t step_ns, uint32_t base)
{
	return t < t0 ? base : base + (uint32_t)((t - t0) / step_ns) + 1;
}

static void test_empty(void **state)
{
	struct ls_series s, v;

	(void)state;
	series_reset(&s);
	assert_true(series_empty(&s));
	series_at(&s, 5 * SEC, NO_CAP, &v);
	assert_int_equal(v.len, 0);
	series_add(&s, SEC, 3, NO_CAP);
	assert_false(series_empty(&s));
	series_at(&s, SEC, NO_CAP, &v);
	assert_int_equal(v.len, 1);
	assert_int_equal(v.floor[0], 3);
	assert_int_equal(v.start_ns, SEC);
}

/* One more every 100 ms for 10 s: the whole life at 32-64 cells, each
 * holding the count it began with. */
static void test_ramp_coarsens_to_fit(void **state)
{
	uint64_t t0 = 7 * SEC, now = t0 + 10 * SEC;
	struct ls_series s, v;

	(void)state;
	series_reset(&s);
	series_add(&s, t0 - 1, 3, NO_CAP);
	for (int i = 0; i < 100; i++)
		series_add(&s, t0 + i * 100 * MS, 4 + i, NO_CAP);
	series_at(&s, now, NO_CAP, &v);
	assert_int_equal(v.start_ns, t0 - 1);
	assert_true(v.len >= 32 && v.len <= SERIES_CELLS);
	assert_int_equal(v.width_ns, 256 * MS);
	assert_true(v.start_ns + (uint64_t)(v.len - 1) * v.width_ns <= now);
	assert_true(v.start_ns + (uint64_t)v.len * v.width_ns > now);
	for (unsigned int i = 0; i < v.len; i++)
		assert_int_equal(v.floor[i], ramp(v.start_ns + i * v.width_ns, t0, 100 * MS, 3));
	assert_int_equal(v.last, 103);
	/* the series itself is unchanged by looking at it */
	assert_true(s.has_pend);
	assert_int_equal(s.pend_v, 103);
}

/* A hundred fds from a snapshot at one instant are one sample, not a climb. */
static void test_one_instant_is_one_sample(void **state)
{
	struct ls_series s, v;

	(void)state;
	series_reset(&s);
	for (uint32_t n = 1; n <= 100; n++)
		series_add(&s, SEC, n, NO_CAP);
	series_add(&s, SEC + 5 * MS, 101, NO_CAP);
	series_at(&s, SEC + 5 * MS, NO_CAP, &v);
	assert_int_equal(v.floor[0], 100);
	assert_int_equal(v.floor[5], 100); /* the cell began at 100, then 101 */
	assert_int_equal(v.last, 101);
	/* out of order (another CPU's event, a little older): as of the latest */
	series_add(&s, SEC + 4 * MS, 102, NO_CAP);
	series_at(&s, SEC + 6 * MS, NO_CAP, &v);
	assert_int_equal(v.last, 102);
	assert_int_equal(v.floor[5], 100);
	assert_int_equal(v.floor[6], 102);
}

/* Churn within a cell leaves the floor; only a lasting rise raises it. */
static void test_floor_ignores_churn(void **state)
{
	struct ls_series s, v;

	(void)state;
	series_reset(&s);
	for (int i = 0; i < 1000; i++) {
		uint64_t t = (uint64_t)i * 10 * MS;

		series_add(&s, t, 10, NO_CAP);
		series_add(&s, t + 3 * MS, 15, NO_CAP); /* opened five... */
		series_add(&s, t + 6 * MS, 10, NO_CAP); /* ...closed them */
	}
	series_at(&s, 10 * SEC, NO_CAP, &v);
	for (unsigned int i = 0; i < v.len; i++)
		assert_int_equal(v.floor[i], 10);
}

/* Past the widest cell the series slides: it keeps the recent past. The
 * ramp's steps (1 ms past each 100 ms) never fall on a cell's start. */
static void test_slides_at_max_width(void **state)
{
	uint64_t max_width = 10 * MS, now = 30 * SEC, end = 199 * 100 * MS + MS;
	struct ls_series s, v;

	(void)state;
	series_reset(&s);
	series_add(&s, 0, 0, max_width);
	for (int i = 1; i < 200; i++)
		series_add(&s, i * 100 * MS + MS, i, max_width);
	series_at(&s, now, max_width, &v);
	assert_int_equal(v.width_ns, 8 * MS);
	assert_int_equal(v.len, SERIES_CELLS);
	assert_true(v.start_ns > now - SERIES_CELLS * v.width_ns);
	assert_true(v.start_ns <= now - (SERIES_CELLS - 1) * v.width_ns);
	for (unsigned int i = 0; i < v.len; i++)
		assert_int_equal(v.floor[i], 199);
	/* the ramp's last half second, seen at its end */
	series_at(&s, end, max_width, &v);
	assert_true(v.start_ns > end - SERIES_CELLS * v.width_ns);
	for (unsigned int i = 0; i < v.len; i++)
		assert_int_equal(v.floor[i], (v.start_ns + i * v.width_ns - MS) / (100 * MS));
}

/* An hour of silence slides everything out: the count carried is still there. */
static void test_long_gap_carries_the_count(void **state)
{
	uint64_t hour = 3600 * SEC;
	struct ls_series s, v;
	unsigned int low = 0;

	(void)state;
	series_reset(&s);
	series_add(&s, SEC, 40, SEC);
	series_add(&s, SEC + MS, 41, SEC);
	series_at(&s, hour, SEC, &v);
	assert_int_equal(v.width_ns, 512 * MS);
	assert_int_equal(v.len, SERIES_CELLS);
	for (unsigned int i = 0; i < v.len; i++)
		assert_int_equal(v.floor[i], 41);
	/* down to 2 for two seconds: the cells of those seconds, no others */
	series_add(&s, hour, 2, SEC);
	series_add(&s, hour + 2 * SEC, 41, SEC);
	series_at(&s, hour + 3 * SEC, SEC, &v);
	for (unsigned int i = 0; i < v.len; i++) {
		uint64_t start = v.start_ns + i * v.width_ns;

		if (start + v.width_ns > hour && start < hour + 2 * SEC) {
			assert_int_equal(v.floor[i], 2);
			low++;
		} else {
			assert_int_equal(v.floor[i], 41);
		}
	}
	assert_true(low == 4 || low == 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_ramp_coarsens_to_fit),
		cmocka_unit_test(test_one_instant_is_one_sample),
		cmocka_unit_test(test_floor_ignores_churn),
		cmocka_unit_test(test_slides_at_max_width),
		cmocka_unit_test(test_long_gap_carries_the_count),
	};

	return cmocka_run_group_tests_name("series", tests, NULL, NULL);
}
