/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * An intrusive hash map keyed by uint64_t, with chaining. The engine looks up
 * live processes by pid and open file descriptions by kernel file id with it.
 *
 * Intrusive so that inserting never allocates: the node lives in the caller's
 * entry. Growing the bucket array may fail; the map then keeps working with
 * longer chains, so an insert cannot fail and the caller's state stays simple.
 * Keys may repeat; lookup returns the most recently inserted node.
 */
#ifndef LEAKSCOPE_U64_MAP_H
#define LEAKSCOPE_U64_MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64_map_node {
	struct u64_map_node *next;
	uint64_t key;
};

struct u64_map {
	struct u64_map_node **buckets;
	size_t nbuckets; /* a power of two */
	size_t count;
};

/* Allocates the first buckets: 0 or -ENOMEM. After it, nothing can fail. */
int u64_map_init(struct u64_map *m);
/* Frees the bucket array only: nodes belong to the caller. */
void u64_map_fini(struct u64_map *m);
void u64_map_insert(struct u64_map *m, struct u64_map_node *n, uint64_t key);
struct u64_map_node *u64_map_find(const struct u64_map *m, uint64_t key);
/* n must be in the map. */
void u64_map_remove(struct u64_map *m, struct u64_map_node *n);

#endif /* LEAKSCOPE_U64_MAP_H */
