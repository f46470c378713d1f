// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_registry.h"
#include "res_type.h"

struct ofd_entry {
	struct ls_ofd ofd;        /* first: fds point here */
	struct u64_map_node node; /* in live while in_map */
	struct u64_map_node sock_node; /* in socks while in_sock_map */
	struct ofd_entry *next_dead; /* worklist of ofd_die_and_purge */
	uint32_t exit_records;
	uint32_t inflight;        /* queue entries that hold it */
	bool in_map;
	bool in_sock_map;
	bool closed; /* no fd nor queue held it any more: dead in the kernel */
};

static struct ofd_entry *ofd_entry_of(const struct ls_ofd *o)
{
	return (struct ofd_entry *)((char *)o - offsetof(struct ofd_entry, ofd));
}

int ofd_registry_init(struct ofd_registry *r)
{
	r->last_id = 0;
	if (u64_map_init(&r->socks))
		return -ENOMEM;
	if (u64_map_init(&r->live)) {
		u64_map_fini(&r->socks);
		return -ENOMEM;
	}
	return 0;
}

static void ofd_maybe_free(struct ofd_registry *r, struct ofd_entry *oe);

void ofd_registry_fini(struct ofd_registry *r)
{
	/* every fd is gone: what is left is held only in flight, by cycles */
	while (r->ninflight) {
		struct ofd_entry *held = ofd_entry_of(r->inflight[--r->ninflight].ofd);

		held->inflight--;
		ofd_maybe_free(r, held);
	}
	free(r->inflight);
	u64_map_fini(&r->live);
	u64_map_fini(&r->socks);
	free(r->epolls);
}

struct ls_ofd *ofd_find_live(const struct ofd_registry *r, uint64_t file_id)
{
	struct u64_map_node *n = file_id ? u64_map_find(&r->live, file_id) : NULL;

	if (!n)
		return NULL;
	return &((struct ofd_entry *)((char *)n - offsetof(struct ofd_entry, node)))->ofd;
}

struct ls_ofd *ofd_find_socket(const struct ofd_registry *r, uint64_t sock_id)
{
	struct u64_map_node *n = sock_id ? u64_map_find(&r->socks, sock_id) : NULL;

	if (!n)
		return NULL;
	return &((struct ofd_entry *)((char *)n - offsetof(struct ofd_entry, sock_node)))->ofd;
}

static struct ofd_entry *ofd_entry_new(const struct ls_fd_create *e, uint64_t id)
{
	struct ofd_entry *oe = calloc(1, sizeof(*oe));
	struct ls_ofd *o;

	if (!oe)
		return NULL;
	o = &oe->ofd;
	o->path = malloc((size_t)e->path_len + 1);
	if (!o->path) {
		free(oe);
		return NULL;
	}
	memcpy(o->path, e->path, e->path_len);
	o->path[e->path_len] = '\0';
	o->path_len = e->path_len;
	o->path_truncated = e->path_truncated;
	o->id = id;
	o->file_id = e->file_id;
	/* clamped so that reports and counters can index by it */
	o->res_type = res_type_refine(e->res_type, e->fs_magic, e->path, e->path_len);
	o->sock_family = e->sock_family;
	o->sock_type = e->sock_type;
	o->sock_protocol = e->sock_protocol;
	o->sock_id = e->sock_id;
	o->peer_sock_id = e->peer_sock_id;
	o->local = e->local;
	o->remote = e->remote;
	o->tcp_state = e->sock_state;
	o->tcp_state_ns = e->hdr.ts_ns;
	o->file_flags = e->file_flags;
	o->mode = e->mode;
	o->dev = e->dev;
	o->ino = e->ino;
	return oe;
}

/* Syscalls whose new fd refers to a description that exists already. */
static bool shares_description(uint16_t syscall)
{
	switch (syscall) {
	case LS_SYS_DUP:
	case LS_SYS_DUP2:
	case LS_SYS_DUP3:
	case LS_SYS_FCNTL:
	case LS_SYS_RECVMSG:
	case LS_SYS_RECVMMSG:
	case LS_SYS_PIDFD_GETFD:
	case LS_SYS_SNAPSHOT:
		return true;
	}
	return false;
}

/* Not to be found by kernel identity any more: the kernel freed it (or is
 * about to), and may give the address to a new file or socket. */
static void ofd_forget_identity(struct ofd_registry *r, struct ofd_entry *oe)
{
	if (oe->in_map) {
		u64_map_remove(&r->live, &oe->node);
		oe->in_map = false;
	}
	if (oe->in_sock_map) {
		u64_map_remove(&r->socks, &oe->sock_node);
		oe->in_sock_map = false;
	}
}

struct ls_ofd *ofd_acquire(struct ofd_registry *r, const struct ls_fd_create *e)
{
	struct ls_ofd *found = ofd_find_live(r, e->file_id);
	struct ofd_entry *oe;

	/* held only in flight, yet a new file at its address: the unix garbage
	 * collector freed it */
	if (found && !found->refs && !shares_description(e->syscall)) {
		ofd_forget_identity(r, ofd_entry_of(found));
		found = NULL;
	}
	if (found) {
		found->refs++;
		return found;
	}
	found = e->sock_id ? ofd_find_socket(r, e->sock_id) : NULL;
	if (found && !found->refs)
		ofd_forget_identity(r, ofd_entry_of(found));
	oe = ofd_entry_new(e, r->last_id + 1);
	if (!oe)
		return NULL;
	r->last_id++;
	oe->ofd.refs = 1;
	if (e->file_id) {
		u64_map_insert(&r->live, &oe->node, e->file_id);
		oe->in_map = true;
	}
	/* a socket the kernel reused for a new file, the old one's close
	 * missed: the newest holder wins (the map finds the latest of a key),
	 * and the older one is found again once the newest is gone */
	if (e->sock_id) {
		u64_map_insert(&r->socks, &oe->sock_node, e->sock_id);
		oe->in_sock_map = true;
	}
	return &oe->ofd;
}

static void epoll_list_remove(struct ofd_registry *r, const struct ls_ofd *o)
{
	for (size_t i = 0; i < r->nepolls; i++) {
		if (r->epolls[i] == o) {
			r->epolls[i] = r->epolls[--r->nepolls];
			return;
		}
	}
}

int ofd_epoll_add(struct ofd_registry *r, struct ls_ofd *ep, int fd, const struct ls_ofd *target)
{
	if (!ep->watches_cap) {
		/* the first watch makes ep an epoll instance to keep in the list */
		if (r->nepolls == r->epolls_cap) {
			size_t cap = r->epolls_cap ? r->epolls_cap * 2 : 8;
			struct ls_ofd **v = realloc(r->epolls, cap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			r->epolls = v;
			r->epolls_cap = cap;
		}
		r->epolls[r->nepolls++] = ep;
	}
	if (ep->nwatches == ep->watches_cap) {
		size_t cap = ep->watches_cap ? ep->watches_cap * 2 : 4;
		struct ls_epoll_watch *v = realloc(ep->watches, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ep->watches = v;
		ep->watches_cap = cap;
	}
	ep->watches[ep->nwatches].fd = fd;
	ep->watches[ep->nwatches].ofd_id = target->id;
	ep->nwatches++;
	return 0;
}

void ofd_epoll_del(struct ls_ofd *ep, int fd, const struct ls_ofd *target)
{
	for (size_t i = 0; i < ep->nwatches; i++) {
		if (ep->watches[i].fd == fd && ep->watches[i].ofd_id == target->id) {
			ep->watches[i] = ep->watches[--ep->nwatches];
			return;
		}
	}
}

/* The kernel drops a file's epoll watches when its last reference goes. */
static void epoll_forget(struct ofd_registry *r, const struct ls_ofd *o)
{
	for (size_t i = 0; i < r->nepolls; i++) {
		struct ls_ofd *ep = r->epolls[i];

		for (size_t j = 0; j < ep->nwatches;) {
			if (ep->watches[j].ofd_id == o->id)
				ep->watches[j] = ep->watches[--ep->nwatches];
			else
				j++;
		}
	}
}

static bool ofd_held(const struct ofd_entry *oe)
{
	return oe->ofd.refs || oe->inflight;
}

/* Nothing holds oe in the kernel any more: its identity may be reused, and
 * its watches go. */
static void ofd_die(struct ofd_registry *r, struct ofd_entry *oe)
{
	ofd_forget_identity(r, oe);
	oe->closed = true;
	if (r->nepolls)
		epoll_forget(r, &oe->ofd);
	if (oe->ofd.watches_cap)
		epoll_list_remove(r, &oe->ofd);
}

static void ofd_free_unreferenced(struct ofd_entry *oe)
{
	if (oe->exit_records)
		return;
	free(oe->ofd.watches);
	free(oe->ofd.path);
	free(oe);
}

static void inflight_remove(struct ofd_registry *r, size_t i)
{
	/* in order: a receive takes the oldest entry */
	memmove(&r->inflight[i], &r->inflight[i + 1],
		(r->ninflight - i - 1) * sizeof(r->inflight[0]));
	r->ninflight--;
}

/*
 * dead just died: the kernel purges its receive queue, which lets go of what
 * was in flight there; what dies of it purges its own queue in turn. A
 * worklist, not recursion: sockets in flight on each other may form long
 * chains. The caller frees dead itself.
 */
static void ofd_die_and_purge(struct ofd_registry *r, struct ofd_entry *dead)
{
	struct ofd_entry *work = dead, *done = NULL;

	ofd_die(r, dead);
	dead->next_dead = NULL;
	while (work) {
		struct ofd_entry *q = work;

		work = q->next_dead;
		q->next_dead = done;
		done = q;
		for (size_t i = 0; i < r->ninflight;) {
			struct ofd_entry *held = ofd_entry_of(r->inflight[i].ofd);

			if (r->inflight[i].queue != &q->ofd) {
				i++;
				continue;
			}
			inflight_remove(r, i);
			held->inflight--;
			if (!ofd_held(held) && !held->closed) {
				ofd_die(r, held);
				held->next_dead = work;
				work = held;
			}
		}
	}
	while (done) {
		struct ofd_entry *next = done->next_dead;

		if (done != dead)
			ofd_free_unreferenced(done);
		done = next;
	}
}

static void ofd_maybe_free(struct ofd_registry *r, struct ofd_entry *oe)
{
	if (ofd_held(oe))
		return;
	if (!oe->closed)
		ofd_die_and_purge(r, oe);
	ofd_free_unreferenced(oe);
}

int ofd_inflight_add(struct ofd_registry *r, const struct ls_inflight *in)
{
	if (r->ninflight == r->inflight_cap) {
		size_t cap = r->inflight_cap ? r->inflight_cap * 2 : 16;
		struct ls_inflight *v = realloc(r->inflight, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->inflight = v;
		r->inflight_cap = cap;
	}
	r->inflight[r->ninflight++] = *in;
	ofd_entry_of(in->ofd)->inflight++;
	return 0;
}

bool ofd_inflight_take(struct ofd_registry *r, const struct ls_ofd *o, struct ls_inflight *out)
{
	for (size_t i = 0; i < r->ninflight; i++) {
		struct ofd_entry *held = ofd_entry_of(r->inflight[i].ofd);

		if (r->inflight[i].ofd != o)
			continue;
		*out = r->inflight[i];
		inflight_remove(r, i);
		held->inflight--;
		ofd_maybe_free(r, held);
		return true;
	}
	return false;
}

void ofd_inflight_cancel(struct ofd_registry *r, uint32_t tid, uint64_t call_ns,
			 uint16_t msgs_sent)
{
	size_t i = 0;

	/* from the start after each removal: a death may purge other entries */
	while (i < r->ninflight) {
		const struct ls_inflight *in = &r->inflight[i];
		struct ofd_entry *held = ofd_entry_of(in->ofd);

		if (in->tid != tid || in->call_ns != call_ns || in->msg_index < msgs_sent) {
			i++;
			continue;
		}
		inflight_remove(r, i);
		held->inflight--;
		ofd_maybe_free(r, held);
		i = 0;
	}
}

void ofd_release(struct ofd_registry *r, struct ls_ofd *o)
{
	o->refs--;
	ofd_maybe_free(r, ofd_entry_of(o));
}

void ofd_release_to_exit_record(struct ofd_registry *r, struct ls_ofd *o)
{
	struct ofd_entry *oe = ofd_entry_of(o);

	oe->exit_records++;
	o->refs--;
	ofd_maybe_free(r, oe);
}

void ofd_drop_exit_record(struct ofd_registry *r, struct ls_ofd *o)
{
	struct ofd_entry *oe = ofd_entry_of(o);

	oe->exit_records--;
	ofd_maybe_free(r, oe);
}
