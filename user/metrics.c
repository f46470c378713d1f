// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The Prometheus exposition. Each family is written whole, HELP and TYPE
 * first: the format (and promtool) rejects a family whose samples are split
 * across the text, so the processes are walked once per family, not the
 * families once per process.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "utf8.h"

#define TCP_CLOSE_WAIT 8

/* A live process, and what its series show. */
struct row {
	const struct ls_process *p;
	uint64_t open_fds;                 /* every type */
	uint64_t close_wait;               /* TCP sockets in CLOSE_WAIT now */
	double exhaustion_s[LS_CLASS_MAX]; /* < 0: no growth toward a known limit */
	double slope[LS_CLASS_MAX];        /* NAN: no growth finding */
	double soonest;                    /* least exhaustion_s; INFINITY: none */
};

struct table {
	struct row *v;
	size_t len;
	size_t listed; /* rows before this one have their own series */
};

void metrics_label_value(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		size_t n = *p >= 0x80 ? utf8_seq_len(p, (size_t)(end - p)) : 1;

		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '"')
			fputs("\\\"", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (!n)
			fputs(UTF8_REPLACEMENT, out);
		else
			fwrite(p, 1, n, out);
		p += n ? n : 1;
	}
}

static int count_close_wait(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	(void)p;
	if (f->ofd->res_type == LS_RES_SOCKET && ls_ofd_ext(f->ofd)->tcp_state == TCP_CLOSE_WAIT)
		(*(uint64_t *)ctx)++;
	return 0;
}

static void fill_row(const struct ls_engine *eng, const struct ls_process *p, struct row *r)
{
	r->p = p;
	for (unsigned int t = 0; t < LS_RES_TYPE_MAX; t++)
		r->open_fds += p->counts[t].open;
	engine_visit_open_fds(eng, p, count_close_wait, &r->close_wait);
	for (unsigned int c = 0; c < LS_CLASS_MAX; c++) {
		r->exhaustion_s[c] = -1;
		r->slope[c] = NAN;
	}
	r->soonest = INFINITY;
}

/* Growth findings are few: a linear search of the rows each is enough. */
static void add_growth(struct table *t, const struct finding *fi)
{
	const struct growth_detail *g = fi->growth;

	if (fi->kind != FINDING_GROWTH || !g || (unsigned int)g->cls >= LS_CLASS_MAX)
		return;
	for (size_t i = 0; i < t->len; i++) {
		struct row *r = &t->v[i];

		if (r->p != fi->proc)
			continue;
		r->slope[g->cls] = g->slope_per_s;
		if (g->exhaustion_s >= 0) {
			r->exhaustion_s[g->cls] = g->exhaustion_s;
			if (g->exhaustion_s < r->soonest)
				r->soonest = g->exhaustion_s;
		}
		return;
	}
}

/* First what runs out soonest, then what holds the most; pid for a stable order. */
static int by_rank(const void *a, const void *b)
{
	const struct row *x = a, *y = b;

	if (x->soonest != y->soonest)
		return x->soonest < y->soonest ? -1 : 1;
	if (x->open_fds != y->open_fds)
		return x->open_fds > y->open_fds ? -1 : 1;
	if (x->p->pid != y->p->pid)
		return x->p->pid < y->p->pid ? -1 : 1;
	return x->p->serial < y->p->serial ? -1 : x->p->serial > y->p->serial;
}

static int build_table(const struct ls_engine *eng, const struct findings *fs, size_t top,
		       struct table *t)
{
	size_t n = engine_process_count(eng);

	t->len = 0;
	t->v = calloc(n ? n : 1, sizeof(*t->v));
	if (!t->v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		if (!p->exited)
			fill_row(eng, p, &t->v[t->len++]);
	}
	for (size_t i = 0; i < fs->len; i++)
		add_growth(t, &fs->v[i]);
	qsort(t->v, t->len, sizeof(*t->v), by_rank);
	t->listed = t->len < top ? t->len : top;
	return 0;
}

static void family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{pid="..",comm=".." and the caller adds labels and the value */
static void proc_labels(FILE *out, const char *name, const struct ls_process *p)
{
	fprintf(out, "%s{pid=\"%" PRIu32 "\",comm=\"", name, p->pid);
	metrics_label_value(out, p->comm, strnlen(p->comm, sizeof(p->comm)));
	fputc('"', out);
}

static void other_labels(FILE *out, const char *name)
{
	fprintf(out, "%s{pid=\"other\",comm=\"\"", name);
}

static void end_u64(FILE *out, uint64_t v)
{
	fprintf(out, "} %" PRIu64 "\n", v);
}

static void end_double(FILE *out, double v)
{
	if (isnan(v))
		fputs("} NaN\n", out);
	else if (isinf(v))
		fputs(v > 0 ? "} +Inf\n" : "} -Inf\n", out);
	else
		fprintf(out, "} %.9g\n", v);
}

static void write_open_fds(FILE *out, const struct table *t)
{
	static const char name[] = "leakscope_process_open_fds";
	uint64_t other[LS_RES_TYPE_MAX] = { 0 };

	family(out, name, "gauge", "Open file descriptors of a traced live process, by type.");
	for (size_t i = 0; i < t->len; i++) {
		const struct ls_process *p = t->v[i].p;

		for (unsigned int ty = 0; ty < LS_RES_TYPE_MAX; ty++) {
			if (!p->counts[ty].open)
				continue;
			if (i >= t->listed) {
				other[ty] += p->counts[ty].open;
				continue;
			}
			proc_labels(out, name, p);
			fprintf(out, ",type=\"%s\"", ls_res_type_name(ty));
			end_u64(out, p->counts[ty].open);
		}
	}
	for (unsigned int ty = 0; ty < LS_RES_TYPE_MAX; ty++) {
		if (!other[ty])
			continue;
		other_labels(out, name);
		fprintf(out, ",type=\"%s\"", ls_res_type_name(ty));
		end_u64(out, other[ty]);
	}
}

static void write_close_wait(FILE *out, const struct table *t)
{
	static const char name[] = "leakscope_process_close_wait_sockets";
	uint64_t other = 0;

	family(out, name, "gauge", "TCP sockets of a traced live process in CLOSE_WAIT now "
	       "(the peer closed, the process has not).");
	for (size_t i = 0; i < t->len; i++) {
		if (i >= t->listed) {
			other += t->v[i].close_wait;
			continue;
		}
		proc_labels(out, name, t->v[i].p);
		end_u64(out, t->v[i].close_wait);
	}
	if (t->len > t->listed) {
		other_labels(out, name);
		end_u64(out, other);
	}
}

static void write_rlimits(FILE *out, const struct table *t)
{
	static const char name[] = "leakscope_process_rlimit_nofile";

	family(out, name, "gauge", "Soft RLIMIT_NOFILE of a traced live process, where known "
	       "(+Inf: unlimited).");
	for (size_t i = 0; i < t->listed; i++) {
		const struct ls_rlimit *r = &t->v[i].p->nofile;

		if (!r->known)
			continue;
		proc_labels(out, name, t->v[i].p);
		if (r->cur == LS_RLIM_INFINITY)
			end_double(out, INFINITY);
		else
			end_u64(out, r->cur);
	}
}

static void write_growth(FILE *out, const struct table *t)
{
	static const char exh[] = "leakscope_process_exhaustion_seconds";
	static const char slope[] = "leakscope_process_growth_per_second";

	family(out, exh, "gauge", "Seconds until a growing count reaches its limit at the "
	       "current rate (fds: RLIMIT_NOFILE; threads: kernel.threads-max; mappings: "
	       "vm.max_map_count), from the growth finding.");
	for (size_t i = 0; i < t->listed; i++) {
		for (unsigned int c = 0; c < LS_CLASS_MAX; c++) {
			if (t->v[i].exhaustion_s[c] < 0)
				continue;
			proc_labels(out, exh, t->v[i].p);
			fprintf(out, ",resource=\"%s\"", ls_growth_class_name(c));
			end_double(out, t->v[i].exhaustion_s[c]);
		}
	}
	family(out, slope, "gauge", "Rise per second of a count with a growth finding "
	       "(Theil-Sen slope over the growth window).");
	for (size_t i = 0; i < t->listed; i++) {
		for (unsigned int c = 0; c < LS_CLASS_MAX; c++) {
			if (isnan(t->v[i].slope[c]))
				continue;
			proc_labels(out, slope, t->v[i].p);
			fprintf(out, ",resource=\"%s\"", ls_growth_class_name(c));
			end_double(out, t->v[i].slope[c]);
		}
	}
}

static void write_findings(FILE *out, const struct findings *fs)
{
	uint64_t n[FINDING_KIND_MAX][SEVERITY_MAX] = { { 0 } };

	for (size_t i = 0; i < fs->len; i++)
		if ((unsigned int)fs->v[i].kind < FINDING_KIND_MAX &&
		    (unsigned int)fs->v[i].severity < SEVERITY_MAX)
			n[fs->v[i].kind][fs->v[i].severity]++;
	family(out, "leakscope_findings", "gauge", "Findings of the latest detection, by kind "
	       "and severity (suppressed ones not counted).");
	for (unsigned int k = 0; k < FINDING_KIND_MAX; k++)
		for (unsigned int s = 0; s < SEVERITY_MAX; s++)
			fprintf(out, "leakscope_findings{kind=\"%s\",severity=\"%s\"} %" PRIu64 "\n",
				finding_kind_name(k), severity_name(s), n[k][s]);
}

static void counter(FILE *out, const char *name, const char *help, uint64_t v)
{
	family(out, name, "counter", help);
	fprintf(out, "%s %" PRIu64 "\n", name, v);
}

static void write_events(FILE *out, const struct ls_engine *eng,
			 const struct metrics_observer *o)
{
	static const struct {
		const char *reason;
		unsigned int stat;
	} incomplete[] = {
		{ "unjoined", LS_STAT_JOIN_FULL },
		{ "filter_full", LS_STAT_FILTER_FULL },
		{ "path_busy", LS_STAT_PATH_BUSY },
		{ "stacks_skipped", LS_STAT_STACK_SKIPPED },
	};
	const struct ls_engine_stats *st = engine_stats(eng);
	const uint64_t *k = o->kernel_stats;

	counter(out, "leakscope_events_received_total", "Records drained from the ring buffer.",
		o->events_received);
	counter(out, "leakscope_events_submitted_total",
		"Records the BPF programs submitted (kernel counter).", k[LS_STAT_EVENTS]);
	counter(out, "leakscope_events_lost_total",
		"Records dropped because the ring buffer was full (kernel counter).",
		k[LS_STAT_LOST]);
	family(out, "leakscope_events_incomplete_total", "counter",
	       "Kernel-side records cut short or left out, by reason (observer.events in the "
	       "JSON report).");
	for (size_t i = 0; i < sizeof(incomplete) / sizeof(incomplete[0]); i++)
		fprintf(out, "leakscope_events_incomplete_total{reason=\"%s\"} %" PRIu64 "\n",
			incomplete[i].reason, k[incomplete[i].stat]);
	family(out, "leakscope_observer_complete", "gauge", "1 if every event the kernel saw "
	       "reached the engine intact so far, else 0 (observer.complete).");
	fprintf(out, "leakscope_observer_complete %d\n", !k[LS_STAT_LOST] &&
		!k[LS_STAT_JOIN_FULL] && !k[LS_STAT_FILTER_FULL] && !st->oom && !st->bad_events);
}

static void write_observer(FILE *out, const struct table *t, const struct metrics_observer *o)
{
	family(out, "leakscope_live_processes", "gauge", "Live traced processes: with their own "
	       "series (top) and summed under pid=\"other\" (other).");
	fprintf(out, "leakscope_live_processes{bucket=\"top\"} %zu\n", t->listed);
	fprintf(out, "leakscope_live_processes{bucket=\"other\"} %zu\n", t->len - t->listed);
	family(out, "leakscope_observer_cpu_seconds_total", "counter",
	       "User and system CPU time leakscope itself used.");
	fprintf(out, "leakscope_observer_cpu_seconds_total %.6f\n", o->cpu_seconds);
	family(out, "leakscope_observer_resident_memory_bytes", "gauge",
	       "Resident memory of leakscope itself.");
	fprintf(out, "leakscope_observer_resident_memory_bytes %" PRIu64 "\n", o->resident_bytes);
	family(out, "leakscope_metrics_refresh_timestamp_seconds", "gauge",
	       "When these metrics were computed, in seconds since the epoch.");
	fprintf(out, "leakscope_metrics_refresh_timestamp_seconds %.3f\n", o->now_unix_s);
	family(out, "leakscope_build_info", "gauge", "Always 1; the version in a label.");
	fputs("leakscope_build_info{version=\"", out);
	metrics_label_value(out, o->version ? o->version : "", o->version ? strlen(o->version) : 0);
	fputs("\"} 1\n", out);
}

int metrics_render(FILE *out, const struct ls_engine *eng, const struct findings *fs,
		   const struct metrics_observer *obs, size_t top)
{
	struct table t;
	int err;

	err = build_table(eng, fs, top ? top : 1, &t);
	if (err)
		return err;
	write_open_fds(out, &t);
	write_close_wait(out, &t);
	write_rlimits(out, &t);
	write_growth(out, &t);
	write_findings(out, fs);
	write_events(out, eng, obs);
	write_observer(out, &t, obs);
	free(t.v);
	return ferror(out) ? -EIO : 0;
}
