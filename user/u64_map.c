// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>

#include "u64_map.h"

#define U64_MAP_MIN_BUCKETS 16

static size_t u64_map_slot(uint64_t key, size_t nbuckets)
{
	/* pids and kernel pointers have poor low bits: mix them (splitmix64) */
	key ^= key >> 30;
	key *= 0xbf58476d1ce4e5b9ULL;
	key ^= key >> 27;
	key *= 0x94d049bb133111ebULL;
	key ^= key >> 31;
	return (size_t)key & (nbuckets - 1);
}

int u64_map_init(struct u64_map *m)
{
	m->count = 0;
	m->nbuckets = U64_MAP_MIN_BUCKETS;
	m->buckets = calloc(m->nbuckets, sizeof(*m->buckets));
	if (!m->buckets) {
		m->nbuckets = 0;
		return -ENOMEM;
	}
	return 0;
}

void u64_map_fini(struct u64_map *m)
{
	free(m->buckets);
	m->buckets = NULL;
	m->nbuckets = 0;
	m->count = 0;
}

static void u64_map_grow(struct u64_map *m)
{
	size_t nb = m->nbuckets * 2;
	struct u64_map_node **b;
	size_t i;

	if (nb < m->nbuckets)
		return;
	b = calloc(nb, sizeof(*b));
	if (!b)
		return; /* keep the old buckets: chains get longer, nothing breaks */
	for (i = 0; i < m->nbuckets; i++) {
		struct u64_map_node *n, *next;

		for (n = m->buckets[i]; n; n = next) {
			size_t s = u64_map_slot(n->key, nb);

			next = n->next;
			n->next = b[s];
			b[s] = n;
		}
	}
	free(m->buckets);
	m->buckets = b;
	m->nbuckets = nb;
}

void u64_map_insert(struct u64_map *m, struct u64_map_node *n, uint64_t key)
{
	size_t s;

	if (m->count >= m->nbuckets)
		u64_map_grow(m);
	n->key = key;
	s = u64_map_slot(key, m->nbuckets);
	n->next = m->buckets[s];
	m->buckets[s] = n;
	m->count++;
}

struct u64_map_node *u64_map_find(const struct u64_map *m, uint64_t key)
{
	struct u64_map_node *n;

	for (n = m->buckets[u64_map_slot(key, m->nbuckets)]; n; n = n->next) {
		if (n->key == key)
			return n;
	}
	return NULL;
}

void u64_map_remove(struct u64_map *m, struct u64_map_node *n)
{
	struct u64_map_node **pp = &m->buckets[u64_map_slot(n->key, m->nbuckets)];

	for (; *pp; pp = &(*pp)->next) {
		if (*pp == n) {
			*pp = n->next;
			n->next = NULL;
			m->count--;
			return;
		}
	}
}
