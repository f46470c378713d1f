/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What links.c (ids, the set, the state gathered once), links_fd.c (links
 * between fds and processes) and links_desc.c (links between descriptions)
 * share. Not for the rest of leakscope.
 */
#ifndef LEAKSCOPE_LINKS_INTERNAL_H
#define LEAKSCOPE_LINKS_INTERNAL_H

#include "links.h"

/* The fds the engine holds for a process: open ones if it is live, its exit
 * records if it exited. */
struct proc_fds {
	const struct ls_process *p;
	const struct ls_fd **fds; /* in fd order */
	size_t n;
};

/* A description the engine holds, and when fds referred to it. */
struct desc_info {
	const struct ls_ofd *o;
	uint64_t first_ns; /* its earliest fd's creation; 0: held only in flight */
	uint64_t last_ns;  /* its latest fd's release; UINT64_MAX: still held */
};

struct links_state {
	const struct ls_engine *eng;
	const struct links_opts *opts;
	struct link_set *out;
	struct proc_fds *procs;   /* in engine order: procs[serial - 1] */
	size_t nprocs;
	const struct ls_fd **fds; /* storage behind procs[].fds */
	struct desc_info *descs;  /* by id, once each */
	size_t ndescs;
};

/* In a comparison function: decided by a and b unless they are equal. */
#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

/* Keep l (or count it as omitted past the limit): 0 or -ENOMEM. */
int links_add(struct links_state *st, const struct ls_link *l);
bool links_wanted(const struct links_state *st, enum link_kind k);
/* The description with this id, or NULL. */
const struct desc_info *links_desc(const struct links_state *st, uint64_t id);

/* The fd numbered fd among pf's, or NULL. */
const struct ls_fd *links_proc_fd(const struct proc_fds *pf, int fd);

/* links_fd.c */
int links_scm_rights(struct links_state *st);
int links_epoll_watches(struct links_state *st);
int links_dups(struct links_state *st);
int links_inherited(struct links_state *st);
int links_maps_files(struct links_state *st);
int links_threads(struct links_state *st);

/* links_desc.c */
int links_in_flight(struct links_state *st);
int links_pipe_peers(struct links_state *st);
int links_unix_peers(struct links_state *st);
int links_tcp_peers(struct links_state *st);

#endif /* LEAKSCOPE_LINKS_INTERNAL_H */
