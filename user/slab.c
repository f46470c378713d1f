// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slab.h"

#if defined(__SANITIZE_ADDRESS__)
#define SLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_ASAN 1
#endif
#endif
#ifdef SLAB_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* chunks grow from a few objects (an engine with a handful of fds stays
 * small) to about 256 KiB */
#define SLAB_FIRST_OBJECTS 32
#define SLAB_CHUNK_MAX_BYTES (256 * 1024)

struct slab_chunk {
	struct slab_chunk *next;
	max_align_t objects[];
};

void slab_init(struct slab *s, size_t size)
{
	memset(s, 0, sizeof(*s));
	if (size < sizeof(void *))
		size = sizeof(void *);
	s->size = (size + sizeof(void *) - 1) / sizeof(void *) * sizeof(void *);
	s->next_objects = SLAB_FIRST_OBJECTS;
}

void slab_fini(struct slab *s)
{
	struct slab_chunk *c = s->chunks, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	s->chunks = NULL;
	s->free = NULL;
	s->fresh = s->fresh_end = NULL;
}

static int slab_grow(struct slab *s)
{
	size_t bytes = s->next_objects * s->size;
	struct slab_chunk *c = malloc(sizeof(*c) + bytes);

	if (!c)
		return -1;
	c->next = s->chunks;
	s->chunks = c;
	s->fresh = (char *)c->objects;
	s->fresh_end = s->fresh + bytes;
	POISON(s->fresh, bytes);
	if (bytes * 2 <= SLAB_CHUNK_MAX_BYTES)
		s->next_objects *= 2;
	return 0;
}

void *slab_alloc(struct slab *s)
{
	void *obj = s->free;

	if (obj) {
		UNPOISON(obj, s->size);
		memcpy(&s->free, obj, sizeof(void *));
	} else {
		if (s->fresh == s->fresh_end && slab_grow(s))
			return NULL;
		obj = s->fresh;
		s->fresh += s->size;
		UNPOISON(obj, s->size);
	}
	memset(obj, 0, s->size);
	return obj;
}

void slab_free(struct slab *s, void *obj)
{
	if (!obj)
		return;
	memcpy(obj, &s->free, sizeof(void *));
	s->free = obj;
	POISON(obj, s->size);
}
