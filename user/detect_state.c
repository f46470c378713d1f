// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * close-wait: a TCP socket whose peer closed (CLOSE_WAIT) and that this
 * process keeps open longer than a threshold: the classic leak of a server
 * that forgets to close accepted connections.
 * deleted-but-open: a file unlinked while open still holds its blocks.
 */
#include "findings.h"

#define TCP_CLOSE_WAIT 8

struct state_ctx {
	const struct detect_opts *o;
	struct findings *out;
	int err;
};

static int add(struct state_ctx *c, enum finding_kind kind, enum severity sev,
	       const struct ls_process *p, const struct ls_fd *f, uint64_t duration)
{
	struct finding item = {
		.kind = kind, .severity = sev, .proc = p, .fd = f, .duration_ns = duration,
	};

	c->err = findings_add(c->out, &item);
	return c->err;
}

static uint64_t close_wait_for(const struct ls_ofd *o, uint64_t until)
{
	const struct ls_ofd_ext *x = ls_ofd_ext(o);

	if (x->tcp_state != TCP_CLOSE_WAIT || until < x->tcp_state_ns)
		return 0;
	return until - x->tcp_state_ns;
}

static int visit_open(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	struct state_ctx *c = ctx;
	uint64_t d = close_wait_for(f->ofd, c->o->now_ns);

	if (d && d >= c->o->close_wait_ns)
		return add(c, FINDING_CLOSE_WAIT, SEVERITY_WARNING, p, f, d);
	if (ls_ofd_state(f->ofd)->state_known && ls_ofd_state(f->ofd)->deleted)
		return add(c, FINDING_DELETED_OPEN, SEVERITY_WARNING, p, f, 0);
	return 0;
}

int detect_socket_and_file_states(const struct ls_engine *eng, const struct detect_opts *o,
				  struct findings *out)
{
	struct state_ctx c = { .o = o, .out = out };
	size_t n = engine_process_count(eng);

	for (size_t i = 0; i < n && !c.err; i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		if (!p->exited) {
			engine_visit_open_fds(eng, p, visit_open, &c);
			continue;
		}
		/* released at exit while in CLOSE_WAIT: it lingered until then */
		for (size_t j = 0; j < p->exit_fds_len && !c.err; j++) {
			const struct ls_fd *f = p->exit_fds[j];
			uint64_t d = close_wait_for(f->ofd, f->released_ns);

			if (d && d >= o->close_wait_ns)
				add(&c, FINDING_CLOSE_WAIT, SEVERITY_WARNING, p, f, d);
		}
	}
	return c.err;
}
