// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "trend.h"

#define MAX_PAIRS (TREND_MAX_POINTS * (TREND_MAX_POINTS - 1) / 2)

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v in place. */
static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int trend_fit(const struct trend_point *p, size_t n, struct trend *out)
{
	double slopes[MAX_PAIRS], rest[TREND_MAX_POINTS];
	size_t pairs = 0, tied = 0;
	long balance = 0; /* concordant minus discordant pairs */

	if (n < 2 || n > TREND_MAX_POINTS)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			double dv = p[j].v - p[i].v;

			if (p[j].t <= p[i].t)
				return -EINVAL;
			slopes[pairs++] = dv / (p[j].t - p[i].t);
			balance += (dv > 0) - (dv < 0);
			tied += dv == 0;
		}
	}
	out->n = n;
	out->slope = median(slopes, pairs);
	/* tau-b: ties in v shrink the pairs that can be ordered */
	out->tau = tied < pairs ? balance / sqrt((double)(pairs - tied) * pairs) : 0;
	for (size_t i = 0; i < n; i++)
		rest[i] = p[i].v - out->slope * p[i].t;
	out->intercept = median(rest, n);
	for (size_t i = 0; i < n; i++)
		rest[i] = fabs(p[i].v - (out->intercept + out->slope * p[i].t));
	out->scatter = median(rest, n);
	return 0;
}
