// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Set-associative: an entry's set comes from (Dwfl generation, pc, sp), which
 * every entry that could match shares, so a lookup looks at one set only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unwind_cache.h"

struct entry {
	uint64_t gen;        /* 0: free */
	uint64_t last_use;
	uint32_t reg_mask;
	uint32_t stack_id;
	uint64_t regs[LS_STACK_REGS];  /* those outside reg_mask are 0 */
	uint32_t nreads;
	struct unwind_read *reads;
};

struct unwind_cache {
	struct entry sets[UNWIND_CACHE_SETS][UNWIND_CACHE_WAYS];
	uint64_t clock;
	struct unwind_cache_stats stats;
	/* the walk being recorded */
	struct unwind_read rec[UNWIND_CACHE_MAX_READS];
	uint32_t rec_len;
	bool rec_over;
};

bool unwind_stack_word(const struct unwind_stack *s, uint64_t addr, uint64_t *word)
{
	if (addr < s->sp || addr - s->sp > s->len || s->len - (addr - s->sp) < sizeof(*word))
		return false;
	memcpy(word, s->data + (addr - s->sp), sizeof(*word));
	return true;
}

struct unwind_cache *unwind_cache_new(void)
{
	return calloc(1, sizeof(struct unwind_cache));
}

static void drop(struct entry *e)
{
	free(e->reads);
	memset(e, 0, sizeof(*e));
}

void unwind_cache_free(struct unwind_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < UNWIND_CACHE_SETS; i++)
		for (size_t j = 0; j < UNWIND_CACHE_WAYS; j++)
			drop(&c->sets[i][j]);
	free(c);
}

static struct entry *set_of(struct unwind_cache *c, uint64_t gen, const uint64_t *regs)
{
	uint64_t h = gen * 0x9e3779b97f4a7c15ULL;

	h = (h ^ regs[LS_DWARF_IP]) * 0xff51afd7ed558ccdULL;
	h = (h ^ regs[LS_DWARF_SP]) * 0xc4ceb9fe1a85ec53ULL;
	return c->sets[(h >> 32) % UNWIND_CACHE_SETS];
}

static bool same_regs(const struct entry *e, const uint64_t *regs)
{
	for (int r = 0; r < LS_STACK_REGS; r++)
		if ((e->reg_mask & (1u << r)) && e->regs[r] != regs[r])
			return false;
	return true;
}

/* The walk would read what it read before: same addresses (they follow from
 * the registers and the earlier reads that matter), same answers. */
static bool same_reads(const struct entry *e, const struct unwind_stack *s)
{
	for (uint32_t i = 0; i < e->nreads; i++) {
		const struct unwind_read *r = &e->reads[i];
		uint64_t word = 0;
		bool ok = unwind_stack_word(s, r->addr, &word);

		if (ok != r->ok || (ok && r->matters && word != r->word))
			return false;
	}
	return true;
}

bool unwind_cache_lookup(struct unwind_cache *c, uint64_t gen, const uint64_t *regs,
			 const struct unwind_stack *s, uint32_t *stack_id)
{
	struct entry *set = set_of(c, gen, regs);

	for (size_t j = 0; j < UNWIND_CACHE_WAYS; j++) {
		struct entry *e = &set[j];

		if (e->gen != gen || !gen || !same_regs(e, regs) || !same_reads(e, s))
			continue;
		e->last_use = ++c->clock;
		*stack_id = e->stack_id;
		c->stats.hits++;
		return true;
	}
	c->stats.misses++;
	return false;
}

void unwind_cache_begin(struct unwind_cache *c)
{
	c->rec_len = 0;
	c->rec_over = false;
}

void unwind_cache_note_read(struct unwind_cache *c, uint32_t frame, uint64_t addr, bool ok,
			    uint64_t word)
{
	struct unwind_read *r;

	if (c->rec_len == UNWIND_CACHE_MAX_READS) {
		c->rec_over = true;
		return;
	}
	r = &c->rec[c->rec_len++];
	r->addr = addr;
	r->word = ok ? word : 0;
	r->frame = frame;
	r->ok = ok;
	r->matters = true;
}

struct unwind_read *unwind_cache_reads(struct unwind_cache *c, size_t *n)
{
	*n = c->rec_over ? 0 : c->rec_len;
	return c->rec_over ? NULL : c->rec;
}

int unwind_cache_store(struct unwind_cache *c, uint64_t gen, uint32_t reg_mask,
		       const uint64_t *regs, uint32_t stack_id)
{
	struct entry *set = set_of(c, gen, regs), *slot = &set[0];
	struct unwind_read *reads = NULL;

	if (!gen)
		return 0;
	if (c->rec_over) {
		c->stats.too_long++;
		return 0;
	}
	if (c->rec_len) {
		reads = malloc(c->rec_len * sizeof(*reads));
		if (!reads)
			return -ENOMEM;
		memcpy(reads, c->rec, c->rec_len * sizeof(*reads));
	}
	for (size_t j = 0; j < UNWIND_CACHE_WAYS; j++) {
		if (!set[j].gen) {
			slot = &set[j];
			break;
		}
		if (set[j].last_use < slot->last_use)
			slot = &set[j];
	}
	if (slot->gen)
		c->stats.evicted++;
	drop(slot);
	/* pc and sp are in the key whatever the caller says: the set is theirs */
	slot->reg_mask = (reg_mask | 1u << LS_DWARF_IP | 1u << LS_DWARF_SP) & UNWIND_CACHE_ALL_REGS;
	for (int r = 0; r < LS_STACK_REGS; r++)
		slot->regs[r] = (slot->reg_mask & (1u << r)) ? regs[r] : 0;
	slot->gen = gen;
	slot->last_use = ++c->clock;
	slot->stack_id = stack_id;
	slot->nreads = c->rec_len;
	slot->reads = reads;
	c->stats.stored++;
	return 0;
}

void unwind_cache_forget(struct unwind_cache *c, uint64_t gen)
{
	for (size_t i = 0; i < UNWIND_CACHE_SETS; i++)
		for (size_t j = 0; j < UNWIND_CACHE_WAYS; j++)
			if (c->sets[i][j].gen == gen && gen) {
				drop(&c->sets[i][j]);
				c->stats.forgotten++;
			}
}

struct unwind_cache_stats unwind_cache_stats(const struct unwind_cache *c)
{
	return c->stats;
}

size_t unwind_cache_len(const struct unwind_cache *c)
{
	size_t n = 0;

	for (size_t i = 0; i < UNWIND_CACHE_SETS; i++)
		for (size_t j = 0; j < UNWIND_CACHE_WAYS; j++)
			n += c->sets[i][j].gen != 0;
	return n;
}
