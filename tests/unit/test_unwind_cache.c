// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Remembered stack walks: a hit only when the walk would repeat itself. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "unwind_cache.h"

#define SP 0x7ffd00001000ULL
#define PC 0x7f0000012345ULL
#define GEN 7
#define REG_BP 6

/* A copied stack of 64 words, word i = 0x1000 + i, in a buffer with room
 * for a longer copy. */
struct fake {
	uint64_t words[600];
	uint64_t regs[LS_STACK_REGS];
	struct unwind_stack s;
};

static void fake_init(struct fake *f)
{
	for (size_t i = 0; i < 600; i++)
		f->words[i] = 0x1000 + i;
	for (int r = 0; r < LS_STACK_REGS; r++)
		f->regs[r] = 0x100 + (uint64_t)r;
	f->regs[LS_DWARF_SP] = SP;
	f->regs[LS_DWARF_IP] = PC;
	f->s = (struct unwind_stack){ .data = (const uint8_t *)f->words, .sp = SP,
				      .len = 64 * 8 };
}

/* A read through the copy, noted the way the unwinder's memory_read does. */
static void read_word(struct unwind_cache *c, const struct fake *f, uint32_t frame, uint64_t addr)
{
	uint64_t w = 0;
	bool ok = unwind_stack_word(&f->s, addr, &w);

	unwind_cache_note_read(c, frame, addr, ok, w);
}

/* Record a walk that read words 1 and 5 and tried past the copy, then keep it. */
static void record(struct unwind_cache *c, const struct fake *f, uint64_t gen, uint32_t mask,
		   uint32_t id)
{
	unwind_cache_begin(c);
	read_word(c, f, 0, SP + 8);
	read_word(c, f, 0, SP + 40);
	read_word(c, f, 1, SP + 4096);
	assert_int_equal(unwind_cache_store(c, gen, mask, f->regs, id), 0);
}

static bool lookup(struct unwind_cache *c, const struct fake *f, uint64_t gen, uint32_t *id)
{
	return unwind_cache_lookup(c, gen, f->regs, &f->s, id);
}

static void test_stack_word(void **state)
{
	struct fake f;
	uint64_t w = 0;

	(void)state;
	fake_init(&f);
	assert_true(unwind_stack_word(&f.s, SP, &w));
	assert_int_equal(w, 0x1000);
	assert_true(unwind_stack_word(&f.s, SP + 63 * 8, &w));
	assert_int_equal(w, 0x1000 + 63);
	/* below sp, straddling the end, past the end */
	assert_false(unwind_stack_word(&f.s, SP - 8, &w));
	assert_false(unwind_stack_word(&f.s, SP + 63 * 8 + 1, &w));
	assert_false(unwind_stack_word(&f.s, SP + 64 * 8, &w));
	assert_false(unwind_stack_word(&f.s, UINT64_MAX - 3, &w));
}

static void test_hit_on_identical_input(void **state)
{
	struct unwind_cache *c = unwind_cache_new();
	struct fake f, g;
	uint32_t id = 0;

	(void)state;
	assert_non_null(c);
	fake_init(&f);
	assert_false(lookup(c, &f, GEN, &id));
	record(c, &f, GEN, UNWIND_CACHE_ALL_REGS, 42);
	/* another copy with the same contents (another event) */
	fake_init(&g);
	assert_true(lookup(c, &g, GEN, &id));
	assert_int_equal(id, 42);
	/* words the walk did not read may differ */
	g.words[2] = 0xdead;
	g.words[40] = 0xbeef;
	assert_true(lookup(c, &g, GEN, &id));
	assert_int_equal(id, 42);
	struct unwind_cache_stats st = unwind_cache_stats(c);
	assert_int_equal(st.hits, 2);
	assert_int_equal(st.misses, 1);
	assert_int_equal(st.stored, 1);
	assert_int_equal(unwind_cache_len(c), 1);
	unwind_cache_free(c);
}

static void test_miss_when_a_read_word_differs(void **state)
{
	struct unwind_cache *c = unwind_cache_new();
	struct fake f, g;
	uint32_t id = 0;

	(void)state;
	fake_init(&f);
	record(c, &f, GEN, UNWIND_CACHE_ALL_REGS, 42);
	fake_init(&g);
	g.words[5]++;
	assert_false(lookup(c, &g, GEN, &id));
	/* a read that failed must fail again: with a longer copy it would not */
	fake_init(&g);
	g.s.len = 4096 + 8;
	assert_false(lookup(c, &g, GEN, &id));
	/* and one that succeeded must succeed: a copy cut before word 5 */
	g.s.len = 5 * 8;
	assert_false(lookup(c, &g, GEN, &id));
	unwind_cache_free(c);
}

static void test_words_that_do_not_matter(void **state)
{
	struct unwind_cache *c = unwind_cache_new();
	struct unwind_read *reads;
	struct fake f, g;
	uint32_t id = 0;
	size_t n;

	(void)state;
	fake_init(&f);
	unwind_cache_begin(c);
	read_word(c, &f, 0, SP + 8);
	read_word(c, &f, 0, SP + 16);
	reads = unwind_cache_reads(c, &n);
	assert_non_null(reads);
	assert_int_equal(n, 2);
	assert_true(reads[0].ok);
	assert_int_equal(reads[1].word, 0x1002);
	assert_true(reads[1].matters);
	/* a saved register nothing uses again: its value cannot matter */
	reads[1].matters = false;
	assert_int_equal(unwind_cache_store(c, GEN, UNWIND_CACHE_ALL_REGS, f.regs, 9), 0);
	fake_init(&g);
	g.words[2] = 0x5555;
	assert_true(lookup(c, &g, GEN, &id));
	assert_int_equal(id, 9);
	/* ... but whether it could be read still does */
	g.s.len = 16;
	assert_false(lookup(c, &g, GEN, &id));
	fake_init(&g);
	g.words[1] = 0x5555;
	assert_false(lookup(c, &g, GEN, &id));
	unwind_cache_free(c);
}

static void test_miss_when_registers_differ(void **state)
{
	struct unwind_cache *c = unwind_cache_new();
	uint32_t mask = 1u << REG_BP;   /* pc and sp are added by the cache */
	struct fake f, g;
	uint32_t id = 0;

	(void)state;
	fake_init(&f);
	record(c, &f, GEN, mask, 42);
	fake_init(&g);
	g.regs[LS_DWARF_IP]++;
	assert_false(lookup(c, &g, GEN, &id));
	fake_init(&g);
	g.regs[REG_BP]++;
	assert_false(lookup(c, &g, GEN, &id));
	/* another sp: the copy is the same bytes, but at other addresses */
	fake_init(&g);
	g.regs[LS_DWARF_SP] += 8;
	g.s.sp += 8;
	assert_false(lookup(c, &g, GEN, &id));
	/* a register the walk cannot read (rax: the syscall's result) */
	fake_init(&g);
	g.regs[0] = 99;
	assert_true(lookup(c, &g, GEN, &id));
	assert_int_equal(id, 42);
	unwind_cache_free(c);
}

static void test_invalidated_with_the_dwfl(void **state)
{
	struct unwind_cache *c = unwind_cache_new();
	struct fake f;
	uint32_t id = 0;

	(void)state;
	fake_init(&f);
	record(c, &f, GEN, UNWIND_CACHE_ALL_REGS, 42);
	record(c, &f, GEN + 1, UNWIND_CACHE_ALL_REGS, 43);
	/* another Dwfl (exec, dlopen: other modules) does not see it */
	assert_false(lookup(c, &f, GEN + 2, &id));
	unwind_cache_forget(c, GEN);
	assert_false(lookup(c, &f, GEN, &id));
	assert_true(lookup(c, &f, GEN + 1, &id));
	assert_int_equal(id, 43);
	assert_int_equal(unwind_cache_stats(c).forgotten, 1);
	assert_int_equal(unwind_cache_len(c), 1);
	/* generation 0 is no Dwfl: nothing is kept for it */
	record(c, &f, 0, UNWIND_CACHE_ALL_REGS, 44);
	assert_false(lookup(c, &f, 0, &id));
	unwind_cache_free(c);
}

static void test_nothing_unwound_is_an_outcome(void **state)
{
	struct unwind_cache *c = unwind_cache_new();
	struct fake f;
	uint32_t id = 5;

	(void)state;
	fake_init(&f);
	record(c, &f, GEN, UNWIND_CACHE_ALL_REGS, 0);
	assert_true(lookup(c, &f, GEN, &id));
	assert_int_equal(id, 0);
	unwind_cache_free(c);
}

static void test_eviction_bound(void **state)
{
	const size_t cap = UNWIND_CACHE_SETS * UNWIND_CACHE_WAYS;
	struct unwind_cache *c = unwind_cache_new();
	struct fake f;
	uint32_t id = 0;

	(void)state;
	fake_init(&f);
	for (size_t i = 0; i < 3 * cap; i++) {
		f.regs[LS_DWARF_IP] = PC + 16 * i;
		record(c, &f, GEN, UNWIND_CACHE_ALL_REGS, (uint32_t)i + 1);
		assert_true(unwind_cache_len(c) <= cap);
	}
	/* sets fill unevenly: past the bound, stores evict */
	assert_int_equal(unwind_cache_stats(c).stored, 3 * cap);
	assert_true(unwind_cache_stats(c).evicted >= 2 * cap);
	assert_int_equal(unwind_cache_stats(c).stored - unwind_cache_stats(c).evicted,
			 unwind_cache_len(c));
	/* the last one stored is there; the first ones were evicted */
	assert_true(lookup(c, &f, GEN, &id));
	assert_int_equal(id, 3 * cap);
	f.regs[LS_DWARF_IP] = PC;
	assert_false(lookup(c, &f, GEN, &id));
	unwind_cache_free(c);
}

/* Within a set, the least recently used goes: a site looked up often stays. */
static void test_lru_keeps_the_used_one(void **state)
{
	struct unwind_cache *c = unwind_cache_new();
	struct fake f;
	uint32_t id = 0;

	(void)state;
	fake_init(&f);
	record(c, &f, GEN, UNWIND_CACHE_ALL_REGS, 1);
	for (size_t i = 1; i < 20 * UNWIND_CACHE_SETS * UNWIND_CACHE_WAYS; i++) {
		f.regs[LS_DWARF_IP] = PC;
		assert_true(lookup(c, &f, GEN, &id));
		assert_int_equal(id, 1);
		f.regs[LS_DWARF_IP] = PC + 16 * i;
		record(c, &f, GEN, UNWIND_CACHE_ALL_REGS, 2);
	}
	unwind_cache_free(c);
}

static void test_too_long_a_walk_is_not_kept(void **state)
{
	struct unwind_cache *c = unwind_cache_new();
	struct fake f;
	uint32_t id = 0;
	size_t n = 1;

	(void)state;
	fake_init(&f);
	unwind_cache_begin(c);
	for (size_t i = 0; i <= UNWIND_CACHE_MAX_READS; i++)
		unwind_cache_note_read(c, 0, SP, true, 0x1000);
	assert_null(unwind_cache_reads(c, &n));
	assert_int_equal(n, 0);
	assert_int_equal(unwind_cache_store(c, GEN, UNWIND_CACHE_ALL_REGS, f.regs, 3), 0);
	assert_false(lookup(c, &f, GEN, &id));
	assert_int_equal(unwind_cache_stats(c).too_long, 1);
	assert_int_equal(unwind_cache_len(c), 0);
	/* the next recording starts afresh */
	record(c, &f, GEN, UNWIND_CACHE_ALL_REGS, 4);
	assert_true(lookup(c, &f, GEN, &id));
	assert_int_equal(id, 4);
	unwind_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stack_word),
		cmocka_unit_test(test_hit_on_identical_input),
		cmocka_unit_test(test_miss_when_a_read_word_differs),
		cmocka_unit_test(test_words_that_do_not_matter),
		cmocka_unit_test(test_miss_when_registers_differ),
		cmocka_unit_test(test_invalidated_with_the_dwfl),
		cmocka_unit_test(test_nothing_unwound_is_an_outcome),
		cmocka_unit_test(test_eviction_bound),
		cmocka_unit_test(test_lru_keeps_the_used_one),
		cmocka_unit_test(test_too_long_a_walk_is_not_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
