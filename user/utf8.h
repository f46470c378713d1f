/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Names the kernel hands over (paths, argv, comm) are bytes; every output
 * format wants UTF-8. The exporters share one notion of what is valid.
 */
#ifndef LEAKSCOPE_UTF8_H
#define LEAKSCOPE_UTF8_H

#include <stddef.h>

/* U+FFFD, what an invalid byte becomes */
#define UTF8_REPLACEMENT "\xef\xbf\xbd"

/*
 * Length of the well-formed multi-byte UTF-8 sequence at p (avail bytes
 * readable), or 0: an ASCII byte, an invalid lead, an overlong form, a
 * surrogate or a code point past U+10FFFF. The caller handles ASCII itself.
 */
size_t utf8_seq_len(const unsigned char *p, size_t avail);

#endif /* LEAKSCOPE_UTF8_H */
