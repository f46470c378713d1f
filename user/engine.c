// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The engine's front: record validation, dispatch, lifetime and the read-only
 * accessors. The rules themselves are in engine_proc.c and engine_fd.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

/* Every record is copied into this before use: rec may be unaligned (a
 * capture file) and shorter than the struct (a record from an older writer
 * whose trailing text was not sent). */
union ls_any_event {
	struct ls_event_header hdr;
	struct ls_fd_create fd_create;
	struct ls_fd_close fd_close;
	struct ls_close_range close_range;
	struct ls_fd_setfd fd_setfd;
	struct ls_proc_fork fork;
	struct ls_proc_exec exec;
	struct ls_proc_exit exit;
	struct ls_proc_attach attach;
	struct ls_sock_update sock_update;
	struct ls_proc_reap reap;
	struct ls_epoll_ctl epoll_ctl;
	struct ls_mmap mmap;
	struct ls_munmap munmap;
	struct ls_mremap mremap;
	struct ls_brk brk;
	struct ls_file_state file_state;
	struct ls_user_stack user_stack; /* the fixed part: the stack bytes stay behind */
	struct ls_stack_ref stack_ref;
	struct ls_fd_misuse fd_misuse;
	struct ls_fd_access fd_access;
	struct ls_scm_send scm_send;
	struct ls_forget forget;
	struct ls_loss loss;
	struct ls_proc_limits proc_limits;
	struct ls_host_limits host_limits;
};

/* The fixed part of each record; trailing text needs only its used bytes. */
static const size_t ls_event_min_size[LS_EV_TYPE_MAX] = {
	[LS_EV_FD_CREATE] = offsetof(struct ls_fd_create, path),
	[LS_EV_FD_CLOSE] = sizeof(struct ls_fd_close),
	[LS_EV_CLOSE_RANGE] = sizeof(struct ls_close_range),
	[LS_EV_FD_SETFD] = sizeof(struct ls_fd_setfd),
	[LS_EV_PROC_FORK] = sizeof(struct ls_proc_fork),
	[LS_EV_PROC_EXEC] = offsetof(struct ls_proc_exec, args),
	[LS_EV_PROC_EXIT] = sizeof(struct ls_proc_exit),
	[LS_EV_PROC_ATTACH] = offsetof(struct ls_proc_attach, args),
	[LS_EV_SOCK_UPDATE] = sizeof(struct ls_sock_update),
	[LS_EV_PROC_REAP] = sizeof(struct ls_proc_reap),
	[LS_EV_EPOLL_CTL] = sizeof(struct ls_epoll_ctl),
	[LS_EV_MMAP] = offsetof(struct ls_mmap, path),
	[LS_EV_MUNMAP] = sizeof(struct ls_munmap),
	[LS_EV_MREMAP] = sizeof(struct ls_mremap),
	[LS_EV_BRK] = sizeof(struct ls_brk),
	[LS_EV_FILE_STATE] = sizeof(struct ls_file_state),
	[LS_EV_USER_STACK] = sizeof(struct ls_user_stack),
	[LS_EV_STACK_REF] = sizeof(struct ls_stack_ref),
	[LS_EV_FD_MISUSE] = sizeof(struct ls_fd_misuse),
	[LS_EV_FD_ACCESS] = sizeof(struct ls_fd_access),
	[LS_EV_SCM_SEND] = offsetof(struct ls_scm_send, rights),
	[LS_EV_FORGET] = sizeof(struct ls_forget),
	[LS_EV_LOSS] = sizeof(struct ls_loss),
	[LS_EV_PROC_LIMITS] = sizeof(struct ls_proc_limits),
	[LS_EV_HOST_LIMITS] = sizeof(struct ls_host_limits),
};

struct ls_engine *engine_new(void)
{
	struct ls_engine *eng = calloc(1, sizeof(*eng));

	if (!eng)
		return NULL;
	if (u64_map_init(&eng->live))
		goto fail;
	if (u64_map_init(&eng->unreaped)) {
		u64_map_fini(&eng->live);
		goto fail;
	}
	eng->series_span_ns = ENGINE_DEFAULT_SERIES_SPAN_NS;
	fd_store_init(&eng->fds);
	if (ofd_registry_init(&eng->ofds)) {
		u64_map_fini(&eng->unreaped);
		u64_map_fini(&eng->live);
		goto fail;
	}
	if (u64_map_init(&eng->origins)) {
		ofd_registry_fini(&eng->ofds);
		u64_map_fini(&eng->unreaped);
		u64_map_fini(&eng->live);
		goto fail;
	}
	return eng;
fail:
	free(eng);
	return NULL;
}

void engine_free(struct ls_engine *eng)
{
	size_t i;

	if (!eng)
		return;
	for (i = 0; i < eng->nprocs; i++)
		eng_process_free(eng, eng->procs[i]);
	free(eng->procs);
	u64_map_fini(&eng->live);
	u64_map_fini(&eng->unreaped);
	ofd_registry_fini(&eng->ofds);
	u64_map_fini(&eng->origins);
	fd_store_fini(&eng->fds);
	free(eng);
}

/* PID_MAX_LIMIT: a process has no more threads than the kernel has pids */
#define LS_TASKS_MAX 4194304

/* Lengths past the record or past their buffer, a negative new fd, or a
 * count no kernel can have, are malformed. */
static bool ls_event_fields_ok(const union ls_any_event *ev)
{
	size_t size = ev->hdr.size;

	switch (ev->hdr.type) {
	case LS_EV_FD_CREATE:
		return ev->fd_create.fd >= 0 && ev->fd_create.local.len <= 16 &&
		       ev->fd_create.remote.len <= 16 &&
		       ev->fd_create.path_len <= LS_PATH_MAX &&
		       offsetof(struct ls_fd_create, path) + ev->fd_create.path_len <= size;
	case LS_EV_PROC_EXEC:
		return ev->exec.filename_len <= LS_PATH_MAX &&
		       ev->exec.args_len <= LS_ARGS_MAX &&
		       offsetof(struct ls_proc_exec, args) + ev->exec.args_len <= size;
	case LS_EV_PROC_ATTACH:
		return ev->attach.args_len <= LS_ARGS_MAX && ev->attach.exe_len <= LS_PATH_MAX &&
		       offsetof(struct ls_proc_attach, args) + ev->attach.args_len <= size &&
		       ev->attach.threads <= LS_TASKS_MAX;
	case LS_EV_SOCK_UPDATE:
		return ev->sock_update.local.len <= 16 && ev->sock_update.remote.len <= 16;
	case LS_EV_MMAP:
		return ev->mmap.path_len <= LS_PATH_MAX &&
		       offsetof(struct ls_mmap, path) + ev->mmap.path_len <= size;
	case LS_EV_USER_STACK:
		return ev->user_stack.len <= size - sizeof(struct ls_user_stack);
	case LS_EV_SCM_SEND:
		return ev->scm_send.nfds <= LS_SCM_MAX_FDS &&
		       offsetof(struct ls_scm_send, rights) +
		       ev->scm_send.nfds * sizeof(struct ls_scm_right) <= size;
	default:
		return true;
	}
}

static int engine_dispatch(struct ls_engine *eng, const union ls_any_event *ev)
{
	switch (ev->hdr.type) {
	case LS_EV_FD_CREATE:
		return eng_on_fd_create(eng, &ev->fd_create);
	case LS_EV_FD_CLOSE:
		return eng_on_fd_close(eng, &ev->fd_close);
	case LS_EV_CLOSE_RANGE:
		return eng_on_close_range(eng, &ev->close_range);
	case LS_EV_FD_SETFD:
		return eng_on_fd_setfd(eng, &ev->fd_setfd);
	case LS_EV_PROC_FORK:
		return eng_on_fork(eng, &ev->fork);
	case LS_EV_PROC_EXEC:
		return eng_on_exec(eng, &ev->exec);
	case LS_EV_PROC_EXIT:
		return eng_on_exit(eng, &ev->exit);
	case LS_EV_PROC_ATTACH:
		return eng_on_attach(eng, &ev->attach);
	case LS_EV_SOCK_UPDATE:
		return eng_on_sock_update(eng, &ev->sock_update);
	case LS_EV_PROC_REAP:
		return eng_on_reap(eng, &ev->reap);
	case LS_EV_EPOLL_CTL:
		return eng_on_epoll_ctl(eng, &ev->epoll_ctl);
	case LS_EV_MMAP:
		return eng_on_mmap(eng, &ev->mmap);
	case LS_EV_MUNMAP:
		return eng_on_munmap(eng, &ev->munmap);
	case LS_EV_MREMAP:
		return eng_on_mremap(eng, &ev->mremap);
	case LS_EV_BRK:
		return eng_on_brk(eng, &ev->brk);
	case LS_EV_FILE_STATE:
		return eng_on_file_state(eng, &ev->file_state);
	case LS_EV_USER_STACK:
		/* unwound outside the engine (it reads ELF files): the outcome
		 * arrives as LS_EV_STACK_REF */
		return 0;
	case LS_EV_STACK_REF:
		return eng_on_stack_ref(eng, &ev->stack_ref);
	case LS_EV_FD_MISUSE:
		return eng_on_fd_misuse(eng, &ev->fd_misuse);
	case LS_EV_FD_ACCESS:
		return eng_on_fd_access(eng, &ev->fd_access);
	case LS_EV_SCM_SEND:
		return eng_on_scm_send(eng, &ev->scm_send);
	case LS_EV_FORGET:
		engine_forget_exited(eng, ev->forget.keep);
		return 0;
	case LS_EV_LOSS:
		/* who was running when records were dropped may miss some */
		for (size_t i = 0; i < eng->nprocs; i++)
			if (!eng->procs[i]->proc.exited)
				eng->procs[i]->proc.maybe_incomplete = true;
		return 0;
	case LS_EV_PROC_LIMITS:
		return eng_on_proc_limits(eng, &ev->proc_limits);
	case LS_EV_HOST_LIMITS:
		return eng_on_host_limits(eng, &ev->host_limits);
	default:
		return -EINVAL;
	}
}

int engine_apply(struct ls_engine *eng, const void *rec, size_t size)
{
	union ls_any_event ev;
	struct ls_event_header hdr;
	int err;

	eng->stats.events++;
	if (!rec || size < sizeof(hdr))
		goto bad;
	memcpy(&hdr, rec, sizeof(hdr));
	if (hdr.size > size || hdr.type == 0 || hdr.type >= LS_EV_TYPE_MAX ||
	    hdr.size < ls_event_min_size[hdr.type])
		goto bad;
	memset(&ev, 0, sizeof(ev));
	memcpy(&ev, rec, hdr.size < sizeof(ev) ? hdr.size : sizeof(ev));
	if (!ls_event_fields_ok(&ev))
		goto bad;

	if (!eng->seen_ts || hdr.ts_ns < eng->first_ns)
		eng->first_ns = hdr.ts_ns;
	if (!eng->seen_ts || hdr.ts_ns > eng->last_ns)
		eng->last_ns = hdr.ts_ns;
	eng->seen_ts = true;

	err = engine_dispatch(eng, &ev);
	if (!err)
		eng_sample_counts(eng, &ev.hdr,
				  ev.hdr.type == LS_EV_PROC_FORK ? ev.fork.child_tgid : 0);
	if (err == -ENOMEM)
		eng->stats.oom++;
	else if (err == -EINVAL)
		eng->stats.bad_events++;
	return err;
bad:
	eng->stats.bad_events++;
	return -EINVAL;
}

void engine_set_release_hook(struct ls_engine *eng, ls_release_fn fn, void *ctx)
{
	eng->release_hook = fn;
	eng->release_ctx = ctx;
}

const struct ls_engine_stats *engine_stats(const struct ls_engine *eng)
{
	return &eng->stats;
}

uint64_t engine_first_ns(const struct ls_engine *eng)
{
	return eng->first_ns;
}

uint64_t engine_last_ns(const struct ls_engine *eng)
{
	return eng->last_ns;
}

size_t engine_process_count(const struct ls_engine *eng)
{
	return eng->nprocs;
}

const struct ls_process *engine_process_at(const struct ls_engine *eng, size_t i)
{
	if (i >= eng->nprocs)
		return NULL;
	return &eng->procs[i]->proc;
}

const struct ls_process *engine_find_live(const struct ls_engine *eng, uint32_t pid)
{
	return eng_find_live(eng, pid);
}

/* procs is in serial order (first sight), with gaps where processes were
 * forgotten: a binary search finds a serial. */
static size_t index_of_serial(const struct ls_engine *eng, uint64_t serial)
{
	size_t lo = 0, hi = eng->nprocs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (eng->procs[mid]->proc.serial < serial)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct ls_process *engine_process_by_serial(const struct ls_engine *eng, uint64_t serial)
{
	size_t i = index_of_serial(eng, serial);

	if (!serial || i == eng->nprocs || eng->procs[i]->proc.serial != serial)
		return NULL;
	return &eng->procs[i]->proc;
}

size_t engine_process_index(const struct ls_engine *eng, const struct ls_process *p)
{
	return index_of_serial(eng, p->serial);
}

/* What a forgotten process leaves behind: counts. */
static void fold(struct ls_engine *eng, const struct ls_process *p)
{
	struct ls_forgotten *f = &eng->forgotten;

	f->processes++;
	for (unsigned int t = 0; t < LS_RES_TYPE_MAX; t++) {
		f->created[t] += p->counts[t].created;
		f->released[t] += p->counts[t].released;
		f->released_at_exit[t] += p->counts[t].at_exit;
	}
	for (size_t i = 0; i < p->nmisuses; i++)
		f->misuses += p->misuses[i].count;
}

bool engine_forget_due(const struct ls_engine *eng, size_t keep)
{
	return eng->nreaped > keep;
}

size_t engine_forget_exited(struct ls_engine *eng, size_t keep)
{
	size_t done = 0, w = 0, drop;

	if (eng->nreaped <= keep)
		return 0;
	drop = eng->nreaped - keep;
	/* the oldest first: procs is in order of first sight */
	for (size_t i = 0; i < eng->nprocs; i++) {
		struct proc_entry *pe = eng->procs[i];

		/* a sender of what is still in flight stays: the link and the
		 * cycle it may close name it */
		if (done < drop && pe->proc.exited && pe->proc.reaped &&
		    !ofd_inflight_sent_by(&eng->ofds, &pe->proc)) {
			fold(eng, &pe->proc);
			eng_process_free(eng, pe);
			done++;
			continue;
		}
		eng->procs[w++] = pe;
	}
	eng->nprocs = w;
	eng->nreaped -= done;
	return done;
}

const struct ls_forgotten *engine_forgotten(const struct ls_engine *eng)
{
	return &eng->forgotten;
}

size_t engine_inflight_count(const struct ls_engine *eng)
{
	return eng->ofds.ninflight;
}

const struct ls_inflight *engine_inflight_at(const struct ls_engine *eng, size_t i)
{
	return i < eng->ofds.ninflight ? &eng->ofds.inflight[i] : NULL;
}

int engine_visit_open_fds(const struct ls_engine *eng, const struct ls_process *p,
			  ls_fd_visit_fn visit, void *ctx)
{
	const struct ls_fd *f;
	int ret;

	(void)eng;
	if (!p || !p->fdt)
		return 0;
	for (uint32_t fd = 0; (f = fdtable_next(p->fdt, &fd)); fd++) {
		ret = visit(p, f, ctx);
		if (ret)
			return ret;
	}
	return 0;
}
