/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The engine's view of one kernel fd table (struct files_struct): an array
 * indexed by fd, grown by doubling, plus the live processes that use it.
 * Several processes use one table after clone(CLONE_FILES); the threads of a
 * process are not listed separately, they are the process.
 *
 * Private to the engine. The table owns the struct ls_fd records in its
 * slots; it does not free them nor their open file descriptions, because
 * releasing an fd is engine policy (counts, ofd lifetime).
 */
#ifndef LEAKSCOPE_FDTABLE_H
#define LEAKSCOPE_FDTABLE_H

#include "engine.h"

/* every bit of ls_process.open_changed */
#define LS_ALL_TYPES ((1U << LS_RES_TYPE_MAX) - 1)
_Static_assert(LS_RES_TYPE_MAX <= 32, "open_changed has a bit per type");

struct fdtable_slot {
	struct ls_fd *fd;     /* NULL: closed */
	uint32_t lifecycles;  /* lifecycles this fd number had in this table */
};

struct ls_fdtable {
	struct fdtable_slot *slots;
	size_t cap;                  /* slots allocated */
	size_t open;                 /* slots with an fd */
	uint64_t open_by_type[LS_RES_TYPE_MAX];
	/* Live processes that use this table. Each one's counts[].open mirrors
	 * open_by_type: "open" is what the process can see, whoever opened it. */
	struct ls_process **users;
	size_t nusers;
	size_t users_cap;
};

struct ls_fdtable *fdtable_new(void);
/* Frees the table itself; its fds must have been taken out before. */
void fdtable_free(struct ls_fdtable *t);

/* Make room for fd: 0, -EINVAL (fd < 0) or -ENOMEM (also for absurd fds). */
int fdtable_reserve(struct ls_fdtable *t, int fd);
/* The open fd at this number, or NULL (also for any out-of-range fd). */
struct ls_fd *fdtable_get(const struct ls_fdtable *t, int fd);
/* Put f at f->fd, reserved and closed; sets f->generation. f->ofd must be set. */
void fdtable_install(struct ls_fdtable *t, struct ls_fd *f);
/* Take the open fd out of its slot; the caller owns it afterwards. */
struct ls_fd *fdtable_take(struct ls_fdtable *t, int fd);

/*
 * fork() without CLONE_FILES: a new table in which every open fd of src
 * appears with the same ofd (refs++) and fd_flags, inherited, created at ts by
 * thread tid. Generations count per table, so each inherited fd is
 * generation 0 of its number in the child. NULL on ENOMEM (nothing changed).
 */
struct ls_fdtable *fdtable_copy_for_fork(const struct ls_fdtable *src, uint64_t ts,
					 uint32_t tid);
/*
 * unshare(CLONE_FILES), or the unshare that exec does: the same fds as before
 * continue in a private table, so every field and generation is kept.
 * NULL on ENOMEM (nothing changed).
 */
struct ls_fdtable *fdtable_copy_for_unshare(const struct ls_fdtable *src);

/* p starts using t: p's counts[].open take the table's values. */
int fdtable_add_user(struct ls_fdtable *t, struct ls_process *p);
/* p stops using t; p's counts are left alone. */
void fdtable_remove_user(struct ls_fdtable *t, const struct ls_process *p);

#endif /* LEAKSCOPE_FDTABLE_H */
