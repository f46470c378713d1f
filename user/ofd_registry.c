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
	uint32_t exit_records;
	bool in_map;
	bool in_sock_map;
	bool closed; /* refs reached 0 once: watches dropped */
};

static struct ofd_entry *ofd_entry_of(struct ls_ofd *o)
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

void ofd_registry_fini(struct ofd_registry *r)
{
	u64_map_fini(&r->live);
	u64_map_fini(&r->socks);
	free(r->epolls);
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

struct ls_ofd *ofd_acquire(struct ofd_registry *r, const struct ls_fd_create *e)
{
	struct ofd_entry *oe;

	if (e->file_id) {
		struct u64_map_node *n = u64_map_find(&r->live, e->file_id);

		if (n) {
			oe = (struct ofd_entry *)((char *)n - offsetof(struct ofd_entry, node));
			oe->ofd.refs++;
			return &oe->ofd;
		}
	}
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

static void ofd_maybe_free(struct ofd_registry *r, struct ofd_entry *oe)
{
	if (oe->ofd.refs)
		return;
	if (oe->in_map) {
		u64_map_remove(&r->live, &oe->node);
		oe->in_map = false;
	}
	if (oe->in_sock_map) {
		u64_map_remove(&r->socks, &oe->sock_node);
		oe->in_sock_map = false;
	}
	if (!oe->closed) {
		oe->closed = true;
		if (r->nepolls)
			epoll_forget(r, &oe->ofd);
		if (oe->ofd.watches_cap)
			epoll_list_remove(r, &oe->ofd);
	}
	if (oe->exit_records)
		return;
	free(oe->ofd.watches);
	free(oe->ofd.path);
	free(oe);
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
