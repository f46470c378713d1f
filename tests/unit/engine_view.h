/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reading engine state in tests through the public API only: the open fd at
 * a number, and a log of the lifecycles the engine released.
 */
#ifndef LEAKSCOPE_ENGINE_VIEW_H
#define LEAKSCOPE_ENGINE_VIEW_H

#include <stdlib.h>
#include <string.h>

#include "engine.h"

struct fd_lookup {
	int fd;
	const struct ls_fd *found;
};

static inline int fd_lookup_visit(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	struct fd_lookup *l = ctx;

	(void)p;
	if (f->fd != l->fd)
		return 0;
	l->found = f;
	return 1;
}

/* The open fd of the live process pid, or NULL. */
static inline const struct ls_fd *view_fd(const struct ls_engine *eng, uint32_t pid, int fd)
{
	struct fd_lookup l = { .fd = fd, .found = NULL };
	const struct ls_process *p = engine_find_live(eng, pid);

	if (!p)
		return NULL;
	engine_visit_open_fds(eng, p, fd_lookup_visit, &l);
	return l.found;
}

static inline int fd_count_visit(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	(void)p;
	(void)f;
	(*(size_t *)ctx)++;
	return 0;
}

static inline size_t view_open_count(const struct ls_engine *eng, uint32_t pid)
{
	const struct ls_process *p = engine_find_live(eng, pid);
	size_t n = 0;

	if (p)
		engine_visit_open_fds(eng, p, fd_count_visit, &n);
	return n;
}

#define RELEASE_LOG_MAX 64

struct release_entry {
	uint32_t pid;
	uint64_t serial;
	int fd;
	uint32_t generation;
	enum ls_release why;
	uint64_t released_ns;
	uint64_t ofd_id;
};

struct release_log {
	size_t n;       /* releases seen, also past RELEASE_LOG_MAX */
	struct release_entry e[RELEASE_LOG_MAX];
};

static inline void release_log_hook(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	struct release_log *log = ctx;
	struct release_entry *r;

	if (log->n++ >= RELEASE_LOG_MAX)
		return;
	r = &log->e[log->n - 1];
	r->pid = p->pid;
	r->serial = p->serial;
	r->fd = f->fd;
	r->generation = f->generation;
	r->why = f->release;
	r->released_ns = f->released_ns;
	r->ofd_id = f->ofd->id;
}

static inline void release_log_attach(struct ls_engine *eng, struct release_log *log)
{
	memset(log, 0, sizeof(*log));
	engine_set_release_hook(eng, release_log_hook, log);
}

/*
 * The common cmocka fixture: a fresh engine and its release log; setups
 * differ only in what they apply first.
 */
struct engine_fixture {
	struct ls_engine *eng;
	struct release_log log;
};

static inline struct engine_fixture *engine_fixture_new(void)
{
	struct engine_fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return NULL;
	fx->eng = engine_new();
	if (!fx->eng) {
		free(fx);
		return NULL;
	}
	release_log_attach(fx->eng, &fx->log);
	return fx;
}

static inline void engine_fixture_free(struct engine_fixture *fx)
{
	engine_free(fx->eng);
	free(fx);
}

#endif /* LEAKSCOPE_ENGINE_VIEW_H */
