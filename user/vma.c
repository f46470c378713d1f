// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vma.h"
#include "../bpf/events.h"

static int reserve(struct ls_vma_set *s, size_t extra)
{
	size_t cap;
	struct ls_vma *v;

	if (s->len + extra <= s->cap)
		return 0;
	cap = s->cap ? s->cap * 2 : 16;
	while (cap < s->len + extra)
		cap *= 2;
	v = realloc(s->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->v = v;
	s->cap = cap;
	return 0;
}

/* Neighbours the kernel's vma_merge joins: anonymous, private, same protection. */
static bool mergeable(const struct ls_vma *a, const struct ls_vma *b)
{
	return a->end == b->start && !a->path && !b->path && !a->ino && !b->ino &&
	       !((a->flags | b->flags) & LS_MAP_SHARED) && a->prot == b->prot;
}

/* 1 if the mappings at i and i + 1 would be one VMA in the kernel */
static size_t join_at(const struct ls_vma_set *s, size_t i)
{
	return i + 1 < s->len && mergeable(&s->v[i], &s->v[i + 1]);
}

/* The joins of the pairs (i - 1, i) and (i, i + 1): what a change at i affects. */
static size_t joins_around(const struct ls_vma_set *s, size_t i)
{
	return (i > 0 ? join_at(s, i - 1) : 0) + join_at(s, i);
}

/* first index whose mapping ends after addr */
static size_t first_after(const struct ls_vma_set *s, uint64_t addr)
{
	size_t lo = 0, hi = s->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int vma_unmap(struct ls_vma_set *s, uint64_t start, uint64_t end)
{
	size_t i = first_after(s, start);
	int whole = 0;

	if (end <= start)
		return 0;
	while (i < s->len && s->v[i].start < end) {
		struct ls_vma *m = &s->v[i];

		if (m->start >= start && m->end <= end) {
			s->joins -= joins_around(s, i);
			free(m->path);
			memmove(m, m + 1, (s->len - i - 1) * sizeof(*m));
			s->len--;
			s->joins += i > 0 ? join_at(s, i - 1) : 0;
			whole++;
			continue;
		}
		if (m->start < start && m->end > end) {
			/* a hole in the middle: two pieces */
			struct ls_vma right = *m;

			if (reserve(s, 1))
				return -ENOMEM;
			m = &s->v[i];
			right.start = end;
			right.offset += end - m->start;
			right.path = m->path ? strdup(m->path) : NULL;
			if (m->path && !right.path)
				return -ENOMEM;
			s->joins -= joins_around(s, i);
			m->end = start;
			memmove(&s->v[i + 2], &s->v[i + 1], (s->len - i - 1) * sizeof(*m));
			s->v[i + 1] = right;
			s->len++;
			s->joins += joins_around(s, i) + join_at(s, i + 1);
			return whole;
		}
		s->joins -= joins_around(s, i);
		if (m->start < start) {
			m->end = start;
		} else {
			m->offset += end - m->start;
			m->start = end;
		}
		s->joins += joins_around(s, i);
		i++;
	}
	return whole;
}

int vma_map(struct ls_vma_set *s, struct ls_vma *m)
{
	size_t i;

	if (m->end <= m->start || vma_unmap(s, m->start, m->end) < 0 || reserve(s, 1)) {
		free(m->path);
		m->path = NULL;
		return m->end <= m->start ? 0 : -ENOMEM;
	}
	i = first_after(s, m->start);
	s->joins -= i > 0 ? join_at(s, i - 1) : 0;
	memmove(&s->v[i + 1], &s->v[i], (s->len - i) * sizeof(*m));
	s->v[i] = *m;
	s->len++;
	s->joins += joins_around(s, i);
	m->path = NULL;
	return 0;
}

const struct ls_vma *vma_find(const struct ls_vma_set *s, uint64_t addr)
{
	size_t i = first_after(s, addr);

	if (i < s->len && s->v[i].start <= addr)
		return &s->v[i];
	return NULL;
}

int vma_copy(struct ls_vma_set *dst, const struct ls_vma_set *src)
{
	vma_clear(dst);
	if (reserve(dst, src->len))
		return -ENOMEM;
	for (size_t i = 0; i < src->len; i++) {
		dst->v[i] = src->v[i];
		dst->v[i].path = src->v[i].path ? strdup(src->v[i].path) : NULL;
		dst->len = i + 1;
		if (src->v[i].path && !dst->v[i].path) {
			dst->len = i;
			break;
		}
	}
	for (size_t i = 0; i < dst->len; i++)
		dst->joins += join_at(dst, i);
	return dst->len == src->len ? 0 : -ENOMEM;
}

void vma_clear(struct ls_vma_set *s)
{
	for (size_t i = 0; i < s->len; i++)
		free(s->v[i].path);
	free(s->v);
	s->v = NULL;
	s->len = s->cap = s->joins = 0;
}


void vma_bytes(const struct ls_vma_set *s, uint64_t *anon, uint64_t *file)
{
	*anon = *file = 0;
	for (size_t i = 0; i < s->len; i++) {
		uint64_t n = s->v[i].end - s->v[i].start;

		if (s->v[i].path)
			*file += n;
		else
			*anon += n;
	}
}
