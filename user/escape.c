// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* DOT and HTML text from kernel bytes (escape.h). */
#include <string.h>

#include "escape.h"
#include "utf8.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* What stands for byte c in lang, or NULL if c is itself (buf: scratch). */
static const char *escape_of(enum esc_lang lang, unsigned char c, char buf[8])
{
	if (c < 0x20 || c == 0x7f) {
		/* DOT needs the backslash itself escaped to show one */
		snprintf(buf, 8, lang == ESC_DOT ? "\\\\x%02x" : "\\x%02x", c);
		return buf;
	}
	if (c == '\\')
		return lang == ESC_DOT ? "\\\\\\\\" : "\\\\";
	if (lang == ESC_DOT) {
		switch (c) {
		case '"':
			return "\\\"";
		case '&':
			return "&amp;";
		}
		return NULL;
	}
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	}
	return NULL;
}

/* Runs of bytes that stand for themselves go out in one fwrite. */
void esc_write(FILE *out, enum esc_lang lang, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len, *run = p;
	char buf[8];

	while (p < end) {
		const char *esc = NULL;
		size_t n = 1;

		if (*p >= 0x80) {
			n = utf8_seq_len(p, (size_t)(end - p));
			if (!n) {
				esc = REPLACEMENT;
				n = 1;
			}
		} else {
			esc = escape_of(lang, *p, buf);
		}
		if (!esc) {
			p += n;
			continue;
		}
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), out);
		fputs(esc, out);
		p += n;
		run = p;
	}
	if (p > run)
		fwrite(run, 1, (size_t)(p - run), out);
}

void esc_puts(FILE *out, enum esc_lang lang, const char *s)
{
	if (s)
		esc_write(out, lang, s, strlen(s));
}

size_t esc_tail_start(const char *s, size_t len, size_t max)
{
	size_t start;

	if (len <= max)
		return 0;
	start = len - max;
	/* a continuation byte would be shown as U+FFFD: start after it */
	while (start < len && ((unsigned char)s[start] & 0xc0) == 0x80)
		start++;
	return start;
}
