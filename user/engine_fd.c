// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fd lifecycles: creation (open, dup, pipe, snapshot, ...), close,
 * close_range and the close-on-exec flag. A released lifecycle is freed: the
 * process counters remember it, so memory follows open fds, not history.
 */
#include <errno.h>
#include <stdlib.h>

#include "engine_internal.h"

void eng_report_release(const struct ls_engine *eng, const struct ls_process *p,
			const struct ls_fd *f)
{
	if (eng->release_hook)
		eng->release_hook(p, f, eng->release_ctx);
}

void eng_fd_free(struct ls_engine *eng, struct ls_fd *f)
{
	if (eng_received_rights(f->syscall))
		eng_scm_forget(eng, f);
	fd_store_free(&eng->fds, f);
}

void eng_fd_release(struct ls_engine *eng, struct ls_process *p, int fd,
		    enum ls_release why, uint64_t ts)
{
	struct ls_fd *f = fdtable_take(p->fdt, fd);

	if (!f)
		return;
	f->release = why;
	f->released_ns = ts;
	p->counts[f->ofd->res_type].released++;
	eng_report_release(eng, p, f);
	ofd_release(&eng->ofds, f->ofd);
	eng_fd_free(eng, f);
}

void eng_fdtable_destroy(struct ls_engine *eng, struct ls_fdtable *t)
{
	struct ls_fd *f;

	for (uint32_t fd = 0; (f = fdtable_next(t, &fd)); fd++) {
		fdtable_take(t, (int)fd);
		ofd_release(&eng->ofds, f->ofd);
		eng_fd_free(eng, f);
	}
	fdtable_free(t);
}

/* Syscalls whose target fd may be open: the kernel closes it first. */
static bool closes_target(uint16_t syscall)
{
	return syscall == LS_SYS_DUP2 || syscall == LS_SYS_DUP3 || syscall == LS_SYS_FCNTL;
}

static bool same_description(const struct ls_fd_create *e, const struct ls_fd *old)
{
	return !e->file_id || e->file_id == old->ofd->file_id;
}

/*
 * Creates that change nothing: dup2(fd, fd) succeeds without touching even
 * the cloexec flag; and the /proc snapshot is taken after the probes are
 * attached, so it may list an fd whose creation was already seen, which
 * knows more (syscall, time) than the snapshot.
 */
static bool changes_nothing(const struct ls_fd_create *e, const struct ls_fd *old)
{
	if (e->syscall == LS_SYS_SNAPSHOT)
		return same_description(e, old);
	return e->src_fd == e->fd && same_description(e, old);
}

int eng_on_fd_create(struct ls_engine *eng, const struct ls_fd_create *e)
{
	struct ls_process *p;
	struct ls_fd *old, *f;
	struct ls_ofd *o;
	int err = 0;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	err = fdtable_reserve(p->fdt, e->fd);
	if (err)
		return err;
	old = fdtable_get(p->fdt, e->fd);
	if (old && changes_nothing(e, old))
		return 0;

	f = fd_store_new(&eng->fds);
	if (!f)
		return -ENOMEM;
	/* taken before old goes: old may be the last other ref of the same ofd */
	o = ofd_acquire(&eng->ofds, e);
	if (!o) {
		fd_store_free(&eng->fds, f);
		return -ENOMEM;
	}
	if (ls_ofd_ext(o)->peer_sock_id && !ls_ofd_ext(o)->peer_id)
		eng_link_socket_peer(eng, o);
	if (old) {
		enum ls_release why = LS_REL_DUP_OVER;

		if (!closes_target(e->syscall)) {
			eng->stats.fd_replaced++; /* a close the engine did not see */
			why = LS_REL_CLOSE;
		}
		eng_fd_release(eng, p, e->fd, why, e->hdr.ts_ns);
	}

	f->fd = e->fd;
	f->ofd = o;
	f->fd_flags = e->fd_flags & LS_FD_CLOEXEC;
	f->syscall = e->syscall;
	f->src_fd = e->src_fd;
	f->tid = e->hdr.tid;
	f->stack_id = eng_take_stack(p, &e->hdr, e->syscall);
	f->created_ns = e->hdr.ts_ns;
	f->release = LS_REL_OPEN;
	f->before_attach = e->syscall == LS_SYS_SNAPSHOT;
	fdtable_install(p->fdt, f);
	if (!f->before_attach)
		p->counts[o->res_type].created++;
	if (eng_received_rights(e->syscall))
		return eng_scm_received(eng, f);
	return 0;
}

int eng_on_fd_close(struct ls_engine *eng, const struct ls_fd_close *e)
{
	struct ls_process *p;
	int err = 0;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	eng_note_close(p, &e->hdr, e->fd, LS_SYS_CLOSE);
	if (!fdtable_get(p->fdt, e->fd)) {
		eng->stats.unknown_fd++;
		return 0;
	}
	eng_fd_release(eng, p, e->fd, LS_REL_CLOSE, e->hdr.ts_ns);
	return 0;
}

int eng_on_close_range(struct ls_engine *eng, const struct ls_close_range *e)
{
	struct ls_process *p;
	struct ls_fd *f;
	uint32_t fd;
	int err = 0;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	if (e->flags & LS_CLOSE_RANGE_UNSHARE) {
		err = eng_unshare_files(eng, p);
		if (err)
			return err;
	}
	/* bounded by the open fds, not the range: last is often ~0U */
	for (fd = e->first; (f = fdtable_next(p->fdt, &fd)) && fd <= e->last; fd++) {
		if (e->flags & LS_CLOSE_RANGE_CLOEXEC) {
			f->fd_flags |= LS_FD_CLOEXEC;
			continue;
		}
		eng_note_close(p, &e->hdr, f->fd, LS_SYS_CLOSE_RANGE);
		eng_fd_release(eng, p, f->fd, LS_REL_CLOSE_RANGE, e->hdr.ts_ns);
	}
	return 0;
}

int eng_on_fd_setfd(struct ls_engine *eng, const struct ls_fd_setfd *e)
{
	struct ls_process *p;
	struct ls_fd *f;
	int err = 0;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	f = fdtable_get(p->fdt, e->fd);
	if (!f) {
		eng->stats.unknown_fd++;
		return 0;
	}
	f->fd_flags = (f->fd_flags & ~LS_FD_CLOEXEC) | (e->fd_flags & LS_FD_CLOEXEC);
	return 0;
}
