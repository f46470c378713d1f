// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What growth is measured against, and the counts over time: a process's
 * RLIMIT_NOFILE and the machine's limits arrive as facts; after every event
 * that may change a count, the series of the processes it touched take the
 * new counts (a series ignores a count that did not change).
 */
#include <errno.h>
#include <stdlib.h>

#include "engine_internal.h"

/* Cells may grow to span / 32: the last span is then always 32-64 cells. */
static uint64_t max_width(const struct ls_engine *eng)
{
	return eng->series_span_ns / 32;
}

void engine_set_series_span(struct ls_engine *eng, uint64_t span_ns)
{
	eng->series_span_ns = span_ns;
}

void engine_series_at(const struct ls_engine *eng, const struct ls_series *s, uint64_t now,
		      struct ls_series *out)
{
	series_at(s, now, max_width(eng), out);
}

static uint32_t clamp32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

uint32_t engine_class_count(const struct ls_process *p, enum ls_growth_class c)
{
	switch (c) {
	case LS_CLASS_FDS:
		return p->fdt ? clamp32(p->fdt->open) : 0;
	case LS_CLASS_THREADS:
		return p->threads_live;
	case LS_CLASS_MAPPINGS:
		return clamp32(vma_count_merged(&p->vmas));
	case LS_CLASS_MAX:
		break;
	}
	return 0;
}

const struct ls_machine_limits *engine_host_limits(const struct ls_engine *eng)
{
	return &eng->host;
}

int eng_on_proc_limits(struct ls_engine *eng, const struct ls_proc_limits *e)
{
	struct ls_process *p;
	int err = 0;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	/* the latest fact wins, whatever its timestamp: a /proc read injected
	 * with the attach time is still newer than the events drained before it */
	p->nofile.known = true;
	p->nofile.cur = e->nofile_cur;
	p->nofile.max = e->nofile_max;
	p->nofile.syscall = e->syscall;
	p->nofile.setter = e->setter_tgid;
	p->nofile.ns = e->hdr.ts_ns;
	return 0;
}

int eng_on_host_limits(struct ls_engine *eng, const struct ls_host_limits *e)
{
	eng->host.known = true;
	eng->host.threads_max = e->threads_max;
	eng->host.max_map_count = e->max_map_count;
	eng->host.nr_open = e->nr_open;
	return 0;
}

void eng_growth_release(struct ls_process *p)
{
	for (unsigned int t = 0; t < LS_RES_TYPE_MAX; t++) {
		free(p->type_series[t]);
		p->type_series[t] = NULL;
	}
}

static void sample(struct ls_engine *eng, struct ls_process *p, uint64_t ts)
{
	uint64_t w = max_width(eng);
	uint32_t changed = p->open_changed;

	for (unsigned int c = 0; c < LS_CLASS_MAX; c++) {
		uint32_t n = engine_class_count(p, c);

		if (!series_holds(&p->series[c], n))
			series_add(&p->series[c], ts, n, w);
	}
	/* per type, only the types whose count moved (fdtable.c marks them) */
	p->open_changed = 0;
	for (unsigned int t = 0; changed; t++, changed >>= 1) {
		if (!(changed & 1))
			continue;
		if (!p->type_series[t]) {
			if (!p->counts[t].open)
				continue;
			p->type_series[t] = calloc(1, sizeof(*p->type_series[t]));
			if (!p->type_series[t]) {
				eng->stats.oom++;
				continue;
			}
		}
		series_add(p->type_series[t], ts, clamp32(p->counts[t].open), w);
	}
}

static bool changes_counts(uint16_t type)
{
	switch (type) {
	case LS_EV_FD_CREATE:
	case LS_EV_FD_CLOSE:
	case LS_EV_CLOSE_RANGE:
	case LS_EV_PROC_FORK:
	case LS_EV_PROC_EXEC:
	case LS_EV_PROC_EXIT:
	case LS_EV_PROC_ATTACH:
	case LS_EV_MMAP:
	case LS_EV_MUNMAP:
	case LS_EV_MREMAP:
	case LS_EV_BRK:
		return true;
	}
	return false;
}

void eng_sample_counts(struct ls_engine *eng, const struct ls_event_header *h,
		       uint32_t child_tgid)
{
	struct ls_process *p, *child;

	if (!changes_counts(h->type))
		return;
	/* the process the event was about, if it is still live (a forgotten
	 * one, engine_forget_exited, is no longer last_proc) */
	p = eng->last_proc;
	if (!p || p->pid != h->tgid || p->exited)
		p = eng_find_live(eng, h->tgid);
	if (p && h->type == LS_EV_PROC_ATTACH) {
		/* what was counted before was a process only partly known: its
		 * series starts again with what /proc says it holds */
		for (unsigned int c = 0; c < LS_CLASS_MAX; c++)
			series_reset(&p->series[c]);
		eng_growth_release(p);
		p->open_changed = LS_ALL_TYPES;
	}
	if (p && p->fdt && p->fdt->nusers > 1) {
		/* CLONE_FILES: every user of the table saw the change */
		for (size_t i = 0; i < p->fdt->nusers; i++)
			sample(eng, p->fdt->users[i], h->ts_ns);
	} else if (p) {
		sample(eng, p, h->ts_ns);
	}
	child = child_tgid && child_tgid != h->tgid ? eng_find_live(eng, child_tgid) : NULL;
	if (child)
		sample(eng, child, h->ts_ns);
}
