// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "facts.h"
#include "procfs.h"
#include "snapshot.h"

static int collect_file(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	struct pid_list *l = ctx;
	unsigned int t = f->ofd->res_type;

	if (t != LS_RES_FILE && t != LS_RES_MEMFD)
		return 0;
	if (pid_list_add(l, p->pid) || pid_list_add(l, (uint32_t)f->fd))
		return 1;
	return 0;
}

/*
 * Which open files were unlinked (the disk space du cannot find), and how
 * big they are: asked of /proc now.
 */
void facts_file_states(const struct ls_engine *eng, facts_emit_fn emit, void *ctx)
{
	size_t n = engine_process_count(eng);
	struct pid_list l = { 0 };
	struct ls_file_state e;
	uint64_t now = engine_last_ns(eng);

	for (size_t i = 0; i < n; i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		if (!p->exited)
			engine_visit_open_fds(eng, p, collect_file, &l);
	}
	for (size_t i = 0; i + 1 < l.len; i += 2)
		if (!procfs_file_state(l.v[i], (int)l.v[i + 1], now, &e))
			emit(ctx, &e, sizeof(e));
	pid_list_free(&l);
}

/* The kernel's use counters of open fds, gathered while visiting the engine
 * (which must not change meanwhile), then handed over as facts. */
struct access_facts {
	struct trace *t;
	uint64_t now;
	struct ls_fd_access *v;
	size_t len;
	size_t cap;
};

static int gather_access(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	struct access_facts *c = ctx;
	struct ls_fd_access *e;
	uint64_t count, last;

	if (c->len == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct ls_fd_access *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return 1;
		c->v = v;
		c->cap = cap;
	}
	e = &c->v[c->len];
	memset(e, 0, sizeof(*e));
	if (trace_fd_use(c->t, p->pid, f->fd, &count, &last))
		return 0;
	e->count = count;
	e->last_ns = last;
	e->hdr.type = LS_EV_FD_ACCESS;
	e->hdr.size = sizeof(*e);
	e->hdr.ts_ns = c->now;
	e->hdr.tgid = p->pid;
	e->hdr.tid = p->pid;
	e->fd = f->fd;
	c->len++;
	return 0;
}

void facts_fd_access(const struct ls_engine *eng, struct trace *t, facts_emit_fn emit,
		     void *ctx)
{
	struct access_facts c = { .t = t, .now = engine_last_ns(eng) };
	size_t n = engine_process_count(eng);

	for (size_t i = 0; i < n; i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		if (!p->exited && engine_visit_open_fds(eng, p, gather_access, &c))
			fprintf(stderr, "leakscope: out of memory reading the fd use counters\n");
	}
	for (size_t i = 0; i < c.len; i++)
		emit(ctx, &c.v[i], sizeof(c.v[i]));
	free(c.v);
}

/* The command enters observation as an event, like any other fact. */
void facts_command(pid_t pid, char *const *cmd, uint64_t now, facts_emit_fn emit, void *ctx)
{
	struct ls_proc_attach a = { 0 };
	char *name, *copy;
	size_t len = 0;

	a.hdr.type = LS_EV_PROC_ATTACH;
	a.hdr.size = sizeof(a);
	a.hdr.ts_ns = now;
	a.hdr.tgid = pid;
	a.hdr.tid = pid;
	a.ppid = getpid();
	a.started_by_us = 1;
	copy = strdup(cmd[0]);
	name = copy ? basename(copy) : cmd[0];
	snprintf(a.comm, sizeof(a.comm), "%s", name);
	free(copy);
	for (char *const *arg = cmd; *arg; arg++) {
		size_t n = strlen(*arg) + 1;

		if (len + n > sizeof(a.args)) {
			a.args_truncated = 1;
			break;
		}
		memcpy(a.args + len, *arg, n);
		len += n;
	}
	a.args_len = len;
	emit(ctx, &a, sizeof(a));
}

/* RLIMIT_NOFILE as /proc says now; later changes come from the kernel side. */
void facts_limits(uint32_t pid, uint64_t now, facts_emit_fn emit, void *ctx)
{
	struct ls_proc_limits e;

	if (!procfs_read_limits(pid, now, &e))
		emit(ctx, &e, sizeof(e));
}

/* What growth is measured against besides RLIMIT_NOFILE: read once. */
void facts_host_limits(uint64_t now, facts_emit_fn emit, void *ctx)
{
	struct ls_host_limits e;

	procfs_read_host_limits(now, &e);
	emit(ctx, &e, sizeof(e));
}

/* We waited for the command ourselves: no need to wait for the kernel's word. */
void facts_reaped(pid_t pid, uint64_t now, facts_emit_fn emit, void *ctx)
{
	struct ls_proc_reap r = { 0 };

	r.hdr.type = LS_EV_PROC_REAP;
	r.hdr.size = sizeof(r);
	r.hdr.ts_ns = now;
	r.hdr.tgid = pid;
	r.hdr.tid = pid;
	emit(ctx, &r, sizeof(r));
}

/*
 * A process first seen by one of its syscalls (it joined the cgroup, or the
 * system-wide view caught it before its fork event could) has no name yet:
 * read it, and what it holds, from /proc, as at attach. New processes are
 * appended (serials grow), so each is looked at once, also when exited
 * ones were forgotten in between.
 */
void facts_identify_new(const struct ls_engine *eng, uint64_t *identified, facts_emit_fn emit,
			void *ctx)
{
	size_t i = engine_process_count(eng);
	struct ls_proc_attach a;

	while (i > 0 && engine_process_at(eng, i - 1)->serial > *identified)
		i--;
	for (; i < engine_process_count(eng); i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		*identified = p->serial;
		if (p->exited || p->ppid || p->args)
			continue;
		if (procfs_read_attach(p->pid, engine_last_ns(eng), &a))
			continue;
		emit(ctx, &a, sizeof(a));
		facts_limits(p->pid, engine_last_ns(eng), emit, ctx);
		snapshot_fds(p->pid, engine_last_ns(eng), NULL, 0, emit, ctx);
		snapshot_maps(p->pid, engine_last_ns(eng), emit, ctx);
	}
}

void facts_losses(const struct ls_engine *eng, struct trace *t, uint64_t *lost_seen,
		  facts_emit_fn emit, void *ctx)
{
	uint64_t stats[LS_STAT_MAX];
	struct ls_loss e = { 0 };

	if (trace_read_stats(t, stats) || stats[LS_STAT_LOST] <= *lost_seen)
		return;
	*lost_seen = stats[LS_STAT_LOST];
	e.hdr.type = LS_EV_LOSS;
	e.hdr.size = sizeof(e);
	e.hdr.ts_ns = engine_last_ns(eng);
	e.lost_total = *lost_seen;
	emit(ctx, &e, sizeof(e));
}

void facts_forget(const struct ls_engine *eng, uint32_t keep, facts_emit_fn emit, void *ctx)
{
	struct ls_forget e = { 0 };

	if (!engine_forget_due(eng, keep))
		return;
	e.hdr.type = LS_EV_FORGET;
	e.hdr.size = sizeof(e);
	e.hdr.ts_ns = engine_last_ns(eng);
	e.keep = keep;
	emit(ctx, &e, sizeof(e));
}
