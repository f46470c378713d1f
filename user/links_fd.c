// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Links between fds and processes: passed, watched, duplicated, inherited,
 * mapped, and threads. Read per process from the fds the engine holds for it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "links_internal.h"

/* The fd numbered fd among pf's, or NULL. */
const struct ls_fd *links_proc_fd(const struct proc_fds *pf, int fd)
{
	size_t lo = 0, hi = pf->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pf->fds[mid]->fd == fd)
			return pf->fds[mid];
		if (pf->fds[mid]->fd < fd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int links_scm_rights(struct links_state *st)
{
	for (size_t i = 0; i < st->nprocs; i++) {
		const struct proc_fds *pf = &st->procs[i];

		for (size_t j = 0; j < pf->n; j++) {
			const struct ls_fd_origin *o = engine_fd_origin(st->eng, pf->fds[j]);
			struct ls_link l = { .kind = LINK_SCM_RIGHTS, .count = 1 };

			if (!o)
				continue;
			l.from = (struct link_end){ .type = LINK_END_FD, .pid = o->pid,
						    .serial = o->serial, .fd = o->fd,
						    .generation = o->generation };
			/* the sender's fd was not known: the sending process */
			if (o->fd < 0)
				l.from = (struct link_end){ .type = LINK_END_PROC, .pid = o->pid,
							    .serial = o->serial };
			l.to = link_end_fd(pf->p, pf->fds[j]);
			l.socket = o->socket_id;
			if (links_add(st, &l))
				return -ENOMEM;
		}
	}
	return 0;
}

int links_epoll_watches(struct links_state *st)
{
	for (size_t i = 0; i < st->nprocs; i++) {
		const struct proc_fds *pf = &st->procs[i];

		for (size_t j = 0; j < pf->n; j++) {
			const struct ls_fd *ep = pf->fds[j];

			for (size_t k = 0; k < ls_ofd_ext(ep->ofd)->nwatches; k++) {
				const struct ls_epoll_watch *w = &ls_ofd_ext(ep->ofd)->watches[k];
				const struct ls_fd *t = links_proc_fd(pf, w->fd);
				struct ls_link l = { .kind = LINK_EPOLL_WATCH, .count = 1 };

				l.from = link_end_fd(pf->p, ep);
				/* the fd added was closed or replaced since: its description */
				if (t && t->ofd->id == w->ofd_id)
					l.to = link_end_fd(pf->p, t);
				else
					l.to = link_end_desc(w->ofd_id);
				if (links_add(st, &l))
					return -ENOMEM;
			}
		}
	}
	return 0;
}

static int fd_by_desc(const void *a, const void *b)
{
	const struct ls_fd *x = *(const struct ls_fd *const *)a;
	const struct ls_fd *y = *(const struct ls_fd *const *)b;

	CMP(x->ofd->id, y->ofd->id);
	CMP(x->created_ns, y->created_ns);
	CMP(x->fd, y->fd);
	return 0;
}

/* From the first fd of each description (the earliest, then the lowest) to
 * every other fd of it in the same process. */
int links_dups(struct links_state *st)
{
	size_t max = 0;
	const struct ls_fd **v;
	int err = 0;

	for (size_t i = 0; i < st->nprocs; i++)
		if (st->procs[i].n > max)
			max = st->procs[i].n;
	v = malloc((max ? max : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < st->nprocs && !err; i++) {
		const struct proc_fds *pf = &st->procs[i];
		size_t first = 0;

		if (!pf->n)
			continue;
		memcpy(v, pf->fds, pf->n * sizeof(*v));
		qsort(v, pf->n, sizeof(*v), fd_by_desc);
		for (size_t j = 1; j < pf->n && !err; j++) {
			struct ls_link l = { .kind = LINK_DUP, .count = 1 };

			if (v[j]->ofd != v[first]->ofd) {
				first = j;
				continue;
			}
			l.from = link_end_fd(pf->p, v[first]);
			l.to = link_end_fd(pf->p, v[j]);
			err = links_add(st, &l);
		}
	}
	free(v);
	return err;
}

/* A child's inherited fd, from the parent's fd of the same number while the
 * parent holds it still (or held it at its exit) on the same description. */
int links_inherited(struct links_state *st)
{
	for (size_t i = 0; i < st->nprocs; i++) {
		const struct proc_fds *pf = &st->procs[i];
		const struct ls_process *parent;
		const struct proc_fds *ppf;

		parent = engine_process_by_serial(st->eng, pf->p->parent_serial);
		if (!parent)
			continue;
		ppf = &st->procs[engine_process_index(st->eng, parent)];
		for (size_t j = 0; j < pf->n; j++) {
			const struct ls_fd *f = pf->fds[j], *pfd;
			struct ls_link l = { .kind = LINK_INHERITED, .count = 1 };

			if (!f->inherited)
				continue;
			pfd = links_proc_fd(ppf, f->fd);
			if (!pfd || pfd->ofd != f->ofd)
				continue;
			l.from = link_end_fd(parent, pfd);
			l.to = link_end_fd(pf->p, f);
			if (links_add(st, &l))
				return -ENOMEM;
		}
	}
	return 0;
}

static int fd_by_file(const void *a, const void *b)
{
	const struct ls_fd *x = *(const struct ls_fd *const *)a;
	const struct ls_fd *y = *(const struct ls_fd *const *)b;

	CMP(x->ofd->file->dev, y->ofd->file->dev);
	CMP(x->ofd->file->ino, y->ofd->file->ino);
	CMP(x->fd, y->fd);
	return 0;
}

/* The lowest fd of v (sorted by fd_by_file) on the file (dev, ino), or NULL. */
static const struct ls_fd *fd_of_file(const struct ls_fd **v, size_t n, uint32_t dev,
				      uint64_t ino)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ls_ofd *o = v[mid]->ofd;

		if (o->file->dev < dev || (o->file->dev == dev && o->file->ino < ino))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && v[lo]->ofd->file->dev == dev && v[lo]->ofd->file->ino == ino)
		return v[lo];
	return NULL;
}

/* File mappings of live processes (exit empties them), to an fd on the file. */
int links_maps_files(struct links_state *st)
{
	size_t max = 0;
	const struct ls_fd **v;
	int err = 0;

	for (size_t i = 0; i < st->nprocs; i++)
		if (st->procs[i].n > max)
			max = st->procs[i].n;
	v = malloc((max ? max : 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < st->nprocs && !err; i++) {
		const struct proc_fds *pf = &st->procs[i];
		const struct ls_vma_set *vmas = &pf->p->vmas;
		size_t n = 0;

		for (size_t j = 0; j < pf->n; j++)
			if (pf->fds[j]->ofd->file->ino)
				v[n++] = pf->fds[j];
		if (!n || !vmas->len)
			continue;
		qsort(v, n, sizeof(*v), fd_by_file);
		for (size_t j = 0; j < vmas->len && !err; j++) {
			const struct ls_vma *m = &vmas->v[j];
			const struct ls_fd *f = m->ino ? fd_of_file(v, n, m->dev, m->ino) : NULL;
			struct ls_link l = { .kind = LINK_MAPS_FILE, .count = 1 };

			if (!f)
				continue;
			l.from = link_end_map(pf->p, m->start);
			l.to = link_end_fd(pf->p, f);
			err = links_add(st, &l);
		}
	}
	free(v);
	return err;
}

int links_threads(struct links_state *st)
{
	for (size_t i = 0; i < st->nprocs; i++) {
		const struct ls_process *p = st->procs[i].p;
		struct ls_link l = { .kind = LINK_THREAD_OF };

		if (p->threads_live <= 1 && !p->threads_created)
			continue;
		l.from = (struct link_end){ .type = LINK_END_THREADS, .pid = p->pid,
					    .serial = p->serial };
		l.to = link_end_proc(p);
		l.count = p->threads_live > 1 ? p->threads_live - 1 : 0;
		l.created = p->threads_created;
		if (links_add(st, &l))
			return -ENOMEM;
	}
	return 0;
}
