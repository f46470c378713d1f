// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The graph the pictures draw: nodes, groups, labels, edges, marks, limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "engine_view.h"
#include "graph_world.h"
#include "report_graph.h"

static int setup(void **state)
{
	static struct world w;

	world_build(&w);
	*state = &w;
	return 0;
}

static int teardown(void **state)
{
	world_free(*state);
	return 0;
}

static const struct graph_node *node(const struct report_graph *g, const char *id)
{
	char buf[LINK_ID_MAX];

	for (size_t i = 0; i < g->nnodes; i++) {
		link_end_format(&g->nodes[i].id, buf, sizeof(buf));
		if (!strcmp(buf, id))
			return &g->nodes[i];
	}
	return NULL;
}

/* The edge of kind between the nodes with these ids, or NULL. */
static const struct graph_edge *edge(const struct report_graph *g, unsigned int kind,
				     const char *from, const char *to)
{
	const struct graph_node *a = node(g, from), *b = node(g, to);

	for (size_t i = 0; a && b && i < g->nedges; i++) {
		const struct graph_edge *e = &g->edges[i];

		if (e->kind == kind && &g->nodes[e->from] == a && &g->nodes[e->to] == b)
			return e;
	}
	return NULL;
}

static const char *head(const struct report_graph *g, const char *id)
{
	static char buf[128];
	const struct graph_node *n = node(g, id);

	assert_non_null(n);
	graph_node_head(n, buf, sizeof(buf));
	return buf;
}

static const char *name(const struct report_graph *g, const char *id)
{
	static char buf[512];
	const struct graph_node *n = node(g, id);

	assert_non_null(n);
	graph_node_name(n, NULL, buf, sizeof(buf));
	return buf;
}

static void build(struct world *w, size_t max_nodes, size_t max_edges, struct report_graph *g)
{
	assert_int_equal(report_graph_build(w->eng, &w->fs, &w->links, max_nodes, max_edges, g), 0);
}

static const char *desc_of(const struct world *w, uint32_t pid, int fd)
{
	static char buf[LINK_ID_MAX];
	const struct ls_process *p = engine_find_live(w->eng, pid);
	struct link_end e;
	const struct ls_fd *f;

	assert_non_null(p);
	f = view_fd(w->eng, pid, fd);
	assert_non_null(f);
	e = link_end_desc(f->ofd->id);
	link_end_format(&e, buf, sizeof(buf));
	return buf;
}

static void test_nodes_and_groups(void **state)
{
	struct world *w = *state;
	struct report_graph g;

	build(w, 1000, 1000, &g);
	assert_int_equal(g.nodes_omitted, 0);
	assert_int_equal(g.edges_omitted, 0);
	/* lsof-style: every fd held, the live ones' and the exited kid's */
	assert_non_null(node(&g, "fd:100.1:29:0"));
	assert_non_null(node(&g, "fd:101.2:9:0"));
	assert_non_null(node(&g, "fd:101.2:29:0"));
	/* link ends: the threads, the process, the mapping, the descriptions */
	assert_non_null(node(&g, "threads:100.1"));
	assert_non_null(node(&g, "proc:100.1"));
	assert_non_null(node(&g, "map:100.1:0x10000"));
	/* grouped by process in order of first sight, descriptions last */
	for (size_t i = 1; i < g.nnodes; i++) {
		const struct graph_node *a = &g.nodes[i - 1], *b = &g.nodes[i];

		if (a->id.type == LINK_END_DESC)
			assert_int_equal(b->id.type, LINK_END_DESC);
		else if (b->id.type != LINK_END_DESC)
			assert_true(a->id.serial <= b->id.serial);
		assert_ptr_equal(report_graph_find(&g, &b->id), b);
	}
	assert_int_equal(g.nprocs, 3);
	assert_true(graph_same_group(node(&g, "fd:100.1:3:0"), node(&g, "proc:100.1")));
	assert_false(graph_same_group(node(&g, "fd:100.1:3:0"), node(&g, "fd:101.2:3:0")));
	assert_null(report_graph_find(&g, &(struct link_end){ .type = LINK_END_DESC, .desc = 999 }));
	report_graph_free(&g);
}

static void test_labels(void **state)
{
	struct world *w = *state;
	struct report_graph g;
	char buf[8];

	build(w, 1000, 1000, &g);
	assert_string_equal(head(&g, "fd:100.1:3:0"), "3r pipe");
	assert_string_equal(name(&g, "fd:100.1:3:0"), "pipe:[77]");
	assert_string_equal(head(&g, "fd:100.1:4:0"), "4w pipe");
	assert_string_equal(head(&g, "fd:100.1:6:0"), "6u file");
	assert_string_equal(name(&g, "fd:100.1:6:0"), WORLD_WEIRD);
	assert_string_equal(head(&g, "fd:100.1:5:0"), "5r epoll");
	assert_string_equal(head(&g, "proc:100.1"), "pid 100");
	assert_string_equal(name(&g, "proc:100.1"), "srv");
	assert_string_equal(head(&g, "threads:100.1"), "threads of pid 100");
	assert_string_equal(name(&g, "threads:100.1"), "1 live, 1 created");
	assert_string_equal(head(&g, "map:100.1:0x10000"), "map r--s 8 KiB");
	assert_string_equal(name(&g, "map:100.1:0x10000"), "/data/db");
	assert_string_equal(head(&g, desc_of(w, WORLD_SRV, 3)), "desc:1 pipe");
	assert_string_equal(head(&g, "fd:101.2:9:0"), "9w file");
	assert_string_equal(name(&g, "fd:101.2:9:0"), "/tmp/kid");
	/* cut, terminated */
	assert_int_equal(graph_node_head(node(&g, "fd:100.1:3:0"), buf, 3), 2);
	assert_string_equal(buf, "3r");
	assert_int_equal(graph_node_name(node(&g, "fd:100.1:6:0"), NULL, buf, 5), 4);
	assert_string_equal(buf, "/tmp");
	report_graph_free(&g);
}

static void test_edges(void **state)
{
	struct world *w = *state;
	struct report_graph g;
	char r[LINK_ID_MAX], wr[LINK_ID_MAX];

	build(w, 1000, 1000, &g);
	snprintf(r, sizeof(r), "%s", desc_of(w, WORLD_SRV, 3));
	snprintf(wr, sizeof(wr), "%s", desc_of(w, WORLD_SRV, 4));
	assert_non_null(edge(&g, LINK_PIPE_PEER, wr, r));
	assert_non_null(edge(&g, LINK_DUP, "fd:100.1:4:0", "fd:100.1:7:0"));
	assert_non_null(edge(&g, LINK_EPOLL_WATCH, "fd:100.1:5:0", "fd:100.1:3:0"));
	assert_non_null(edge(&g, LINK_INHERITED, "fd:100.1:6:0", "fd:101.2:6:0"));
	assert_non_null(edge(&g, LINK_MAPS_FILE, "map:100.1:0x10000", "fd:100.1:8:0"));
	assert_non_null(edge(&g, LINK_THREAD_OF, "threads:100.1", "proc:100.1"));
	/* every fd on a description that is a node holds it */
	assert_non_null(edge(&g, GRAPH_EDGE_HOLDS, "fd:100.1:3:0", r));
	assert_non_null(edge(&g, GRAPH_EDGE_HOLDS, "fd:100.1:7:0", wr));
	assert_non_null(edge(&g, GRAPH_EDGE_HOLDS, "fd:101.2:4:0", wr));
	assert_null(edge(&g, GRAPH_EDGE_HOLDS, "fd:100.1:6:0", r));
	/* every link is an edge: nothing was left out */
	{
		size_t links = 0;

		for (size_t i = 0; i < g.nedges; i++)
			links += g.edges[i].kind != GRAPH_EDGE_HOLDS;
		assert_int_equal(links, w->links.len);
	}
	assert_string_equal(graph_edge_style(LINK_TCP_PEER)->name, "tcp_peer");
	assert_true(graph_edge_style(LINK_TCP_PEER)->both_ways);
	assert_string_equal(graph_edge_style(GRAPH_EDGE_HOLDS)->name, "holds");
	assert_string_equal(graph_edge_style(999)->name, "holds");
	for (unsigned int k = 0; k < LINK_KIND_MAX; k++)
		assert_string_equal(graph_edge_style(k)->name, link_kind_name(k));
	report_graph_free(&g);
}

static void test_findings_and_cycles(void **state)
{
	struct world *w = *state;
	const struct ls_cycle *c;
	const struct graph_node *n;
	struct report_graph g;
	char id[LINK_ID_MAX];
	size_t in_cycle = 0;

	build(w, 1000, 1000, &g);
	n = node(&g, "fd:101.2:9:0");
	assert_int_equal(n->finding_kinds, 1u << FINDING_RELEASED_AT_EXIT);
	assert_int_equal(n->severity, SEVERITY_WARNING);
	assert_false(n->in_cycle);
	assert_int_equal(node(&g, "fd:101.2:8:0")->severity, -1);
	assert_int_equal(node(&g, "fd:101.2:8:0")->finding_kinds, 0);
	assert_int_equal(w->fs.cycles.len, 1);
	c = &w->fs.cycles.v[0];
	for (size_t i = 0; i < c->nmembers; i++) {
		link_end_format(&c->members[i], id, sizeof(id));
		n = node(&g, id);
		assert_non_null(n);
		assert_true(n->in_cycle);
		assert_int_equal(n->finding_kinds, 1u << FINDING_CYCLE);
		assert_non_null(n->ofd);
		assert_null(n->proc);
	}
	for (size_t i = 0; i < g.nedges; i++) {
		if (!g.edges[i].in_cycle)
			continue;
		in_cycle++;
		assert_int_equal(g.edges[i].kind, LINK_IN_FLIGHT);
		assert_true(g.nodes[g.edges[i].from].in_cycle);
	}
	assert_int_equal(in_cycle, 2);
	report_graph_free(&g);
}

static void test_limits(void **state)
{
	struct world *w = *state;
	struct report_graph all, g;
	char id[LINK_ID_MAX];

	build(w, 1000, 1000, &all);
	/* five nodes: the finding's fd, the cycle's two descriptions and the
	 * process whose send closed it first */
	build(w, 5, 1000, &g);
	assert_int_equal(g.nnodes, 5);
	assert_int_equal(g.nodes_omitted, all.nnodes - 5);
	assert_non_null(node(&g, "fd:101.2:9:0"));
	assert_int_equal(node(&g, "proc:102.3")->finding_kinds, 1u << FINDING_CYCLE);
	for (size_t i = 0; i < w->fs.cycles.v[0].nmembers; i++) {
		link_end_format(&w->fs.cycles.v[0].members[i], id, sizeof(id));
		assert_non_null(node(&g, id));
	}
	/* then a link end, not one of the plain fds */
	for (size_t i = 0; i < g.nnodes; i++)
		assert_true(g.nodes[i].worth <= 1);
	/* a link whose end is left out is counted */
	{
		size_t links = 0;

		for (size_t i = 0; i < g.nedges; i++) {
			links += g.edges[i].kind != GRAPH_EDGE_HOLDS;
			assert_true(g.edges[i].from < g.nnodes && g.edges[i].to < g.nnodes);
		}
		assert_int_equal(links + g.edges_omitted, w->links.len);
		assert_true(g.edges_omitted > 0);
	}
	report_graph_free(&g);
	/* edges past the limit */
	build(w, 1000, 3, &g);
	assert_int_equal(g.nedges, 3);
	assert_int_equal(g.edges_omitted, all.nedges - 3);
	report_graph_free(&g);
	/* nothing at all */
	build(w, 0, 0, &g);
	assert_int_equal(g.nnodes, 0);
	assert_int_equal(g.nedges, 0);
	assert_int_equal(g.nodes_omitted, all.nnodes);
	report_graph_free(&g);
	report_graph_free(&all);
}

static void test_empty(void **state)
{
	struct ls_engine *eng = engine_new();
	struct findings fs = { 0 };
	struct link_set links = { 0 };
	struct report_graph g;

	(void)state;
	assert_non_null(eng);
	assert_int_equal(report_graph_build(eng, &fs, &links, 10, 10, &g), 0);
	assert_int_equal(g.nnodes + g.nedges + g.nodes_omitted + g.edges_omitted, 0);
	report_graph_free(&g);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nodes_and_groups),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_findings_and_cycles),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_empty),
	};

	return cmocka_run_group_tests_name("report_graph", tests, setup, teardown);
}
