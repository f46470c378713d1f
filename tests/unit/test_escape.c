// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* DOT and HTML text from kernel bytes: byte-exact. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "escape.h"

#define FFFD "\xef\xbf\xbd"

/* esc_write of in (len bytes) in lang must give want exactly. */
static void check(enum esc_lang lang, const char *in, size_t len, const char *want)
{
	char *buf = NULL, got[512];
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	assert_non_null(f);
	esc_write(f, lang, in, len);
	assert_int_equal(fclose(f), 0);
	snprintf(got, sizeof(got), "%s", buf);
	free(buf);
	assert_int_equal(n, strlen(got)); /* no NUL written */
	assert_string_equal(got, want);
}

#define DOT(in, want) check(ESC_DOT, in, sizeof(in) - 1, want)
#define HTML(in, want) check(ESC_HTML, in, sizeof(in) - 1, want)

static void test_plain(void **state)
{
	(void)state;
	DOT("", "");
	HTML("", "");
	DOT("/tmp/log-0.txt", "/tmp/log-0.txt");
	HTML("/tmp/log-0.txt", "/tmp/log-0.txt");
	/* valid UTF-8 of every length goes through */
	DOT("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x9b", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x9b");
	HTML("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x9b", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x9b");
}

static void test_dot_metacharacters(void **state)
{
	(void)state;
	DOT("a\"b", "a\\\"b");
	/* a backslash shows as \\, which DOT needs four for */
	DOT("a\\b", "a\\\\\\\\b");
	/* Graphviz decodes entities in labels: &amp; must stay text */
	DOT("a&amp;b", "a&amp;amp;b");
	/* not special in a quoted string */
	DOT("<x>{y}|z", "<x>{y}|z");
	/* DOT's own escapes (\N, \G, \l) cannot be formed from a name */
	DOT("\\N\\l", "\\\\\\\\N\\\\\\\\l");
}

static void test_html_metacharacters(void **state)
{
	(void)state;
	HTML("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	HTML("a&b \"q\"", "a&amp;b &quot;q&quot;");
	HTML("a\\b", "a\\\\b");
}

static void test_control_bytes(void **state)
{
	(void)state;
	DOT("a\nb\tc\x01\x7f", "a\\\\x0ab\\\\x09c\\\\x01\\\\x7f");
	HTML("a\nb\tc\x01\x7f", "a\\x0ab\\x09c\\x01\\x7f");
	/* a NUL inside a path is a byte like the others */
	DOT("a\0b", "a\\\\x00b");
	HTML("a\0b", "a\\x00b");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* one U+FFFD per bad byte */
	DOT("bad\xff\xfe.txt", "bad" FFFD FFFD ".txt");
	HTML("bad\xff\xfe.txt", "bad" FFFD FFFD ".txt");
	/* overlong, surrogate, past U+10FFFF, cut short at the end */
	HTML("\xc0\xaf", FFFD FFFD);
	HTML("\xed\xa0\x80", FFFD FFFD FFFD);
	HTML("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD);
	HTML("x\xe2\x82", "x" FFFD FFFD);
	/* a lone continuation byte, then a good sequence */
	DOT("\x80\xc3\xa9", FFFD "\xc3\xa9");
	/* the bad_names scenario's name: every escape at once */
	DOT("bad\xff\xfe\"q\\b\n\t\x01.txt", "bad" FFFD FFFD "\\\"q\\\\\\\\b\\\\x0a\\\\x09\\\\x01.txt");
	HTML("bad\xff\xfe\"q\\b\n\t\x01.txt", "bad" FFFD FFFD "&quot;q\\\\b\\x0a\\x09\\x01.txt");
}

static void test_puts(void **state)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	(void)state;
	assert_non_null(f);
	esc_puts(f, ESC_HTML, NULL);
	esc_puts(f, ESC_HTML, "a<b");
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "a&lt;b");
	free(buf);
}

static void test_tail_start(void **state)
{
	const char *s = "/a/\xc3\xa9\xc3\xa9xyz";

	(void)state;
	assert_int_equal(esc_tail_start(s, strlen(s), 100), 0);
	assert_int_equal(esc_tail_start(s, strlen(s), strlen(s)), 0);
	/* 6 bytes left: "\xc3\xa9xyz" is 5, the 6th would be a continuation byte */
	assert_int_equal(esc_tail_start(s, strlen(s), 6), 5);
	assert_int_equal(esc_tail_start(s, strlen(s), 5), 5);
	assert_int_equal(esc_tail_start(s, strlen(s), 3), 7);
	assert_int_equal(esc_tail_start(s, strlen(s), 0), strlen(s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_dot_metacharacters),
		cmocka_unit_test(test_html_metacharacters),
		cmocka_unit_test(test_control_bytes),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_puts),
		cmocka_unit_test(test_tail_start),
	};

	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
