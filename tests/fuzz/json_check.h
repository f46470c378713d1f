/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A strict JSON validator (RFC 8259) for the fuzz targets: the report
 * promises one JSON document in valid UTF-8 whatever bytes the traced
 * processes' paths and names hold, and this is how a fuzzer holds it to that.
 */
#ifndef LEAKSCOPE_JSON_CHECK_H
#define LEAKSCOPE_JSON_CHECK_H

#include <stddef.h>

/* NULL if buf (len bytes) is exactly one JSON value with optional white
 * space around it, in valid UTF-8; else what is wrong, and *at where. */
const char *json_check(const char *buf, size_t len, size_t *at);

#endif /* LEAKSCOPE_JSON_CHECK_H */
