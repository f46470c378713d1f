/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The engine's view of one kernel fd table (struct files_struct), plus the
 * live processes that use it. Several processes use one table after
 * clone(CLONE_FILES); the threads of a process are not listed separately,
 * they are the process.
 *
 * Sparse: slots come in pages of FDTABLE_PAGE_SLOTS, allocated when an fd
 * number in them is first used. Pages of low numbers (below
 * FDTABLE_DENSE_FDS, the kernel's default fs.nr_open) are found by index in a
 * directory that grows by doubling; pages above it, which only a raised
 * nr_open or dup2 to a huge number makes, sit in a sorted array. So any fd
 * the kernel can give (up to INT_MAX) costs one page, never the range below it.
 *
 * A slot is one word: 0 never used; an odd number (lifecycles << 1 | 1) for a
 * closed fd number, remembering how many lifecycles it had; otherwise the
 * open struct ls_fd, whose generation + 1 is that count.
 *
 * Private to the engine. The table owns the struct ls_fd records in its
 * slots; it does not free them nor their open file descriptions, because
 * releasing an fd is engine policy (counts, ofd lifetime).
 */
#ifndef LEAKSCOPE_FDTABLE_H
#define LEAKSCOPE_FDTABLE_H

#include "engine.h"
#include "slab.h"

/* every bit of ls_process.open_changed */
#define LS_ALL_TYPES ((1U << LS_RES_TYPE_MAX) - 1)
_Static_assert(LS_RES_TYPE_MAX <= 32, "open_changed has a bit per type");

#define FDTABLE_PAGE_SHIFT 7
#define FDTABLE_PAGE_SLOTS (1U << FDTABLE_PAGE_SHIFT)
#define FDTABLE_DENSE_FDS (1U << 20)

struct fdtable_page {
	uintptr_t slot[FDTABLE_PAGE_SLOTS];
};

/* A page above the dense range, by its page number (fd >> FDTABLE_PAGE_SHIFT). */
struct fdtable_far {
	uint32_t index;
	struct fdtable_page *page;
};

struct ls_fdtable {
	struct fdtable_page **pages; /* dense: pages[i] holds fds from i * FDTABLE_PAGE_SLOTS */
	size_t npages;
	struct fdtable_far *far;     /* sorted by index */
	size_t nfar;
	size_t far_cap;
	size_t open;                 /* open fds */
	uint64_t open_by_type[LS_RES_TYPE_MAX];
	/* Live processes that use this table. Each one's counts[].open mirrors
	 * open_by_type: "open" is what the process can see, whoever opened it. */
	struct ls_process **users;
	size_t nusers;
	size_t users_cap;
};

/* Where struct ls_fd records and their use facts live: slabs, since a
 * process may hold a million of them. */
struct fd_store {
	struct slab fds;
	struct slab uses;
};

void fd_store_init(struct fd_store *s);
/* Frees every record at once. */
void fd_store_fini(struct fd_store *s);
/* A zeroed record, or NULL on ENOMEM. */
struct ls_fd *fd_store_new(struct fd_store *s);
/* f (or NULL) and its use facts are freed. */
void fd_store_free(struct fd_store *s, struct ls_fd *f);
/* f->use, made (zeroed) if f had none; NULL on ENOMEM. */
struct ls_fd_use *fd_store_use(struct fd_store *s, struct ls_fd *f);

struct ls_fdtable *fdtable_new(void);
/* Frees the table itself; its fds must have been taken out before. */
void fdtable_free(struct ls_fdtable *t);

/* Make room for fd: 0, -EINVAL (fd < 0) or -ENOMEM. */
int fdtable_reserve(struct ls_fdtable *t, int fd);
/* The open fd at this number, or NULL (also for any fd never reserved). */
struct ls_fd *fdtable_get(const struct ls_fdtable *t, int fd);
/*
 * The open fd with the lowest number >= *fd, which is set to that number;
 * NULL when there is none. Visits every open fd in fd order:
 *   for (uint32_t n = 0; (f = fdtable_next(t, &n)); n++)
 * Taking the fd it returned out of the table does not disturb the walk.
 */
struct ls_fd *fdtable_next(const struct ls_fdtable *t, uint32_t *fd);
/* Put f at f->fd, reserved and closed; sets f->generation. f->ofd must be set. */
void fdtable_install(struct ls_fdtable *t, struct ls_fd *f);
/* Take the open fd out of its slot; the caller owns it afterwards. */
struct ls_fd *fdtable_take(struct ls_fdtable *t, int fd);
/* Pages allocated (dense and far): what the table costs beyond its fds. */
size_t fdtable_page_count(const struct ls_fdtable *t);

/*
 * fork() without CLONE_FILES: a new table in which every open fd of src
 * appears with the same ofd (refs++) and fd_flags, inherited, created at ts by
 * thread tid. Generations count per table, so each inherited fd is
 * generation 0 of its number in the child. NULL on ENOMEM (nothing changed).
 */
struct ls_fdtable *fdtable_copy_for_fork(const struct ls_fdtable *src, struct fd_store *store,
					 uint64_t ts, uint32_t tid);
/*
 * unshare(CLONE_FILES), or the unshare that exec does: the same fds as before
 * continue in a private table, so every field and generation is kept.
 * NULL on ENOMEM (nothing changed). The copies come from store.
 */
struct ls_fdtable *fdtable_copy_for_unshare(const struct ls_fdtable *src, struct fd_store *store);

/* p starts using t: p's counts[].open take the table's values. */
int fdtable_add_user(struct ls_fdtable *t, struct ls_process *p);
/* p stops using t; p's counts are left alone. */
void fdtable_remove_user(struct ls_fdtable *t, const struct ls_process *p);

#endif /* LEAKSCOPE_FDTABLE_H */
