// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What must hold of the engine's state after any record, however malformed
 * or out of order the stream: a consistent stream and a garbage one differ
 * only in the anomaly counters, never in whether the state adds up.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_check.h"

/* No stream a fuzzer writes counts this high: a counter past it went below
 * zero and wrapped. */
#define COUNTER_SANE (UINT64_MAX / 2)

static _Noreturn void violated(const struct ls_process *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "engine invariant violated");
	if (p)
		fprintf(stderr, " (pid %u, serial %llu, %s)", p->pid,
			(unsigned long long)p->serial, p->exited ? "exited" : "live");
	fputs(": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* a macro, so the message's arguments are only evaluated on a violation */
#define CHECK(cond, p, ...)                      \
	do {                                     \
		if (!(cond))                     \
			violated((p), __VA_ARGS__); \
	} while (0)

typedef unsigned long long ull;

static void grow(void *vp, size_t *cap, size_t len, size_t elem)
{
	void **v = vp;
	size_t n;
	void *nv;

	if (len < *cap)
		return;
	n = *cap ? *cap * 2 : 64;
	nv = realloc(*v, n * elem);
	if (!nv) {
		fputs("engine_check: out of memory\n", stderr);
		abort();
	}
	*v = nv;
	*cap = n;
}

static void on_release(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	struct engine_check *c = ctx;

	CHECK(p && f && f->ofd, p, "a release without a process, fd or description");
	CHECK(f->release > LS_REL_OPEN && f->release <= LS_REL_EXIT, p,
	      "fd %d released for no known reason (%d)", f->fd, (int)f->release);
	/* the hook runs before the lifecycle drops its reference */
	CHECK(f->ofd->refs > 0, p, "fd %d released holding a description with no refs", f->fd);
	if (f->release == LS_REL_EXIT) {
		CHECK(p->exited, p, "fd %d released at the exit of a live process", f->fd);
		c->at_exit++;
	} else {
		CHECK(!p->exited, p, "fd %d released by %s after the exit", f->fd,
		      ls_release_name(f->release));
		c->released++;
	}
}

void engine_check_init(struct engine_check *c, struct ls_engine *eng)
{
	memset(c, 0, sizeof(*c));
	engine_set_release_hook(eng, on_release, c);
}

void engine_check_fini(struct engine_check *c)
{
	free(c->ofds);
	free(c->byid);
	free(c->tables);
	memset(c, 0, sizeof(*c));
}

void engine_check_applied(struct engine_check *c, const void *rec, size_t size, int ret)
{
	struct ls_fd_create e;

	c->applied++;
	/* the engine accepted it, so the fixed part is there */
	if (ret || size < offsetof(struct ls_fd_create, path))
		return;
	memcpy(&e, rec, offsetof(struct ls_fd_create, path));
	if (e.hdr.type == LS_EV_FD_CREATE && e.syscall != LS_SYS_SNAPSHOT)
		c->creates++;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a, y = (uintptr_t)*(const void *const *)b;

	return x < y ? -1 : x > y;
}

/* How many open fds refer to o (c->ofds sorted). */
static size_t open_refs(const struct engine_check *c, const struct ls_ofd *o)
{
	size_t lo = 0, hi = c->nofds, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uintptr_t)c->ofds[mid] < (uintptr_t)o)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < c->nofds && c->ofds[lo + n] == o)
		n++;
	return n;
}

static int cmp_id(const void *a, const void *b)
{
	uint64_t x = (*(const struct ls_ofd *const *)a)->id;
	uint64_t y = (*(const struct ls_ofd *const *)b)->id;

	return x < y ? -1 : x > y;
}

/* The open description with this engine id, or NULL (c->byid built). */
static const struct ls_ofd *open_ofd_by_id(const struct engine_check *c, uint64_t id)
{
	size_t lo = 0, hi = c->nbyid;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->byid[mid]->id < id)
			lo = mid + 1;
		else if (c->byid[mid]->id > id)
			hi = mid;
		else
			return c->byid[mid];
	}
	return NULL;
}

struct fd_walk {
	struct engine_check *c;
	bool collect;  /* first process seen on this table: gather its ofds */
	int last_fd;
	uint64_t open[LS_RES_TYPE_MAX];
};

static int walk_fd(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	struct fd_walk *w = ctx;
	const struct ls_ofd *o;

	CHECK(f && f->ofd, p, "an open fd without a description");
	o = f->ofd;
	CHECK(f->fd > w->last_fd, p, "fd %d visited after fd %d", f->fd, w->last_fd);
	w->last_fd = f->fd;
	CHECK(!p->exited, p, "fd %d open in an exited process", f->fd);
	CHECK(f->release == LS_REL_OPEN, p, "open fd %d is marked %s", f->fd,
	      ls_release_name(f->release));
	CHECK(o->refs > 0, p, "open fd %d refers to a description with no refs", f->fd);
	CHECK(o->id > 0, p, "fd %d: a description without an id", f->fd);
	CHECK(o->res_type < LS_RES_TYPE_MAX, p, "fd %d: type %u out of range", f->fd, o->res_type);
	CHECK(!(f->fd_flags & ~LS_FD_CLOEXEC), p, "fd %d: fd flags 0x%x", f->fd, f->fd_flags);
	CHECK(o->file && o->file->refs > 0, p, "fd %d: a description open on no file", f->fd);
	CHECK(o->file->path_len <= LS_PATH_MAX && o->file->path[o->file->path_len] == '\0', p,
	      "fd %d: path of %u bytes not kept terminated", f->fd, o->file->path_len);
	CHECK(ls_ofd_ext(o)->nwatches <= ls_ofd_ext(o)->watches_cap &&
	      (!ls_ofd_ext(o)->nwatches || ls_ofd_ext(o)->watches), p,
	      "fd %d: %zu watches in room for %zu", f->fd, ls_ofd_ext(o)->nwatches,
	      ls_ofd_ext(o)->watches_cap);
	CHECK(!o->ext || !o->ext_full || o->ext->owner == o, p,
	      "fd %d: a description's extension belongs to another", f->fd);
	w->open[o->res_type]++;
	if (w->collect) {
		grow(&w->c->ofds, &w->c->ofds_cap, w->c->nofds, sizeof(*w->c->ofds));
		w->c->ofds[w->c->nofds++] = o;
	}
	return 0;
}

static bool table_seen(struct engine_check *c, const void *t)
{
	for (size_t i = 0; i < c->ntables; i++)
		if (c->tables[i] == t)
			return true;
	grow(&c->tables, &c->tables_cap, c->ntables, sizeof(*c->tables));
	c->tables[c->ntables++] = t;
	return false;
}

static void check_vmas(const struct ls_process *p)
{
	const struct ls_vma_set *s = &p->vmas;

	CHECK(s->len <= s->cap && (!s->len || s->v), p, "%zu mappings in room for %zu", s->len,
	      s->cap);
	for (size_t i = 0; i < s->len; i++) {
		const struct ls_vma *m = &s->v[i];

		CHECK(m->start < m->end, p, "mapping %zu is empty or inverted: %llx-%llx", i,
		      (ull)m->start, (ull)m->end);
		CHECK(!i || s->v[i - 1].end <= m->start, p,
		      "mappings %zu and %zu overlap or are out of order: ..%llx, %llx..", i - 1, i,
		      (ull)s->v[i - 1].end, (ull)m->start);
		CHECK(!m->path || strlen(m->path) <= LS_PATH_MAX, p, "mapping %zu: path too long", i);
	}
}

static void check_identity(const struct ls_process *p)
{
	CHECK(memchr(p->comm, '\0', sizeof(p->comm)), p, "comm not terminated");
	CHECK(p->args ? p->args_len <= LS_ARGS_MAX && p->args[p->args_len] == '\0'
		      : p->args_len == 0,
	      p, "argv of %zu bytes not kept terminated", p->args_len);
	CHECK(!p->exe || memchr(p->exe, '\0', LS_PATH_MAX + 1), p, "exe longer than a path");
	/* a parent is seen before its child; it may have been forgotten since
	 * (--max-exited), so its serial need not be among the n kept */
	CHECK(p->parent_serial < p->serial, p, "parent serial %llu, own %llu",
	      (ull)p->parent_serial, (ull)p->serial);
	CHECK(p->nmisuses <= LS_MISUSES_MAX && p->nmisuses <= p->misuses_cap, p,
	      "%zu misuses kept (cap %zu, at most %d)", p->nmisuses, p->misuses_cap,
	      LS_MISUSES_MAX);
	for (size_t i = 0; i < p->nmisuses; i++)
		CHECK(p->misuses[i].kind < LS_MISUSE_KIND_MAX && p->misuses[i].count > 0, p,
		      "misuse %zu: kind %d, count %llu", i, (int)p->misuses[i].kind,
		      (ull)p->misuses[i].count);
	CHECK(p->recent_next < LS_RECENT_CLOSES, p, "recent close slot %u", p->recent_next);
	for (unsigned int t = 0; t < LS_RES_TYPE_MAX; t++) {
		const struct ls_type_counts *k = &p->counts[t];

		CHECK(k->created < COUNTER_SANE && k->released < COUNTER_SANE &&
		      k->at_exit < COUNTER_SANE && k->open < COUNTER_SANE, p,
		      "%s counters wrapped: created %llu released %llu at_exit %llu open %llu",
		      ls_res_type_name(t), (ull)k->created, (ull)k->released, (ull)k->at_exit,
		      (ull)k->open);
	}
	CHECK(p->maps_created < COUNTER_SANE && p->maps_released < COUNTER_SANE, p,
	      "mapping counters wrapped");
	CHECK(!p->reaped || p->exited, p, "reaped but not exited");
	check_vmas(p);
}

static int count_visit(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	(void)p;
	(void)f;
	(*(size_t *)ctx)++;
	return 0;
}

static void check_exited(const struct ls_engine *eng, const struct ls_process *p)
{
	const struct ls_engine_stats *st = engine_stats(eng);
	uint64_t at_exit = 0;
	size_t visited = 0;
	int last_fd = -1;

	CHECK(!p->fdt, p, "exited but still on an fd table");
	CHECK(engine_find_live(eng, p->pid) != p, p, "exited but found as live");
	engine_visit_open_fds(eng, p, count_visit, &visited);
	CHECK(!visited, p, "exited with %zu open fds", visited);
	CHECK(!p->threads_live, p, "exited with %u live threads", p->threads_live);
	CHECK(!p->vmas.len, p, "exited with %zu mappings", p->vmas.len);
	for (unsigned int t = 0; t < LS_RES_TYPE_MAX; t++) {
		CHECK(!p->counts[t].open, p, "exited with %llu %s open", (ull)p->counts[t].open,
		      ls_res_type_name(t));
		at_exit += p->counts[t].at_exit;
	}
	CHECK(p->exit_fds_len <= p->exit_fds_cap && (!p->exit_fds_len || p->exit_fds), p,
	      "%zu exit records in room for %zu", p->exit_fds_len, p->exit_fds_cap);
	/* the exit keeps a record of each fd it released, unless memory ran out */
	CHECK(st->oom || at_exit == p->exit_fds_len, p, "%llu fds released at exit, %zu records",
	      (ull)at_exit, p->exit_fds_len);
	for (size_t i = 0; i < p->exit_fds_len; i++) {
		const struct ls_fd *f = p->exit_fds[i];

		CHECK(f && f->ofd, p, "exit record %zu without an fd or description", i);
		CHECK(f->fd > last_fd, p, "exit record of fd %d after fd %d", f->fd, last_fd);
		last_fd = f->fd;
		CHECK(f->release == LS_REL_EXIT && f->released_ns == p->exit_ns, p,
		      "exit record of fd %d: %s at %llu, exit at %llu", f->fd,
		      ls_release_name(f->release), (ull)f->released_ns, (ull)p->exit_ns);
		CHECK(f->ofd->res_type < LS_RES_TYPE_MAX, p, "exit record of fd %d: type %u", f->fd,
		      f->ofd->res_type);
	}
}

static void check_live(struct engine_check *c, const struct ls_engine *eng,
		       const struct ls_process *p)
{
	struct fd_walk w = { .c = c, .last_fd = -1 };

	CHECK(engine_find_live(eng, p->pid) == p, p, "live but not found by its pid");
	CHECK(p->fdt, p, "live without an fd table");
	CHECK(p->threads_live >= 1, p, "live with no thread");
	CHECK(!p->exit_fds_len, p, "live with %zu exit records", p->exit_fds_len);
	w.collect = !table_seen(c, p->fdt);
	engine_visit_open_fds(eng, p, walk_fd, &w);
	/* open counts are the table's view, whoever opened the fds */
	for (unsigned int t = 0; t < LS_RES_TYPE_MAX; t++)
		CHECK(p->counts[t].open == w.open[t], p, "%llu %s counted open, %llu visited",
		      (ull)p->counts[t].open, ls_res_type_name(t), (ull)w.open[t]);
}

/*
 * Every reference a description has is an open fd: refs equals the fds of
 * all live fd tables (each counted once however many processes share it)
 * that point at it, also for descriptions reached only through exit records.
 * And each description has an id of its own.
 */
static void check_refs(struct engine_check *c, const struct ls_engine *eng)
{
	size_t n = engine_process_count(eng);

	if (c->nofds)
		qsort(c->ofds, c->nofds, sizeof(*c->ofds), cmp_ptr);
	for (size_t i = 0; i < c->nofds;) {
		const struct ls_ofd *o = c->ofds[i];
		size_t k = open_refs(c, o);

		CHECK(o->refs == k, NULL, "description %llu has %u refs, %zu open fds", (ull)o->id,
		      o->refs, k);
		grow(&c->byid, &c->byid_cap, c->nbyid, sizeof(*c->byid));
		c->byid[c->nbyid++] = o;
		i += k;
	}
	if (c->nbyid)
		qsort(c->byid, c->nbyid, sizeof(*c->byid), cmp_id);
	for (size_t i = 1; i < c->nbyid; i++)
		CHECK(c->byid[i - 1]->id != c->byid[i]->id, NULL, "two descriptions share id %llu",
		      (ull)c->byid[i]->id);
	for (size_t i = 0; i < n; i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		for (size_t j = 0; j < p->exit_fds_len; j++) {
			const struct ls_ofd *o = p->exit_fds[j]->ofd;

			CHECK(o->refs == open_refs(c, o), p,
			      "exit record of fd %d: description %llu has %u refs, %zu open fds",
			      p->exit_fds[j]->fd, (ull)o->id, o->refs, open_refs(c, o));
		}
	}
}

/*
 * Open descriptions: epoll watches only of files still open (the
 * kernel drops a watch when its file's last reference goes); a socket found
 * by its kernel identity, and when two descriptions claim one (a close the
 * engine missed), the newer.
 */
static void check_descriptions(const struct engine_check *c, const struct ls_engine *eng)
{
	for (size_t i = 0; i < c->nbyid; i++) {
		const struct ls_ofd *o = c->byid[i], *r;
		const struct ls_ofd_ext *x = ls_ofd_ext(o);

		for (size_t j = 0; j < x->nwatches; j++)
			CHECK(open_ofd_by_id(c, x->watches[j].ofd_id), NULL,
			      "epoll description %llu watches fd %d of description %llu, not open",
			      (ull)o->id, x->watches[j].fd, (ull)x->watches[j].ofd_id);
		if (!x->sock_id)
			continue;
		r = engine_find_socket(eng, x->sock_id);
		CHECK(r, NULL, "open socket %llx (description %llu) not found", (ull)x->sock_id,
		      (ull)o->id);
		CHECK(ls_ofd_ext(r)->sock_id == x->sock_id && r->refs > 0 && open_refs(c, r), NULL,
		      "socket %llx found as description %llu, not an open one", (ull)x->sock_id,
		      (ull)r->id);
		CHECK(r->id >= o->id, NULL, "socket %llx found as description %llu, not the newer %llu",
		      (ull)x->sock_id, (ull)r->id, (ull)o->id);
	}
}

void engine_check_state(struct engine_check *c, const struct ls_engine *eng)
{
	const struct ls_engine_stats *st = engine_stats(eng);
	size_t n = engine_process_count(eng);
	uint64_t created = 0, released = 0, at_exit = 0, last_serial = 0;

	CHECK(st->events == c->applied, NULL, "%llu events counted, %llu applied", (ull)st->events,
	      (ull)c->applied);
	CHECK(st->bad_events <= st->events, NULL, "%llu bad events of %llu", (ull)st->bad_events,
	      (ull)st->events);
	CHECK(engine_first_ns(eng) <= engine_last_ns(eng), NULL, "first %llu after last %llu",
	      (ull)engine_first_ns(eng), (ull)engine_last_ns(eng));
	CHECK(!engine_process_at(eng, n), NULL, "a process past the count %zu", n);

	c->nofds = 0;
	c->nbyid = 0;
	c->ntables = 0;
	for (size_t i = 0; i < n; i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		CHECK(p, NULL, "no process at %zu of %zu", i, n);
		CHECK(p->serial > last_serial, p, "serial after %llu, in order of first sight",
		      (ull)last_serial);
		last_serial = p->serial;
		check_identity(p);
		if (p->exited)
			check_exited(eng, p);
		else
			check_live(c, eng, p);
		for (unsigned int t = 0; t < LS_RES_TYPE_MAX; t++) {
			created += p->counts[t].created;
			released += p->counts[t].released;
			at_exit += p->counts[t].at_exit;
		}
	}
	/* and the processes forgotten (--max-exited) keep theirs in one sum */
	for (unsigned int t = 0; t < LS_RES_TYPE_MAX; t++) {
		created += engine_forgotten(eng)->created[t];
		released += engine_forgotten(eng)->released[t];
		at_exit += engine_forgotten(eng)->released_at_exit[t];
	}
	check_refs(c, eng);
	check_descriptions(c, eng);

	/* each lifecycle that ended is counted once, on one process */
	CHECK(released == c->released, NULL, "%llu releases counted, %llu reported",
	      (ull)released, (ull)c->released);
	CHECK(at_exit == c->at_exit, NULL, "%llu releases at exit counted, %llu reported",
	      (ull)at_exit, (ull)c->at_exit);
	/* a creation is counted only for a record that created something */
	CHECK(created <= c->creates, NULL, "%llu fds counted created from %llu creations",
	      (ull)created, (ull)c->creates);
}
