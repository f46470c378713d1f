// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What the pictures write in a node, the way lsof lists an fd (number and
 * mode, type, name or endpoints), and how each kind of edge is drawn: one
 * place, so the DOT graph and the HTML page tell the same story.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_graph.h"

/* snprintf's length, capped to what fits (buf is always terminated) */
static size_t fitted(int n, size_t len)
{
	if (n < 0 || !len)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

/* lsof's mode letter: r, w or u (read and write); none for O_PATH */
static const char *mode_of(const struct ls_ofd *o)
{
	if (o->file_flags & O_PATH)
		return "";
	switch (o->file_flags & O_ACCMODE) {
	case O_RDONLY:
		return "r";
	case O_WRONLY:
		return "w";
	}
	return "u";
}

/* "AF_INET SOCK_STREAM" for a socket, else the resource type's name */
static size_t type_of(const struct ls_ofd *o, char *buf, size_t len)
{
	const char *fam = report_family_name(ls_ofd_ext(o)->sock_family);
	const char *type = report_socktype_name(ls_ofd_ext(o)->sock_type);

	if (o->res_type != LS_RES_SOCKET || !fam)
		return fitted(snprintf(buf, len, "%s", ls_res_type_name(o->res_type)), len);
	return fitted(snprintf(buf, len, "%s %s", fam, type ? type : "?"), len);
}

size_t graph_node_head(const struct graph_node *n, char *buf, size_t len)
{
	char type[48];

	if (!len)
		return 0;
	switch (n->id.type) {
	case LINK_END_PROC:
		return fitted(snprintf(buf, len, "pid %" PRIu32 "%s", n->id.pid,
				       n->proc && n->proc->exited ? " (exited)" : ""), len);
	case LINK_END_THREADS:
		return fitted(snprintf(buf, len, "threads of pid %" PRIu32, n->id.pid), len);
	case LINK_END_FD:
		if (!n->ofd)
			return fitted(snprintf(buf, len, "fd %d", n->id.fd), len);
		type_of(n->ofd, type, sizeof(type));
		return fitted(snprintf(buf, len, "%d%s %s", n->id.fd, mode_of(n->ofd), type), len);
	case LINK_END_DESC:
		if (!n->ofd)
			return fitted(snprintf(buf, len, "desc:%" PRIu64, n->id.desc), len);
		type_of(n->ofd, type, sizeof(type));
		return fitted(snprintf(buf, len, "desc:%" PRIu64 " %s", n->id.desc, type), len);
	case LINK_END_MAP:
		if (!n->vma)
			return fitted(snprintf(buf, len, "map 0x%" PRIx64, n->id.addr), len);
		return fitted(snprintf(buf, len, "map %c%c%c%c %" PRIu64 " KiB",
				       n->vma->prot & LS_PROT_READ ? 'r' : '-',
				       n->vma->prot & LS_PROT_WRITE ? 'w' : '-',
				       n->vma->prot & LS_PROT_EXEC ? 'x' : '-',
				       n->vma->flags & LS_MAP_SHARED ? 's' : 'p',
				       (n->vma->end - n->vma->start) >> 10), len);
	case LINK_END_NONE:
		break;
	}
	buf[0] = '\0';
	return 0;
}

/* An inet socket by its endpoints, as lsof does: "L->R (STATE)". */
static size_t endpoints(const struct ls_ofd *o, const struct redactor *r, char *buf, size_t len)
{
	const struct ls_ofd_ext *x = ls_ofd_ext(o);
	char local[64], remote[64], state[24] = "";

	if (!report_endpoint(&x->local, r, local, sizeof(local)))
		return 0;
	if (x->tcp_state)
		snprintf(state, sizeof(state), " (%s)", ls_tcp_state_name(x->tcp_state));
	if (report_endpoint(&x->remote, r, remote, sizeof(remote)) && x->remote.port)
		return fitted(snprintf(buf, len, "%s->%s%s", local, remote, state), len);
	return fitted(snprintf(buf, len, "%s%s", local, state), len);
}

static size_t desc_name(const struct ls_ofd *o, const struct redactor *r, char *buf, size_t len)
{
	struct ls_fd f = { .ofd = (struct ls_ofd *)o };
	size_t n = endpoints(o, r, buf, len);

	return n ? n : report_resource_name(&f, r, buf, len);
}

size_t graph_node_name(const struct graph_node *n, const struct redactor *r, char *buf,
		       size_t len)
{
	char path[REDACT_VALUE_MAX];

	const struct ls_process *p = n->proc;

	if (!len)
		return 0;
	buf[0] = '\0';
	switch (n->id.type) {
	case LINK_END_PROC:
		return p ? fitted(snprintf(buf, len, "%s", p->comm), len) : 0;
	case LINK_END_THREADS:
		if (!p)
			return 0;
		return fitted(snprintf(buf, len, "%" PRIu32 " live, %" PRIu64 " created",
				       p->threads_live ? p->threads_live - 1 : 0,
				       p->threads_created), len);
	case LINK_END_FD:
		if (!n->ofd)
			return fitted(snprintf(buf, len, "(closed since)"), len);
		return desc_name(n->ofd, r, buf, len);
	case LINK_END_DESC:
		return n->ofd ? desc_name(n->ofd, r, buf, len) : 0;
	case LINK_END_MAP:
		if (!n->vma || !n->vma->path)
			return 0;
		return fitted(snprintf(buf, len, "%s",
				       report_path(r, n->vma->path, path, sizeof(path))), len);
	case LINK_END_NONE:
		break;
	}
	return 0;
}

static const struct graph_edge_style styles[GRAPH_EDGE_KINDS] = {
	[LINK_SCM_RIGHTS] = { "scm_rights", "#7b1fa2", "bold", NULL, false },
	[LINK_IN_FLIGHT] = { "in_flight", "#c62828", "dashed", "6 3", false },
	[LINK_PIPE_PEER] = { "pipe_peer", "#1565c0", "solid", NULL, false },
	[LINK_UNIX_PEER] = { "unix_peer", "#00838f", "solid", NULL, true },
	[LINK_TCP_PEER] = { "tcp_peer", "#2e7d32", "solid", NULL, true },
	[LINK_EPOLL_WATCH] = { "epoll_watch", "#ef6c00", "dotted", "2 3", false },
	[LINK_DUP] = { "dup", "#546e7a", "dashed", "4 2", false },
	[LINK_INHERITED] = { "inherited", "#8d6e63", "dashed", "8 3", false },
	[LINK_MAPS_FILE] = { "maps_file", "#6d4c41", "dotted", "1 3", false },
	[LINK_THREAD_OF] = { "thread_of", "#757575", "solid", NULL, false },
	[GRAPH_EDGE_HOLDS] = { "holds", "#b0b0b0", "dotted", "1 2", false },
};

const struct graph_edge_style *graph_edge_style(unsigned int kind)
{
	return &styles[kind < GRAPH_EDGE_KINDS ? kind : GRAPH_EDGE_HOLDS];
}
