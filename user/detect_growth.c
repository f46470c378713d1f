// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * growth: a live process whose open fds, threads or mappings rise steadily
 * runs out of them one day; when, at this rate, is the useful number. Over
 * the window (--growth-window), each cell of the count's series is a point
 * (the cell's floor: churn does not count) and the trend through them must
 * be steady, not a step or noise:
 *
 *   - at least GROWTH_MIN_POINTS cells, over at least GROWTH_MIN_SPAN_NS or
 *     half the window, whichever is shorter;
 *   - a rise of at least --growth-min, first cell to last;
 *   - Kendall's tau-b at least GROWTH_MIN_TAU: later cells hold more;
 *   - the median distance to the Theil-Sen line at most GROWTH_MAX_SCATTER
 *     of the rise along it: one step up (a pool filled at start) fits a
 *     line badly, a leak well.
 *
 * Then the time to exhaustion is (limit - count now) / slope, against the
 * process's RLIMIT_NOFILE soft limit, or the machine's threads-max or
 * max_map_count. Within GROWTH_ERROR_S it is an error, else a warning; with
 * no known limit, a warning with no time.
 */
#include <errno.h>
#include <stdlib.h>

#include "findings.h"
#include "trend.h"

#define GROWTH_MIN_POINTS 8
#define GROWTH_MIN_SPAN_NS (5 * 1000000000ULL)
#define GROWTH_MIN_TAU 0.75
#define GROWTH_MAX_SCATTER 0.15
#define GROWTH_ERROR_S 3600.0

/* The cells of s that start inside [now - window, now], as points in
 * seconds from the first; their first and last floors; the trend through
 * them once fit() was called. */
struct window_fit {
	struct trend_point pt[TREND_MAX_POINTS];
	size_t n;
	uint64_t first_ns;
	uint32_t first, last;
	struct trend tr;
};

static void window_points(const struct ls_engine *eng, const struct ls_series *s, uint64_t now,
			  uint64_t window, struct window_fit *w)
{
	uint64_t from = now > window ? now - window : 0;
	struct ls_series v;

	w->n = 0;
	engine_series_at(eng, s, now, &v);
	for (unsigned int i = 0; i < v.len && w->n < TREND_MAX_POINTS; i++) {
		uint64_t t = v.start_ns + (uint64_t)i * v.width_ns;

		if (t < from)
			continue;
		if (!w->n) {
			w->first_ns = t;
			w->first = v.floor[i];
		}
		w->pt[w->n].t = (double)(t - w->first_ns) / 1e9;
		w->pt[w->n].v = v.floor[i];
		w->last = v.floor[i];
		w->n++;
	}
}

/* The pairwise fit is the costly part: only for a rise worth fitting. */
static bool fit(struct window_fit *w)
{
	return w->n >= 2 && !trend_fit(w->pt, w->n, &w->tr);
}

static bool steady_rise(struct window_fit *w, uint64_t now, const struct detect_opts *o)
{
	uint64_t min_span = o->growth_window_ns / 2;
	double rise;

	if (min_span > GROWTH_MIN_SPAN_NS)
		min_span = GROWTH_MIN_SPAN_NS;
	if (w->n < GROWTH_MIN_POINTS || w->first_ns > now || now - w->first_ns < min_span)
		return false;
	if (w->last < w->first || w->last - w->first < o->growth_min_increase)
		return false;
	if (!fit(w) || w->tr.slope <= 0)
		return false;
	rise = w->tr.slope * w->pt[w->n - 1].t;
	return w->tr.tau >= GROWTH_MIN_TAU && w->tr.scatter <= GROWTH_MAX_SCATTER * rise;
}

static void set_limit(const struct ls_engine *eng, const struct ls_process *p,
		      struct growth_detail *g)
{
	const struct ls_machine_limits *host = engine_host_limits(eng);

	switch (g->cls) {
	case LS_CLASS_FDS:
		g->limit_name = "RLIMIT_NOFILE (soft)";
		if (p->nofile.known && p->nofile.cur != LS_RLIM_INFINITY)
			g->limit = p->nofile.cur;
		break;
	case LS_CLASS_THREADS:
		g->limit_name = "kernel.threads-max";
		g->limit = host->known ? host->threads_max : 0;
		break;
	case LS_CLASS_MAPPINGS:
		g->limit_name = "vm.max_map_count";
		g->limit = host->known ? host->max_map_count : 0;
		break;
	case LS_CLASS_MAX:
		break;
	}
	g->exhaustion_s = -1;
	if (!g->limit)
		return;
	g->exhaustion_s = g->open_now >= g->limit ? 0 :
			  (double)(g->limit - g->open_now) / g->slope_per_s;
}

/* fds: which types rose over the same window, and how fast. */
static void fd_types(const struct ls_engine *eng, const struct ls_process *p,
		     const struct detect_opts *o, struct growth_detail *g, struct window_fit *w)
{
	for (unsigned int t = 0; t < LS_RES_TYPE_MAX; t++) {
		struct growth_type *gt = &g->by_type[g->ntypes];

		if (!p->type_series[t])
			continue;
		window_points(eng, p->type_series[t], o->now_ns, o->growth_window_ns, w);
		if (!w->n || w->last <= w->first)
			continue;
		gt->type = t;
		gt->open_now = p->counts[t].open;
		gt->increase = (int64_t)w->last - w->first;
		gt->slope_per_s = fit(w) ? w->tr.slope : 0;
		g->ntypes++;
	}
}

static int check_class(const struct ls_engine *eng, const struct ls_process *p,
		       enum ls_growth_class c, const struct detect_opts *o, struct findings *out)
{
	struct finding item = { .kind = FINDING_GROWTH, .severity = SEVERITY_WARNING, .proc = p };
	struct window_fit w;
	struct growth_detail *g;

	window_points(eng, &p->series[c], o->now_ns, o->growth_window_ns, &w);
	if (!steady_rise(&w, o->now_ns, o))
		return 0;
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->cls = c;
	g->open_now = engine_class_count(p, c);
	g->first = w.first;
	g->last = w.last;
	g->points = w.n;
	g->slope_per_s = w.tr.slope;
	g->tau = w.tr.tau;
	g->scatter = w.tr.scatter;
	g->window_ns = o->now_ns - w.first_ns;
	set_limit(eng, p, g);
	if (g->exhaustion_s >= 0 && g->exhaustion_s <= GROWTH_ERROR_S)
		item.severity = SEVERITY_ERROR;
	if (c == LS_CLASS_FDS)
		fd_types(eng, p, o, g, &w);
	item.growth = g;
	return findings_add(out, &item);
}

int detect_growth(const struct ls_engine *eng, const struct detect_opts *o,
		  struct findings *out)
{
	size_t n = engine_process_count(eng);

	if (!o->growth_window_ns)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		if (p->exited)
			continue;
		for (unsigned int c = 0; c < LS_CLASS_MAX; c++) {
			int err = check_class(eng, p, c, o, out);

			if (err)
				return err;
		}
	}
	return 0;
}
