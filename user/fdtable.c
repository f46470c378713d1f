// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fdtable.h"

#define FDTABLE_MIN_SLOTS 64
/*
 * Linux allows fds up to fs.nr_open (1 << 20 by default). A garbage fd must
 * not make us allocate gigabytes, so numbers past this are refused as if
 * memory had run out: 16 Mi slots are 256 MiB.
 */
#define FDTABLE_MAX_FD (1 << 24)

struct ls_fdtable *fdtable_new(void)
{
	return calloc(1, sizeof(struct ls_fdtable));
}

void fdtable_free(struct ls_fdtable *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t->users);
	free(t);
}

int fdtable_reserve(struct ls_fdtable *t, int fd)
{
	struct fdtable_slot *slots;
	size_t cap;

	if (fd < 0)
		return -EINVAL;
	if ((size_t)fd < t->cap)
		return 0;
	if (fd >= FDTABLE_MAX_FD)
		return -ENOMEM;
	cap = t->cap ? t->cap : FDTABLE_MIN_SLOTS;
	while (cap <= (size_t)fd)
		cap *= 2;
	slots = realloc(t->slots, cap * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	memset(slots + t->cap, 0, (cap - t->cap) * sizeof(*slots));
	t->slots = slots;
	t->cap = cap;
	return 0;
}

struct ls_fd *fdtable_get(const struct ls_fdtable *t, int fd)
{
	if (fd < 0 || (size_t)fd >= t->cap)
		return NULL;
	return t->slots[fd].fd;
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
	struct fdtable_slot *s = &t->slots[f->fd];

	f->generation = s->lifecycles++;
	s->fd = f;
	t->open++;
	fdtable_count_open(t, f->ofd->res_type, true);
}

struct ls_fd *fdtable_take(struct ls_fdtable *t, int fd)
{
	struct ls_fd *f = fdtable_get(t, fd);

	if (!f)
		return NULL;
	t->slots[fd].fd = NULL;
	t->open--;
	fdtable_count_open(t, f->ofd->res_type, false);
	return f;
}

static struct ls_fdtable *fdtable_copy(const struct ls_fdtable *src, bool for_fork,
				       uint64_t ts, uint32_t tid)
{
	struct ls_fdtable *t = fdtable_new();
	size_t i;

	if (!t)
		return NULL;
	if (src->cap) {
		t->slots = calloc(src->cap, sizeof(*t->slots));
		if (!t->slots)
			goto fail;
		t->cap = src->cap;
	}
	for (i = 0; i < src->cap; i++) {
		const struct ls_fd *sf = src->slots[i].fd;
		struct ls_fd *f;

		if (!for_fork)
			t->slots[i].lifecycles = src->slots[i].lifecycles;
		if (!sf)
			continue;
		f = malloc(sizeof(*f));
		if (!f)
			goto fail;
		*f = *sf;
		if (for_fork) {
			f->generation = 0;
			f->inherited = true;
			f->before_attach = false;
			f->created_ns = ts;
			f->tid = tid;
			t->slots[i].lifecycles = 1;
		}
		f->ofd->refs++;
		t->slots[i].fd = f;
		t->open++;
		t->open_by_type[f->ofd->res_type]++;
	}
	return t;
fail:
	/* the source still holds every ofd, so no ref can drop to zero here */
	for (i = 0; i < t->cap; i++) {
		struct ls_fd *f = t->slots[i].fd;

		if (f) {
			f->ofd->refs--;
			free(f);
		}
	}
	fdtable_free(t);
	return NULL;
}

struct ls_fdtable *fdtable_copy_for_fork(const struct ls_fdtable *src, uint64_t ts,
					 uint32_t tid)
{
	return fdtable_copy(src, true, ts, tid);
}

struct ls_fdtable *fdtable_copy_for_unshare(const struct ls_fdtable *src)
{
	return fdtable_copy(src, false, 0, 0);
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
