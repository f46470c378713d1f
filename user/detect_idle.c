// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * old-and-idle: an fd open for a long time and not used for a long time —
 * what a connection pool that forgets connections, or a cache of files never
 * evicted, holds. Uses (reads, writes, sends, receives, accepts, waits) are
 * counted per fd in the kernel and handed over before the report; an fd that
 * existed before observation has its age counted from then ("at least").
 * Info, not a warning: plenty of fds are rightly idle (a listening socket on
 * a quiet port, a lock file).
 */
#include "findings.h"

struct idle_ctx {
	const struct detect_opts *o;
	struct findings *out;
	int err;
};

static int visit(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	struct idle_ctx *c = ctx;
	uint64_t now = c->o->now_ns, last;
	struct finding item = { .kind = FINDING_OLD_IDLE, .severity = SEVERITY_INFO, .proc = p,
				.fd = f };

	if (!f->use || now < f->created_ns)
		return 0;
	if (!c->o->track_inherited && (f->fd <= 2 || f->inherited))
		return 0;
	last = f->use->last_access_ns > f->created_ns ? f->use->last_access_ns : f->created_ns;
	if (now - f->created_ns < c->o->min_age_ns || now < last || now - last < c->o->idle_ns)
		return 0;
	item.duration_ns = now - last;
	c->err = findings_add(c->out, &item);
	return c->err;
}

int detect_idle(const struct ls_engine *eng, const struct detect_opts *o, struct findings *out)
{
	struct idle_ctx c = { .o = o, .out = out };
	size_t n = engine_process_count(eng);

	for (size_t i = 0; i < n && !c.err; i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		if (!p->exited)
			engine_visit_open_fds(eng, p, visit, &c);
	}
	return c.err;
}
