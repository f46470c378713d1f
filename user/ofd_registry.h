/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Open file descriptions (struct ls_ofd) and their lifetime. Private to the
 * engine.
 *
 * Ownership: an ofd is referenced by open fds (ls_ofd.refs, public) and by
 * the fds kept in exit records (ls_process.exit_fds, counted privately). It
 * is live, and found by its kernel file_id, while refs > 0; it is freed when
 * both counts are zero. Exit records are kept until engine_free, so an ofd
 * that was open at some process exit lives that long too. A file_id the
 * kernel reuses after the last close therefore gets a new ofd.
 */
#ifndef LEAKSCOPE_OFD_REGISTRY_H
#define LEAKSCOPE_OFD_REGISTRY_H

#include "engine.h"
#include "u64_map.h"

struct ofd_registry {
	struct u64_map live; /* file_id -> ofd with refs > 0 (file_id 0 never) */
	struct u64_map socks; /* sock_id -> live socket ofd, for state updates */
	struct ls_ofd **epolls; /* live epoll ofds: a closed file leaves their watches */
	size_t nepolls;
	size_t epolls_cap;
	uint64_t last_id;
};

int ofd_registry_init(struct ofd_registry *r);
/* Every ofd must have been released before. */
void ofd_registry_fini(struct ofd_registry *r);

/*
 * One more fd refers to the description this record names: the live ofd with
 * its file_id, else a new one (file_id 0 is unknown: always new). Returns it
 * with refs incremented, or NULL on ENOMEM.
 */
struct ls_ofd *ofd_acquire(struct ofd_registry *r, const struct ls_fd_create *e);
/* The live socket ofd with this kernel sock identity, or NULL. */
struct ls_ofd *ofd_find_socket(const struct ofd_registry *r, uint64_t sock_id);
/* epoll_ctl: watch (or stop watching) target from epoll instance ep. */
int ofd_epoll_add(struct ofd_registry *r, struct ls_ofd *ep, int fd, const struct ls_ofd *target);
void ofd_epoll_del(struct ls_ofd *ep, int fd, const struct ls_ofd *target);
/* An open fd let go of o. */
void ofd_release(struct ofd_registry *r, struct ls_ofd *o);
/* An open fd of o became an exit record: no longer open, still pointed at. */
void ofd_release_to_exit_record(struct ofd_registry *r, struct ls_ofd *o);
/* An exit record that pointed at o was freed. */
void ofd_drop_exit_record(struct ofd_registry *r, struct ls_ofd *o);

#endif /* LEAKSCOPE_OFD_REGISTRY_H */
