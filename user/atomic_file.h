/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reports are written whole or not at all: a temporary file in the target's
 * directory (mode 0600, O_EXCL, never following a symlink), fsync, rename.
 */
#ifndef LEAKSCOPE_ATOMIC_FILE_H
#define LEAKSCOPE_ATOMIC_FILE_H

#include <stdio.h>

struct atomic_file;

/* Opens the temporary file. Returns NULL and sets errno on failure; a target
 * that exists as a symlink or a non-regular file is refused with ELOOP or
 * EISDIR/EINVAL before anything is created. */
struct atomic_file *atomic_file_open(const char *path);
/* The checks atomic_file_open makes, and that the directory is writable,
 * without creating anything: to refuse a bad path before long work.
 * Returns 0 or -errno. */
int atomic_file_check(const char *path);
FILE *atomic_file_stream(struct atomic_file *af);
/* Flush, fsync, rename over the target. On failure the temporary file is
 * removed, the target is untouched, and -errno is returned. Frees af. */
int atomic_file_commit(struct atomic_file *af);
/* Remove the temporary file, leave the target untouched. Frees af. */
void atomic_file_abort(struct atomic_file *af);

#endif /* LEAKSCOPE_ATOMIC_FILE_H */
