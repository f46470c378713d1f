/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Objects of one size carved from big chunks, with a free list. The engine
 * keeps one struct ls_fd and one struct ls_ofd per open fd, and a traced
 * process may hold a million: malloc would add its header and rounding to
 * each (16 bytes and more), a slab adds nothing. Freed objects are reused,
 * not returned to the system: memory follows the peak of live objects.
 * Under AddressSanitizer free objects are poisoned, so a use after free is
 * still caught.
 */
#ifndef LEAKSCOPE_SLAB_H
#define LEAKSCOPE_SLAB_H

#include <stddef.h>

struct slab_chunk;

struct slab {
	size_t size;               /* of an object, a multiple of the pointer size */
	size_t next_objects;       /* how many the next chunk holds */
	struct slab_chunk *chunks;
	void *free;                /* free objects, linked through their first word */
	char *fresh, *fresh_end;   /* never used part of the newest chunk */
};

void slab_init(struct slab *s, size_t size);
/* Frees every chunk: every object is gone at once. */
void slab_fini(struct slab *s);
/* A zeroed object, or NULL when memory ran out. */
void *slab_alloc(struct slab *s);
/* obj (from slab_alloc on s, or NULL) is free again. */
void slab_free(struct slab *s, void *obj);

#endif /* LEAKSCOPE_SLAB_H */
