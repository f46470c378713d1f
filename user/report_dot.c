// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --dot: the links between resources as a Graphviz graph (report_graph.h
 * says what is in it). Each process is a cluster of its resources;
 * descriptions, which processes share, stand outside. What a finding is
 * about has a red border (blue for info) and says which findings; a cycle's
 * descriptions and links are red. Every name from the kernel goes through
 * escape.h, so the file is valid DOT whatever bytes it holds.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "report.h"
#include "report_graph.h"

#define DOT_MAX_NODES 1000 /* dot lays out more, but slowly, and nobody reads it */
#define DOT_MAX_EDGES 2000
#define DOT_NAME_MAX 64    /* bytes of a name shown, from its end */

#define FINDING_COLOR "#d32f2f"
#define INFO_COLOR "#1565c0"
#define CYCLE_FILL "#ffcdd2"

static void put_id_text(FILE *out, const struct link_end *id)
{
	char buf[LINK_ID_MAX];

	esc_write(out, ESC_DOT, buf, link_end_format(id, buf, sizeof(buf)));
}

/* Resource ids are the node ids: the same as in the JSON report. */
static void put_id(FILE *out, const struct link_end *id)
{
	fputc('"', out);
	put_id_text(out, id);
	fputc('"', out);
}

/* A long name by its end: the file name is what tells it apart. */
static void put_name(FILE *out, const char *s, size_t len)
{
	size_t start = esc_tail_start(s, len, DOT_NAME_MAX);

	if (start)
		fputs("\xe2\x80\xa6", out); /* U+2026, an ellipsis */
	esc_write(out, ESC_DOT, s + start, len - start);
}

static void put_kinds(FILE *out, unsigned int kinds)
{
	const char *sep = "";

	for (unsigned int k = 0; k < FINDING_KIND_MAX; k++) {
		if (!(kinds & (1u << k)))
			continue;
		fprintf(out, "%s%s", sep, finding_kind_name(k));
		sep = ", ";
	}
}

static void write_node(FILE *out, const struct graph_node *n, const struct redactor *r,
		       const char *indent)
{
	char head[128], name[LS_PATH_MAX + 128];
	size_t len = graph_node_name(n, r, name, sizeof(name));

	graph_node_head(n, head, sizeof(head));
	fputs(indent, out);
	put_id(out, &n->id);
	fputs(" [label=\"", out);
	esc_puts(out, ESC_DOT, head);
	if (len) {
		fputs("\\n", out);
		put_name(out, name, len);
	}
	if (n->finding_kinds) {
		fputs("\\n", out);
		put_kinds(out, n->finding_kinds);
	}
	fputs("\", tooltip=", out);
	put_id(out, &n->id);
	if (n->id.type == LINK_END_PROC)
		fputs(", shape=ellipse", out);
	else if (n->id.type == LINK_END_DESC)
		fputs(", shape=note", out);
	if (n->finding_kinds)
		fprintf(out, ", color=\"%s\", penwidth=2.5",
			n->severity == SEVERITY_INFO ? INFO_COLOR : FINDING_COLOR);
	if (n->in_cycle)
		fprintf(out, ", fillcolor=\"%s\"", CYCLE_FILL);
	fputs("];\n", out);
}

static void proc_status(const struct ls_process *p, char *buf, size_t len)
{
	if (!p->exited)
		snprintf(buf, len, "live");
	else if (p->exit_code & 0x7f)
		snprintf(buf, len, "killed by signal %u", p->exit_code & 0x7f);
	else
		snprintf(buf, len, "exited %u", (p->exit_code >> 8) & 0xff);
}

/* nodes[from, to) are one process's: its cluster. */
static void write_cluster(FILE *out, const struct report_graph *g, size_t from, size_t to,
			  const struct redactor *r)
{
	const struct ls_process *p = g->nodes[from].proc;
	char status[48];

	fputs("\tsubgraph \"cluster_", out);
	put_id_text(out, &(struct link_end){ .type = LINK_END_PROC, .pid = p->pid,
					     .serial = p->serial });
	proc_status(p, status, sizeof(status));
	fprintf(out, "\" {\n\t\tlabel=\"pid %u ", p->pid);
	esc_write(out, ESC_DOT, p->comm, strnlen(p->comm, sizeof(p->comm)));
	fprintf(out, " (%s)\";\n\t\tstyle=rounded;\n\t\tcolor=\"#90a4ae\";\n", status);
	for (size_t i = from; i < to; i++)
		write_node(out, &g->nodes[i], r, "\t\t");
	fputs("\t}\n", out);
}

static void write_edge(FILE *out, const struct report_graph *g, const struct graph_edge *e)
{
	const struct graph_edge_style *st = graph_edge_style(e->kind);

	fputc('\t', out);
	put_id(out, &g->nodes[e->from].id);
	fputs(" -> ", out);
	put_id(out, &g->nodes[e->to].id);
	fprintf(out, " [class=\"%s\", color=\"%s\", style=%s", st->name,
		e->in_cycle ? FINDING_COLOR : st->color, st->dot);
	if (e->kind != GRAPH_EDGE_HOLDS)
		fprintf(out, ", label=\"%s%s\", fontcolor=\"%s\"", st->name,
			e->in_cycle ? " (cycle)" : "", e->in_cycle ? FINDING_COLOR : st->color);
	if (e->in_cycle)
		fputs(", penwidth=3", out);
	if (st->both_ways)
		fputs(", dir=none", out);
	if (e->kind == GRAPH_EDGE_HOLDS)
		fputs(", arrowsize=0.5", out);
	fputs("];\n", out);
}

static const char *plural(size_t n, const char *many)
{
	return n == 1 ? "" : many;
}

static void write_header(FILE *out, const struct report_graph *g, const struct findings *fs,
			 const struct link_set *links, const struct report_meta *m)
{
	size_t nlinks = links->len + links->omitted;
	char host[REDACT_VALUE_MAX];

	fprintf(out, "// leakscope %s: the links between resources, for Graphviz "
		"(dot -Tsvg FILE > FILE.svg)\n", m->version ? m->version : "");
	fputs("digraph leakscope {\n\tgraph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, "
	      "labelloc=t, label=\"leakscope", out);
	if (m->host) {
		fputs(" on ", out);
		esc_puts(out, ESC_DOT, report_host(m, host, sizeof(host)));
	}
	fprintf(out, ": %zu process%s, %zu finding%s, %zu link%s\"];\n", g->nprocs,
		plural(g->nprocs, "es"), fs->len, plural(fs->len, "s"), nlinks, plural(nlinks, "s"));
	fputs("\tnode [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", "
	      "fontname=\"Helvetica\", fontsize=10];\n"
	      "\tedge [fontname=\"Helvetica\", fontsize=8];\n", out);
}

/* Said in the picture itself, so that nobody takes it for the whole. */
static void write_omitted(FILE *out, const struct report_graph *g)
{
	if (!g->nodes_omitted && !g->edges_omitted && !g->links_omitted)
		return;
	fprintf(out, "\t\"omitted\" [shape=plaintext, style=\"\", fontcolor=\"%s\", "
		"label=\"not shown: %llu resources and %llu links (at most %d and %d are "
		"drawn; the JSON report has %llu more links)\"];\n", FINDING_COLOR,
		(unsigned long long)g->nodes_omitted, (unsigned long long)g->edges_omitted,
		DOT_MAX_NODES, DOT_MAX_EDGES, (unsigned long long)g->links_omitted);
}

int report_write_dot(FILE *out, const struct ls_engine *eng, const struct findings *fs,
		     const struct report_meta *m)
{
	struct links_opts lo = { .max = REPORT_MAX_LINKS };
	struct link_set links;
	struct report_graph g;
	size_t i = 0;

	if (links_build(eng, &lo, &links))
		return -ENOMEM;
	if (report_graph_build(eng, fs, &links, DOT_MAX_NODES, DOT_MAX_EDGES, &g)) {
		links_free(&links);
		return -ENOMEM;
	}
	write_header(out, &g, fs, &links, m);
	while (i < g.nnodes) {
		size_t j = i + 1;

		while (j < g.nnodes && graph_same_group(&g.nodes[i], &g.nodes[j]))
			j++;
		if (g.nodes[i].proc)
			write_cluster(out, &g, i, j, m->redact);
		else
			for (size_t k = i; k < j; k++)
				write_node(out, &g.nodes[k], m->redact, "\t");
		i = j;
	}
	for (size_t e = 0; e < g.nedges; e++)
		write_edge(out, &g, &g.edges[e]);
	write_omitted(out, &g);
	fputs("}\n", out);
	report_graph_free(&g);
	links_free(&links);
	return ferror(out) ? -EIO : 0;
}
