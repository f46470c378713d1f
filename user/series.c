// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "series.h"

void series_reset(struct ls_series *s)
{
	memset(s, 0, sizeof(*s));
}

bool series_empty(const struct ls_series *s)
{
	return !s->len && !s->has_pend;
}

/* Twice as wide, half as many: each new cell keeps the lower floor of its pair. */
static void coarsen(struct ls_series *s)
{
	for (unsigned int i = 0; i < s->len; i += 2) {
		uint32_t lo = s->floor[i];

		if (i + 1 < s->len && s->floor[i + 1] < lo)
			lo = s->floor[i + 1];
		s->floor[i / 2] = lo;
	}
	s->len = (s->len + 1) / 2;
	s->width_ns *= 2;
}

/* Drop the k oldest cells; the count carried past them is still s->last. */
static void slide(struct ls_series *s, uint64_t k)
{
	if (k < s->len) {
		memmove(s->floor, s->floor + k, (s->len - k) * sizeof(s->floor[0]));
		s->len -= k;
	} else {
		s->len = 0;
	}
	s->start_ns += k * s->width_ns;
}

static void fold(struct ls_series *s, uint64_t t, uint32_t v, uint64_t max_width_ns)
{
	uint64_t cell;

	if (!s->len && !s->width_ns) {
		s->start_ns = t;
		s->width_ns = SERIES_MIN_WIDTH_NS;
		s->len = 1;
		s->floor[0] = s->last = v;
		return;
	}
	cell = s->len ? s->len - 1 : 0;
	/* most samples fall in the last cell: no division for them */
	if (t >= s->start_ns + cell * s->width_ns + s->width_ns)
		cell = (t - s->start_ns) / s->width_ns;
	else if (t < s->start_ns + cell * s->width_ns)
		cell = t > s->start_ns ? (t - s->start_ns) / s->width_ns : 0;
	while (cell >= SERIES_CELLS) {
		if (s->width_ns * 2 <= max_width_ns)
			coarsen(s);
		else
			slide(s, cell - (SERIES_CELLS - 1));
		cell = (t - s->start_ns) / s->width_ns;
	}
	/* the cells in between held the count carried in, and so did this
	 * one when it began */
	for (uint64_t i = s->len; i <= cell; i++)
		s->floor[i] = s->last;
	if (cell >= s->len)
		s->len = cell + 1;
	if (v < s->floor[cell])
		s->floor[cell] = v;
	s->last = v;
}

void series_add(struct ls_series *s, uint64_t ts, uint32_t v, uint64_t max_width_ns)
{
	if (series_holds(s, v))
		return; /* no change: the count carries on */
	if (s->has_pend) {
		if (ts <= s->pend_ns) {
			s->pend_v = v;
			return;
		}
		fold(s, s->pend_ns, s->pend_v, max_width_ns);
	}
	s->pend_ns = ts;
	s->pend_v = v;
	s->has_pend = true;
}

void series_at(const struct ls_series *s, uint64_t now, uint64_t max_width_ns,
	       struct ls_series *out)
{
	*out = *s;
	if (out->has_pend) {
		fold(out, out->pend_ns, out->pend_v, max_width_ns);
		out->has_pend = false;
	}
	if (out->len && now >= out->start_ns + (uint64_t)(out->len - 1) * out->width_ns)
		fold(out, now, out->last, max_width_ns);
}
