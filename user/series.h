/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A bounded time series of one count (a process's open fds, threads or
 * mappings), in fixed memory: at most SERIES_CELLS cells of equal width, each
 * holding the lowest count seen in it. The floor, not the last value: fds
 * opened and closed within a cell are churn, not growth, and a leak raises
 * the floor.
 *
 * Cells start 1 ms wide. When a sample falls past the last cell, the width
 * doubles (pairs of cells merge) until it fits, so a young series spans its
 * whole life at 32-64 cells; once the width reaches max_width (the caller's
 * span / 32), the series slides instead, dropping its oldest cells, so it
 * always holds at least the last span at that resolution.
 *
 * Samples at one instant supersede each other: only the count at the end of
 * an instant counts (a /proc snapshot adds a hundred fds at one timestamp).
 * A sample older than the latest is taken as of the latest: events from
 * different CPUs arrive slightly out of order, but the count is the one after
 * the event, in arrival order.
 */
#ifndef LEAKSCOPE_SERIES_H
#define LEAKSCOPE_SERIES_H

#include <stdbool.h>
#include <stdint.h>

#define SERIES_CELLS 64
#define SERIES_MIN_WIDTH_NS 1000000ULL /* 1 ms */

struct ls_series {
	uint64_t start_ns;  /* where cell 0 starts */
	uint64_t width_ns;  /* of every cell */
	uint64_t pend_ns;   /* the latest instant, not folded into the cells yet */
	uint32_t pend_v;
	uint32_t last;      /* the count at the end of the last cell */
	uint8_t len;        /* cells in use; 0: no sample folded yet */
	bool has_pend;
	uint32_t floor[SERIES_CELLS];
};

/* An empty series (all zeros is one too). */
void series_reset(struct ls_series *s);
/* The count is v from ts on. max_width_ns: the widest a cell may grow. */
void series_add(struct ls_series *s, uint64_t ts, uint32_t v, uint64_t max_width_ns);
/* Whether v is the count already: adding it would change nothing (inline:
 * the engine asks this of every series of a process after each event). */
static inline bool series_holds(const struct ls_series *s, uint32_t v)
{
	return s->has_pend && s->pend_v == v;
}
/* Whether any sample was added. */
bool series_empty(const struct ls_series *s);
/* out = s as of now: the latest sample folded in and its count carried up to
 * now, so the last cell is the one that holds now. Cell i starts at
 * out->start_ns + i * out->width_ns. */
void series_at(const struct ls_series *s, uint64_t now, uint64_t max_width_ns,
	       struct ls_series *out);

#endif /* LEAKSCOPE_SERIES_H */
