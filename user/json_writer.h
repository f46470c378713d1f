/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A streaming JSON writer that tracks nesting and commas, so what it writes
 * is valid by construction. Strings are raw bytes: invalid UTF-8 is written
 * as U+FFFD, control characters as escapes, so any path or argv a process
 * holds comes out as valid UTF-8 JSON.
 */
#ifndef LEAKSCOPE_JSON_WRITER_H
#define LEAKSCOPE_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_writer;

/* pretty: two-space indentation and newlines; else compact. */
struct json_writer *jw_new(FILE *out, bool pretty);
/* Returns 0, or -EIO if any write failed or nesting was left open/misused. */
int jw_finish(struct json_writer *w);
void jw_free(struct json_writer *w);

void jw_start_object(struct json_writer *w);
void jw_end_object(struct json_writer *w);
void jw_start_array(struct json_writer *w);
void jw_end_array(struct json_writer *w);

/* Inside an object: the key of the next value. */
void jw_key(struct json_writer *w, const char *key);

void jw_string(struct json_writer *w, const char *s);           /* NULL -> null */
void jw_string_len(struct json_writer *w, const char *s, size_t len);
void jw_int(struct json_writer *w, int64_t v);
void jw_uint(struct json_writer *w, uint64_t v);
void jw_double(struct json_writer *w, double v);                 /* NaN/inf -> null */
void jw_bool(struct json_writer *w, bool v);
void jw_null(struct json_writer *w);

/* key + value in one call */
void jw_kv_string(struct json_writer *w, const char *key, const char *s);
void jw_kv_string_len(struct json_writer *w, const char *key, const char *s, size_t len);
void jw_kv_int(struct json_writer *w, const char *key, int64_t v);
void jw_kv_uint(struct json_writer *w, const char *key, uint64_t v);
void jw_kv_double(struct json_writer *w, const char *key, double v);
void jw_kv_bool(struct json_writer *w, const char *key, bool v);

#endif /* LEAKSCOPE_JSON_WRITER_H */
