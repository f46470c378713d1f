// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Sockets after their creation: endpoints from bind/connect/listen, TCP
 * states from the kernel's state machine, unix peers. A socket is found by
 * its kernel identity, so a state change that happens in no process's
 * context (the peer's FIN arriving) still lands on the right fd.
 */
#include <errno.h>

#include "engine_internal.h"

void eng_link_socket_peer(struct ls_engine *eng, struct ls_ofd *o)
{
	struct ls_ofd *peer = ofd_find_socket(&eng->ofds, o->ext->peer_sock_id);

	/* ids, not pointers: the link outlives the sockets in exit records */
	if (!peer || peer == o)
		return;
	o->ext->peer_id = peer->id;
	peer->ext->peer_id = o->id;
	if (!peer->ext->peer_sock_id)
		peer->ext->peer_sock_id = o->ext->sock_id;
}

int eng_on_sock_update(struct ls_engine *eng, const struct ls_sock_update *e)
{
	struct ls_ofd *o = ofd_find_socket(&eng->ofds, e->sock_id);
	struct ls_ofd_ext *x;

	if (!o) {
		eng->stats.unknown_socket++;
		return 0;
	}
	x = o->ext; /* a socket found by its sock_id has its extension */
	if (e->local.len)
		x->local = e->local;
	if (e->remote.len)
		x->remote = e->remote;
	if (e->peer_sock_id) {
		x->peer_sock_id = e->peer_sock_id;
		eng_link_socket_peer(eng, o);
	}
	if (e->new_state && e->new_state != x->tcp_state) {
		x->tcp_state = e->new_state;
		x->tcp_state_ns = e->hdr.ts_ns;
	}
	return 0;
}

const struct ls_ofd *engine_find_socket(const struct ls_engine *eng, uint64_t sock_id)
{
	return ofd_find_socket(&eng->ofds, sock_id);
}

/* epoll_ctl: watches are kept on the epoll instance's description. */
int eng_on_epoll_ctl(struct ls_engine *eng, const struct ls_epoll_ctl *e)
{
	struct ls_process *p;
	struct ls_fd *ep, *target;
	int err = 0;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	ep = fdtable_get(p->fdt, e->epfd);
	target = fdtable_get(p->fdt, e->fd);
	if (!ep || !target) {
		eng->stats.unknown_fd++;
		return 0;
	}
	if (e->op == LS_EPOLL_CTL_DEL) {
		ofd_epoll_del(ep->ofd, e->fd, target->ofd);
		return 0;
	}
	if (ofd_epoll_add(&eng->ofds, ep->ofd, e->fd, target->ofd)) {
		eng->stats.oom++;
		return -ENOMEM;
	}
	return 0;
}

/* A fact about an open file from outside (a stat at report time). */
int eng_on_file_state(struct ls_engine *eng, const struct ls_file_state *e)
{
	struct ls_process *p = eng_find_live(eng, e->hdr.tgid);
	struct ls_fd *f = p ? fdtable_get(p->fdt, e->fd) : NULL;
	struct ls_ofd_state *st;

	if (!f) {
		eng->stats.unknown_fd++;
		return 0;
	}
	st = ofd_state_mut(&eng->ofds, f->ofd);
	if (!st) {
		eng->stats.oom++;
		return -ENOMEM;
	}
	st->state_known = true;
	st->deleted = e->nlink == 0;
	st->size = e->size;
	return 0;
}
