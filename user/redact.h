/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --redact: a raw value (path, argument, endpoint) into "KIND:" and 16 hex
 * digits of its SHA-256, or of its HMAC-SHA-256 under a key. Equal inputs
 * give equal outputs, so reports can still be diffed and grouped.
 */
#ifndef LEAKSCOPE_REDACT_H
#define LEAKSCOPE_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#define REDACT_HEX_DIGITS 16
#define REDACT_KEY_MAX 4096
#define REDACT_KEY_MAX_TEXT "4096" /* for messages */
/* the longest output: "path:" hash " (deleted)" */
#define REDACT_VALUE_MAX 48

/* What a value was; the prefix of its redacted form. */
#define REDACT_PATH "path"
#define REDACT_ARG "arg"
#define REDACT_ADDR "addr"
#define REDACT_HOST "host"

struct redactor;

/* key NULL or keylen 0: unkeyed SHA-256. NULL if libcrypto cannot hash. */
struct redactor *redactor_new(const void *key, size_t keylen);
void redactor_free(struct redactor *r);
bool redactor_keyed(const struct redactor *r);

/* "KIND:" and the hash of raw[0..len) into out (at least REDACT_VALUE_MAX
 * bytes); its length. Never the raw bytes: "KIND:?" if hashing failed. */
size_t redact_value(const struct redactor *r, const char *kind, const void *raw, size_t len,
		    char *out, size_t outlen);

/*
 * A path: what the kernel names without a path ("pipe:[12]",
 * "anon_inode:[eventfd]") stays; a " (deleted)" suffix is kept outside the
 * hash, so a file hashes the same before and after its unlink.
 */
size_t redact_path(const struct redactor *r, const char *path, size_t len, char *out,
		   size_t outlen);

#endif /* LEAKSCOPE_REDACT_H */
