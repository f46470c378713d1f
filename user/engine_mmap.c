// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Memory mappings: mmap, munmap, mremap, brk. A file mapping keeps its own
 * record of the file (path, device, inode), so it still names the file after
 * the fd it was made from is closed — as the kernel keeps the file alive.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

#define PAGE_SIZE 4096ULL

static uint64_t page_end(uint64_t addr, uint64_t len)
{
	uint64_t end = addr + len;

	if (end < addr)
		return UINT64_MAX & ~(PAGE_SIZE - 1);
	return (end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

int eng_on_mmap(struct ls_engine *eng, const struct ls_mmap *e)
{
	struct ls_vma m = { 0 };
	struct ls_process *p;
	int err = 0;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	m.start = e->addr;
	m.end = page_end(e->addr, e->len);
	m.prot = e->prot;
	m.flags = e->flags;
	m.dev = e->dev;
	m.ino = e->ino;
	m.offset = e->offset;
	m.created_ns = e->hdr.ts_ns;
	m.before_attach = e->snapshot == LS_MMAP_SNAPSHOT;
	if (!e->snapshot)
		m.stack_id = eng_take_stack(p, &e->hdr, LS_SYS_MMAP);
	if (e->path_len) {
		m.path = strndup(e->path, e->path_len);
		if (!m.path)
			goto nomem;
	}
	if (vma_map(&p->vmas, &m))
		goto nomem;
	if (!e->snapshot)
		p->maps_created++;
	return 0;
nomem:
	eng->stats.oom++;
	return -ENOMEM;
}

int eng_on_munmap(struct ls_engine *eng, const struct ls_munmap *e)
{
	struct ls_process *p;
	int err = 0, n;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	n = vma_unmap(&p->vmas, e->addr, page_end(e->addr, e->len));
	if (n < 0) {
		eng->stats.oom++;
		return n;
	}
	p->maps_released += n;
	return 0;
}

int eng_on_mremap(struct ls_engine *eng, const struct ls_mremap *e)
{
	const struct ls_vma *old;
	struct ls_vma m = { 0 };
	struct ls_process *p;
	int err = 0;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	old = vma_find(&p->vmas, e->old_addr);
	if (old) {
		m = *old;
		m.offset = old->offset + (e->old_addr > old->start ? e->old_addr - old->start : 0);
		m.path = old->path ? strdup(old->path) : NULL;
		if (old->path && !m.path)
			goto nomem;
	} else {
		eng->stats.unknown_mapping++;
	}
	if (vma_unmap(&p->vmas, e->old_addr, page_end(e->old_addr, e->old_len)) < 0) {
		free(m.path);
		goto nomem;
	}
	m.start = e->new_addr;
	m.end = page_end(e->new_addr, e->new_len);
	if (vma_map(&p->vmas, &m))
		goto nomem;
	return 0;
nomem:
	eng->stats.oom++;
	return -ENOMEM;
}

int eng_on_brk(struct ls_engine *eng, const struct ls_brk *e)
{
	struct ls_process *p;
	int err = 0;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	if (!p->brk_first)
		p->brk_first = e->old_brk ? e->old_brk : e->brk;
	p->brk_now = e->brk;
	/* the heap is a mapping too: it grows or shrinks with the break */
	if (e->old_brk && e->brk > e->old_brk) {
		struct ls_vma m = { .start = e->old_brk, .end = page_end(e->old_brk, e->brk - e->old_brk),
				    .prot = LS_PROT_READ | LS_PROT_WRITE,
				    .flags = LS_MAP_PRIVATE | LS_MAP_ANONYMOUS,
				    .created_ns = e->hdr.ts_ns };

		/* the old break may end inside a page the heap already has */
		m.start = page_end(e->old_brk, 0);
		if (m.end > m.start && vma_map(&p->vmas, &m))
			goto nomem;
	} else if (e->old_brk && e->brk < e->old_brk) {
		if (vma_unmap(&p->vmas, page_end(e->brk, 0), page_end(e->old_brk, 0)) < 0)
			goto nomem;
	}
	return 0;
nomem:
	eng->stats.oom++;
	return -ENOMEM;
}
