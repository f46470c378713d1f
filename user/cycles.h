/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Cycles in the "keeps alive" graph of a link set (link_kind_keeps_alive):
 * resources that hold each other, such as unix sockets whose queues hold
 * each other's descriptions in flight. Once no fd holds any of them, nothing
 * but the kernel's unix garbage collector can free them. Found as the
 * strongly connected components (Tarjan's algorithm) that hold two or more
 * resources, or one resource that holds itself.
 */
#ifndef LEAKSCOPE_CYCLES_H
#define LEAKSCOPE_CYCLES_H

#include <stddef.h>
#include <stdint.h>

#include "links.h"

struct ls_cycle {
	struct link_end *members; /* in link_end_cmp order */
	size_t nmembers;
	struct ls_link *links;    /* the keeps-alive links among them */
	size_t nlinks;
	uint64_t held_by_fds;     /* open fds on its descriptions; 0: only the cycle holds them */
	const struct ls_process *closed_by; /* who made the latest of its links (a send) */
	uint64_t closed_ns;
};

struct cycle_set {
	struct ls_cycle *v;
	size_t len;
	size_t cap;
};

/* Appends the cycles of s to out. 0 or -ENOMEM. */
int cycles_find(const struct link_set *s, struct cycle_set *out);
void cycles_free(struct cycle_set *c);

#endif /* LEAKSCOPE_CYCLES_H */
