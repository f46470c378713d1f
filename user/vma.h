/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A process's memory mappings as a sorted set of disjoint intervals, the way
 * the kernel keeps VMAs: mapping over a range replaces what was there, and
 * unmapping part of a mapping splits it.
 */
#ifndef LEAKSCOPE_VMA_H
#define LEAKSCOPE_VMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ls_vma {
	uint64_t start;
	uint64_t end;      /* exclusive */
	uint32_t prot;     /* LS_PROT_* */
	uint32_t flags;    /* LS_MAP_* */
	uint32_t dev;
	uint64_t ino;      /* 0 with no path: anonymous */
	uint64_t offset;   /* file mappings: the file offset mapped at start */
	uint32_t stack_id; /* where it was mapped (stack_table.h); 0: unknown */
	char *path;        /* owned; NULL: anonymous */
	uint64_t created_ns;
	bool before_attach;
};

struct ls_vma_set {
	struct ls_vma *v;  /* sorted by start, disjoint */
	size_t len;
	size_t cap;
	size_t joins;      /* neighbours the kernel would have merged into one VMA */
};

/* Map m (its path is taken over, also on failure), replacing any overlap.
 * Returns 0 or -ENOMEM. */
int vma_map(struct ls_vma_set *s, struct ls_vma *m);
/* Unmap [start, end): returns how many mappings went away whole, or -ENOMEM
 * (a split needed memory). */
int vma_unmap(struct ls_vma_set *s, uint64_t start, uint64_t end);
/* The mapping that contains addr, or NULL. */
const struct ls_vma *vma_find(const struct ls_vma_set *s, uint64_t addr);
int vma_copy(struct ls_vma_set *dst, const struct ls_vma_set *src);
void vma_clear(struct ls_vma_set *s);
/*
 * How many VMAs the kernel counts against vm.max_map_count: it merges an
 * anonymous private mapping into an adjacent one with the same protection,
 * which this set keeps apart (file mappings are counted apart: their offsets
 * are not known here).
 */
static inline size_t vma_count_merged(const struct ls_vma_set *s)
{
	return s->len - s->joins;
}
/* Bytes mapped, anonymous and file-backed. */
void vma_bytes(const struct ls_vma_set *s, uint64_t *anon, uint64_t *file);

#endif /* LEAKSCOPE_VMA_H */
