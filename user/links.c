// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Links (links.h): the ids, the set, and the state gathered once for the
 * kinds (links_fd.c between fds and processes, links_desc.c between
 * descriptions).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "links_internal.h"

static const char *const kind_names[LINK_KIND_MAX] = {
	[LINK_SCM_RIGHTS] = "scm_rights",
	[LINK_IN_FLIGHT] = "in_flight",
	[LINK_PIPE_PEER] = "pipe_peer",
	[LINK_UNIX_PEER] = "unix_peer",
	[LINK_TCP_PEER] = "tcp_peer",
	[LINK_EPOLL_WATCH] = "epoll_watch",
	[LINK_DUP] = "dup",
	[LINK_INHERITED] = "inherited",
	[LINK_MAPS_FILE] = "maps_file",
	[LINK_THREAD_OF] = "thread_of",
};

const char *link_kind_name(enum link_kind k)
{
	return (unsigned int)k < LINK_KIND_MAX ? kind_names[k] : "unknown";
}

bool link_kind_keeps_alive(enum link_kind k)
{
	return k == LINK_IN_FLIGHT;
}

/* --- ids -------------------------------------------------------------------- */

struct link_end link_end_proc(const struct ls_process *p)
{
	return (struct link_end){ .type = LINK_END_PROC, .pid = p->pid, .serial = p->serial };
}

struct link_end link_end_fd(const struct ls_process *p, const struct ls_fd *f)
{
	return (struct link_end){ .type = LINK_END_FD, .pid = p->pid, .serial = p->serial,
				  .fd = f->fd, .generation = f->generation };
}

struct link_end link_end_desc(uint64_t desc)
{
	return (struct link_end){ .type = LINK_END_DESC, .desc = desc };
}

struct link_end link_end_ofd(const struct ls_ofd *o)
{
	return (struct link_end){ .type = LINK_END_DESC, .desc = o->id, .ofd = o };
}

struct link_end link_end_map(const struct ls_process *p, uint64_t start)
{
	return (struct link_end){ .type = LINK_END_MAP, .pid = p->pid, .serial = p->serial,
				  .addr = start };
}

size_t link_end_format(const struct link_end *e, char *buf, size_t len)
{
	int n = 0;

	if (!len)
		return 0;
	switch (e->type) {
	case LINK_END_PROC:
		n = snprintf(buf, len, "proc:%" PRIu32 ".%" PRIu64, e->pid, e->serial);
		break;
	case LINK_END_THREADS:
		n = snprintf(buf, len, "threads:%" PRIu32 ".%" PRIu64, e->pid, e->serial);
		break;
	case LINK_END_FD:
		n = snprintf(buf, len, "fd:%" PRIu32 ".%" PRIu64 ":%d:%" PRIu32, e->pid, e->serial,
			     e->fd, e->generation);
		break;
	case LINK_END_DESC:
		n = snprintf(buf, len, "desc:%" PRIu64, e->desc);
		break;
	case LINK_END_MAP:
		n = snprintf(buf, len, "map:%" PRIu32 ".%" PRIu64 ":0x%" PRIx64, e->pid, e->serial,
			     e->addr);
		break;
	case LINK_END_NONE:
		buf[0] = '\0';
		break;
	}
	if (n < 0)
		n = 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

int link_end_cmp(const struct link_end *a, const struct link_end *b)
{
	CMP(a->type, b->type);
	CMP(a->pid, b->pid);
	CMP(a->serial, b->serial);
	CMP(a->fd, b->fd);
	CMP(a->generation, b->generation);
	CMP(a->desc, b->desc);
	CMP(a->addr, b->addr);
	return 0;
}

/* --- the set ----------------------------------------------------------------- */

bool links_wanted(const struct links_state *st, enum link_kind k)
{
	return !st->opts->kinds || (st->opts->kinds & LINK_KIND_BIT(k));
}

int links_add(struct links_state *st, const struct ls_link *l)
{
	struct link_set *s = st->out;

	s->by_kind[l->kind]++;
	if (st->opts->max && s->len >= st->opts->max) {
		s->omitted++;
		return 0;
	}
	if (s->len == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct ls_link *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->len++] = *l;
	return 0;
}

void links_free(struct link_set *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* --- the state, gathered once ------------------------------------------------ */

struct fd_fill {
	const struct ls_fd **at;
};

static int fill_visit(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	struct fd_fill *fill = ctx;

	(void)p;
	*fill->at++ = f;
	return 0;
}

static int count_visit(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	(void)p;
	(void)f;
	(*(size_t *)ctx)++;
	return 0;
}

static size_t proc_fd_count(const struct ls_engine *eng, const struct ls_process *p)
{
	size_t n = 0;

	if (p->exited)
		return p->exit_fds_len;
	engine_visit_open_fds(eng, p, count_visit, &n);
	return n;
}

static int desc_by_id(const void *a, const void *b)
{
	const struct desc_info *x = a, *y = b;

	CMP(x->o->id, y->o->id);
	return 0;
}

static void desc_note(struct links_state *st, const struct ls_ofd *o, uint64_t first,
		      uint64_t last)
{
	st->descs[st->ndescs++] = (struct desc_info){ .o = o, .first_ns = first, .last_ns = last };
}

/* Sorted by id, one entry each, spanning the lifetimes of its fds. */
static void descs_merge(struct links_state *st)
{
	size_t n = 0;

	qsort(st->descs, st->ndescs, sizeof(st->descs[0]), desc_by_id);
	for (size_t i = 0; i < st->ndescs; i++) {
		struct desc_info *d = &st->descs[i], *last = n ? &st->descs[n - 1] : NULL;

		if (!last || last->o != d->o) {
			st->descs[n++] = *d;
			continue;
		}
		if (d->first_ns < last->first_ns)
			last->first_ns = d->first_ns;
		if (d->last_ns > last->last_ns)
			last->last_ns = d->last_ns;
	}
	st->ndescs = n;
}

static int gather(struct links_state *st)
{
	const struct ls_engine *eng = st->eng;
	size_t nfds = 0, ninflight = engine_inflight_count(eng);
	const struct ls_fd **at;

	st->nprocs = engine_process_count(eng);
	st->procs = calloc(st->nprocs ? st->nprocs : 1, sizeof(*st->procs));
	if (!st->procs)
		return -ENOMEM;
	for (size_t i = 0; i < st->nprocs; i++) {
		st->procs[i].p = engine_process_at(eng, i);
		st->procs[i].n = proc_fd_count(eng, st->procs[i].p);
		nfds += st->procs[i].n;
	}
	st->fds = calloc(nfds ? nfds : 1, sizeof(*st->fds));
	st->descs = calloc(nfds + 2 * ninflight + 1, sizeof(*st->descs));
	if (!st->fds || !st->descs)
		return -ENOMEM;
	at = st->fds;
	for (size_t i = 0; i < st->nprocs; i++) {
		struct proc_fds *pf = &st->procs[i];
		struct fd_fill fill = { .at = at };

		pf->fds = at;
		if (pf->p->exited && pf->n)
			memcpy(at, pf->p->exit_fds, pf->n * sizeof(*at));
		else
			engine_visit_open_fds(eng, pf->p, fill_visit, &fill);
		for (size_t j = 0; j < pf->n; j++) {
			const struct ls_fd *f = at[j];

			desc_note(st, f->ofd, f->created_ns,
				  f->release == LS_REL_OPEN ? UINT64_MAX : f->released_ns);
		}
		at += pf->n;
	}
	for (size_t i = 0; i < ninflight; i++) {
		const struct ls_inflight *in = engine_inflight_at(eng, i);

		desc_note(st, in->ofd, 0, UINT64_MAX);
		desc_note(st, in->queue, 0, UINT64_MAX);
	}
	descs_merge(st);
	return 0;
}

const struct desc_info *links_desc(const struct links_state *st, uint64_t id)
{
	size_t lo = 0, hi = st->ndescs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->descs[mid].o->id == id)
			return &st->descs[mid];
		if (st->descs[mid].o->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* --- all of them ------------------------------------------------------------- */

typedef int (*links_kind_fn)(struct links_state *st);

/* in the order kept: past the limit, the last kinds are dropped first */
static const links_kind_fn kind_fns[LINK_KIND_MAX] = {
	[LINK_SCM_RIGHTS] = links_scm_rights,
	[LINK_IN_FLIGHT] = links_in_flight,
	[LINK_PIPE_PEER] = links_pipe_peers,
	[LINK_UNIX_PEER] = links_unix_peers,
	[LINK_TCP_PEER] = links_tcp_peers,
	[LINK_EPOLL_WATCH] = links_epoll_watches,
	[LINK_DUP] = links_dups,
	[LINK_INHERITED] = links_inherited,
	[LINK_MAPS_FILE] = links_maps_files,
	[LINK_THREAD_OF] = links_threads,
};

int links_build(const struct ls_engine *eng, const struct links_opts *o, struct link_set *out)
{
	struct links_state st = { .eng = eng, .opts = o, .out = out };
	int err;

	memset(out, 0, sizeof(*out));
	err = gather(&st);
	for (unsigned int k = 0; k < LINK_KIND_MAX && !err; k++)
		if (links_wanted(&st, k))
			err = kind_fns[k](&st);
	free(st.procs);
	free(st.fds);
	free(st.descs);
	if (err)
		links_free(out);
	return err;
}
