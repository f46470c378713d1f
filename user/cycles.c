// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tarjan's strongly connected components over the keeps-alive links, without
 * recursion (a chain of sockets in flight may be long): an explicit stack of
 * (node, next edge) frames stands for the call stack.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cycles.h"

#define UNSEEN SIZE_MAX

struct graph {
	struct link_end *nodes; /* sorted, unique */
	size_t n;
	const struct ls_link **edges; /* sorted by source node */
	size_t *src, *dst;            /* per edge */
	size_t *first;                /* per node + 1: its edges are [first[v], first[v+1]) */
	size_t nedges;
};

struct tarjan {
	size_t *index, *low, *scc; /* scc: component number, UNSEEN until assigned */
	size_t *stack, depth;      /* nodes of components not yet closed */
	size_t *frame_node, *frame_edge, frames;
	size_t counter, nscc;
};

static int end_cmp(const void *a, const void *b)
{
	return link_end_cmp(a, b);
}

static size_t node_of(const struct graph *g, const struct link_end *e)
{
	const struct link_end *n = bsearch(e, g->nodes, g->n, sizeof(*e), end_cmp);

	return (size_t)(n - g->nodes);
}

static void graph_free(struct graph *g)
{
	free(g->nodes);
	free(g->edges);
	free(g->src);
	free(g->dst);
	free(g->first);
}

static int graph_build(const struct link_set *s, struct graph *g)
{
	size_t m = 0, n = 0, *fill;

	for (size_t i = 0; i < s->len; i++)
		m += link_kind_keeps_alive(s->v[i].kind);
	g->nodes = calloc(2 * m + 1, sizeof(*g->nodes));
	g->edges = calloc(m + 1, sizeof(*g->edges));
	g->src = calloc(m + 1, sizeof(*g->src));
	g->dst = calloc(m + 1, sizeof(*g->dst));
	if (!g->nodes || !g->edges || !g->src || !g->dst)
		return -ENOMEM;
	for (size_t i = 0; i < s->len; i++) {
		if (!link_kind_keeps_alive(s->v[i].kind))
			continue;
		g->nodes[g->n++] = s->v[i].from;
		g->nodes[g->n++] = s->v[i].to;
	}
	qsort(g->nodes, g->n, sizeof(*g->nodes), end_cmp);
	for (size_t i = 0; i < g->n; i++)
		if (!n || link_end_cmp(&g->nodes[n - 1], &g->nodes[i]))
			g->nodes[n++] = g->nodes[i];
	g->n = n;
	g->first = calloc(g->n + 1, sizeof(*g->first));
	fill = calloc(g->n + 1, sizeof(*fill));
	if (!g->first || !fill) {
		free(fill);
		return -ENOMEM;
	}
	/* counting sort of the edges by source */
	for (size_t i = 0; i < s->len; i++)
		if (link_kind_keeps_alive(s->v[i].kind))
			g->first[node_of(g, &s->v[i].from) + 1]++;
	for (size_t v = 0; v < g->n; v++)
		g->first[v + 1] += g->first[v];
	for (size_t i = 0; i < s->len; i++) {
		size_t u, e;

		if (!link_kind_keeps_alive(s->v[i].kind))
			continue;
		u = node_of(g, &s->v[i].from);
		e = g->first[u] + fill[u]++;
		g->edges[e] = &s->v[i];
		g->src[e] = u;
		g->dst[e] = node_of(g, &s->v[i].to);
	}
	g->nedges = m;
	free(fill);
	return 0;
}

static void tarjan_free(struct tarjan *t)
{
	free(t->index);
	free(t->low);
	free(t->scc);
	free(t->stack);
	free(t->frame_node);
	free(t->frame_edge);
}

static void tarjan_visit(const struct graph *g, struct tarjan *t, size_t v)
{
	t->index[v] = t->low[v] = t->counter++;
	t->stack[t->depth++] = v;
	t->frame_node[t->frames] = v;
	t->frame_edge[t->frames++] = g->first[v];
}

/* Number every node's component (t->scc); components close in reverse
 * topological order, which does not matter here. */
static void tarjan_run(const struct graph *g, struct tarjan *t)
{
	for (size_t root = 0; root < g->n; root++) {
		if (t->index[root] != UNSEEN)
			continue;
		tarjan_visit(g, t, root);
		while (t->frames) {
			size_t v = t->frame_node[t->frames - 1];
			size_t *e = &t->frame_edge[t->frames - 1];

			if (*e < g->first[v + 1]) {
				size_t w = g->dst[(*e)++];

				if (t->index[w] == UNSEEN)
					tarjan_visit(g, t, w);
				else if (t->scc[w] == UNSEEN && t->index[w] < t->low[v])
					t->low[v] = t->index[w]; /* w is on the stack */
				continue;
			}
			t->frames--;
			if (t->frames) {
				size_t u = t->frame_node[t->frames - 1];

				if (t->low[v] < t->low[u])
					t->low[u] = t->low[v];
			}
			if (t->low[v] != t->index[v])
				continue;
			/* v roots a component: everything above it on the stack */
			for (;;) {
				size_t w = t->stack[--t->depth];

				t->scc[w] = t->nscc;
				if (w == v)
					break;
			}
			t->nscc++;
		}
	}
}

static int tarjan_init(struct tarjan *t, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->index = malloc((n + 1) * sizeof(size_t));
	t->low = malloc((n + 1) * sizeof(size_t));
	t->scc = malloc((n + 1) * sizeof(size_t));
	t->stack = malloc((n + 1) * sizeof(size_t));
	t->frame_node = malloc((n + 1) * sizeof(size_t));
	t->frame_edge = malloc((n + 1) * sizeof(size_t));
	if (!t->index || !t->low || !t->scc || !t->stack || !t->frame_node || !t->frame_edge)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		t->index[i] = t->scc[i] = UNSEEN;
	return 0;
}

static void cycle_free(struct ls_cycle *c)
{
	free(c->members);
	free(c->links);
}

void cycles_free(struct cycle_set *c)
{
	for (size_t i = 0; i < c->len; i++)
		cycle_free(&c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static int cycles_push(struct cycle_set *out, const struct ls_cycle *c)
{
	if (out->len == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 8;
		struct ls_cycle *v = realloc(out->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		out->v = v;
		out->cap = cap;
	}
	out->v[out->len++] = *c;
	return 0;
}

/* Nodes and inner edges grouped by component (counting sorts), so that
 * every component is read in time of its own size. */
struct groups {
	size_t *node_first, *nodes; /* component k: nodes[node_first[k] .. node_first[k+1]) */
	size_t *edge_first, *edges; /* its inner edges, likewise */
};

static void groups_free(struct groups *gr)
{
	free(gr->node_first);
	free(gr->nodes);
	free(gr->edge_first);
	free(gr->edges);
}

static int groups_build(const struct graph *g, const struct tarjan *t, struct groups *gr)
{
	size_t k = t->nscc, *fill = calloc(k + 1, sizeof(*fill));

	gr->node_first = calloc(k + 1, sizeof(size_t));
	gr->edge_first = calloc(k + 1, sizeof(size_t));
	gr->nodes = calloc(g->n + 1, sizeof(size_t));
	gr->edges = calloc(g->nedges + 1, sizeof(size_t));
	if (!fill || !gr->node_first || !gr->edge_first || !gr->nodes || !gr->edges) {
		free(fill);
		return -ENOMEM;
	}
	for (size_t v = 0; v < g->n; v++)
		gr->node_first[t->scc[v] + 1]++;
	for (size_t e = 0; e < g->nedges; e++)
		if (t->scc[g->src[e]] == t->scc[g->dst[e]])
			gr->edge_first[t->scc[g->src[e]] + 1]++;
	for (size_t i = 0; i < k; i++) {
		gr->node_first[i + 1] += gr->node_first[i];
		gr->edge_first[i + 1] += gr->edge_first[i];
	}
	for (size_t v = 0; v < g->n; v++)
		gr->nodes[gr->node_first[t->scc[v]] + fill[t->scc[v]]++] = v;
	memset(fill, 0, (k + 1) * sizeof(*fill));
	for (size_t e = 0; e < g->nedges; e++) {
		size_t c = t->scc[g->src[e]];

		if (c == t->scc[g->dst[e]])
			gr->edges[gr->edge_first[c] + fill[c]++] = e;
	}
	free(fill);
	return 0;
}

/* Component k as a cycle, if it is one: its members (in node order) and the
 * links among them. */
static int cycle_of(const struct graph *g, const struct groups *gr, size_t k,
		    struct cycle_set *out)
{
	size_t n0 = gr->node_first[k], e0 = gr->edge_first[k];
	struct ls_cycle c = { 0 };

	c.nmembers = gr->node_first[k + 1] - n0;
	c.nlinks = gr->edge_first[k + 1] - e0;
	/* one resource is a cycle only if it holds itself */
	if (!c.nlinks)
		return 0;
	c.members = calloc(c.nmembers, sizeof(*c.members));
	c.links = calloc(c.nlinks, sizeof(*c.links));
	if (!c.members || !c.links) {
		cycle_free(&c);
		return -ENOMEM;
	}
	for (size_t i = 0; i < c.nmembers; i++) {
		const struct link_end *m = &g->nodes[gr->nodes[n0 + i]];

		c.members[i] = *m;
		if (m->ofd)
			c.held_by_fds += m->ofd->refs;
	}
	for (size_t i = 0; i < c.nlinks; i++) {
		const struct ls_link *l = g->edges[gr->edges[e0 + i]];

		c.links[i] = *l;
		if (l->by && (!c.closed_by || l->ns >= c.closed_ns)) {
			c.closed_by = l->by;
			c.closed_ns = l->ns;
		}
	}
	if (cycles_push(out, &c)) {
		cycle_free(&c);
		return -ENOMEM;
	}
	return 0;
}

int cycles_find(const struct link_set *s, struct cycle_set *out)
{
	struct graph g = { 0 };
	struct tarjan t = { 0 };
	struct groups gr = { 0 };
	bool *done = NULL;
	int err;

	err = graph_build(s, &g);
	if (!err)
		err = tarjan_init(&t, g.n);
	if (!err) {
		tarjan_run(&g, &t);
		err = groups_build(&g, &t, &gr);
	}
	if (!err) {
		done = calloc(t.nscc + 1, sizeof(*done));
		if (!done)
			err = -ENOMEM;
	}
	/* in the order of their first member, for stable reports */
	for (size_t v = 0; v < g.n && !err; v++) {
		if (done[t.scc[v]])
			continue;
		done[t.scc[v]] = true;
		err = cycle_of(&g, &gr, t.scc[v], out);
	}
	free(done);
	groups_free(&gr);
	tarjan_free(&t);
	graph_free(&g);
	return err;
}
