// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Streaming JSON writer. Every call is checked against a nesting stack, so
 * misuse becomes a sticky error reported by jw_finish instead of malformed
 * output reaching whoever parses the report.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"
#include "utf8.h"

/* Reports nest a handful of levels; anything deeper is a caller bug. */
#define JW_MAX_DEPTH 64

struct json_writer {
	FILE *out;
	bool pretty;
	bool failed;	/* sticky: every later call is a no-op */
	bool have_key;	/* a key was written and still awaits its value */
	bool done;	/* the single top-level value is complete */
	int depth;
	char kind[JW_MAX_DEPTH];	/* '{' or '[' for each open level */
	bool first[JW_MAX_DEPTH];	/* no member written yet at this level */
};

struct json_writer *jw_new(FILE *out, bool pretty)
{
	struct json_writer *w;

	if (!out) {
		errno = EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->out = out;
	w->pretty = pretty;
	return w;
}

void jw_free(struct json_writer *w)
{
	free(w);
}

static bool fail(struct json_writer *w)
{
	w->failed = true;
	return false;
}

static void emit(struct json_writer *w, const void *s, size_t len)
{
	if (w->failed || !len)
		return;
	if (fwrite(s, 1, len, w->out) != len)
		w->failed = true;
}

static void newline_indent(struct json_writer *w, int depth)
{
	if (!w->pretty || w->failed)
		return;
	if (fprintf(w->out, "\n%*s", depth * 2, "") < 0)
		w->failed = true;
}

/* Separator and indentation before a value; false if a value is not allowed. */
static bool begin_value(struct json_writer *w)
{
	int lvl;

	if (!w || w->failed)
		return false;
	if (!w->depth)
		return w->done ? fail(w) : true;
	lvl = w->depth - 1;
	if (w->kind[lvl] == '{') {
		/* jw_key already wrote the separator */
		if (!w->have_key)
			return fail(w);
		w->have_key = false;
		return true;
	}
	if (!w->first[lvl])
		emit(w, ",", 1);
	w->first[lvl] = false;
	newline_indent(w, w->depth);
	return !w->failed;
}

static void end_value(struct json_writer *w)
{
	if (w->depth)
		return;
	w->done = true;
	emit(w, "\n", 1);
}

/*
 * Copies runs of safe bytes in one fwrite. An invalid byte becomes one
 * U+FFFD and decoding resumes at the next byte, so a truncated sequence
 * yields one replacement per byte.
 */
static void write_string(struct json_writer *w, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len, *run = p;

	emit(w, "\"", 1);
	while (p < end) {
		unsigned char c = *p;
		char esc[8];
		size_t n;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			p++;
			continue;
		}
		if (c >= 0x80) {
			n = utf8_seq_len(p, (size_t)(end - p));
			if (n) {
				p += n;
				continue;
			}
		}
		emit(w, run, (size_t)(p - run));
		switch (c) {
		case '"':  emit(w, "\\\"", 2); break;
		case '\\': emit(w, "\\\\", 2); break;
		case '\b': emit(w, "\\b", 2); break;
		case '\f': emit(w, "\\f", 2); break;
		case '\n': emit(w, "\\n", 2); break;
		case '\r': emit(w, "\\r", 2); break;
		case '\t': emit(w, "\\t", 2); break;
		default:
			if (c >= 0x80) {
				emit(w, "\xef\xbf\xbd", 3);
				break;
			}
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			emit(w, esc, 6);
		}
		run = ++p;
	}
	emit(w, run, (size_t)(p - run));
	emit(w, "\"", 1);
}

static void start_container(struct json_writer *w, char kind)
{
	if (!begin_value(w))
		return;
	if (w->depth == JW_MAX_DEPTH) {
		fail(w);
		return;
	}
	w->kind[w->depth] = kind;
	w->first[w->depth] = true;
	w->depth++;
	emit(w, &kind, 1);
}

static void end_container(struct json_writer *w, char kind, char close)
{
	if (!w || w->failed)
		return;
	if (!w->depth || w->kind[w->depth - 1] != kind || w->have_key) {
		fail(w);
		return;
	}
	w->depth--;
	/* an empty container stays on one line: {} and [] */
	if (!w->first[w->depth])
		newline_indent(w, w->depth);
	emit(w, &close, 1);
	end_value(w);
}

void jw_start_object(struct json_writer *w)
{
	start_container(w, '{');
}

void jw_end_object(struct json_writer *w)
{
	end_container(w, '{', '}');
}

void jw_start_array(struct json_writer *w)
{
	start_container(w, '[');
}

void jw_end_array(struct json_writer *w)
{
	end_container(w, '[', ']');
}

void jw_key(struct json_writer *w, const char *key)
{
	int lvl;

	if (!w || w->failed)
		return;
	if (!key || !w->depth || w->kind[w->depth - 1] != '{' || w->have_key) {
		fail(w);
		return;
	}
	lvl = w->depth - 1;
	if (!w->first[lvl])
		emit(w, ",", 1);
	w->first[lvl] = false;
	newline_indent(w, w->depth);
	write_string(w, key, strlen(key));
	emit(w, ": ", w->pretty ? 2 : 1);
	w->have_key = true;
}

static void scalar(struct json_writer *w, const char *s, size_t len)
{
	if (!begin_value(w))
		return;
	emit(w, s, len);
	end_value(w);
}

void jw_string_len(struct json_writer *w, const char *s, size_t len)
{
	if (!s) {
		jw_null(w);
		return;
	}
	if (!begin_value(w))
		return;
	write_string(w, s, len);
	end_value(w);
}

void jw_string(struct json_writer *w, const char *s)
{
	jw_string_len(w, s, s ? strlen(s) : 0);
}

void jw_int(struct json_writer *w, int64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%" PRId64, v);

	scalar(w, buf, (size_t)n);
}

void jw_uint(struct json_writer *w, uint64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64, v);

	scalar(w, buf, (size_t)n);
}

/*
 * 15 significant digits read well (0.1 stays "0.1"); fall back to 17 only
 * when 15 would not round-trip. %g never yields a bare "." or a leading
 * "+", so its output is a valid JSON number once a locale's decimal comma
 * is put back to a point.
 */
void jw_double(struct json_writer *w, double v)
{
	char buf[32];
	int n, i;

	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	n = snprintf(buf, sizeof(buf), "%.15g", v);
	if (strtod(buf, NULL) != v)
		n = snprintf(buf, sizeof(buf), "%.17g", v);
	for (i = 0; i < n; i++) {
		if (buf[i] == ',')
			buf[i] = '.';
	}
	scalar(w, buf, (size_t)n);
}

void jw_bool(struct json_writer *w, bool v)
{
	scalar(w, v ? "true" : "false", v ? 4 : 5);
}

void jw_null(struct json_writer *w)
{
	scalar(w, "null", 4);
}

void jw_kv_string(struct json_writer *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_string(w, s);
}

void jw_kv_string_len(struct json_writer *w, const char *key, const char *s, size_t len)
{
	jw_key(w, key);
	jw_string_len(w, s, len);
}

void jw_kv_int(struct json_writer *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_kv_uint(struct json_writer *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	jw_uint(w, v);
}

void jw_kv_double(struct json_writer *w, const char *key, double v)
{
	jw_key(w, key);
	jw_double(w, v);
}

void jw_kv_bool(struct json_writer *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

/* An unclosed level, a dangling key or no value at all is not a document. */
int jw_finish(struct json_writer *w)
{
	if (!w)
		return -EIO;
	if (w->depth || w->have_key || !w->done)
		w->failed = true;
	if (fflush(w->out) == EOF || ferror(w->out))
		w->failed = true;
	return w->failed ? -EIO : 0;
}
