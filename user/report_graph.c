// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The graph the pictures draw (report_graph.h). Every candidate node is
 * gathered once per reason (a finding, a link end, an fd held), the copies
 * of one id merged, the least worth left out past the limit, and the edges
 * resolved against what is kept by binary search.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report_graph.h"

enum { WORTH_FINDING = 0, WORTH_LINKED, WORTH_FD };

struct gather {
	struct graph_node *v;
	size_t len;
	size_t cap;
};

static int add(struct gather *g, const struct graph_node *n)
{
	if (g->len == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 256;
		struct graph_node *v = realloc(g->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		g->v = v;
		g->cap = cap;
	}
	g->v[g->len++] = *n;
	return 0;
}

static struct graph_node node_of(struct link_end id, unsigned int worth)
{
	return (struct graph_node){ .id = id, .ofd = id.ofd, .severity = -1, .worth = worth };
}

/* Descriptions belong to no process: they go last. */
static uint64_t group_of(const struct link_end *e)
{
	return e->type == LINK_END_DESC ? UINT64_MAX : e->serial;
}

bool graph_same_group(const struct graph_node *a, const struct graph_node *b)
{
	return group_of(&a->id) == group_of(&b->id);
}

static int node_cmp(const void *pa, const void *pb)
{
	const struct graph_node *a = pa, *b = pb;
	uint64_t ga = group_of(&a->id), gb = group_of(&b->id);

	if (ga != gb)
		return ga < gb ? -1 : 1;
	return link_end_cmp(&a->id, &b->id);
}

static int worth_cmp(const void *pa, const void *pb)
{
	const struct graph_node *a = pa, *b = pb;

	if (a->worth != b->worth)
		return a->worth < b->worth ? -1 : 1;
	return node_cmp(pa, pb);
}

static int mark_finding(struct gather *g, struct link_end id, const struct finding *fi,
			const struct ls_fd *fd, bool in_cycle)
{
	struct graph_node n = node_of(id, WORTH_FINDING);

	n.fd = fd;
	n.finding_kinds = 1u << fi->kind;
	n.severity = (int)fi->severity;
	n.in_cycle = in_cycle;
	return add(g, &n);
}

/* An fd finding marks its fd; any other its process (a cycle's: the one
 * whose send closed it), and a cycle its descriptions too. */
static int gather_findings(struct gather *g, const struct findings *fs)
{
	int err = 0;

	for (size_t i = 0; i < fs->len && !err; i++) {
		const struct finding *fi = &fs->v[i];
		const struct ls_cycle *c;

		if (fi->fd) {
			err = mark_finding(g, link_end_fd(fi->proc, fi->fd), fi, fi->fd, false);
			continue;
		}
		err = mark_finding(g, link_end_proc(fi->proc), fi, NULL, false);
		if (fi->kind != FINDING_CYCLE)
			continue;
		c = &fs->cycles.v[fi->cycle];
		for (size_t j = 0; j < c->nmembers && !err; j++)
			err = mark_finding(g, c->members[j], fi, NULL, true);
	}
	return err;
}

static int gather_link_ends(struct gather *g, const struct link_set *links)
{
	for (size_t i = 0; i < links->len; i++) {
		struct graph_node from = node_of(links->v[i].from, WORTH_LINKED);
		struct graph_node to = node_of(links->v[i].to, WORTH_LINKED);

		if (add(g, &from) || add(g, &to))
			return -ENOMEM;
	}
	return 0;
}

static int add_fd(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	struct graph_node n = node_of(link_end_fd(p, f), WORTH_FD);

	n.fd = f;
	return add(ctx, &n) ? 1 : 0;
}

/* lsof-style: every fd the engine holds, open or held at exit. */
static int gather_fds(struct gather *g, const struct ls_engine *eng)
{
	size_t n = engine_process_count(eng);

	for (size_t i = 0; i < n; i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		if (!p->exited) {
			if (engine_visit_open_fds(eng, p, add_fd, g))
				return -ENOMEM;
			continue;
		}
		for (size_t j = 0; j < p->exit_fds_len; j++)
			if (add_fd(p, p->exit_fds[j], g))
				return -ENOMEM;
	}
	return 0;
}

static void merge_into(struct graph_node *m, const struct graph_node *n)
{
	m->fd = m->fd ? m->fd : n->fd;
	m->ofd = m->ofd ? m->ofd : n->ofd;
	m->finding_kinds |= n->finding_kinds;
	m->severity = m->severity > n->severity ? m->severity : n->severity;
	m->in_cycle |= n->in_cycle;
	m->worth = m->worth < n->worth ? m->worth : n->worth;
}

/* The copies of one id become one node, with all they said. Sorted first. */
static size_t merge(struct graph_node *v, size_t len)
{
	size_t out = 0;

	for (size_t i = 0; i < len; i++) {
		if (out && !node_cmp(&v[out - 1], &v[i]))
			merge_into(&v[out - 1], &v[i]);
		else
			v[out++] = v[i];
	}
	return out;
}

/* What labels need: whose it is, the description, the mapping. */
static void resolve(struct report_graph *g, const struct ls_engine *eng)
{
	const struct ls_process *last = NULL;

	for (size_t i = 0; i < g->nnodes; i++) {
		struct graph_node *n = &g->nodes[i];
		const struct ls_vma *v;

		if (n->id.type != LINK_END_DESC) {
			n->proc = engine_process_by_serial(eng, n->id.serial);
			if (n->proc && n->proc != last)
				g->nprocs++;
			last = n->proc ? n->proc : last;
		}
		if (n->fd && !n->ofd)
			n->ofd = n->fd->ofd;
		if (n->id.type == LINK_END_MAP && n->proc) {
			v = vma_find(&n->proc->vmas, n->id.addr);
			n->vma = v && v->start == n->id.addr ? v : NULL;
		}
	}
}

static bool link_in_cycle(const struct findings *fs, const struct ls_link *l)
{
	for (size_t i = 0; i < fs->cycles.len; i++) {
		const struct ls_cycle *c = &fs->cycles.v[i];

		for (size_t j = 0; j < c->nlinks; j++)
			if (c->links[j].kind == l->kind && !link_end_cmp(&c->links[j].from, &l->from) &&
			    !link_end_cmp(&c->links[j].to, &l->to))
				return true;
	}
	return false;
}

static void add_edge(struct report_graph *g, size_t max, const struct graph_node *from,
		     const struct graph_node *to, const struct graph_edge *e)
{
	if (!from || !to || g->nedges >= max) {
		g->edges_omitted++;
		return;
	}
	g->edges[g->nedges] = *e;
	g->edges[g->nedges].from = (size_t)(from - g->nodes);
	g->edges[g->nedges].to = (size_t)(to - g->nodes);
	g->nedges++;
}

static int build_edges(struct report_graph *g, const struct findings *fs,
		       const struct link_set *links, size_t max)
{
	size_t cap = links->len + g->nnodes; /* at most one "holds" per node */

	if (cap > max)
		cap = max;
	g->edges = calloc(cap ? cap : 1, sizeof(*g->edges));
	if (!g->edges)
		return -ENOMEM;
	for (size_t i = 0; i < links->len; i++) {
		const struct ls_link *l = &links->v[i];
		struct graph_edge e = { .kind = l->kind, .in_cycle = link_in_cycle(fs, l),
					.count = l->count };

		add_edge(g, max, report_graph_find(g, &l->from), report_graph_find(g, &l->to), &e);
	}
	for (size_t i = 0; i < g->nnodes; i++) {
		const struct graph_node *n = &g->nodes[i], *d;
		struct link_end id;

		if (n->id.type != LINK_END_FD || !n->ofd)
			continue;
		id = link_end_desc(n->ofd->id);
		d = report_graph_find(g, &id);
		if (d)
			add_edge(g, max, n, d, &(struct graph_edge){ .kind = GRAPH_EDGE_HOLDS });
	}
	return 0;
}

int report_graph_build(const struct ls_engine *eng, const struct findings *fs,
		       const struct link_set *links, size_t max_nodes, size_t max_edges,
		       struct report_graph *out)
{
	struct gather g = { 0 };
	size_t n;

	memset(out, 0, sizeof(*out));
	out->links_omitted = links->omitted;
	if (gather_findings(&g, fs) || gather_link_ends(&g, links) || gather_fds(&g, eng)) {
		free(g.v);
		return -ENOMEM;
	}
	if (g.len)
		qsort(g.v, g.len, sizeof(*g.v), node_cmp);
	n = merge(g.v, g.len);
	if (n > max_nodes) {
		qsort(g.v, n, sizeof(*g.v), worth_cmp);
		out->nodes_omitted = n - max_nodes;
		n = max_nodes;
		if (n)
			qsort(g.v, n, sizeof(*g.v), node_cmp);
	}
	out->nodes = g.v;
	out->nnodes = n;
	resolve(out, eng);
	if (build_edges(out, fs, links, max_edges)) {
		report_graph_free(out);
		return -ENOMEM;
	}
	return 0;
}

void report_graph_free(struct report_graph *g)
{
	free(g->nodes);
	free(g->edges);
	memset(g, 0, sizeof(*g));
}

const struct graph_node *report_graph_find(const struct report_graph *g,
					   const struct link_end *id)
{
	struct graph_node key = { .id = *id };

	if (!g->nnodes)
		return NULL;
	return bsearch(&key, g->nodes, g->nnodes, sizeof(*g->nodes), node_cmp);
}
