// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Links between descriptions: what is in flight on which socket, and the
 * two ends of pipes, unix connections and TCP connections. Ends are matched
 * on what the kernel says of them (inode, peer, endpoints); since inodes and
 * ports are reused, only descriptions whose fds were alive at the same time
 * are ends of one thing.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "links_internal.h"

static bool overlap(const struct desc_info *a, const struct desc_info *b)
{
	return a->first_ns <= b->last_ns && b->first_ns <= a->last_ns;
}

/* --- in flight ---------------------------------------------------------------- */

struct flight {
	const struct ls_inflight *in;
	size_t order; /* in the engine's list: the order sent */
};

static int flight_cmp(const void *a, const void *b)
{
	const struct flight *x = a, *y = b;

	CMP(x->in->queue->id, y->in->queue->id);
	CMP(x->in->ofd->id, y->in->ofd->id);
	CMP(x->order, y->order);
	return 0;
}

/* One link per (socket, description), counting the times it was queued,
 * with the latest sender. */
int links_in_flight(struct links_state *st)
{
	size_t n = engine_inflight_count(st->eng);
	struct flight *v = calloc(n ? n : 1, sizeof(*v));
	int err = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		v[i] = (struct flight){ .in = engine_inflight_at(st->eng, i), .order = i };
	qsort(v, n, sizeof(*v), flight_cmp);
	for (size_t i = 0; i < n && !err;) {
		const struct ls_inflight *first = v[i].in, *last = first;
		struct ls_link l = { .kind = LINK_IN_FLIGHT };
		size_t j = i;

		while (j < n && v[j].in->queue == first->queue && v[j].in->ofd == first->ofd)
			last = v[j++].in;
		l.from = link_end_ofd(first->queue);
		l.to = link_end_ofd(first->ofd);
		l.count = j - i;
		l.by = last->sender;
		l.ns = last->from.sent_ns;
		l.sender = link_end_proc(last->sender);
		if (last->from.fd >= 0)
			l.sender = (struct link_end){ .type = LINK_END_FD, .pid = last->from.pid,
						      .serial = last->from.serial,
						      .fd = last->from.fd,
						      .generation = last->from.generation };
		err = links_add(st, &l);
		i = j;
	}
	free(v);
	return err;
}

/* --- pipes -------------------------------------------------------------------- */

static bool is_pipe(const struct ls_ofd *o)
{
	return o->res_type == LS_RES_PIPE || o->res_type == LS_RES_FIFO;
}

static int desc_by_inode(const void *a, const void *b)
{
	const struct desc_info *x = *(const struct desc_info *const *)a;
	const struct desc_info *y = *(const struct desc_info *const *)b;

	CMP(x->o->file->dev, y->o->file->dev);
	CMP(x->o->file->ino, y->o->file->ino);
	CMP(x->o->id, y->o->id);
	return 0;
}

/* O_ACCMODE: 0 read, 1 write, 2 both */
static bool can_write(const struct ls_ofd *o)
{
	return (o->file_flags & 3) == 1 || (o->file_flags & 3) == 2;
}

static bool can_read(const struct ls_ofd *o)
{
	return (o->file_flags & 3) == 0 || (o->file_flags & 3) == 2;
}

/* Descriptions on one pipe inode: from each writer to each reader. */
int links_pipe_peers(struct links_state *st)
{
	const struct desc_info **v = calloc(st->ndescs ? st->ndescs : 1, sizeof(*v));
	size_t n = 0;
	int err = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < st->ndescs; i++)
		if (is_pipe(st->descs[i].o))
			v[n++] = &st->descs[i];
	qsort(v, n, sizeof(*v), desc_by_inode);
	for (size_t i = 0; i < n && !err;) {
		size_t end = i;

		while (end < n && v[end]->o->file->dev == v[i]->o->file->dev &&
		       v[end]->o->file->ino == v[i]->o->file->ino)
			end++;
		for (size_t a = i; a < end && !err; a++) {
			for (size_t b = i; b < end && !err; b++) {
				struct ls_link l = { .kind = LINK_PIPE_PEER, .count = 1 };

				if (a == b || !can_write(v[a]->o) || !can_read(v[b]->o) ||
				    !overlap(v[a], v[b]))
					continue;
				l.from = link_end_ofd(v[a]->o);
				l.to = link_end_ofd(v[b]->o);
				err = links_add(st, &l);
			}
		}
		i = end;
	}
	free(v);
	return err;
}

/* --- unix sockets ------------------------------------------------------------- */

/* Peers know each other's ids both ways: once per pair, from the older. */
int links_unix_peers(struct links_state *st)
{
	for (size_t i = 0; i < st->ndescs; i++) {
		const struct desc_info *d = &st->descs[i], *peer;
		struct ls_link l = { .kind = LINK_UNIX_PEER, .count = 1 };

		if (!ls_ofd_ext(d->o)->peer_id || ls_ofd_ext(d->o)->peer_id <= d->o->id)
			continue;
		peer = links_desc(st, ls_ofd_ext(d->o)->peer_id);
		if (!peer)
			continue;
		l.from = link_end_ofd(d->o);
		l.to = link_end_ofd(peer->o);
		if (links_add(st, &l))
			return -ENOMEM;
	}
	return 0;
}

/* --- TCP ---------------------------------------------------------------------- */

#define EP_KEY 18 /* 16 address bytes (IPv4 as ::ffff:a.b.c.d), port big-endian */

struct tcp_end {
	unsigned char local[EP_KEY];
	unsigned char remote[EP_KEY];
	const struct desc_info *d;
};

/* IPv4 in its IPv6-mapped form: a dual-stack socket sees an IPv4 peer so */
static void ep_key(const struct ls_sock_addr *a, unsigned char *out)
{
	memset(out, 0, EP_KEY);
	if (a->len == 4) {
		out[10] = out[11] = 0xff;
		memcpy(out + 12, a->addr, 4);
	} else {
		memcpy(out, a->addr, 16);
	}
	out[16] = a->port >> 8;
	out[17] = a->port & 0xff;
}

static int tcp_end_cmp(const void *a, const void *b)
{
	const struct tcp_end *x = a, *y = b;
	int c = memcmp(x->local, y->local, EP_KEY);

	return c ? c : memcmp(x->remote, y->remote, EP_KEY);
}

static bool is_connected_tcp(const struct ls_ofd *o)
{
	const struct ls_ofd_ext *x = ls_ofd_ext(o);

	return o->res_type == LS_RES_SOCKET && x->sock_protocol == IPPROTO_TCP &&
	       (x->sock_family == AF_INET || x->sock_family == AF_INET6) && x->local.len &&
	       x->remote.len && x->remote.port;
}

/* One socket's local endpoint is the other's remote and the other way round. */
int links_tcp_peers(struct links_state *st)
{
	struct tcp_end *v = calloc(st->ndescs ? st->ndescs : 1, sizeof(*v));
	size_t n = 0;
	int err = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < st->ndescs; i++) {
		const struct ls_ofd *o = st->descs[i].o;

		if (!is_connected_tcp(o))
			continue;
		ep_key(&ls_ofd_ext(o)->local, v[n].local);
		ep_key(&ls_ofd_ext(o)->remote, v[n].remote);
		v[n++].d = &st->descs[i];
	}
	qsort(v, n, sizeof(*v), tcp_end_cmp);
	for (size_t i = 0; i < n && !err; i++) {
		struct tcp_end want;
		size_t lo = 0, hi = n;

		memcpy(want.local, v[i].remote, EP_KEY);
		memcpy(want.remote, v[i].local, EP_KEY);
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (tcp_end_cmp(&v[mid], &want) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < n && !tcp_end_cmp(&v[lo], &want) && !err; lo++) {
			struct ls_link l = { .kind = LINK_TCP_PEER, .count = 1 };

			if (v[lo].d->o->id <= v[i].d->o->id || !overlap(v[i].d, v[lo].d))
				continue;
			l.from = link_end_ofd(v[i].d->o);
			l.to = link_end_ofd(v[lo].d->o);
			err = links_add(st, &l);
		}
	}
	free(v);
	return err;
}
