/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Writing and reading capture files (format: capture_format.h). */
#ifndef LEAKSCOPE_CAPTURE_H
#define LEAKSCOPE_CAPTURE_H

#include <stddef.h>
#include <stdio.h>

#include "capture_format.h"
#include "stack_table.h"

struct capture;

/* Create path (mode 0600, never through a symlink) and write h. -errno. */
int capture_open(struct capture **out, const char *path, const struct capture_header *h);
/* Queue one record; a full block is compressed and written. -errno: the
 * capture failed (and stays failed: later calls do nothing). */
int capture_add(struct capture *c, const void *rec, size_t size);
/* A stack the table just interned, before the first record that uses it. */
int capture_add_stack(struct capture *c, const struct stack *st);
/* Write what is queued as a block now (at most the last block is lost). */
int capture_flush(struct capture *c);
/* Add end, write the rest, sync and close; c is freed. -errno if anything
 * failed since capture_open. */
int capture_close(struct capture *c, const struct capture_end *end);
/* Bytes written so far (for messages). */
unsigned long long capture_offset(const struct capture *c);

struct capture_reader;

/* Read and check the header. On error, a one-line message in err. */
int capture_reader_open(struct capture_reader **out, FILE *f, struct capture_header *h,
			char *err, size_t errlen);
/*
 * The next record (valid until the next call): 1, or 0 at the end of the
 * file, or -EINVAL with a one-line message (and the file offset) in err.
 */
int capture_next(struct capture_reader *r, const void **rec, size_t *size, char *err,
		 size_t errlen);
void capture_reader_free(struct capture_reader *r);
/* Frames of a CAPTURE_REC_STACK record, strings pointing into it; 0 or -EINVAL. */
int capture_stack_frames(const void *rec, size_t size, struct stack_frame *frames,
			 size_t max, size_t *nframes, char *strings, size_t strings_len);

#endif /* LEAKSCOPE_CAPTURE_H */
