/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A robust trend through points (t, v): the Theil-Sen slope (the median of
 * the slopes of all pairs, which a minority of outliers cannot move),
 * Kendall's rank correlation tau-b (how steadily v rises with t; ties in v
 * allowed), and the median distance of the points to the fitted line (a
 * single step fits a line badly, a steady rise well).
 */
#ifndef LEAKSCOPE_TREND_H
#define LEAKSCOPE_TREND_H

#include <stddef.h>

#define TREND_MAX_POINTS 65 /* a series' cells and one more */

struct trend_point {
	double t;
	double v;
};

struct trend {
	size_t n;
	double slope;     /* v per unit of t */
	double intercept; /* v at t = 0 */
	double tau;       /* -1..1: 1 when v only rises, 0 when v never changes */
	double scatter;   /* median |v - (intercept + slope * t)| */
};

/* t strictly increasing; 2 <= n <= TREND_MAX_POINTS, else -EINVAL. */
int trend_fit(const struct trend_point *p, size_t n, struct trend *out);

#endif /* LEAKSCOPE_TREND_H */
