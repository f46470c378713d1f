// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * SCM_RIGHTS: descriptions passed between processes over unix sockets. A
 * send puts each description in flight on the receiving socket's queue,
 * which keeps it alive (ofd_registry.c); the recvmsg that installs it takes
 * it out, and the new fd remembers the sender's fd. Received fds are few, so
 * where they came from is kept in a map beside them, not in every ls_fd.
 */
#include <errno.h>
#include <stdlib.h>

#include "engine_internal.h"

struct origin_entry {
	struct u64_map_node node; /* key: the receiving ls_fd's address */
	struct ls_fd_origin origin;
};

static uint64_t origin_key(const struct ls_fd *f)
{
	return (uint64_t)(uintptr_t)f;
}

static struct origin_entry *origin_find(const struct ls_engine *eng, const struct ls_fd *f)
{
	struct u64_map_node *n = u64_map_find(&eng->origins, origin_key(f));

	if (!n)
		return NULL;
	return (struct origin_entry *)((char *)n - offsetof(struct origin_entry, node));
}

const struct ls_fd_origin *engine_fd_origin(const struct ls_engine *eng, const struct ls_fd *f)
{
	const struct origin_entry *oe;

	if (!eng_received_rights(f->syscall))
		return NULL;
	oe = origin_find(eng, f);
	return oe ? &oe->origin : NULL;
}

void eng_scm_forget(struct ls_engine *eng, const struct ls_fd *f)
{
	struct origin_entry *oe = origin_find(eng, f);

	if (!oe)
		return;
	u64_map_remove(&eng->origins, &oe->node);
	free(oe);
}

int eng_scm_received(struct ls_engine *eng, const struct ls_fd *f)
{
	struct origin_entry *oe;
	struct ls_inflight in;

	/* not in flight: sent by a process not traced, or to an address */
	if (!ofd_inflight_take(&eng->ofds, f->ofd, &in))
		return 0;
	oe = malloc(sizeof(*oe));
	if (!oe)
		return -ENOMEM;
	oe->origin = in.from;
	u64_map_insert(&eng->origins, &oe->node, origin_key(f));
	return 0;
}

/* The description a sent right names: the sender's fd's, unless the fd was
 * replaced since the kernel read it (then by kernel identity). */
static struct ls_ofd *sent_description(struct ls_engine *eng, const struct ls_fd *f,
				       const struct ls_scm_right *r)
{
	if (f && (!r->file_id || f->ofd->file_id == r->file_id))
		return f->ofd;
	return ofd_find_live(&eng->ofds, r->file_id);
}

int eng_on_scm_send(struct ls_engine *eng, const struct ls_scm_send *e)
{
	struct ls_inflight in = { 0 };
	struct ls_process *p;
	int err = 0;

	if (e->phase != LS_SCM_SENT && e->phase != LS_SCM_FAILED)
		return -EINVAL;
	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	if (e->phase == LS_SCM_FAILED) {
		ofd_inflight_cancel(&eng->ofds, e->hdr.tid, e->call_ns, e->msgs_sent);
		return 0;
	}
	in.queue = ofd_find_socket(&eng->ofds, e->peer_sock_id);
	if (!in.queue) {
		eng->stats.scm_unfollowed++;
		return 0;
	}
	in.sender = p;
	in.tid = e->hdr.tid;
	in.call_ns = e->call_ns;
	in.msg_index = e->msg_index;
	in.from.pid = p->pid;
	in.from.serial = p->serial;
	in.from.socket_id = in.queue->id;
	in.from.sent_ns = e->hdr.ts_ns;
	for (uint16_t i = 0; i < e->nfds; i++) {
		const struct ls_scm_right *r = &e->rights[i];
		const struct ls_fd *f = fdtable_get(p->fdt, r->fd);

		in.ofd = sent_description(eng, f, r);
		if (!in.ofd) {
			eng->stats.unknown_fd++;
			continue;
		}
		/* -1: the sender's fd is not known, only its description */
		in.from.fd = f && f->ofd == in.ofd ? f->fd : -1;
		in.from.generation = f && f->ofd == in.ofd ? f->generation : 0;
		if (ofd_inflight_add(&eng->ofds, &in))
			return -ENOMEM;
	}
	return 0;
}
