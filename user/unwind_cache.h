/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Remembered stack walks, so that a call site seen again costs a lookup, not
 * a libdw walk. Exact, not a heuristic: a walk is a deterministic function of
 * the process's modules (its Dwfl), of the initial registers its CFI can
 * reach and of the words it reads from the copied stack, in order. An entry
 * keeps the Dwfl's generation, those registers (reg_mask says which;
 * unwind_regs.c finds them and says why that is enough), every read the walk
 * made (address, whether it was inside the copy, the word, and whether the
 * word can change anything: a callee-saved register restored from the stack
 * and never used again cannot) and the outcome. A new stack hits only when
 * all of them are the same: then libdw would read the same words where they
 * matter and find the same frames.
 *
 * Bounded: UNWIND_CACHE_SETS sets of UNWIND_CACHE_WAYS entries, the least
 * recently used of a set evicted; a walk of more than UNWIND_CACHE_MAX_READS
 * reads is not kept. No libdw here, so it is unit-tested on its own.
 */
#ifndef LEAKSCOPE_UNWIND_CACHE_H
#define LEAKSCOPE_UNWIND_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"

#define UNWIND_CACHE_SETS 64
#define UNWIND_CACHE_WAYS 16
#define UNWIND_CACHE_MAX_READS 256
#define UNWIND_CACHE_ALL_REGS ((1u << LS_STACK_REGS) - 1)

/* The copied stack a walk reads: data holds len bytes from address sp. */
struct unwind_stack {
	const uint8_t *data;
	uint64_t sp;
	size_t len;
};

/* The walk's view of memory: false outside the copy. */
bool unwind_stack_word(const struct unwind_stack *s, uint64_t addr, uint64_t *word);

/* One read of a walk, as recorded. */
struct unwind_read {
	uint64_t addr;
	uint64_t word;      /* 0 when !ok */
	uint32_t frame;     /* read while unwinding this frame (0: the innermost) */
	bool ok;            /* inside the copy: the read succeeded */
	bool matters;       /* the word can change the walk; recorded as true */
};

struct unwind_cache_stats {
	uint64_t hits;
	uint64_t misses;
	uint64_t stored;
	uint64_t evicted;    /* the least recently used of a full set */
	uint64_t too_long;   /* walks not kept: more reads than an entry holds */
	uint64_t forgotten;  /* dropped with their Dwfl (exec, dlopen, exit) */
};

struct unwind_cache;

struct unwind_cache *unwind_cache_new(void);
void unwind_cache_free(struct unwind_cache *c);

/*
 * The outcome of a remembered walk that this one would repeat: true and
 * *stack_id (0 is an outcome too: nothing could be unwound). gen names the
 * Dwfl the walk would use; regs are all LS_STACK_REGS initial registers.
 */
bool unwind_cache_lookup(struct unwind_cache *c, uint64_t gen, const uint64_t *regs,
			 const struct unwind_stack *s, uint32_t *stack_id);

/* Recording a walk: begin, every memory read as it happens, then store. */
void unwind_cache_begin(struct unwind_cache *c);
void unwind_cache_note_read(struct unwind_cache *c, uint32_t frame, uint64_t addr, bool ok,
			    uint64_t word);
/* The reads recorded since begin, to clear .matters where a word cannot
 * matter; NULL when there were more than an entry holds. */
struct unwind_read *unwind_cache_reads(struct unwind_cache *c, size_t *n);
/* Keep the walk just recorded; reg_mask: the registers (bit = DWARF number)
 * it may depend on. Returns 0, or -ENOMEM (the cache is unchanged). */
int unwind_cache_store(struct unwind_cache *c, uint64_t gen, uint32_t reg_mask,
		       const uint64_t *regs, uint32_t stack_id);

/* Drop every walk made with Dwfl generation gen: it is gone. */
void unwind_cache_forget(struct unwind_cache *c, uint64_t gen);

struct unwind_cache_stats unwind_cache_stats(const struct unwind_cache *c);
/* How many entries are held now (at most SETS * WAYS). */
size_t unwind_cache_len(const struct unwind_cache *c);

#endif /* LEAKSCOPE_UNWIND_CACHE_H */
