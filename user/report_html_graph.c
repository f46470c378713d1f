// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The HTML report's link graph (report_graph.h), laid out here so that the
 * page needs no Graphviz: each process is a column of its resources, the
 * descriptions a column of their own, a long column goes on in the next,
 * and columns wrap into bands below one another. Links are curves from one
 * box to another, drawn as the DOT graph draws them (graph_edge_style).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report_graph.h"
#include "report_html.h"

#define HTML_MAX_NODES 400 /* a page, not a poster: the DOT graph goes further */
#define HTML_MAX_EDGES 800
#define COL_NODES 24       /* boxes in a column before it goes on in the next */
#define BAND_COLS 5        /* columns side by side */
#define NODE_W 210
#define NODE_H 34
#define ROW_STEP 44
#define COL_STEP (NODE_W + 90)
#define HEAD_H 30
#define BAND_GAP 36
#define MARGIN 16
#define NAME_MAX 32        /* bytes of a name shown in a box, from its end */

#define FINDING_COLOR "#d32f2f"
#define INFO_COLOR "#1565c0"

struct column {
	size_t first, n; /* its nodes */
	bool cont;       /* goes on from the column before */
};

struct layout {
	struct column *cols;
	size_t ncols;
	double *x, *y;   /* each node's box, top left */
	double width, height;
};

static int columns(const struct report_graph *g, struct layout *l)
{
	size_t i = 0;

	l->cols = calloc(g->nnodes + 1, sizeof(*l->cols));
	if (!l->cols)
		return -ENOMEM;
	while (i < g->nnodes) {
		size_t j = i + 1;

		while (j < g->nnodes && graph_same_group(&g->nodes[i], &g->nodes[j]))
			j++;
		for (size_t k = i; k < j; k += COL_NODES) {
			struct column *c = &l->cols[l->ncols++];

			c->first = k;
			c->n = j - k < COL_NODES ? j - k : COL_NODES;
			c->cont = k > i;
		}
		i = j;
	}
	return 0;
}

static int lay_out(const struct report_graph *g, struct layout *l)
{
	double band_y = MARGIN;

	memset(l, 0, sizeof(*l));
	l->x = calloc(g->nnodes + 1, sizeof(*l->x));
	l->y = calloc(g->nnodes + 1, sizeof(*l->y));
	if (!l->x || !l->y || columns(g, l))
		return -ENOMEM;
	for (size_t b = 0; b < l->ncols; b += BAND_COLS) {
		size_t tallest = 0;

		for (size_t c = b; c < l->ncols && c < b + BAND_COLS; c++) {
			const struct column *col = &l->cols[c];

			for (size_t k = 0; k < col->n; k++) {
				l->x[col->first + k] = MARGIN + (double)(c - b) * COL_STEP;
				l->y[col->first + k] = band_y + HEAD_H + (double)k * ROW_STEP;
			}
			tallest = col->n > tallest ? col->n : tallest;
		}
		band_y += HEAD_H + (double)tallest * ROW_STEP + BAND_GAP;
	}
	l->width = 2 * MARGIN + (double)(l->ncols < BAND_COLS ? l->ncols : BAND_COLS) * COL_STEP;
	l->height = band_y;
	return 0;
}

static void layout_free(struct layout *l)
{
	free(l->cols);
	free(l->x);
	free(l->y);
}

/* One arrowhead per kind, in its colour, and a red one for cycles. */
static void markers(FILE *out)
{
	fputs("<defs>", out);
	for (unsigned int k = 0; k <= GRAPH_EDGE_KINDS; k++) {
		bool cycle = k == GRAPH_EDGE_KINDS;

		fprintf(out, "<marker id=\"arrow-%s\" viewBox=\"0 0 10 10\" refX=\"10\" "
			"refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
			"<path d=\"M0 0L10 5L0 10z\" fill=\"%s\"/></marker>",
			cycle ? "cycle" : graph_edge_style(k)->name,
			cycle ? FINDING_COLOR : graph_edge_style(k)->color);
	}
	fputs("</defs>\n", out);
}

static void column_title(FILE *out, const struct report_graph *g, const struct layout *l,
			 const struct column *c)
{
	const struct graph_node *n = &g->nodes[c->first];
	const struct ls_process *p = n->proc;

	fprintf(out, "<text class=\"column\" x=\"%.0f\" y=\"%.0f\">", l->x[c->first],
		l->y[c->first] - 10);
	if (!p) {
		fputs("descriptions", out);
	} else {
		fprintf(out, "pid %u ", p->pid);
		esc_write(out, ESC_HTML, p->comm, strnlen(p->comm, sizeof(p->comm)));
		fputs(p->exited ? " (exited)" : " (live)", out);
	}
	fprintf(out, "%s</text>\n", c->cont ? ", continued" : "");
}

static void put_kinds(FILE *out, unsigned int kinds, const char *sep)
{
	for (unsigned int k = 0; k < FINDING_KIND_MAX; k++) {
		if (!(kinds & (1u << k)))
			continue;
		fprintf(out, "%s%s", sep, finding_kind_name(k));
		sep = ", ";
	}
}

static void node_box(FILE *out, const struct graph_node *n, const struct redactor *r, double x,
		     double y)
{
	char head[128], name[LS_PATH_MAX + 128], id[LINK_ID_MAX];
	size_t len = graph_node_name(n, r, name, sizeof(name)), start;
	const char *stroke = "#90a4ae", *fill = "#ffffff";

	graph_node_head(n, head, sizeof(head));
	link_end_format(&n->id, id, sizeof(id));
	if (n->finding_kinds)
		stroke = n->severity == SEVERITY_INFO ? INFO_COLOR : FINDING_COLOR;
	if (n->in_cycle)
		fill = "#ffcdd2";
	else if (n->id.type == LINK_END_PROC || n->id.type == LINK_END_THREADS)
		fill = "#eceff1";
	else if (n->id.type == LINK_END_DESC)
		fill = "#fffde7";
	fprintf(out, "<g class=\"node%s\" data-id=\"%s\"><title>%s\n", n->finding_kinds ?
		" finding" : "", id, id);
	esc_write(out, ESC_HTML, name, len);
	put_kinds(out, n->finding_kinds, "\n");
	fprintf(out, "</title><rect x=\"%.0f\" y=\"%.0f\" width=\"%d\" height=\"%d\" rx=\"5\" "
		"fill=\"%s\" stroke=\"%s\" stroke-width=\"%s\"/>", x, y, NODE_W, NODE_H, fill, stroke,
		n->finding_kinds ? "2.5" : "1");
	fprintf(out, "<text class=\"head\" x=\"%.0f\" y=\"%.0f\">", x + 6, y + 14);
	esc_puts(out, ESC_HTML, head);
	put_kinds(out, n->finding_kinds, ": ");
	fprintf(out, "</text><text class=\"name\" x=\"%.0f\" y=\"%.0f\">", x + 6, y + 28);
	start = esc_tail_start(name, len, NAME_MAX);
	if (start)
		fputs("\xe2\x80\xa6", out);
	esc_write(out, ESC_HTML, name + start, len - start);
	fputs("</text></g>\n", out);
}

/* A curve from a's side to b's; a loop on the right within one column. */
static void edge_path(FILE *out, const struct report_graph *g, const struct layout *l,
		      const struct graph_edge *e)
{
	const struct graph_edge_style *st = graph_edge_style(e->kind);
	double ax = l->x[e->from], ay = l->y[e->from] + NODE_H / 2.0;
	double bx = l->x[e->to], by = l->y[e->to] + NODE_H / 2.0, bend;
	char from[LINK_ID_MAX], to[LINK_ID_MAX];

	if (bx > ax) {
		ax += NODE_W;
		bend = (bx - ax) / 2;
	} else if (bx < ax) {
		bx += NODE_W;
		bend = -(ax - bx) / 2;
	} else {
		ax += NODE_W;
		bx += NODE_W;
		bend = 0;
	}
	link_end_format(&g->nodes[e->from].id, from, sizeof(from));
	link_end_format(&g->nodes[e->to].id, to, sizeof(to));
	fprintf(out, "<path class=\"edge %s%s\" d=\"M%.0f %.0fC%.0f %.0f %.0f %.0f %.0f %.0f\" "
		"stroke=\"%s\" stroke-width=\"%s\"", st->name, e->in_cycle ? " cycle" : "", ax, ay,
		ax + (bend ? bend : 60), ay, bx - (bend ? bend : -60), by, bx, by,
		e->in_cycle ? FINDING_COLOR : st->color, e->in_cycle ? "3" : "1.4");
	if (st->svg_dash)
		fprintf(out, " stroke-dasharray=\"%s\"", st->svg_dash);
	if (!st->both_ways)
		fprintf(out, " marker-end=\"url(#arrow-%s)\"", e->in_cycle ? "cycle" : st->name);
	fprintf(out, "><title>%s %s %s%s</title></path>\n", from, st->name, to,
		e->in_cycle ? " (a cycle)" : "");
}

static void legend(FILE *out)
{
	fputs("<ul class=\"legend\">\n", out);
	for (unsigned int k = 0; k < GRAPH_EDGE_KINDS; k++) {
		const struct graph_edge_style *st = graph_edge_style(k);
		const char *css = !strcmp(st->dot, "dashed") ? "dashed" :
				  !strcmp(st->dot, "dotted") ? "dotted" : "solid";

		fprintf(out, "<li><span class=\"key\" style=\"border-top:2px %s %s\"></span>%s</li>\n",
			css, st->color, st->name);
	}
	fprintf(out, "<li><span class=\"key\" style=\"border-top:3px solid %s\"></span>a cycle"
		"</li>\n</ul>\n", FINDING_COLOR);
}

static void omitted(FILE *out, const struct report_graph *g)
{
	if (!g->nodes_omitted && !g->edges_omitted && !g->links_omitted)
		return;
	fprintf(out, "<p class=\"note\">Not shown: %llu resources and %llu links (the page draws "
		"at most %d and %d; --dot draws more, and the JSON report has %llu links more).</p>\n",
		(unsigned long long)g->nodes_omitted, (unsigned long long)g->edges_omitted,
		HTML_MAX_NODES, HTML_MAX_EDGES, (unsigned long long)g->links_omitted);
}

int html_graph(FILE *out, const struct ls_engine *eng, const struct findings *fs,
	       const struct redactor *r)
{
	struct links_opts lo = { .max = REPORT_MAX_LINKS };
	struct link_set links;
	struct report_graph g;
	struct layout l;
	int err = -ENOMEM;

	if (links_build(eng, &lo, &links))
		return -ENOMEM;
	if (report_graph_build(eng, fs, &links, HTML_MAX_NODES, HTML_MAX_EDGES, &g))
		goto out_links;
	if (lay_out(&g, &l))
		goto out;
	err = 0;
	omitted(out, &g);
	if (!g.nnodes) {
		fputs("<p class=\"empty\">No resource to draw.</p>\n", out);
		goto out;
	}
	fprintf(out, "<svg class=\"graph\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" "
		"role=\"img\" aria-label=\"links between resources\">\n", l.width, l.height, l.width,
		l.height);
	markers(out);
	for (size_t c = 0; c < l.ncols; c++)
		column_title(out, &g, &l, &l.cols[c]);
	for (size_t e = 0; e < g.nedges; e++)
		edge_path(out, &g, &l, &g.edges[e]);
	for (size_t i = 0; i < g.nnodes; i++)
		node_box(out, &g.nodes[i], r, l.x[i], l.y[i]);
	fputs("</svg>\n", out);
	legend(out);
out:
	layout_free(&l);
	report_graph_free(&g);
out_links:
	links_free(&links);
	return err;
}
