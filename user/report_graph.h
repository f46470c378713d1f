/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The graph the pictures draw (--dot, and the HTML report's link graph),
 * read from engine state, links and findings; pure, like them.
 *
 * Nodes are the resources the findings and the links name (by resource id,
 * links.h) and, lsof-style, every other fd the engine holds: the open fds of
 * live processes and what exited ones held at their exit. They come grouped
 * by process, in order of first sight; descriptions, which processes share,
 * last. Edges are the links, and "holds" from an fd to its description when
 * that description is a node (so that a pipe_peer between two descriptions
 * shows which fds are the pipe's ends).
 *
 * A finding marks what it is about: an fd finding its fd, any other its
 * process (a cycle's: the one whose send closed it), and a cycle also its
 * descriptions.
 *
 * Bounded: past max_nodes, nodes are kept in this order of worth: those a
 * finding marks, then link ends, then the other fds; what is left out, and
 * the links that lose an end, are counted.
 */
#ifndef LEAKSCOPE_REPORT_GRAPH_H
#define LEAKSCOPE_REPORT_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "findings.h"
#include "links.h"
#include "redact.h"

#define GRAPH_EDGE_HOLDS LINK_KIND_MAX /* fd -> its description */
#define GRAPH_EDGE_KINDS (LINK_KIND_MAX + 1)

struct graph_node {
	struct link_end id;
	const struct ls_process *proc; /* whose; NULL for a description */
	const struct ls_fd *fd;        /* FD: its lifecycle; NULL if no list holds it (a
					* sender's fd closed since) */
	const struct ls_ofd *ofd;      /* FD, DESC: the description, if known */
	const struct ls_vma *vma;      /* MAP: the mapping, if the process still has it */
	unsigned int finding_kinds;    /* bit (1 << enum finding_kind) per finding about it */
	int severity;                  /* the worst of them (enum severity); -1: none */
	bool in_cycle;
	unsigned int worth;            /* 0 findings, 1 link ends, 2 other fds */
};

struct graph_edge {
	size_t from, to;   /* node indexes */
	unsigned int kind; /* enum link_kind, or GRAPH_EDGE_HOLDS */
	bool in_cycle;     /* a link of a cycle (findings.cycles) */
	uint64_t count;    /* the link's count (in_flight, thread_of) */
};

struct report_graph {
	struct graph_node *nodes; /* by process (serial order), descriptions last */
	size_t nnodes;
	struct graph_edge *edges; /* links in link set order, then "holds" */
	size_t nedges;
	size_t nprocs;            /* processes with a node */
	uint64_t nodes_omitted;   /* past max_nodes */
	uint64_t edges_omitted;   /* an end left out, or past max_edges */
	uint64_t links_omitted;   /* past the link set's own limit: never seen here */
};

/* 0, or -ENOMEM (out is then empty). */
int report_graph_build(const struct ls_engine *eng, const struct findings *fs,
		       const struct link_set *links, size_t max_nodes, size_t max_edges,
		       struct report_graph *out);
void report_graph_free(struct report_graph *g);
/* The node with this id, or NULL. */
const struct graph_node *report_graph_find(const struct report_graph *g,
					   const struct link_end *id);
/* Nodes of one process share its serial; descriptions have none. */
bool graph_same_group(const struct graph_node *a, const struct graph_node *b);

/* report_graph_label.c: what a node says, lsof-style. The head is ASCII
 * ("3u file", "pid 42", "desc:8 pipe"); the name is bytes from the kernel
 * (a path, endpoints, a comm) for the renderer to escape. Both return their
 * length; buf is always terminated. */
size_t graph_node_head(const struct graph_node *n, char *buf, size_t len);
size_t graph_node_name(const struct graph_node *n, const struct redactor *r, char *buf,
		       size_t len);

/* How an edge of a kind is drawn, in both pictures. */
struct graph_edge_style {
	const char *name;     /* link_kind_name, or "holds" */
	const char *color;    /* #rrggbb */
	const char *dot;      /* DOT style: solid, dashed, dotted, bold */
	const char *svg_dash; /* SVG stroke-dasharray; NULL: solid */
	bool both_ways;       /* a symmetric relation: no direction to show */
};
const struct graph_edge_style *graph_edge_style(unsigned int kind);

#endif /* LEAKSCOPE_REPORT_GRAPH_H */
