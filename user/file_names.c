// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "file_names.h"

#define MIN_BUCKETS 64

int file_names_init(struct file_names *n)
{
	n->count = 0;
	n->nbuckets = MIN_BUCKETS;
	n->buckets = calloc(n->nbuckets, sizeof(*n->buckets));
	if (!n->buckets) {
		n->nbuckets = 0;
		return -ENOMEM;
	}
	return 0;
}

void file_names_fini(struct file_names *n)
{
	/* nothing is left when every description was freed; a partial engine
	 * (an allocation failed half-way) may still hold some */
	for (size_t i = 0; i < n->nbuckets; i++) {
		struct ls_file *f = n->buckets[i], *next;

		for (; f; f = next) {
			next = f->next;
			free(f);
		}
	}
	free(n->buckets);
	n->buckets = NULL;
	n->nbuckets = n->count = 0;
}

/* FNV-1a over the bytes, then the other facts mixed in */
static uint64_t file_hash(const char *path, uint16_t len, bool trunc, uint32_t dev, uint64_t ino,
			  uint32_t mode)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (uint16_t i = 0; i < len; i++) {
		h ^= (unsigned char)path[i];
		h *= 0x100000001b3ULL;
	}
	h ^= ino + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h ^= ((uint64_t)dev << 32 | mode) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h ^= trunc;
	h ^= h >> 31;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 29;
	return h;
}

static void file_names_grow(struct file_names *n)
{
	size_t nb = n->nbuckets * 2;
	struct ls_file **b = calloc(nb, sizeof(*b));

	if (!b)
		return; /* longer chains, nothing breaks */
	for (size_t i = 0; i < n->nbuckets; i++) {
		struct ls_file *f = n->buckets[i], *next;

		for (; f; f = next) {
			next = f->next;
			f->next = b[f->hash & (nb - 1)];
			b[f->hash & (nb - 1)] = f;
		}
	}
	free(n->buckets);
	n->buckets = b;
	n->nbuckets = nb;
}

const struct ls_file *file_names_get(struct file_names *n, const char *path, uint16_t path_len,
				     bool path_truncated, uint32_t dev, uint64_t ino,
				     uint32_t mode)
{
	uint64_t h = file_hash(path, path_len, path_truncated, dev, ino, mode);
	struct ls_file *f;

	for (f = n->buckets[h & (n->nbuckets - 1)]; f; f = f->next) {
		if (f->hash == h && f->path_len == path_len && f->path_truncated == path_truncated &&
		    f->dev == dev && f->ino == ino && f->mode == mode &&
		    !memcmp(f->path, path, path_len)) {
			f->refs++;
			return f;
		}
	}
	f = malloc(sizeof(*f) + (size_t)path_len + 1);
	if (!f)
		return NULL;
	f->ino = ino;
	f->dev = dev;
	f->mode = mode;
	f->path_len = path_len;
	f->path_truncated = path_truncated;
	f->refs = 1;
	f->hash = h;
	memcpy(f->path, path, path_len);
	f->path[path_len] = '\0';
	if (n->count >= n->nbuckets)
		file_names_grow(n);
	f->next = n->buckets[h & (n->nbuckets - 1)];
	n->buckets[h & (n->nbuckets - 1)] = f;
	n->count++;
	return f;
}

void file_names_put(struct file_names *n, const struct ls_file *cf)
{
	struct ls_file **at;

	if (!cf)
		return;
	for (at = &n->buckets[cf->hash & (n->nbuckets - 1)]; *at; at = &(*at)->next) {
		struct ls_file *f = *at;

		if (f != cf)
			continue;
		if (--f->refs)
			return;
		*at = f->next;
		n->count--;
		free(f);
		return;
	}
}
