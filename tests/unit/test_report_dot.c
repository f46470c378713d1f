// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --dot: the structure of the DOT graph, its escaping, its limits. */
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
	render_with(report_write_dot, eng, fs, m, o);
}

/*
 * What a DOT parser needs of the bytes: valid UTF-8; strings closed on the
 * line they open, holding only the escapes \" \\ and \n; and outside them,
 * braces and brackets that nest and close.
 */
static void assert_dot_shape(const struct out *o)
{
	char stack[32];
	int depth = 0;
	bool in_str = false, comment = false;

	for (size_t i = 0; i < o->len; i++) {
		unsigned char c = (unsigned char)o->s[i];

		if (c >= 0x80) {
			size_t n = utf8_seq_len((const unsigned char *)o->s + i, o->len - i);

			if (!n)
				fail_msg("invalid UTF-8 at byte %zu", i);
			i += n - 1;
			continue;
		}
		if (comment) {
			comment = c != '\n';
			continue;
		}
		if (c < 0x20 && c != '\n' && c != '\t')
			fail_msg("raw control byte 0x%02x at %zu", c, i);
		if (in_str) {
			if (c == '\n')
				fail_msg("a string runs past its line at %zu", i);
			if (c == '\\') {
				if (!strchr("\"\\n", o->s[i + 1]))
					fail_msg("escape \\%c at %zu", o->s[i + 1], i);
				i++;
			} else if (c == '"') {
				in_str = false;
			}
			continue;
		}
		if (c == '/' && o->s[i + 1] == '/')
			comment = true;
		else if (c == '"')
			in_str = true;
		else if (c == '{' || c == '[')
			stack[depth++] = (char)c;
		else if (c == '}' || c == ']')
			assert_int_equal(stack[--depth], c == '}' ? '{' : '[');
		assert_true(depth >= 0 && depth < (int)sizeof(stack));
	}
	assert_false(in_str);
	assert_int_equal(depth, 0);
}

static void test_structure(void **state)
{
	struct world w;
	struct out o = { 0 };

	(void)state;
	world_build(&w);
	render(w.eng, &w.fs, &w.meta, &o);
	assert_dot_shape(&o);
	assert_int_equal(strncmp(o.s, "// leakscope 0.1.0: ", 20), 0);
	assert_has(&o, "\ndigraph leakscope {\n");
	{
		char want[96];

		snprintf(want, sizeof(want), "label=\"leakscope on box<1>: 3 processes, 2 findings, "
			 "%zu links\"];\n", w.links.len);
		assert_has(&o, want);
	}
	assert_int_equal(strcmp(o.s + o.len - 2, "}\n"), 0);
	/* a cluster per process, the live, the exited, the one whose send closed the cycle */
	assert_has(&o, "\tsubgraph \"cluster_proc:100.1\" {\n\t\tlabel=\"pid 100 srv (live)\";");
	assert_has(&o, "\tsubgraph \"cluster_proc:101.2\" {\n\t\tlabel=\"pid 101 kid (exited 0)\";");
	assert_has(&o, "\tsubgraph \"cluster_proc:102.3\" {");
	assert_int_equal(count(&o, "subgraph"), 3);
	/* lsof-style labels */
	assert_has(&o, "\t\t\"fd:100.1:3:0\" [label=\"3r pipe\\npipe:[77]\", tooltip=\"fd:100.1:3:0\"];\n");
	assert_has(&o, "\t\t\"threads:100.1\" [label=\"threads of pid 100\\n1 live, 1 created\"");
	assert_has(&o, "\t\t\"map:100.1:0x10000\" [label=\"map r--s 8 KiB\\n/data/db\"");
	assert_has(&o, "\t\t\"proc:100.1\" [label=\"pid 100\\nsrv\", tooltip=\"proc:100.1\", shape=ellipse];");
	/* descriptions outside every cluster */
	assert_has(&o, "\t\"desc:1\" [label=\"desc:1 pipe\\npipe:[77]\", tooltip=\"desc:1\", shape=note];");
	/* a finding: red, and which */
	assert_has(&o, "\t\t\"fd:101.2:9:0\" [label=\"9w file\\n/tmp/kid\\nreleased-at-exit\", "
		   "tooltip=\"fd:101.2:9:0\", color=\"#d32f2f\", penwidth=2.5];\n");
	assert_has(&o, "\t\t\"proc:102.3\" [label=\"pid 102\\ncyc\\ncycle\"");
	/* edges, one style per kind */
	assert_has(&o, "\t\"fd:100.1:4:0\" -> \"fd:100.1:7:0\" [class=\"dup\", color=\"#546e7a\", "
		   "style=dashed, label=\"dup\", fontcolor=\"#546e7a\"];\n");
	assert_has(&o, "\t\"desc:2\" -> \"desc:1\" [class=\"pipe_peer\"");
	assert_has(&o, "[class=\"epoll_watch\"");
	assert_has(&o, "[class=\"inherited\"");
	assert_has(&o, "[class=\"maps_file\"");
	assert_has(&o, "[class=\"thread_of\"");
	assert_has(&o, "\t\"fd:100.1:3:0\" -> \"desc:1\" [class=\"holds\", color=\"#b0b0b0\", "
		   "style=dotted, arrowsize=0.5];\n");
	/* the cycle: its descriptions filled, its links red and thick */
	assert_int_equal(count(&o, "fillcolor=\"#ffcdd2\""), 2);
	assert_int_equal(count(&o, "label=\"in_flight (cycle)\", fontcolor=\"#d32f2f\", penwidth=3"), 2);
	assert_int_equal(count(&o, "\"omitted\""), 0);
	free(o.s);
	world_free(&w);
}

static void test_escaping(void **state)
{
	struct world w;
	struct out o = { 0 };

	(void)state;
	world_build(&w);
	w.meta.host = "h\"o\\st";
	render(w.eng, &w.fs, &w.meta, &o);
	assert_dot_shape(&o);
	/* the bad byte replaced, the quote and backslash escaped, the newline
	 * shown, Graphviz's entities kept as text */
	assert_has(&o, "[label=\"6u file\\n/tmp/a" FFFD "\\\"b\\\\\\\\c\\\\x0ad<e>&amp;f\"");
	assert_has(&o, "label=\"leakscope on h\\\"o\\\\\\\\st: ");
	free(o.s);
	world_free(&w);
}

/* 1100 open files: the graph stops at its limit and says so. */
static void test_limit(void **state)
{
	struct ls_engine *eng = engine_new();
	struct findings fs = { 0 };
	struct report_meta m = { .version = "0.1.0", .host = "h", .end_ns = 2 };
	struct out o = { 0 };

	(void)state;
	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(7, 1, 1, "many", "many\0", 5, 1)), 0);
	for (int fd = 3; fd < 1103; fd++)
		assert_int_equal(ev_apply(eng, ev_open(7, 7, 1, fd, "/x", LS_RES_FILE, 0x1000 + fd,
						       0)), 0);
	render(eng, &fs, &m, &o);
	assert_dot_shape(&o);
	assert_int_equal(count(&o, "tooltip="), 1000);
	assert_has(&o, "label=\"leakscope on h: 1 process, 0 findings, 0 links\"];\n");
	assert_has(&o, "\t\"omitted\" [shape=plaintext, style=\"\", fontcolor=\"#d32f2f\", "
		   "label=\"not shown: 100 resources and 0 links (at most 1000 and 2000 are drawn; "
		   "the JSON report has 0 more links)\"];\n");
	free(o.s);
	engine_free(eng);
}

static void test_write_error(void **state)
{
	struct world w;
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	assert_non_null(f);
	world_build(&w);
	assert_int_equal(report_write_dot(f, w.eng, &w.fs, &w.meta), -EIO);
	fclose(f);
	world_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests_name("report_dot", tests, NULL, NULL);
}
