/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A report rendered into memory, and what the tests look for in it. */
#ifndef LEAKSCOPE_RENDER_OUT_H
#define LEAKSCOPE_RENDER_OUT_H

#include <stdio.h>
#include <string.h>

#include "report.h"

struct out {
	char *s;
	size_t len;
};

typedef int (*render_fn)(FILE *f, const struct ls_engine *eng, const struct findings *fs,
			 const struct report_meta *m);

static inline void render_with(render_fn fn, const struct ls_engine *eng,
			       const struct findings *fs, const struct report_meta *m,
			       struct out *o)
{
	FILE *f = open_memstream(&o->s, &o->len);

	assert_non_null(f);
	assert_int_equal(fn(f, eng, fs, m), 0);
	assert_int_equal(fclose(f), 0);
}

static inline size_t count(const struct out *o, const char *needle)
{
	size_t n = 0, nl = strlen(needle);

	for (size_t i = 0; i + nl <= o->len; i++)
		n += memcmp(o->s + i, needle, nl) == 0;
	return n;
}

#define assert_has(o, s) \
	do { \
		if (!count((o), (s))) \
			fail_msg("missing: %s", (s)); \
	} while (0)

#endif /* LEAKSCOPE_RENDER_OUT_H */
