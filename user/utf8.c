// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include "utf8.h"

/*
 * The second-byte ranges exclude overlong forms, surrogates and code points
 * past U+10FFFF (Unicode Table 3-7), so the bytes copied through are always
 * valid UTF-8.
 */
size_t utf8_seq_len(const unsigned char *p, size_t avail)
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
