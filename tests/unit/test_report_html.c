// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --html: the page's sections, its escaping, that it fetches nothing, limits. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "graph_world.h"
#include "report.h"
#include "render_out.h"
#include "utf8.h"

#define FFFD "\xef\xbf\xbd"

static void render(const struct ls_engine *eng, const struct findings *fs,
		   const struct report_meta *m, struct out *o)
{
	render_with(report_write_html, eng, fs, m, o);
}

static bool is_void(const char *name, size_t len)
{
	static const char *const v[] = { "meta", "br", "link", "img", "hr", "input" };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (strlen(v[i]) == len && !memcmp(v[i], name, len))
			return true;
	return false;
}

/*
 * Valid UTF-8, no control byte but newlines, and every '<' starts a tag
 * that opens and closes in order (or closes itself): a name that got into
 * the page unescaped would break one of these.
 */
static void assert_html_shape(const struct out *o)
{
	const char *open[64];
	size_t open_len[64];
	int depth = 0;

	for (size_t i = 0; i < o->len; i++) {
		unsigned char c = (unsigned char)o->s[i];
		const char *name, *end;
		size_t n;

		if (c >= 0x80) {
			n = utf8_seq_len((const unsigned char *)o->s + i, o->len - i);
			if (!n)
				fail_msg("invalid UTF-8 at %zu", i);
			i += n - 1;
			continue;
		}
		if (c < 0x20 && c != '\n')
			fail_msg("control byte 0x%02x at %zu", c, i);
		if (c != '<')
			continue;
		end = memchr(o->s + i, '>', o->len - i);
		assert_non_null(end);
		if (o->s[i + 1] == '!') {
			i = (size_t)(end - o->s);
			continue;
		}
		name = o->s + i + 1 + (o->s[i + 1] == '/');
		n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (!n)
			fail_msg("a '<' that starts no tag at %zu: %.40s", i, o->s + i);
		if (o->s[i + 1] == '/') {
			assert_true(depth > 0);
			depth--;
			if (open_len[depth] != n || memcmp(open[depth], name, n))
				fail_msg("</%.*s> closes <%.*s> at %zu", (int)n, name,
					 (int)open_len[depth], open[depth], i);
		} else if (end[-1] != '/' && !is_void(name, n)) {
			assert_true(depth < 64);
			open[depth] = name;
			open_len[depth++] = n;
		}
		i = (size_t)(end - o->s);
	}
	assert_int_equal(depth, 0);
}

/* Nothing the browser would fetch: no address, no source, no import; the
 * only url() is an arrowhead of the page itself. */
static void assert_self_contained(const struct out *o)
{
	assert_int_equal(count(o, "http:"), 0);
	assert_int_equal(count(o, "https:"), 0);
	assert_int_equal(count(o, "src="), 0);
	assert_int_equal(count(o, "href="), 0);
	assert_int_equal(count(o, "@import"), 0);
	assert_int_equal(count(o, "<script"), 0);
	assert_int_equal(count(o, "url("), count(o, "url(#"));
	assert_has(o, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		   "style-src 'unsafe-inline'\">");
}

static void test_sections(void **state)
{
	struct world w;
	struct out o = { 0 };

	(void)state;
	world_build(&w);
	render(w.eng, &w.fs, &w.meta, &o);
	assert_html_shape(&o);
	assert_self_contained(&o);
	assert_int_equal(strncmp(o.s, "<!DOCTYPE html>\n<html lang=\"en\">\n", 33), 0);
	assert_has(&o, "<title>leakscope report: box&lt;1&gt;, 2 findings</title>");
	/* the observer */
	assert_has(&o, "<tr><th>command</th><td><code>srv --port 8080</code></td></tr>");
	assert_has(&o, "<tr><th>host</th><td>box&lt;1&gt;</td></tr>");
	assert_has(&o, "<tr><th>start</th><td>2026-11-23T00:00:00.001Z</td></tr>");
	assert_has(&o, "<tr><th>events</th><td>77 received, 0 lost</td></tr>");
	assert_has(&o, "<tr><th>findings</th><td>2 (0 errors, 2 warnings, 0 info); 0 suppressed");
	/* the chart: a step line per process, srv's climbing by its 20 logs */
	assert_has(&o, "<svg class=\"chart\" viewBox=\"0 0 900 320\"");
	assert_int_equal(count(&o, "<path class=\"series\""), 3);
	assert_has(&o, "<path class=\"series\" data-pid=\"100\" stroke=\"#c62828\" d=\"M56.0 280.0H");
	assert_has(&o, "<title>pid 100 srv: at most 26 open fds</title>");
	assert_has(&o, "pid 101 kid (exited, at most 27)");
	/* down to 0 at the exit, which released them; a live one stays up */
	assert_has(&o, "V280.0\"><title>pid 101 kid: at most 27 open fds</title>");
	assert_int_equal(count(&o, "V280.0\"><title>pid 100 "), 0);
	/* the findings, each with its row of stacks */
	assert_has(&o, "<h2 id=\"findings\">Findings (2)</h2>");
	assert_int_equal(count(&o, "<tr class=\"finding "), 2);
	assert_has(&o, "<tr class=\"finding sev-warning\" id=\"finding-1\"><td>1</td>"
		   "<td class=\"kind\">released-at-exit</td><td class=\"severity\">warning</td>"
		   "<td>101 kid</td><td class=\"resource\"><code>fd:101.2:9:0</code><br>9w file "
		   "/tmp/kid</td><td class=\"reason\">fd 9 (file /tmp/kid) created by openat was "
		   "never closed; released only when pid 101 exited, 0.009 s later</td></tr>");
	assert_has(&o, "<summary>allocation stack (3 frames)</summary>");
	assert_has(&o, "<li><span class=\"fn\">open_kid&lt;T&gt;</span> <span class=\"where\">"
		   "kid.c:51 (kid+0x13c4)</span></li>");
	assert_has(&o, "<td class=\"kind\">cycle</td>");
	/* the graph, laid out here */
	assert_has(&o, "<h2 id=\"graph\">Links between resources</h2>");
	assert_has(&o, "<svg class=\"graph\"");
	assert_has(&o, "<text class=\"column\" x=\"16\" y=\"36\">pid 100 srv (live)</text>");
	assert_has(&o, "<text class=\"column\"");
	assert_has(&o, ">descriptions</text>");
	assert_has(&o, "<g class=\"node finding\" data-id=\"fd:101.2:9:0\">");
	assert_has(&o, "<path class=\"edge in_flight cycle\"");
	assert_int_equal(count(&o, "class=\"edge in_flight cycle\""), 2);
	assert_has(&o, "<path class=\"edge dup\"");
	assert_has(&o, "marker-end=\"url(#arrow-dup)\"><title>fd:100.1:4:0 dup fd:100.1:7:0</title>");
	assert_int_equal(count(&o, "Not shown"), 0);
	assert_int_equal(strcmp(o.s + o.len - 8, "</html>\n"), 0);
	free(o.s);
	world_free(&w);
}

static void test_escaping(void **state)
{
	struct world w;
	struct out o = { 0 };

	(void)state;
	world_build(&w);
	render(w.eng, &w.fs, &w.meta, &o);
	/* bytes replaced, controls shown, metacharacters as entities */
	assert_has(&o, "<text class=\"name\" x=\"22\" y=\"");
	assert_has(&o, ">/tmp/a" FFFD "&quot;b\\\\c\\x0ad&lt;e&gt;&amp;f</text>");
	assert_int_equal(count(&o, "<e>"), 0);
	free(o.s);
	world_free(&w);
}

static void test_empty(void **state)
{
	struct ls_engine *eng = engine_new();
	struct findings fs = { 0 };
	struct report_meta m = { .version = "0.1.0", .end_ns = 2 };
	struct out o = { 0 };

	(void)state;
	assert_non_null(eng);
	render(eng, &fs, &m, &o);
	assert_html_shape(&o);
	assert_self_contained(&o);
	assert_has(&o, "<title>leakscope report, 0 findings</title>");
	assert_has(&o, "<tr><th>host</th><td>unknown</td></tr>");
	assert_has(&o, "No process held an fd while leakscope watched.");
	assert_has(&o, "No findings: nothing leaked.");
	assert_has(&o, "No resource to draw.");
	free(o.s);
	engine_free(eng);
}

/* 2001 leaked files: 2000 rows, 400 boxes, and a word about the rest. */
static void test_limits(void **state)
{
	struct ls_engine *eng = engine_new();
	struct findings fs = { 0 };
	struct detect_opts d = { .now_ns = 100 };
	struct report_meta m = { .version = "0.1.0", .start_ns = 1, .end_ns = 100 };
	struct out o = { 0 };

	(void)state;
	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(7, 1, 1, "many", "many\0", 5, 1)), 0);
	for (int fd = 3; fd < 2004; fd++)
		assert_int_equal(ev_apply(eng, ev_open(7, 7, 2, fd, "/x", LS_RES_FILE, 0x1000 + fd,
						       0)), 0);
	assert_int_equal(ev_apply(eng, ev_exit(7, 7, 3, 0, 1)), 0);
	assert_int_equal(detect_all(eng, &d, &fs), 0);
	assert_int_equal(fs.len, 2001);
	render(eng, &fs, &m, &o);
	assert_html_shape(&o);
	assert_int_equal(count(&o, "<tr class=\"finding "), 2000);
	assert_has(&o, "The first 2000 of 2001 findings; the JSON report has them all.");
	assert_int_equal(count(&o, "<g class=\"node"), 400);
	assert_has(&o, "<p class=\"note\">Not shown: 1601 resources and 0 links (the page draws "
		   "at most 400 and 800; --dot draws more, and the JSON report has 0 links more).</p>");
	free(o.s);
	findings_free(&fs);
	engine_free(eng);
}

static void test_write_error(void **state)
{
	struct world w;
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	assert_non_null(f);
	world_build(&w);
	assert_int_equal(report_write_html(f, w.eng, &w.fs, &w.meta), -EIO);
	fclose(f);
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests_name("report_html", tests, NULL, NULL);
}
