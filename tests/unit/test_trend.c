// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The robust trend: Theil-Sen slope, Kendall's tau-b, scatter about the line. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "trend.h"

static void line(struct trend_point *p, size_t n, double a, double b)
{
	for (size_t i = 0; i < n; i++) {
		p[i].t = (double)i;
		p[i].v = a + b * (double)i;
	}
}

static void test_straight_line(void **state)
{
	struct trend_point p[10];
	struct trend tr;

	(void)state;
	line(p, 10, 3, 2);
	assert_int_equal(trend_fit(p, 10, &tr), 0);
	assert_int_equal(tr.n, 10);
	assert_float_equal(tr.slope, 2, 1e-12);
	assert_float_equal(tr.intercept, 3, 1e-12);
	assert_float_equal(tr.tau, 1, 1e-12);
	assert_float_equal(tr.scatter, 0, 1e-12);
}

/* One wild point among ten moves neither the slope nor the line. */
static void test_outlier_does_not_move_the_slope(void **state)
{
	struct trend_point p[10];
	struct trend tr;

	(void)state;
	line(p, 10, 3, 2);
	p[4].v = 500;
	assert_int_equal(trend_fit(p, 10, &tr), 0);
	assert_float_equal(tr.slope, 2, 1e-12);
	assert_float_equal(tr.intercept, 3, 1e-12);
	assert_float_equal(tr.scatter, 0, 1e-12);
	/* the outlier is above the five after it: 5 of 45 pairs discordant */
	assert_float_equal(tr.tau, (40.0 - 5.0) / 45.0, 1e-12);
}

static void test_flat_and_falling(void **state)
{
	struct trend_point p[20];
	struct trend tr;

	(void)state;
	line(p, 20, 7, 0);
	assert_int_equal(trend_fit(p, 20, &tr), 0);
	assert_float_equal(tr.slope, 0, 1e-12);
	assert_float_equal(tr.tau, 0, 1e-12);
	line(p, 20, 100, -0.5);
	assert_int_equal(trend_fit(p, 20, &tr), 0);
	assert_float_equal(tr.slope, -0.5, 1e-12);
	assert_float_equal(tr.tau, -1, 1e-12);
}

/* One step in the middle: it ranks well (tau-b over 0.7) but fits a line
 * badly, which is what tells it from a steady rise. */
static void test_single_step(void **state)
{
	struct trend_point p[64];
	struct trend tr;

	(void)state;
	line(p, 64, 0, 0);
	for (size_t i = 32; i < 64; i++)
		p[i].v = 10;
	assert_int_equal(trend_fit(p, 64, &tr), 0);
	assert_true(tr.slope > 0);
	/* 1024 concordant pairs, 992 tied: 1024 / sqrt(1024 * 2016) */
	assert_float_equal(tr.tau, sqrt(1024.0 / 2016.0), 1e-12);
	assert_true(tr.scatter > 0.2 * tr.slope * 63);
}

static void test_rejects_bad_input(void **state)
{
	struct trend_point p[TREND_MAX_POINTS + 1];
	struct trend tr;

	(void)state;
	line(p, TREND_MAX_POINTS + 1, 0, 1);
	assert_int_equal(trend_fit(p, 1, &tr), -EINVAL);
	assert_int_equal(trend_fit(p, TREND_MAX_POINTS + 1, &tr), -EINVAL);
	assert_int_equal(trend_fit(p, TREND_MAX_POINTS, &tr), 0);
	p[3].t = p[2].t;
	assert_int_equal(trend_fit(p, 10, &tr), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_straight_line),
		cmocka_unit_test(test_outlier_does_not_move_the_slope),
		cmocka_unit_test(test_flat_and_falling),
		cmocka_unit_test(test_single_step),
		cmocka_unit_test(test_rejects_bad_input),
	};

	return cmocka_run_group_tests_name("trend", tests, NULL, NULL);
}
