// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fdtable.h"

#define DENSE_PAGES (FDTABLE_DENSE_FDS >> FDTABLE_PAGE_SHIFT)
#define PAGE_MASK (FDTABLE_PAGE_SLOTS - 1)
#define MIN_DIR 4

static bool slot_open(uintptr_t s)
{
	return s && !(s & 1);
}

static uint32_t slot_lifecycles(uintptr_t s)
{
	if (slot_open(s))
		return ((const struct ls_fd *)s)->generation + 1;
	return (uint32_t)(s >> 1);
}

static uintptr_t slot_closed(uint32_t lifecycles)
{
	return lifecycles ? (uintptr_t)lifecycles << 1 | 1 : 0;
}

void fd_store_init(struct fd_store *s)
{
	slab_init(&s->fds, sizeof(struct ls_fd));
	slab_init(&s->uses, sizeof(struct ls_fd_use));
}

void fd_store_fini(struct fd_store *s)
{
	slab_fini(&s->fds);
	slab_fini(&s->uses);
}

struct ls_fd *fd_store_new(struct fd_store *s)
{
	return slab_alloc(&s->fds);
}

void fd_store_free(struct fd_store *s, struct ls_fd *f)
{
	if (!f)
		return;
	slab_free(&s->uses, f->use);
	slab_free(&s->fds, f);
}

struct ls_fd_use *fd_store_use(struct fd_store *s, struct ls_fd *f)
{
	if (!f->use)
		f->use = slab_alloc(&s->uses);
	return f->use;
}

/* A copy of sf from s, its use facts copied too. */
static struct ls_fd *fd_store_copy(struct fd_store *s, const struct ls_fd *sf)
{
	struct ls_fd *f = fd_store_new(s);

	if (!f)
		return NULL;
	*f = *sf;
	f->use = NULL;
	if (sf->use) {
		if (!fd_store_use(s, f)) {
			fd_store_free(s, f);
			return NULL;
		}
		*f->use = *sf->use;
	}
	return f;
}

struct ls_fdtable *fdtable_new(void)
{
	return calloc(1, sizeof(struct ls_fdtable));
}

void fdtable_free(struct ls_fdtable *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->npages; i++)
		free(t->pages[i]);
	for (size_t i = 0; i < t->nfar; i++)
		free(t->far[i].page);
	free(t->pages);
	free(t->far);
	free(t->users);
	free(t);
}

size_t fdtable_page_count(const struct ls_fdtable *t)
{
	size_t n = t->nfar;

	for (size_t i = 0; i < t->npages; i++)
		n += t->pages[i] != NULL;
	return n;
}

/* Where the far page index is, or would be inserted. */
static size_t far_search(const struct ls_fdtable *t, uint32_t index)
{
	size_t lo = 0, hi = t->nfar;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->far[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct fdtable_page *page_of(const struct ls_fdtable *t, uint32_t index)
{
	size_t i;

	if (index < DENSE_PAGES)
		return index < t->npages ? t->pages[index] : NULL;
	i = far_search(t, index);
	return i < t->nfar && t->far[i].index == index ? t->far[i].page : NULL;
}

static int dense_reserve(struct ls_fdtable *t, uint32_t index)
{
	struct fdtable_page **v;
	size_t n = t->npages ? t->npages : MIN_DIR;

	while (n <= index)
		n *= 2;
	if (n > t->npages) {
		v = realloc(t->pages, n * sizeof(*v));
		if (!v)
			return -ENOMEM;
		memset(v + t->npages, 0, (n - t->npages) * sizeof(*v));
		t->pages = v;
		t->npages = n;
	}
	if (!t->pages[index]) {
		t->pages[index] = calloc(1, sizeof(struct fdtable_page));
		if (!t->pages[index])
			return -ENOMEM;
	}
	return 0;
}

static int far_insert(struct ls_fdtable *t, size_t at, uint32_t index, struct fdtable_page *page)
{
	if (t->nfar == t->far_cap) {
		size_t cap = t->far_cap ? t->far_cap * 2 : 4;
		struct fdtable_far *v = realloc(t->far, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->far = v;
		t->far_cap = cap;
	}
	memmove(&t->far[at + 1], &t->far[at], (t->nfar - at) * sizeof(t->far[0]));
	t->far[at].index = index;
	t->far[at].page = page;
	t->nfar++;
	return 0;
}

int fdtable_reserve(struct ls_fdtable *t, int fd)
{
	uint32_t index;
	struct fdtable_page *page;
	size_t at;

	if (fd < 0)
		return -EINVAL;
	index = (uint32_t)fd >> FDTABLE_PAGE_SHIFT;
	if (index < DENSE_PAGES)
		return dense_reserve(t, index);
	at = far_search(t, index);
	if (at < t->nfar && t->far[at].index == index)
		return 0;
	page = calloc(1, sizeof(*page));
	if (!page)
		return -ENOMEM;
	if (far_insert(t, at, index, page)) {
		free(page);
		return -ENOMEM;
	}
	return 0;
}

static uintptr_t *slot_at(const struct ls_fdtable *t, int fd)
{
	struct fdtable_page *page;

	if (fd < 0)
		return NULL;
	page = page_of(t, (uint32_t)fd >> FDTABLE_PAGE_SHIFT);
	return page ? &page->slot[fd & PAGE_MASK] : NULL;
}

struct ls_fd *fdtable_get(const struct ls_fdtable *t, int fd)
{
	const uintptr_t *s = slot_at(t, fd);

	return s && slot_open(*s) ? (struct ls_fd *)*s : NULL;
}

/* The first open fd in page from slot `from` on, or NULL. */
static struct ls_fd *page_next(const struct fdtable_page *page, uint32_t index, uint32_t from,
			       uint32_t *fd)
{
	for (uint32_t i = from; page && i < FDTABLE_PAGE_SLOTS; i++) {
		if (slot_open(page->slot[i])) {
			*fd = index << FDTABLE_PAGE_SHIFT | i;
			return (struct ls_fd *)page->slot[i];
		}
	}
	return NULL;
}

struct ls_fd *fdtable_next(const struct ls_fdtable *t, uint32_t *fd)
{
	uint32_t index = *fd >> FDTABLE_PAGE_SHIFT, from = *fd & PAGE_MASK;
	struct ls_fd *f;

	if (*fd > INT_MAX)
		return NULL;
	for (; index < t->npages; index++, from = 0) {
		f = page_next(t->pages[index], index, from, fd);
		if (f)
			return f;
	}
	for (size_t i = far_search(t, index); i < t->nfar; i++) {
		f = page_next(t->far[i].page, t->far[i].index,
			      t->far[i].index == index ? from : 0, fd);
		if (f)
			return f;
	}
	return NULL;
}

static void fdtable_count_open(struct ls_fdtable *t, unsigned int type, bool opened)
{
	size_t i;

	if (opened)
		t->open_by_type[type]++;
	else
		t->open_by_type[type]--;
	for (i = 0; i < t->nusers; i++) {
		t->users[i]->counts[type].open = t->open_by_type[type];
		t->users[i]->open_changed |= 1U << type;
	}
}

void fdtable_install(struct ls_fdtable *t, struct ls_fd *f)
{
	uintptr_t *s = slot_at(t, f->fd);

	f->generation = slot_lifecycles(*s);
	*s = (uintptr_t)f;
	t->open++;
	fdtable_count_open(t, f->ofd->res_type, true);
}

struct ls_fd *fdtable_take(struct ls_fdtable *t, int fd)
{
	uintptr_t *s = slot_at(t, fd);
	struct ls_fd *f;

	if (!s || !slot_open(*s))
		return NULL;
	f = (struct ls_fd *)*s;
	*s = slot_closed(f->generation + 1);
	t->open--;
	fdtable_count_open(t, f->ofd->res_type, false);
	return f;
}

/* src's page into a new one: its open fds copied (refs taken), and for
 * unshare the lifecycles of its closed numbers. NULL on ENOMEM, with the
 * refs it took given back. */
static struct fdtable_page *page_copy(struct ls_fdtable *t, const struct fdtable_page *src,
				      struct fd_store *store, bool for_fork, uint64_t ts,
				      uint32_t tid)
{
	struct fdtable_page *page = calloc(1, sizeof(*page));
	uint32_t i;

	if (!page)
		return NULL;
	for (i = 0; i < FDTABLE_PAGE_SLOTS; i++) {
		const struct ls_fd *sf;
		struct ls_fd *f;

		if (!slot_open(src->slot[i])) {
			if (!for_fork)
				page->slot[i] = src->slot[i];
			continue;
		}
		sf = (const struct ls_fd *)src->slot[i];
		f = fd_store_copy(store, sf);
		if (!f)
			goto fail;
		if (for_fork) {
			f->generation = 0;
			f->inherited = true;
			f->before_attach = false;
			f->created_ns = ts;
			f->tid = tid;
		}
		f->ofd->refs++;
		page->slot[i] = (uintptr_t)f;
		t->open++;
		t->open_by_type[f->ofd->res_type]++;
	}
	return page;
fail:
	/* the source still holds every ofd, so no ref can drop to zero here */
	while (i--) {
		struct ls_fd *f = (struct ls_fd *)page->slot[i];

		if (!slot_open(page->slot[i]))
			continue;
		f->ofd->refs--;
		t->open--;
		t->open_by_type[f->ofd->res_type]--;
		fd_store_free(store, f);
	}
	free(page);
	return NULL;
}

static void table_drop_fds(struct ls_fdtable *t, struct fd_store *store)
{
	struct ls_fd *f;

	for (uint32_t fd = 0; (f = fdtable_next(t, &fd)); fd++) {
		fdtable_take(t, (int)fd);
		f->ofd->refs--;
		fd_store_free(store, f);
	}
}

static struct ls_fdtable *fdtable_copy(const struct ls_fdtable *src, struct fd_store *store,
				       bool for_fork, uint64_t ts, uint32_t tid)
{
	struct ls_fdtable *t = fdtable_new();

	if (!t)
		return NULL;
	if (src->npages) {
		t->pages = calloc(src->npages, sizeof(*t->pages));
		if (!t->pages)
			goto fail;
		t->npages = src->npages;
	}
	if (src->nfar) {
		/* room for every far page first: an insert then cannot fail */
		t->far = malloc(src->nfar * sizeof(*t->far));
		if (!t->far)
			goto fail;
		t->far_cap = src->nfar;
	}
	for (size_t i = 0; i < src->npages; i++) {
		if (!src->pages[i])
			continue;
		t->pages[i] = page_copy(t, src->pages[i], store, for_fork, ts, tid);
		if (!t->pages[i])
			goto fail;
	}
	for (size_t i = 0; i < src->nfar; i++) {
		struct fdtable_page *page = page_copy(t, src->far[i].page, store, for_fork, ts,
							 tid);

		if (!page)
			goto fail;
		(void)far_insert(t, t->nfar, src->far[i].index, page);
	}
	return t;
fail:
	table_drop_fds(t, store);
	fdtable_free(t);
	return NULL;
}

struct ls_fdtable *fdtable_copy_for_fork(const struct ls_fdtable *src, struct fd_store *store,
					 uint64_t ts, uint32_t tid)
{
	return fdtable_copy(src, store, true, ts, tid);
}

struct ls_fdtable *fdtable_copy_for_unshare(const struct ls_fdtable *src, struct fd_store *store)
{
	return fdtable_copy(src, store, false, 0, 0);
}

int fdtable_add_user(struct ls_fdtable *t, struct ls_process *p)
{
	size_t i;

	if (t->nusers == t->users_cap) {
		size_t cap = t->users_cap ? t->users_cap * 2 : 2;
		struct ls_process **u = realloc(t->users, cap * sizeof(*u));

		if (!u)
			return -ENOMEM;
		t->users = u;
		t->users_cap = cap;
	}
	t->users[t->nusers++] = p;
	for (i = 0; i < LS_RES_TYPE_MAX; i++)
		p->counts[i].open = t->open_by_type[i];
	p->open_changed = LS_ALL_TYPES;
	return 0;
}

void fdtable_remove_user(struct ls_fdtable *t, const struct ls_process *p)
{
	size_t i;

	for (i = 0; i < t->nusers; i++) {
		if (t->users[i] == p) {
			t->users[i] = t->users[--t->nusers];
			return;
		}
	}
}
