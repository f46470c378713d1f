// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fd misuse: a syscall given an fd that was not open (the kernel side sees
 * it at syscall enter, or close failing with EBADF), told apart by whether
 * the process closed that number lately (double close, use after close) or
 * not (never open: often -1 from a failed open). These are bugs even when
 * nothing leaks: with threads, the closed number is soon another file's, and
 * the late close or write hits it. Repeats from one call site are counted,
 * not kept one by one.
 *
 * Also here: the per-fd use counts the kernel keeps, handed over before a
 * report (old-and-idle).
 */
#include <errno.h>
#include <stdlib.h>

#include "engine_internal.h"

void eng_note_close(struct ls_process *p, const struct ls_event_header *h, int fd,
		    uint16_t syscall)
{
	struct ls_recent_close *slot = &p->recent_closes[p->recent_next];

	for (size_t i = 0; i < LS_RECENT_CLOSES; i++) {
		if (p->recent_closes[i].used && p->recent_closes[i].fd == fd) {
			slot = &p->recent_closes[i];
			break;
		}
	}
	if (slot == &p->recent_closes[p->recent_next])
		p->recent_next = (p->recent_next + 1) % LS_RECENT_CLOSES;
	slot->used = true;
	slot->fd = fd;
	slot->closed_ns = h->ts_ns;
	slot->stack_id = eng_take_stack(p, h, syscall);
}

static const struct ls_recent_close *recent_close(const struct ls_process *p, int fd)
{
	for (size_t i = 0; i < LS_RECENT_CLOSES; i++)
		if (p->recent_closes[i].used && p->recent_closes[i].fd == fd)
			return &p->recent_closes[i];
	return NULL;
}

/* The same kind from the same place: one record, counted. Without a stack,
 * the fd number stands in for the place. */
static struct ls_misuse *find_same(struct ls_process *p, enum ls_misuse_kind kind,
				   uint16_t syscall, uint32_t stack_id, int fd)
{
	for (size_t i = 0; i < p->nmisuses; i++) {
		struct ls_misuse *m = &p->misuses[i];

		if (m->kind == kind && m->syscall == syscall && m->stack_id == stack_id &&
		    (stack_id || m->fd == fd))
			return m;
	}
	return NULL;
}

int eng_on_fd_misuse(struct ls_engine *eng, const struct ls_fd_misuse *e)
{
	const struct ls_recent_close *rc;
	enum ls_misuse_kind kind;
	struct ls_process *p;
	struct ls_misuse *m;
	uint32_t stack_id;
	int err = 0;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	rc = recent_close(p, e->fd);
	if (e->syscall == LS_SYS_CLOSE)
		kind = rc ? LS_MISUSE_DOUBLE_CLOSE : LS_MISUSE_CLOSE_UNOPENED;
	else
		kind = rc ? LS_MISUSE_USE_AFTER_CLOSE : LS_MISUSE_USE_UNOPENED;
	stack_id = eng_take_stack(p, &e->hdr, e->syscall);
	m = find_same(p, kind, e->syscall, stack_id, e->fd);
	if (m) {
		m->count++;
		m->last_ns = e->hdr.ts_ns;
		return 0;
	}
	if (p->nmisuses == LS_MISUSES_MAX) {
		p->misuses_dropped++;
		return 0;
	}
	if (p->nmisuses == p->misuses_cap) {
		size_t cap = p->misuses_cap ? p->misuses_cap * 2 : 4;
		struct ls_misuse *v = realloc(p->misuses, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->misuses = v;
		p->misuses_cap = cap;
	}
	m = &p->misuses[p->nmisuses++];
	*m = (struct ls_misuse){
		.kind = kind,
		.fd = e->fd,
		.syscall = e->syscall,
		.tid = e->hdr.tid,
		.first_ns = e->hdr.ts_ns,
		.last_ns = e->hdr.ts_ns,
		.count = 1,
		.stack_id = stack_id,
		.closed_ns = rc ? rc->closed_ns : 0,
		.close_stack_id = rc ? rc->stack_id : 0,
	};
	return 0;
}

int eng_on_fd_access(struct ls_engine *eng, const struct ls_fd_access *e)
{
	struct ls_process *p = eng_find_live(eng, e->hdr.tgid);
	struct ls_fd *f = p ? fdtable_get(p->fdt, e->fd) : NULL;
	struct ls_fd_use *use;

	if (!f) {
		eng->stats.unknown_fd++;
		return 0;
	}
	use = fd_store_use(&eng->fds, f);
	if (!use) {
		eng->stats.oom++;
		return -ENOMEM;
	}
	/* a counter older than the fd is another lifecycle's: this one is unused */
	if (e->last_ns && e->last_ns < f->created_ns) {
		use->accesses = 0;
		use->last_access_ns = 0;
		return 0;
	}
	use->accesses = e->count;
	use->last_access_ns = e->last_ns;
	return 0;
}
