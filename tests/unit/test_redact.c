// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --redact: the hash and its form, and that no report writes a raw value. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "graph_world.h"
#include "redact.h"
#include "render_out.h"

#define TCP_ESTABLISHED 1
#define WORLD_LPORT 47123
#define WORLD_RPORT 5432

static size_t hash(const struct redactor *r, const char *kind, const void *raw, size_t len,
		   char *out)
{
	return redact_value(r, kind, raw, len, out, REDACT_VALUE_MAX);
}

/* "KIND:" then exactly 16 lowercase hex digits, nothing else */
static void assert_form(const char *s, const char *kind)
{
	size_t kl = strlen(kind);

	assert_int_equal(strlen(s), kl + 1 + REDACT_HEX_DIGITS);
	assert_memory_equal(s, kind, kl);
	assert_int_equal(s[kl], ':');
	for (size_t i = kl + 1; s[i]; i++)
		assert_non_null(strchr("0123456789abcdef", s[i]));
}

/* The standards' own answers: SHA-256 "abc" (FIPS 180-2, B.1) and
 * HMAC-SHA-256 test case 2 of RFC 4231; our digits are their first 16. */
static void test_known_answers(void **state)
{
	static const char data[] = "what do ya want for nothing?";
	struct redactor *plain = redactor_new(NULL, 0), *keyed = redactor_new("Jefe", 4);
	char out[REDACT_VALUE_MAX];

	(void)state;
	assert_non_null(plain);
	assert_non_null(keyed);
	assert_false(redactor_keyed(plain));
	assert_true(redactor_keyed(keyed));
	assert_int_equal(hash(plain, REDACT_PATH, "abc", 3, out), 21);
	assert_string_equal(out, "path:ba7816bf8f01cfea");
	hash(keyed, REDACT_ARG, data, strlen(data), out);
	assert_string_equal(out, "arg:5bdcc146bf60754e");
	redactor_free(plain);
	redactor_free(keyed);
}

static void test_stable_and_keyed(void **state)
{
	struct redactor *a = redactor_new(NULL, 0), *b = redactor_new(NULL, 0);
	struct redactor *k1 = redactor_new("key one", 7), *k1b = redactor_new("key one", 7);
	struct redactor *k2 = redactor_new("key two", 7);
	char x[REDACT_VALUE_MAX], y[REDACT_VALUE_MAX], z[REDACT_VALUE_MAX];
	const char *p = "/var/lib/app/db.sqlite";

	(void)state;
	assert_true(a && b && k1 && k1b && k2);
	/* the same value, the same hash: within a report and in the next run */
	hash(a, REDACT_PATH, p, strlen(p), x);
	hash(a, REDACT_PATH, p, strlen(p), y);
	assert_string_equal(x, y);
	hash(b, REDACT_PATH, p, strlen(p), y);
	assert_string_equal(x, y);
	assert_form(x, REDACT_PATH);
	/* the kind is a label, not hashed: a path hashes the same as an argument */
	hash(a, REDACT_ARG, p, strlen(p), z);
	assert_string_equal(z + strlen(REDACT_ARG), x + strlen(REDACT_PATH));
	/* keyed: not the unkeyed hash, stable under the same key, not another key's */
	hash(k1, REDACT_PATH, p, strlen(p), y);
	assert_form(y, REDACT_PATH);
	assert_string_not_equal(x, y);
	hash(k1b, REDACT_PATH, p, strlen(p), z);
	assert_string_equal(y, z);
	hash(k2, REDACT_PATH, p, strlen(p), z);
	assert_string_not_equal(y, z);
	/* one byte apart, another hash */
	hash(a, REDACT_PATH, "/var/lib/app/db.sqlitf", strlen(p), y);
	assert_string_not_equal(x, y);
	redactor_free(a);
	redactor_free(b);
	redactor_free(k1);
	redactor_free(k1b);
	redactor_free(k2);
}

static void test_empty_and_bytes(void **state)
{
	struct redactor *r = redactor_new(NULL, 0), *k = redactor_new("\0\xff", 2);
	char x[REDACT_VALUE_MAX], y[REDACT_VALUE_MAX];

	(void)state;
	assert_non_null(r);
	assert_non_null(k);
	/* the empty string is a value too (SHA-256 of nothing, FIPS 180-2) */
	hash(r, REDACT_ARG, "", 0, x);
	assert_string_equal(x, "arg:e3b0c44298fc1c14");
	hash(k, REDACT_ARG, "", 0, y);
	assert_form(y, REDACT_ARG);
	assert_string_not_equal(x, y);
	/* bytes after a NUL count; invalid UTF-8 in, ASCII out */
	hash(r, REDACT_PATH, "/a\0b", 4, x);
	hash(r, REDACT_PATH, "/a", 2, y);
	assert_string_not_equal(x, y);
	assert_form(x, REDACT_PATH);
	hash(r, REDACT_PATH, "/\xff\xfe\x80\n\"<", 7, x);
	assert_form(x, REDACT_PATH);
	/* a key of NUL and 0xff bytes is all of it, not a C string */
	redactor_free(k);
	k = redactor_new("\0\xfe", 2);
	assert_non_null(k);
	hash(k, REDACT_ARG, "", 0, x);
	assert_string_not_equal(x, y);
	redactor_free(r);
	redactor_free(k);
}

static void test_short_buffer_and_limits(void **state)
{
	static char big[REDACT_KEY_MAX + 1];
	struct redactor *r = redactor_new(NULL, 0);
	char out[8];

	(void)state;
	assert_non_null(r);
	/* truncated, terminated, and never the raw value */
	assert_int_equal(redact_value(r, REDACT_PATH, "/secret", 7, out, sizeof(out)), 7);
	assert_memory_equal(out, "path:", 5);
	assert_int_equal(strlen(out), 7);
	assert_null(strstr(out, "secret"));
	assert_int_equal(redact_path(r, "pipe:[12]", 9, out, sizeof(out)), 7);
	assert_string_equal(out, "pipe:[1");
	assert_int_equal(redact_value(r, REDACT_PATH, "x", 1, out, 0), 0);
	/* no redactor: the kind and a '?', not the value */
	assert_int_equal(redact_value(NULL, REDACT_ADDR, "10.0.0.1:22", 11, out, sizeof(out)), 6);
	assert_string_equal(out, "addr:?");
	assert_null(redactor_new(big, sizeof(big)));
	r = (redactor_free(r), redactor_new(big, REDACT_KEY_MAX));
	assert_non_null(r);
	redactor_free(r);
	redactor_free(NULL);
	assert_false(redactor_keyed(NULL));
}

static void test_path_forms(void **state)
{
	struct redactor *r = redactor_new(NULL, 0);
	char x[REDACT_VALUE_MAX], y[REDACT_VALUE_MAX];
	static const char *const kept[] = { "pipe:[12345]", "socket:[9]", "anon_inode:[eventfd]",
					    "anon_inode:inotify", "anon_inode:[pidfd]" };
	static const char *const hashed[] = { "/etc/passwd", "/memfd:secret (deleted)",
					      "pipe:[1]/../etc", "socket:[1] me", "anon_inode:a/b",
					      "pipe:", "relative", "" };

	(void)state;
	assert_non_null(r);
	/* what the kernel names without a path is no one's data */
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
		assert_int_equal(redact_path(r, kept[i], strlen(kept[i]), x, sizeof(x)),
				 strlen(kept[i]));
		assert_string_equal(x, kept[i]);
	}
	for (size_t i = 0; i < sizeof(hashed) / sizeof(hashed[0]); i++) {
		redact_path(r, hashed[i], strlen(hashed[i]), x, sizeof(x));
		assert_memory_equal(x, "path:", 5);
		assert_null(strstr(x, hashed[i][0] ? hashed[i] : "\x01"));
	}
	/* a kernel name with a NUL after it is not one */
	redact_path(r, "pipe:[1]\0/x", 11, x, sizeof(x));
	assert_form(x, REDACT_PATH);
	/* deleted: the same hash as before the unlink, and the suffix kept */
	redact_path(r, "/var/tmp/f", 10, x, sizeof(x));
	assert_form(x, REDACT_PATH);
	redact_path(r, "/var/tmp/f (deleted)", 20, y, sizeof(y));
	assert_int_equal(strlen(y), strlen(x) + 10);
	assert_memory_equal(y, x, strlen(x));
	assert_string_equal(y + strlen(x), " (deleted)");
	/* " (deleted)" alone is not a path with a suffix */
	redact_path(r, " (deleted)", 10, y, sizeof(y));
	assert_form(y, REDACT_PATH);
	redactor_free(r);
}

static int text_fn(FILE *f, const struct ls_engine *eng, const struct findings *fs,
		   const struct report_meta *m)
{
	report_write_text(f, eng, fs, m);
	return 0;
}

/* What the world holds that names a file, a command line or a peer. */
static const char *const raw_values[] = {
	"/data/db", "/var/log/srv-", "/tmp/kid", "/tmp/a", "kid.c", "open64.c", "/opt/kid",
	"libc.so.6", "--port", "8080", "127.0.0.1", "47123", "5432",
};

/* srv also holds a TCP connection, 127.0.0.1:47123 -> 127.0.0.1:5432 */
static void world_with_socket(struct world *w)
{
	world_build(w);
	assert_int_equal(ev_apply(w->eng, ev_socket(WORLD_SRV, 60 * WORLD_MS, 40, 2, 0x440, 0x5440,
						     0)), 0);
	assert_int_equal(ev_apply(w->eng, ev_tcp_state(61 * WORLD_MS, 0x5440, 2, TCP_ESTABLISHED,
							WORLD_LPORT, WORLD_RPORT)), 0);
}

static void test_no_output_writes_raw(void **state)
{
	const render_fn fns[] = { report_write_json, text_fn, report_write_dot, report_write_html };
	const char *names[] = { "json", "text", "dot", "html" };
	struct redactor *r = redactor_new(NULL, 0);
	char want[REDACT_VALUE_MAX];
	struct world w;

	(void)state;
	assert_non_null(r);
	world_with_socket(&w);
	redact_value(r, REDACT_PATH, "/tmp/kid", 8, want, sizeof(want));
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		struct out raw = { 0 }, red = { 0 };

		w.meta.redact = NULL;
		render_with(fns[i], w.eng, &w.fs, &w.meta, &raw);
		w.meta.redact = r;
		render_with(fns[i], w.eng, &w.fs, &w.meta, &red);
		/* the raw report has the file the finding is about; the redacted
		 * one its hash, and no raw value at all */
		if (!count(&raw, "/tmp/kid"))
			fail_msg("%s: the raw report lacks /tmp/kid", names[i]);
		if (!count(&red, want))
			fail_msg("%s: no %s for /tmp/kid", names[i], want);
		for (size_t v = 0; v < sizeof(raw_values) / sizeof(raw_values[0]); v++)
			if (count(&red, raw_values[v]))
				fail_msg("%s: raw '%s' in the redacted report", names[i],
					 raw_values[v]);
		/* what a reader needs stays: the function of the leak */
		if (i != 2 && !count(&red, "open_kid"))
			fail_msg("%s: the function name went", names[i]);
		free(raw.s);
		free(red.s);
	}
	world_free(&w);
	redactor_free(r);
}

static void test_json_fields(void **state)
{
	struct redactor *r = redactor_new("k", 1);
	char file[REDACT_VALUE_MAX], ep[REDACT_VALUE_MAX], arg[REDACT_VALUE_MAX], exp[128];
	struct out o = { 0 };
	struct world w;

	(void)state;
	assert_non_null(r);
	world_with_socket(&w);
	w.meta.redact = r;
	render_with(report_write_json, w.eng, &w.fs, &w.meta, &o);
	assert_has(&o, "\"redacted\": true");
	assert_has(&o, "\"redaction_keyed\": true");
	/* a frame keeps its function and line, its file is hashed whole */
	redact_value(r, REDACT_PATH, "kid.c", 5, file, sizeof(file));
	snprintf(exp, sizeof(exp), "\"file\": \"%s\",\n", file);
	assert_has(&o, exp);
	/* endpoints: family and state stay, address and port as one hash */
	redact_value(r, REDACT_ADDR, "127.0.0.1:47123", 15, ep, sizeof(ep));
	snprintf(exp, sizeof(exp), "\"local\": \"%s\"", ep);
	assert_has(&o, exp);
	assert_has(&o, "\"state\": \"ESTABLISHED\"");
	assert_has(&o, "\"family\": \"AF_INET\"");
	/* argv: one hash an argument: the observer's command, srv's and kid's
	 * (a fork keeps its parent's) */
	redact_value(r, REDACT_ARG, "--port", 6, arg, sizeof(arg));
	assert_int_equal(count(&o, arg), 3);
	free(o.s);
	world_free(&w);
	redactor_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_stable_and_keyed),
		cmocka_unit_test(test_empty_and_bytes),
		cmocka_unit_test(test_short_buffer_and_limits),
		cmocka_unit_test(test_path_forms),
		cmocka_unit_test(test_no_output_writes_raw),
		cmocka_unit_test(test_json_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
