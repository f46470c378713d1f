// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdbool.h>
#include <string.h>

#include "json_check.h"

/* deeper than any report nests; bounds the recursion on garbage */
#define JSON_MAX_DEPTH 64

struct jc {
	const unsigned char *p, *start, *end;
	const char *err;
};

static bool fail(struct jc *j, const char *why)
{
	if (!j->err)
		j->err = why;
	return false;
}

static void eat_ws(struct jc *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static bool literal(struct jc *j, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n))
		return fail(j, "not a value");
	j->p += n;
	return true;
}

static bool digits(struct jc *j)
{
	const unsigned char *s = j->p;

	while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
		j->p++;
	return j->p > s || fail(j, "a number without digits");
}

static bool number(struct jc *j)
{
	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p < j->end && *j->p == '0')
		j->p++;
	else if (!digits(j))
		return false;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (!digits(j))
			return false;
	}
	if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
		j->p++;
		if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
			j->p++;
		if (!digits(j))
			return false;
	}
	return true;
}

static int hex4(const unsigned char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* \uXXXX, with a surrogate only as half of a pair: else it is no character */
static bool unicode_escape(struct jc *j)
{
	int v, lo;

	if (j->end - j->p < 4 || (v = hex4(j->p)) < 0)
		return fail(j, "a bad \\u escape");
	j->p += 4;
	if (v >= 0xdc00 && v <= 0xdfff)
		return fail(j, "a lone low surrogate");
	if (v < 0xd800 || v > 0xdbff)
		return true;
	if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' ||
	    (lo = hex4(j->p + 2)) < 0xdc00 || lo > 0xdfff)
		return fail(j, "a high surrogate without its low half");
	j->p += 6;
	return true;
}

/* One UTF-8 sequence starting at a byte >= 0x80: shortest form, no
 * surrogates, nothing past U+10FFFF. */
static bool utf8_sequence(struct jc *j)
{
	unsigned char c = *j->p, lo = 0x80, hi = 0xbf;
	int more;

	if (c >= 0xc2 && c <= 0xdf) {
		more = 1;
	} else if (c >= 0xe0 && c <= 0xef) {
		more = 2;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		more = 3;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return fail(j, "invalid UTF-8 lead byte");
	}
	j->p++;
	for (int i = 0; i < more; i++, j->p++) {
		if (j->p == j->end || *j->p < lo || *j->p > hi)
			return fail(j, "invalid UTF-8 sequence");
		lo = 0x80;
		hi = 0xbf;
	}
	return true;
}

static bool string(struct jc *j)
{
	j->p++; /* the opening quote */
	while (j->p < j->end) {
		unsigned char c = *j->p;

		if (c == '"') {
			j->p++;
			return true;
		}
		if (c < 0x20)
			return fail(j, "a raw control character in a string");
		if (c >= 0x80) {
			if (!utf8_sequence(j))
				return false;
			continue;
		}
		j->p++;
		if (c != '\\')
			continue;
		if (j->p == j->end)
			break;
		c = *j->p++;
		if (c == 'u') {
			if (!unicode_escape(j))
				return false;
		} else if (!strchr("\"\\/bfnrt", c) || !c) {
			return fail(j, "a bad escape");
		}
	}
	return fail(j, "an unterminated string");
}

static bool value(struct jc *j, int depth);

static bool container(struct jc *j, int depth, unsigned char close)
{
	if (depth > JSON_MAX_DEPTH)
		return fail(j, "nested too deep");
	j->p++;
	eat_ws(j);
	if (j->p < j->end && *j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		if (close == '}') {
			if (j->p == j->end || *j->p != '"')
				return fail(j, "an object key that is not a string");
			if (!string(j))
				return false;
			eat_ws(j);
			if (j->p == j->end || *j->p != ':')
				return fail(j, "no ':' after a key");
			j->p++;
		}
		if (!value(j, depth + 1))
			return false;
		eat_ws(j);
		if (j->p == j->end)
			return fail(j, "unterminated array or object");
		if (*j->p == close) {
			j->p++;
			return true;
		}
		if (*j->p != ',')
			return fail(j, "no ',' between members");
		j->p++;
		eat_ws(j);
	}
}

static bool value(struct jc *j, int depth)
{
	eat_ws(j);
	if (j->p == j->end)
		return fail(j, "a value missing");
	switch (*j->p) {
	case '{':
		return container(j, depth, '}');
	case '[':
		return container(j, depth, ']');
	case '"':
		return string(j);
	case 't':
		return literal(j, "true");
	case 'f':
		return literal(j, "false");
	case 'n':
		return literal(j, "null");
	default:
		if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
			return number(j);
		return fail(j, "not a value");
	}
}

const char *json_check(const char *buf, size_t len, size_t *at)
{
	struct jc j = { .p = (const unsigned char *)buf, .start = (const unsigned char *)buf,
			.end = (const unsigned char *)buf + len };

	if (value(&j, 0)) {
		eat_ws(&j);
		if (j.p != j.end)
			fail(&j, "bytes after the document");
	}
	*at = (size_t)(j.p - j.start);
	return j.err;
}
