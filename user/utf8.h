/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Well-formed UTF-8, for the writers that turn kernel bytes (paths, argv,
 * comm) into text: JSON, DOT and HTML all replace what is not UTF-8.
 */
#ifndef LEAKSCOPE_UTF8_H
#define LEAKSCOPE_UTF8_H

#include <stddef.h>

/*
 * Length of the well-formed multi-byte UTF-8 sequence at p (avail bytes
 * there), or 0. The second-byte ranges exclude overlong forms, surrogates
 * and code points past U+10FFFF (Unicode Table 3-7), so the bytes copied
 * through are always valid UTF-8.
 */
static inline size_t utf8_seq_len(const unsigned char *p, size_t avail)
{
	unsigned char b = p[0], lo = 0x80, hi = 0xbf;
	size_t n = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4, i;

	if (b < 0xc2 || b > 0xf4 || avail < n)
		return 0;
	if (b == 0xe0)
		lo = 0xa0;	/* overlong */
	else if (b == 0xed)
		hi = 0x9f;	/* surrogates */
	else if (b == 0xf0)
		lo = 0x90;	/* overlong */
	else if (b == 0xf4)
		hi = 0x8f;	/* past U+10FFFF */
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	}
	return n;
}

#endif /* LEAKSCOPE_UTF8_H */
