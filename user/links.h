/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Links between resources, read from engine state: which fds share a
 * description, which came from which (fork, SCM_RIGHTS), which descriptions
 * are the two ends of one pipe or connection, what an epoll instance
 * watches, which mapping is of an open file, what is in flight on which
 * socket. Pure and read-only: the same state gives the same links.
 *
 * Resource ids (the reports give the same ids to the things they list):
 *   proc:PID.S          a process; S is its serial (order of first sight,
 *                       from 1), since pids are reused
 *   fd:PID.S:FD:GEN     an fd lifecycle; GEN counts the fd number's
 *                       lifecycles in its fd table, from 0
 *   desc:N              an open file description ("description": N)
 *   map:PID.S:0xSTART   a memory mapping
 *   threads:PID.S       the threads of a process besides the main one (the
 *                       engine keeps their count, not their identities)
 */
#ifndef LEAKSCOPE_LINKS_H
#define LEAKSCOPE_LINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

enum link_kind {
	LINK_SCM_RIGHTS = 0, /* sender's fd -> receiver's fd */
	LINK_IN_FLIGHT,      /* receiving socket's desc -> desc sent, not yet received */
	LINK_PIPE_PEER,      /* write end's desc -> read end's desc */
	LINK_UNIX_PEER,      /* connected AF_UNIX sockets' descs */
	LINK_TCP_PEER,       /* both ends of a TCP connection on this host, descs */
	LINK_EPOLL_WATCH,    /* epoll fd -> watched fd (or its desc, if no such fd) */
	LINK_DUP,            /* the first fd of a description in a process -> another */
	LINK_INHERITED,      /* parent's fd -> child's fd, copied at fork */
	LINK_MAPS_FILE,      /* mapping -> fd of the same file in the process */
	LINK_THREAD_OF,      /* threads -> process */
	LINK_KIND_MAX,
};

#define LINK_KINDS_ALL ((1u << LINK_KIND_MAX) - 1)
#define LINK_KIND_BIT(k) (1u << (k))

enum link_end_type {
	LINK_END_NONE = 0,
	LINK_END_PROC,
	LINK_END_THREADS,
	LINK_END_FD,
	LINK_END_DESC,
	LINK_END_MAP,
};

struct link_end {
	enum link_end_type type;
	uint32_t pid;        /* PROC, THREADS, FD, MAP */
	uint64_t serial;
	int fd;              /* FD */
	uint32_t generation;
	uint64_t desc;       /* DESC: the description id */
	uint64_t addr;       /* MAP: start */
	const struct ls_ofd *ofd; /* DESC: the description, if known (not part of the id) */
};

struct ls_link {
	struct link_end from, to;
	enum link_kind kind;
	uint64_t count;        /* in_flight: times queued; thread_of: threads besides the
				* main one now; else 1 */
	uint64_t created;      /* thread_of: threads created */
	uint64_t socket;       /* scm_rights: desc of the socket it crossed, 0: unknown */
	struct link_end sender; /* in_flight: the latest sender's fd (or process) */
	const struct ls_process *by; /* in_flight: the latest sender */
	uint64_t ns;           /* in_flight: when the latest was sent */
};

struct link_set {
	struct ls_link *v;
	size_t len;
	size_t cap;
	uint64_t omitted;                /* found past the limit, not kept */
	uint64_t by_kind[LINK_KIND_MAX]; /* found, kept or not */
};

struct links_opts {
	unsigned int kinds; /* LINK_KIND_BIT()s; 0: all */
	size_t max;         /* links kept at most; 0: no limit */
};

/* Every link of the kinds asked for. 0 or -ENOMEM (out is then emptied). */
int links_build(const struct ls_engine *eng, const struct links_opts *o, struct link_set *out);
void links_free(struct link_set *s);

const char *link_kind_name(enum link_kind k);
/* The kinds in which from keeps to alive (a queue holds what is in flight). */
bool link_kind_keeps_alive(enum link_kind k);

/* The id of an end, as above, into buf (always terminated); its length. */
size_t link_end_format(const struct link_end *e, char *buf, size_t len);
int link_end_cmp(const struct link_end *a, const struct link_end *b);
struct link_end link_end_proc(const struct ls_process *p);
struct link_end link_end_fd(const struct ls_process *p, const struct ls_fd *f);
struct link_end link_end_desc(uint64_t desc);
struct link_end link_end_ofd(const struct ls_ofd *o);
struct link_end link_end_map(const struct ls_process *p, uint64_t start);

#define LINK_ID_MAX 96

#endif /* LEAKSCOPE_LINKS_H */
