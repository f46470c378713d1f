// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The HTML report's chart: open fds over time, one step line per process,
 * for the processes that held the most. The points are the engine's series
 * (series.h): each cell's floor, the lowest count in it, which is what the
 * growth finding fits, so the picture and the finding agree.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report_html.h"

#define CHART_SERIES 8
#define CHART_W 900
#define CHART_H 320
#define PAD_L 56
#define PAD_R 16
#define PAD_T 12
#define PAD_B 40

static const char *const palette[CHART_SERIES] = {
	"#1565c0", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#ad1457",
};

struct line {
	const struct ls_process *p;
	struct ls_series s; /* as of its end */
	uint64_t end_ns;    /* the report's end, or the exit */
	uint32_t max;
};

/* Most fds first; then order of first sight, so the choice is stable. */
static int by_max(const void *a, const void *b)
{
	const struct line *x = a, *y = b;

	if (x->max != y->max)
		return x->max > y->max ? -1 : 1;
	return x->p->serial < y->p->serial ? -1 : 1;
}

/* The CHART_SERIES processes that held the most; how many there are. */
static size_t pick(const struct ls_engine *eng, const struct report_meta *m, struct line *out)
{
	size_t n = engine_process_count(eng), len = 0;
	struct line l;

	for (size_t i = 0; i < n; i++) {
		l.p = engine_process_at(eng, i);
		l.end_ns = l.p->exited && l.p->exit_ns < m->end_ns ? l.p->exit_ns : m->end_ns;
		engine_series_at(eng, &l.p->series[LS_CLASS_FDS], l.end_ns, &l.s);
		if (!l.s.len)
			continue;
		l.max = 0;
		for (unsigned int c = 0; c < l.s.len; c++)
			l.max = l.s.floor[c] > l.max ? l.s.floor[c] : l.max;
		if (len < CHART_SERIES) {
			out[len++] = l;
			qsort(out, len, sizeof(*out), by_max);
		} else if (by_max(&l, &out[len - 1]) < 0) {
			out[len - 1] = l;
			qsort(out, len, sizeof(*out), by_max);
		}
	}
	return len;
}

/* 1, 2 or 5 times a power of ten, at least v: a round top for the axis. */
static uint32_t round_up(uint32_t v)
{
	uint64_t p = 1;

	for (;;) {
		if (v <= p)
			return (uint32_t)p;
		if (v <= 2 * p)
			return (uint32_t)(2 * p);
		if (v <= 5 * p)
			return (uint32_t)(5 * p);
		p *= 10;
	}
}

struct frame {
	uint64_t t0, t1; /* ns */
	uint32_t top;
};

static double x_of(const struct frame *f, uint64_t t)
{
	double span = (double)(f->t1 - f->t0);

	if (t < f->t0)
		t = f->t0;
	return PAD_L + (span > 0 ? (double)(t - f->t0) / span : 0) * (CHART_W - PAD_L - PAD_R);
}

static double y_of(const struct frame *f, uint32_t v)
{
	return PAD_T + (1.0 - (double)v / f->top) * (CHART_H - PAD_T - PAD_B);
}

static void axes(FILE *out, const struct frame *f)
{
	double secs = (double)(f->t1 - f->t0) / 1e9;
	/* the top is 1, 2 or 5 times a power of ten: fifths are round */
	uint32_t ticks = f->top < 5 ? f->top : 5;

	fprintf(out, "<g class=\"axes\">"
		"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
		"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
		PAD_L, PAD_T, PAD_L, CHART_H - PAD_B, PAD_L, CHART_H - PAD_B, CHART_W - PAD_R,
		CHART_H - PAD_B);
	for (uint32_t i = 0; i <= ticks; i++) {
		uint32_t v = (uint32_t)((uint64_t)f->top * i / ticks);

		fprintf(out, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
			"<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%u</text>", PAD_L,
			y_of(f, v), CHART_W - PAD_R, y_of(f, v), PAD_L - 6, y_of(f, v) + 4, v);
	}
	for (int i = 0; i <= 4; i++) {
		uint64_t t = f->t0 + (f->t1 - f->t0) * (uint64_t)i / 4;

		fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.3g s</text>",
			x_of(f, t), CHART_H - PAD_B + 16, secs * i / 4);
	}
	fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">seconds since the start"
		"</text></g>\n", (CHART_W + PAD_L) / 2, CHART_H - 4);
}

/* A step line: each cell's floor from its start to the next cell's. */
static void series_path(FILE *out, const struct frame *f, const struct line *l, size_t i)
{
	const struct ls_series *s = &l->s;

	fprintf(out, "<path class=\"series\" data-pid=\"%u\" stroke=\"%s\" d=\"M%.1f %.1f",
		l->p->pid, palette[i], x_of(f, s->start_ns), y_of(f, s->floor[0]));
	for (unsigned int c = 1; c < s->len; c++)
		fprintf(out, "H%.1fV%.1f", x_of(f, s->start_ns + c * s->width_ns),
			y_of(f, s->floor[c]));
	fprintf(out, "H%.1f", x_of(f, l->end_ns));
	/* its exit released what it held: the series has no sample for that */
	if (l->p->exited && l->end_ns == l->p->exit_ns)
		fprintf(out, "V%.1f", y_of(f, 0));
	fprintf(out, "\"><title>pid %u ", l->p->pid);
	esc_write(out, ESC_HTML, l->p->comm, strnlen(l->p->comm, sizeof(l->p->comm)));
	fprintf(out, ": at most %u open fds</title></path>\n", l->max);
}

static void legend(FILE *out, const struct line *lines, size_t n)
{
	fputs("<ul class=\"legend\">\n", out);
	for (size_t i = 0; i < n; i++) {
		const struct ls_process *p = lines[i].p;

		fprintf(out, "<li><span class=\"swatch\" style=\"background:%s\"></span>pid %u ",
			palette[i], p->pid);
		esc_write(out, ESC_HTML, p->comm, strnlen(p->comm, sizeof(p->comm)));
		fprintf(out, " (%s, at most %u)</li>\n", p->exited ? "exited" : "live", lines[i].max);
	}
	fputs("</ul>\n", out);
}

void html_chart(FILE *out, const struct ls_engine *eng, const struct report_meta *m)
{
	struct line lines[CHART_SERIES];
	size_t n = pick(eng, m, lines);
	struct frame f = { .t0 = m->start_ns, .t1 = m->end_ns, .top = 1 };

	if (!n) {
		fputs("<p class=\"empty\">No process held an fd while leakscope watched.</p>\n", out);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		f.t0 = lines[i].s.start_ns < f.t0 ? lines[i].s.start_ns : f.t0;
		f.top = lines[i].max > f.top ? lines[i].max : f.top;
	}
	f.t1 = f.t1 > f.t0 ? f.t1 : f.t0 + 1;
	f.top = round_up(f.top);
	fprintf(out, "<svg class=\"chart\" "
		"viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
		"aria-label=\"open fds over time\">\n", CHART_W, CHART_H, CHART_W, CHART_H);
	axes(out, &f);
	for (size_t i = 0; i < n; i++)
		series_path(out, &f, &lines[i], i);
	fputs("</svg>\n", out);
	legend(out, lines, n);
}
