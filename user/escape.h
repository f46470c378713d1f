/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Kernel bytes (paths, argv, comm) as DOT or HTML text, valid whatever they
 * hold. Both show them the way the text summary does, so a person reading a
 * graph or a page sees the same name: invalid UTF-8 becomes U+FFFD, a
 * control byte \xNN and a backslash \\ (so that a name holding the four
 * characters "\x0a" is told from one holding a newline). On top of that,
 * each language's own metacharacters are escaped:
 *
 *   DOT   inside a double-quoted string: " and \ are escaped with a
 *         backslash, and & as &amp; (Graphviz decodes entities in labels)
 *   HTML  text and attribute values: & < > " ' as entities
 */
#ifndef LEAKSCOPE_ESCAPE_H
#define LEAKSCOPE_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

enum esc_lang {
	ESC_DOT = 0,
	ESC_HTML,
};

/* s (len bytes, NULs included) as text of lang. Write errors stay in out's
 * error flag, for the caller's ferror. */
void esc_write(FILE *out, enum esc_lang lang, const char *s, size_t len);
/* A NUL-terminated string; NULL writes nothing. */
void esc_puts(FILE *out, enum esc_lang lang, const char *s);
/*
 * Where to start in s so that at most max bytes are left, never inside a
 * UTF-8 sequence: long paths are shown by their end, which names the file.
 * 0 when s is short enough.
 */
size_t esc_tail_start(const char *s, size_t len, size_t max);

#endif /* LEAKSCOPE_ESCAPE_H */
