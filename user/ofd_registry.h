/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Open file descriptions (struct ls_ofd) and their lifetime. Private to the
 * engine.
 *
 * Ownership: an ofd is referenced by open fds (ls_ofd.refs, public), by the
 * unix socket queues it is in flight on (SCM_RIGHTS, struct ls_inflight) and
 * by the fds kept in exit records (ls_process.exit_fds); the last two are
 * counted privately. It is live, as in the kernel, and found by its kernel
 * file_id, while an fd or a queue holds it; when the last one lets go, what
 * its own queue held is let go too. It is freed once no exit record points
 * at it either. Exit records are kept until engine_free, so an ofd that was
 * open at some process exit lives that long too. A file_id the kernel reuses
 * after the last close therefore gets a new ofd.
 *
 * Descriptions that hold each other in flight and that no fd holds (the
 * SCM_RIGHTS garbage cycle) stay live here: only the kernel's unix garbage
 * collector frees them, and nothing traces it. A new description with the
 * file_id of one of them shows the kernel freed it: it is then forgotten by
 * file_id (it stays in flight for the reports).
 */
#ifndef LEAKSCOPE_OFD_REGISTRY_H
#define LEAKSCOPE_OFD_REGISTRY_H

#include "engine.h"
#include "file_names.h"
#include "slab.h"
#include "u64_map.h"

struct ofd_registry {
	/* file_id -> live ofd (file_id 0 never), chained through index_next;
	 * up to two per bucket on average: a million descriptions, 4 bytes each */
	struct ls_ofd **index;
	size_t nindex;        /* buckets, a power of two */
	size_t nlive;
	struct u64_map socks; /* sock_id -> live socket ofd, for state updates */
	struct file_names files; /* what the ofds are open on, interned */
	struct slab ofds;     /* every struct ls_ofd */
	struct ls_ofd **epolls; /* live epoll ofds: a closed file leaves their watches */
	size_t nepolls;
	size_t epolls_cap;
	struct ls_inflight *inflight; /* in the order sent */
	size_t ninflight;
	size_t inflight_cap;
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
/* The live ofd with this kernel file identity, or NULL. */
struct ls_ofd *ofd_find_live(const struct ofd_registry *r, uint64_t file_id);
/* The live socket ofd with this kernel sock identity, or NULL. */
struct ls_ofd *ofd_find_socket(const struct ofd_registry *r, uint64_t sock_id);
/* o's state facts, to be set: NULL on ENOMEM. */
struct ls_ofd_state *ofd_state_mut(struct ofd_registry *r, struct ls_ofd *o);
/* epoll_ctl: watch (or stop watching) target from epoll instance ep. */
int ofd_epoll_add(struct ofd_registry *r, struct ls_ofd *ep, int fd, const struct ls_ofd *target);
void ofd_epoll_del(struct ls_ofd *ep, int fd, const struct ls_ofd *target);
/* in->ofd (live) is now in flight on in->queue (live), which holds it. */
int ofd_inflight_add(struct ofd_registry *r, const struct ls_inflight *in);
/* o was received (an fd holds it now): its oldest entry in flight leaves the
 * queue, copied to out. false if o was not in flight. */
bool ofd_inflight_take(struct ofd_registry *r, const struct ls_ofd *o, struct ls_inflight *out);
/* Whether something p sent is still in flight (its entries point at p). */
bool ofd_inflight_sent_by(const struct ofd_registry *r, const struct ls_process *p);
/* The call (tid, call_ns) failed: its messages from msgs_sent on were not queued. */
void ofd_inflight_cancel(struct ofd_registry *r, uint32_t tid, uint64_t call_ns,
			 uint16_t msgs_sent);
/* An open fd let go of o. */
void ofd_release(struct ofd_registry *r, struct ls_ofd *o);
/* An open fd of o became an exit record: no longer open, still pointed at. */
void ofd_release_to_exit_record(struct ofd_registry *r, struct ls_ofd *o);
/* An exit record that pointed at o was freed. */
void ofd_drop_exit_record(struct ofd_registry *r, struct ls_ofd *o);

#endif /* LEAKSCOPE_OFD_REGISTRY_H */
