/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Interned struct ls_file: one copy of a (path, device, inode, mode) however
 * many descriptions are open on it, counted by reference. Private to the
 * engine (ofd_registry.c).
 */
#ifndef LEAKSCOPE_FILE_NAMES_H
#define LEAKSCOPE_FILE_NAMES_H

#include "engine.h"

struct file_names {
	struct ls_file **buckets;
	size_t nbuckets; /* a power of two */
	size_t count;
};

int file_names_init(struct file_names *n);
/* Every name must have been put back before. */
void file_names_fini(struct file_names *n);
/* The interned file with these facts, one more reference to it; NULL on ENOMEM. */
const struct ls_file *file_names_get(struct file_names *n, const char *path, uint16_t path_len,
				     bool path_truncated, uint32_t dev, uint64_t ino,
				     uint32_t mode);
/* One reference fewer: freed with the last one. */
void file_names_put(struct file_names *n, const struct ls_file *f);

#endif /* LEAKSCOPE_FILE_NAMES_H */
