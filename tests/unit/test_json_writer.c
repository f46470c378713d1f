// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Byte-exact checks of the JSON writer's output and its misuse detection. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "json_writer.h"

#define FFFD "\xef\xbf\xbd"

typedef void (*write_fn)(struct json_writer *w, const void *arg);

/*
 * Runs fn on a fresh writer and formats "ret output" into out. The output is
 * copied out and freed before anything is asserted, so a failing test leaks
 * nothing.
 */
static void capture(write_fn fn, const void *arg, bool pretty, char *out, size_t size)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json_writer *w = jw_new(f, pretty);
	int ret;

	if (w)
		fn(w, arg);
	ret = w ? jw_finish(w) : -ENOMEM;
	jw_free(w);
	if (f)
		fclose(f);
	snprintf(out, size, "%d %s", ret, buf ? buf : "");
	free(buf);
}

static void expect_output(write_fn fn, const void *arg, bool pretty, int ret,
			  const char *expected)
{
	char out[1024], want[1024];

	capture(fn, arg, pretty, out, sizeof(out));
	snprintf(want, sizeof(want), "%d %s", ret, expected);
	assert_string_equal(out, want);
}

static void write_sample(struct json_writer *w, const void *arg)
{
	(void)arg;
	jw_start_object(w);
	jw_kv_int(w, "a", 1);
	jw_kv_string(w, "s", "v");
	jw_kv_uint(w, "u", 2);
	jw_kv_double(w, "d", 2.5);
	jw_kv_bool(w, "no", false);
	jw_key(w, "b");
	jw_start_array(w);
	jw_int(w, 1);
	jw_int(w, -2);
	jw_start_object(w);
	jw_kv_bool(w, "c", true);
	jw_key(w, "d");
	jw_null(w);
	jw_end_object(w);
	jw_end_array(w);
	jw_key(w, "e");
	jw_start_object(w);
	jw_end_object(w);
	jw_key(w, "f");
	jw_start_array(w);
	jw_end_array(w);
	jw_key(w, "g");
	jw_start_array(w);
	jw_start_array(w);
	jw_end_array(w);
	jw_start_object(w);
	jw_end_object(w);
	jw_end_array(w);
	jw_end_object(w);
}

static void test_nesting(void **state)
{
	(void)state;
	expect_output(write_sample, NULL, false, 0,
		      "{\"a\":1,\"s\":\"v\",\"u\":2,\"d\":2.5,\"no\":false,"
		      "\"b\":[1,-2,{\"c\":true,\"d\":null}],"
		      "\"e\":{},\"f\":[],\"g\":[[],{}]}\n");
	expect_output(write_sample, NULL, true, 0,
		      "{\n"
		      "  \"a\": 1,\n"
		      "  \"s\": \"v\",\n"
		      "  \"u\": 2,\n"
		      "  \"d\": 2.5,\n"
		      "  \"no\": false,\n"
		      "  \"b\": [\n"
		      "    1,\n"
		      "    -2,\n"
		      "    {\n"
		      "      \"c\": true,\n"
		      "      \"d\": null\n"
		      "    }\n"
		      "  ],\n"
		      "  \"e\": {},\n"
		      "  \"f\": [],\n"
		      "  \"g\": [\n"
		      "    [],\n"
		      "    {}\n"
		      "  ]\n"
		      "}\n");
}

static void write_escapes(struct json_writer *w, const void *arg)
{
	char in[0x20 + 5];
	int i;

	(void)arg;
	for (i = 0; i < 0x20; i++)
		in[i] = (char)i;
	memcpy(in + 0x20, "\"\\/\x7f~", 5);
	jw_string_len(w, in, sizeof(in));
}

static void write_nul(struct json_writer *w, const void *arg)
{
	(void)arg;
	jw_start_object(w);
	jw_kv_string_len(w, "a\"b", "x\0y", 3);
	jw_key(w, "n");
	jw_string_len(w, "\0", 1);
	jw_kv_string(w, "s", "x\0y");
	jw_kv_string(w, "z", NULL);
	jw_end_object(w);
}

/* Control characters, quote, backslash, DEL and embedded NUL bytes. */
static void test_escapes(void **state)
{
	(void)state;
	expect_output(write_escapes, NULL, false, 0,
		      "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
		      "\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
		      "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
		      "\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"
		      "\\\"\\\\/\\u007f~\"\n");
	expect_output(write_nul, NULL, false, 0,
		      "{\"a\\\"b\":\"x\\u0000y\",\"n\":\"\\u0000\",\"s\":\"x\",\"z\":null}\n");
}

static const struct utf8_case {
	const char *in;
	const char *out;
} utf8_cases[] = {
	/* valid sequences are copied through */
	{ "\xc3\xa9", "\xc3\xa9" },			/* U+00E9 */
	{ "\xe2\x82\xac", "\xe2\x82\xac" },		/* U+20AC */
	{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },	/* U+1F600 */
	{ "\xc2\x80", "\xc2\x80" },			/* U+0080 */
	{ "\xe0\xa0\x80", "\xe0\xa0\x80" },		/* U+0800 */
	{ "\xed\x9f\xbf", "\xed\x9f\xbf" },		/* U+D7FF */
	{ "\xee\x80\x80", "\xee\x80\x80" },		/* U+E000 */
	{ "\xef\xbf\xbf", "\xef\xbf\xbf" },		/* U+FFFF */
	{ "\xf0\x90\x80\x80", "\xf0\x90\x80\x80" },	/* U+10000 */
	{ "\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf" },	/* U+10FFFF */
	/* lone continuation bytes */
	{ "\x80", FFFD },
	{ "a\xbfz", "a" FFFD "z" },
	/* truncated sequences, at the end and followed by ASCII */
	{ "\xe2\x82", FFFD FFFD },
	{ "\xe2\x82" "A", FFFD FFFD "A" },
	{ "\xc3", FFFD },
	{ "\xf0\x9f\x98", FFFD FFFD FFFD },
	{ "\xe2\x82\xe2\x82\xac", FFFD FFFD "\xe2\x82\xac" },
	/* overlong forms */
	{ "\xc0\xaf", FFFD FFFD },
	{ "\xc1\xbf", FFFD FFFD },
	{ "\xe0\x80\xaf", FFFD FFFD FFFD },
	{ "\xf0\x80\x80\xaf", FFFD FFFD FFFD FFFD },
	/* UTF-16 surrogates */
	{ "\xed\xa0\x80", FFFD FFFD FFFD },
	{ "\xed\xbf\xbf", FFFD FFFD FFFD },
	/* beyond U+10FFFF, and bytes that never start a sequence */
	{ "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD },
	{ "\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd\xfe\xff",
	  FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD FFFD },
};

static void write_string_arg(struct json_writer *w, const void *arg)
{
	jw_string(w, arg);
}

static void test_utf8(void **state)
{
	char expected[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(utf8_cases) / sizeof(utf8_cases[0]); i++) {
		snprintf(expected, sizeof(expected), "\"%s\"\n", utf8_cases[i].out);
		expect_output(write_string_arg, utf8_cases[i].in, false, 0, expected);
	}
}

static void write_numbers(struct json_writer *w, const void *arg)
{
	(void)arg;
	jw_start_array(w);
	jw_int(w, INT64_MIN);
	jw_int(w, INT64_MAX);
	jw_uint(w, UINT64_MAX);
	jw_uint(w, 0);
	jw_double(w, 0.1);
	jw_double(w, 1.5);
	jw_double(w, 3.0);
	jw_double(w, -0.0);
	jw_double(w, 1e20);
	jw_double(w, 1.5e-7);
	jw_double(w, 1.0 / 3.0);
	jw_double(w, 123456789012345678.0);
	jw_double(w, NAN);
	jw_double(w, INFINITY);
	jw_double(w, -INFINITY);
	jw_end_array(w);
}

static void test_numbers(void **state)
{
	(void)state;
	expect_output(write_numbers, NULL, false, 0,
		      "[-9223372036854775808,9223372036854775807,"
		      "18446744073709551615,0,0.1,1.5,3,-0,1e+20,1.5e-07,"
		      "0.33333333333333331,1.2345678901234568e+17,null,null,null]\n");
}

/*
 * Scripts, one call per character: { } [ ] open and close an object or
 * array, k is jw_key("k"), K is jw_key(NULL), 1 is jw_int(1). On misuse the
 * output must stop where it happened, with nothing invalid after it.
 */
static const struct script_case {
	bool pretty;
	const char *script;
	int ret;
	const char *out;
} script_cases[] = {
	{ true, "1", 0, "1\n" },
	{ true, "[]", 0, "[]\n" },
	{ true, "{}", 0, "{}\n" },
	{ true, "[[]]", 0, "[\n  []\n]\n" },
	{ false, "{k[]}", 0, "{\"k\":[]}\n" },
	{ false, "{k11k1}", -EIO, "{\"k\":1" },	/* value without a key */
	{ false, "[k1]", -EIO, "[" },		/* key in an array */
	{ false, "k", -EIO, "" },		/* key at top level */
	{ false, "{kk1}", -EIO, "{\"k\":" },	/* two keys in a row */
	{ false, "{k}", -EIO, "{\"k\":" },	/* key without a value */
	{ false, "{K1}", -EIO, "{" },		/* NULL key */
	{ false, "{]}", -EIO, "{" },		/* mismatched close */
	{ false, "}", -EIO, "" },		/* close at top level */
	{ false, "[{}", -EIO, "[{}" },		/* left open */
	{ false, "11", -EIO, "1\n" },		/* two top-level values */
	{ false, "", -EIO, "" },		/* no value at all */
};

static void play(struct json_writer *w, const void *arg)
{
	const char *c;

	for (c = arg; *c; c++) {
		switch (*c) {
		case '{': jw_start_object(w); break;
		case '}': jw_end_object(w); break;
		case '[': jw_start_array(w); break;
		case ']': jw_end_array(w); break;
		case 'k': jw_key(w, "k"); break;
		case 'K': jw_key(w, NULL); break;
		case '1': jw_int(w, 1); break;
		}
	}
}

static void test_scripts(void **state)
{
	const struct script_case *sc;
	char out[256], got[300], expected[300];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(script_cases) / sizeof(script_cases[0]); i++) {
		sc = &script_cases[i];
		capture(play, sc->script, sc->pretty, out, sizeof(out));
		/* prefixed with the script, so a failure says which one */
		snprintf(got, sizeof(got), "%s => %s", sc->script, out);
		snprintf(expected, sizeof(expected), "%s => %d %s", sc->script,
			 sc->ret, sc->out);
		assert_string_equal(got, expected);
	}
}

/* 64 open levels are fine, the 65th is refused. */
static void test_depth_limit(void **state)
{
	char script[2 * 65 + 1] = "", expected[256];

	(void)state;
	memset(script, '[', 64);
	memset(script + 64, ']', 64);
	snprintf(expected, sizeof(expected), "%s\n", script);
	expect_output(play, script, false, 0, expected);

	memset(script, '[', 65);
	memset(script + 65, ']', 65);
	snprintf(expected, sizeof(expected), "%.64s", script);
	expect_output(play, script, false, -EIO, expected);
}

static void test_write_error(void **state)
{
	char buf[8];
	FILE *f = fmemopen(buf, sizeof(buf), "w");
	struct json_writer *w;

	(void)state;
	assert_non_null(f);
	w = jw_new(f, false);
	assert_non_null(w);
	jw_string(w, "longer than eight bytes");
	assert_int_equal(jw_finish(w), -EIO);
	jw_free(w);
	fclose(f);
}

static void test_null_writer(void **state)
{
	(void)state;
	errno = 0;
	assert_null(jw_new(NULL, false));
	assert_int_equal(errno, EINVAL);
	jw_start_object(NULL);
	jw_kv_int(NULL, "a", 1);
	jw_end_object(NULL);
	assert_int_equal(jw_finish(NULL), -EIO);
	jw_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nesting),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_scripts),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_write_error),
		cmocka_unit_test(test_null_writer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
