// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_registry.h"
#include "res_type.h"

const struct ls_ofd_ext ls_ofd_ext_none;

/* the figures of the memory budget (README, Benchmarks), on 64-bit hosts */
_Static_assert(sizeof(void *) != 8 || sizeof(struct ls_ofd) <= 56, "struct ls_ofd grew");
_Static_assert(sizeof(void *) != 8 || sizeof(struct ls_fd) <= 56, "struct ls_fd grew");

#define INDEX_MIN_BUCKETS 64

int ofd_registry_init(struct ofd_registry *r)
{
	memset(r, 0, sizeof(*r));
	slab_init(&r->ofds, sizeof(struct ls_ofd));
	r->index = calloc(INDEX_MIN_BUCKETS, sizeof(*r->index));
	if (!r->index)
		return -ENOMEM;
	r->nindex = INDEX_MIN_BUCKETS;
	if (u64_map_init(&r->socks))
		goto fail;
	if (file_names_init(&r->files)) {
		u64_map_fini(&r->socks);
		goto fail;
	}
	return 0;
fail:
	free(r->index);
	r->index = NULL;
	return -ENOMEM;
}

static void ofd_maybe_free(struct ofd_registry *r, struct ls_ofd *o);

static uint32_t inflight_of(const struct ls_ofd *o)
{
	return o->ext && o->ext_full ? o->ext->inflight : 0;
}

void ofd_registry_fini(struct ofd_registry *r)
{
	/* every fd is gone: what is left is held only in flight, by cycles */
	while (r->ninflight) {
		struct ls_ofd *held = r->inflight[--r->ninflight].ofd;

		held->ext->inflight--;
		ofd_maybe_free(r, held);
	}
	free(r->inflight);
	free(r->index);
	u64_map_fini(&r->socks);
	file_names_fini(&r->files);
	slab_fini(&r->ofds);
	free(r->epolls);
}

static size_t index_bucket(uint64_t file_id, size_t n)
{
	/* kernel pointers have poor low bits (splitmix64's finalizer) */
	file_id ^= file_id >> 30;
	file_id *= 0xbf58476d1ce4e5b9ULL;
	file_id ^= file_id >> 27;
	file_id *= 0x94d049bb133111ebULL;
	file_id ^= file_id >> 31;
	return (size_t)file_id & (n - 1);
}

static void index_grow(struct ofd_registry *r)
{
	size_t nb = r->nindex * 2;
	struct ls_ofd **b = calloc(nb, sizeof(*b));

	if (!b)
		return; /* longer chains, nothing breaks */
	for (size_t i = 0; i < r->nindex; i++) {
		struct ls_ofd *o = r->index[i], *next;

		for (; o; o = next) {
			size_t at = index_bucket(o->file_id, nb);

			next = o->index_next;
			o->index_next = b[at];
			b[at] = o;
		}
	}
	free(r->index);
	r->index = b;
	r->nindex = nb;
}

static void index_insert(struct ofd_registry *r, struct ls_ofd *o)
{
	size_t at;

	if (r->nlive >= 2 * r->nindex)
		index_grow(r);
	at = index_bucket(o->file_id, r->nindex);
	o->index_next = r->index[at];
	r->index[at] = o;
	o->in_index = true;
	r->nlive++;
}

static void index_remove(struct ofd_registry *r, struct ls_ofd *o)
{
	struct ls_ofd **at = &r->index[index_bucket(o->file_id, r->nindex)];

	for (; *at; at = &(*at)->index_next) {
		if (*at == o) {
			*at = o->index_next;
			o->index_next = NULL;
			o->in_index = false;
			r->nlive--;
			return;
		}
	}
}

struct ls_ofd *ofd_find_live(const struct ofd_registry *r, uint64_t file_id)
{
	struct ls_ofd *o;

	if (!file_id)
		return NULL;
	for (o = r->index[index_bucket(file_id, r->nindex)]; o; o = o->index_next)
		if (o->file_id == file_id)
			return o;
	return NULL;
}

struct ls_ofd *ofd_find_socket(const struct ofd_registry *r, uint64_t sock_id)
{
	struct u64_map_node *n = sock_id ? u64_map_find(&r->socks, sock_id) : NULL;

	if (!n)
		return NULL;
	return ((struct ls_ofd_ext *)((char *)n - offsetof(struct ls_ofd_ext, sock_node)))->owner;
}

/* The whole extension, made when first needed (a state-only one grows). */
static struct ls_ofd_ext *ofd_ext_full(struct ls_ofd *o)
{
	struct ls_ofd_ext *x;

	if (o->ext && o->ext_full)
		return o->ext;
	x = calloc(1, sizeof(*x));
	if (!x)
		return NULL;
	if (o->ext)
		x->state = o->ext->state;
	free(o->ext);
	x->owner = o;
	o->ext = x;
	o->ext_full = true;
	return x;
}

struct ls_ofd_state *ofd_state_mut(struct ofd_registry *r, struct ls_ofd *o)
{
	(void)r;
	if (!o->ext) {
		/* only the state: what most regular files ever get */
		o->ext = calloc(1, sizeof(struct ls_ofd_state));
		if (!o->ext)
			return NULL;
	}
	return &o->ext->state;
}

static bool is_socket(const struct ls_fd_create *e, unsigned int res_type)
{
	return res_type == LS_RES_SOCKET || e->sock_family || e->sock_type || e->sock_protocol ||
	       e->sock_id || e->peer_sock_id || e->local.len || e->remote.len || e->sock_state;
}

static struct ls_ofd *ofd_new(struct ofd_registry *r, const struct ls_fd_create *e, uint64_t id)
{
	struct ls_ofd *o = slab_alloc(&r->ofds);
	struct ls_ofd_ext *x;

	if (!o)
		return NULL;
	/* clamped so that reports and counters can index by it */
	o->res_type = res_type_refine(e->res_type, e->fs_magic, e->path, e->path_len);
	if (is_socket(e, o->res_type)) {
		x = ofd_ext_full(o);
		if (!x)
			goto fail;
		x->sock_family = e->sock_family;
		x->sock_type = e->sock_type;
		x->sock_protocol = e->sock_protocol;
		x->sock_id = e->sock_id;
		x->peer_sock_id = e->peer_sock_id;
		x->local = e->local;
		x->remote = e->remote;
		x->tcp_state = e->sock_state;
		x->tcp_state_ns = e->hdr.ts_ns;
	}
	o->file = file_names_get(&r->files, e->path, e->path_len, e->path_truncated, e->dev,
				 e->ino, e->mode);
	if (!o->file)
		goto fail;
	o->id = id;
	o->file_id = e->file_id;
	o->file_flags = e->file_flags;
	return o;
fail:
	free(o->ext);
	slab_free(&r->ofds, o);
	return NULL;
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
static void ofd_forget_identity(struct ofd_registry *r, struct ls_ofd *o)
{
	if (o->in_index)
		index_remove(r, o);
	if (o->ext_full && o->ext->in_sock_map) {
		u64_map_remove(&r->socks, &o->ext->sock_node);
		o->ext->in_sock_map = false;
	}
}

struct ls_ofd *ofd_acquire(struct ofd_registry *r, const struct ls_fd_create *e)
{
	struct ls_ofd *found = ofd_find_live(r, e->file_id);
	struct ls_ofd *o;

	/* held only in flight, yet a new file at its address: the unix garbage
	 * collector freed it */
	if (found && !found->refs && !shares_description(e->syscall)) {
		ofd_forget_identity(r, found);
		found = NULL;
	}
	if (found) {
		found->refs++;
		return found;
	}
	found = e->sock_id ? ofd_find_socket(r, e->sock_id) : NULL;
	if (found && !found->refs)
		ofd_forget_identity(r, found);
	o = ofd_new(r, e, r->last_id + 1);
	if (!o)
		return NULL;
	r->last_id++;
	o->refs = 1;
	if (e->file_id)
		index_insert(r, o);
	/* a socket the kernel reused for a new file, the old one's close
	 * missed: the newest holder wins (the map finds the latest of a key),
	 * and the older one is found again once the newest is gone */
	if (e->sock_id) {
		u64_map_insert(&r->socks, &o->ext->sock_node, e->sock_id);
		o->ext->in_sock_map = true;
	}
	return o;
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
	struct ls_ofd_ext *x = ofd_ext_full(ep);

	if (!x)
		return -ENOMEM;
	if (!x->watches_cap) {
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
	if (x->nwatches == x->watches_cap) {
		size_t cap = x->watches_cap ? x->watches_cap * 2 : 4;
		struct ls_epoll_watch *v = realloc(x->watches, cap * sizeof(*v));

		if (!v) {
			if (!x->watches_cap)
				r->nepolls--; /* not an epoll instance after all */
			return -ENOMEM;
		}
		x->watches = v;
		x->watches_cap = cap;
	}
	x->watches[x->nwatches].fd = fd;
	x->watches[x->nwatches].ofd_id = target->id;
	x->nwatches++;
	return 0;
}

void ofd_epoll_del(struct ls_ofd *ep, int fd, const struct ls_ofd *target)
{
	struct ls_ofd_ext *x = ep->ext_full ? ep->ext : NULL;

	for (size_t i = 0; x && i < x->nwatches; i++) {
		if (x->watches[i].fd == fd && x->watches[i].ofd_id == target->id) {
			x->watches[i] = x->watches[--x->nwatches];
			return;
		}
	}
}

/* The kernel drops a file's epoll watches when its last reference goes. */
static void epoll_forget(struct ofd_registry *r, const struct ls_ofd *o)
{
	for (size_t i = 0; i < r->nepolls; i++) {
		struct ls_ofd_ext *x = r->epolls[i]->ext;

		for (size_t j = 0; j < x->nwatches;) {
			if (x->watches[j].ofd_id == o->id)
				x->watches[j] = x->watches[--x->nwatches];
			else
				j++;
		}
	}
}

static bool ofd_held(const struct ls_ofd *o)
{
	return o->refs || inflight_of(o);
}

/* Nothing holds o in the kernel any more: its identity may be reused, and
 * its watches go. */
static void ofd_die(struct ofd_registry *r, struct ls_ofd *o)
{
	ofd_forget_identity(r, o);
	o->closed = true;
	if (r->nepolls)
		epoll_forget(r, o);
	if (o->ext_full && o->ext->watches_cap)
		epoll_list_remove(r, o);
}

static void ofd_free_unreferenced(struct ofd_registry *r, struct ls_ofd *o)
{
	if (o->exit_records)
		return;
	if (o->ext_full)
		free(o->ext->watches);
	free(o->ext);
	file_names_put(&r->files, o->file);
	slab_free(&r->ofds, o);
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
 * chains. Queues are sockets and what is in flight counts its entries, so
 * both have the whole extension, which links the worklist. The caller frees
 * dead itself.
 */
static void ofd_die_and_purge(struct ofd_registry *r, struct ls_ofd *dead)
{
	struct ls_ofd *work = dead, *done = NULL;

	ofd_die(r, dead);
	if (!dead->ext_full)
		return; /* not a socket: nothing queued on it */
	dead->ext->next_dead = NULL;
	while (work) {
		struct ls_ofd *q = work;

		work = q->ext->next_dead;
		q->ext->next_dead = done;
		done = q;
		for (size_t i = 0; i < r->ninflight;) {
			struct ls_ofd *held = r->inflight[i].ofd;

			if (r->inflight[i].queue != q) {
				i++;
				continue;
			}
			inflight_remove(r, i);
			held->ext->inflight--;
			if (!ofd_held(held) && !held->closed) {
				ofd_die(r, held);
				held->ext->next_dead = work;
				work = held;
			}
		}
	}
	while (done) {
		struct ls_ofd *next = done->ext->next_dead;

		if (done != dead)
			ofd_free_unreferenced(r, done);
		done = next;
	}
}

static void ofd_maybe_free(struct ofd_registry *r, struct ls_ofd *o)
{
	if (ofd_held(o))
		return;
	if (!o->closed)
		ofd_die_and_purge(r, o);
	ofd_free_unreferenced(r, o);
}

int ofd_inflight_add(struct ofd_registry *r, const struct ls_inflight *in)
{
	struct ls_ofd_ext *x = ofd_ext_full(in->ofd);

	if (!x)
		return -ENOMEM;
	if (r->ninflight == r->inflight_cap) {
		size_t cap = r->inflight_cap ? r->inflight_cap * 2 : 16;
		struct ls_inflight *v = realloc(r->inflight, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		r->inflight = v;
		r->inflight_cap = cap;
	}
	r->inflight[r->ninflight++] = *in;
	x->inflight++;
	return 0;
}

bool ofd_inflight_take(struct ofd_registry *r, const struct ls_ofd *o, struct ls_inflight *out)
{
	for (size_t i = 0; i < r->ninflight; i++) {
		struct ls_ofd *held = r->inflight[i].ofd;

		if (held != o)
			continue;
		*out = r->inflight[i];
		inflight_remove(r, i);
		held->ext->inflight--;
		ofd_maybe_free(r, held);
		return true;
	}
	return false;
}

bool ofd_inflight_sent_by(const struct ofd_registry *r, const struct ls_process *p)
{
	for (size_t i = 0; i < r->ninflight; i++)
		if (r->inflight[i].sender == p)
			return true;
	return false;
}

void ofd_inflight_cancel(struct ofd_registry *r, uint32_t tid, uint64_t call_ns,
			 uint16_t msgs_sent)
{
	size_t i = 0;

	/* from the start after each removal: a death may purge other entries */
	while (i < r->ninflight) {
		const struct ls_inflight *in = &r->inflight[i];
		struct ls_ofd *held = in->ofd;

		if (in->tid != tid || in->call_ns != call_ns || in->msg_index < msgs_sent) {
			i++;
			continue;
		}
		inflight_remove(r, i);
		held->ext->inflight--;
		ofd_maybe_free(r, held);
		i = 0;
	}
}

void ofd_release(struct ofd_registry *r, struct ls_ofd *o)
{
	o->refs--;
	ofd_maybe_free(r, o);
}

void ofd_release_to_exit_record(struct ofd_registry *r, struct ls_ofd *o)
{
	o->exit_records++;
	o->refs--;
	ofd_maybe_free(r, o);
}

void ofd_drop_exit_record(struct ofd_registry *r, struct ls_ofd *o)
{
	o->exit_records--;
	ofd_maybe_free(r, o);
}
