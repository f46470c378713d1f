// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Memory mappings: the interval set and the engine's mmap/munmap/mremap/brk rules. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"
#include "vma.h"

#define K4 4096ULL

static void map(struct ls_vma_set *s, uint64_t start, uint64_t end, const char *path)
{
	struct ls_vma m = { .start = start, .end = end, .path = path ? strdup(path) : NULL };

	assert_int_equal(vma_map(s, &m), 0);
}

static void assert_vma(const struct ls_vma_set *s, size_t i, uint64_t start, uint64_t end)
{
	assert_true(i < s->len);
	assert_int_equal(s->v[i].start, start);
	assert_int_equal(s->v[i].end, end);
}

static void test_split_trim_and_replace(void **state)
{
	struct ls_vma_set s = { 0 };
	uint64_t anon, file;

	(void)state;
	map(&s, 10 * K4, 20 * K4, "/lib/x.so");
	map(&s, 30 * K4, 40 * K4, NULL);
	/* a hole in the middle splits, and both pieces keep the file */
	assert_int_equal(vma_unmap(&s, 12 * K4, 14 * K4), 0);
	assert_int_equal(s.len, 3);
	assert_vma(&s, 0, 10 * K4, 12 * K4);
	assert_vma(&s, 1, 14 * K4, 20 * K4);
	assert_string_equal(s.v[1].path, "/lib/x.so");
	assert_ptr_not_equal(s.v[0].path, s.v[1].path);
	/* trims at both ends, a whole one removed in between */
	assert_int_equal(vma_unmap(&s, 18 * K4, 35 * K4), 0);
	assert_vma(&s, 1, 14 * K4, 18 * K4);
	assert_vma(&s, 2, 35 * K4, 40 * K4);
	assert_int_equal(vma_unmap(&s, 0, 13 * K4), 1);
	assert_int_equal(s.len, 2);
	/* MAP_FIXED over a range replaces what was there */
	map(&s, 15 * K4, 36 * K4, NULL);
	assert_int_equal(s.len, 3);
	assert_vma(&s, 0, 14 * K4, 15 * K4);
	assert_vma(&s, 1, 15 * K4, 36 * K4);
	assert_vma(&s, 2, 36 * K4, 40 * K4);
	assert_null(vma_find(&s, 13 * K4));
	assert_ptr_equal(vma_find(&s, 20 * K4), &s.v[1]);
	vma_bytes(&s, &anon, &file);
	assert_int_equal(file, K4);
	assert_int_equal(anon, 25 * K4);
	vma_clear(&s);
}

/* A file mapping's pieces keep the file offset each one starts at: the
 * unwinder computes load biases from it. */
static void test_offsets_follow_splits(void **state)
{
	struct ls_vma_set s = { 0 };
	struct ls_vma m = { .start = 10 * K4, .end = 20 * K4, .offset = 2 * K4,
			    .path = strdup("/lib/y.so") };

	(void)state;
	assert_int_equal(vma_map(&s, &m), 0);
	assert_int_equal(vma_unmap(&s, 12 * K4, 14 * K4), 0);
	assert_int_equal(s.v[0].offset, 2 * K4);
	assert_int_equal(s.v[1].offset, 6 * K4);
	/* trimming the front moves the offset with the start */
	assert_int_equal(vma_unmap(&s, 14 * K4, 15 * K4), 0);
	assert_vma(&s, 1, 15 * K4, 20 * K4);
	assert_int_equal(s.v[1].offset, 7 * K4);
	/* trimming the end does not */
	assert_int_equal(vma_unmap(&s, 11 * K4, 12 * K4), 0);
	assert_int_equal(s.v[0].offset, 2 * K4);
	vma_clear(&s);
}

static struct ls_mmap ev_mmap(uint64_t ts, uint64_t addr, uint64_t len, const char *path)
{
	struct ls_mmap e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_MMAP, sizeof(e), 7, 7, ts);
	e.addr = addr;
	e.len = len;
	e.fd = path ? 3 : -1;
	e.flags = path ? LS_MAP_SHARED : (LS_MAP_PRIVATE | LS_MAP_ANONYMOUS);
	e.path_len = ev_copy_text(e.path, sizeof(e.path), path);
	e.ino = path ? 99 : 0;
	return e;
}

static void test_engine_mappings(void **state)
{
	struct ls_engine *eng = engine_new();
	struct ls_mremap re;
	const struct ls_process *p, *child;

	(void)state;
	assert_int_equal(ev_apply(eng, ev_attach(7, 1, 1, "m", "m\0", 2, 0)), 0);
	/* the file mapping outlives its fd: it keeps its own name for the file */
	assert_int_equal(ev_apply(eng, ev_open(7, 7, 2, 3, "/data/f", LS_RES_FILE, 0xa3, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_mmap(3, 0x100000, 3 * K4 - 5, "/data/f")), 0);
	assert_int_equal(ev_apply(eng, ev_close(7, 7, 4, 3)), 0);
	assert_int_equal(ev_apply(eng, ev_mmap(5, 0x200000, 10 * K4, NULL)), 0);
	p = engine_find_live(eng, 7);
	assert_int_equal(p->vmas.len, 2);
	assert_string_equal(p->vmas.v[0].path, "/data/f");
	assert_int_equal(p->vmas.v[0].end, 0x100000 + 3 * K4); /* rounded up to a page */

	assert_int_equal(ev_apply(eng, ev_munmap(7, 6, 0x200000 + 4 * K4, 2 * K4)), 0);
	assert_int_equal(p->vmas.len, 3);

	re = ev_mremap(7, 7, 0x100000, 3 * K4, 0x900000, 6 * K4);
	assert_int_equal(ev_apply(eng, re), 0);
	assert_null(vma_find(&p->vmas, 0x100000));
	assert_string_equal(vma_find(&p->vmas, 0x900000 + 5 * K4)->path, "/data/f");
	re.old_addr = 0x50000; /* never mapped: becomes an anonymous mapping */
	re.new_addr = 0xa00000;
	re.new_len = K4;
	assert_int_equal(ev_apply(eng, re), 0);
	assert_int_equal(engine_stats(eng)->unknown_mapping, 1);

	assert_int_equal(ev_apply(eng, ev_brk(7, 8, 0, 0x600000)), 0);
	assert_int_equal(ev_apply(eng, ev_brk(7, 8, 0, 0x640000)), 0);
	assert_int_equal(p->brk_now - p->brk_first, 0x40000);
	assert_int_equal(p->maps_created, 2);
	assert_int_equal(p->maps_released, 0);

	/* fork copies the address space; exec and exit empty it */
	assert_int_equal(ev_apply(eng, ev_fork(7, 7, 9, 8, 8, 0, 0, "m")), 0);
	child = engine_find_live(eng, 8);
	assert_int_equal(child->vmas.len, p->vmas.len);
	assert_int_equal(ev_apply(eng, ev_exec(8, 8, 10, "/bin/true", "true", "true\0", 5)), 0);
	assert_int_equal(child->vmas.len, 0);
	assert_int_equal(ev_apply(eng, ev_exit(7, 7, 11, 0, 1)), 0);
	assert_int_equal(p->vmas.len, 0);
	assert_int_equal(p->maps_at_exit, 4); /* 2 anon pieces, the file, the remapped anon */
	assert_int_equal(p->file_bytes_at_exit, 6 * K4);
	engine_free(eng);
}

static void map_as(struct ls_vma_set *s, uint64_t start, uint64_t end, uint32_t prot,
		   uint32_t flags, const char *path)
{
	struct ls_vma m = { .start = start, .end = end, .prot = prot, .flags = flags,
			    .path = path ? strdup(path) : NULL, .ino = path ? 7 : 0 };

	assert_int_equal(vma_map(s, &m), 0);
}

/* The same count from scratch: runs of neighbours the kernel would merge. */
static size_t merged_by_scan(const struct ls_vma_set *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->len; i++) {
		const struct ls_vma *a = i ? &s->v[i - 1] : NULL, *b = &s->v[i];

		n += !(a && a->end == b->start && !a->path && !b->path && a->prot == b->prot &&
		       !((a->flags | b->flags) & LS_MAP_SHARED));
	}
	return n;
}

static void test_count_merged_like_the_kernel(void **state)
{
	const uint32_t rw = LS_PROT_READ | LS_PROT_WRITE, priv = LS_MAP_PRIVATE | LS_MAP_ANONYMOUS;
	struct ls_vma_set s = { 0 }, copy = { 0 };

	(void)state;
	/* a heap grown by brk, piece by piece: one VMA in the kernel */
	for (uint64_t i = 0; i < 10; i++)
		map_as(&s, (100 + i) * K4, (101 + i) * K4, rw, priv, NULL);
	assert_int_equal(s.len, 10);
	assert_int_equal(vma_count_merged(&s), 1);
	/* a guard page of another protection splits it; a hole too */
	map_as(&s, 104 * K4, 105 * K4, 0, priv, NULL);
	assert_int_equal(vma_count_merged(&s), 3);
	assert_int_equal(vma_unmap(&s, 107 * K4, 108 * K4), 1);
	assert_int_equal(vma_count_merged(&s), 4);
	/* shared anonymous memory and file mappings stay apart */
	map_as(&s, 110 * K4, 111 * K4, rw, LS_MAP_SHARED | LS_MAP_ANONYMOUS, NULL);
	map_as(&s, 111 * K4, 112 * K4, rw, priv, NULL);
	map_as(&s, 112 * K4, 113 * K4, rw, LS_MAP_PRIVATE, "/lib/a.so");
	map_as(&s, 113 * K4, 114 * K4, rw, LS_MAP_PRIVATE, "/lib/a.so");
	assert_int_equal(vma_count_merged(&s), 8);
	/* a hole in the middle of a merged run makes two */
	assert_int_equal(vma_unmap(&s, 101 * K4 + 10, 102 * K4), 0);
	assert_int_equal(vma_count_merged(&s), merged_by_scan(&s));
	assert_int_equal(vma_copy(&copy, &s), 0);
	assert_int_equal(vma_count_merged(&copy), vma_count_merged(&s));
	vma_clear(&s);
	assert_int_equal(vma_count_merged(&s), 0);
	vma_clear(&copy);
}

/* Random maps and unmaps over a small range: the kept count never drifts. */
static void test_count_merged_matches_a_scan(void **state)
{
	struct ls_vma_set s = { 0 };
	uint32_t x = 12345;

	(void)state;
	for (int i = 0; i < 4000; i++) {
		uint64_t a, b;

		x = x * 1103515245 + 12345;
		a = (x >> 8) % 64;
		b = a + 1 + (x >> 20) % 8;
		if ((x >> 4) % 3 == 0)
			assert_true(vma_unmap(&s, a * K4, b * K4) >= 0);
		else
			map_as(&s, a * K4, b * K4, (x >> 12) % 2 ? LS_PROT_READ : 3,
			       (x >> 16) % 5 ? LS_MAP_PRIVATE : LS_MAP_SHARED,
			       (x >> 24) % 7 ? NULL : "/f");
		assert_int_equal(vma_count_merged(&s), merged_by_scan(&s));
	}
	vma_clear(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_trim_and_replace),
		cmocka_unit_test(test_offsets_follow_splits),
		cmocka_unit_test(test_engine_mappings),
		cmocka_unit_test(test_count_merged_like_the_kernel),
		cmocka_unit_test(test_count_merged_matches_a_scan),
	};

	return cmocka_run_group_tests_name("vma", tests, NULL, NULL);
}
