// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * zombie: a child that exited and was never waited for keeps its pid and
 * process-table slot until its parent reaps it; a parent that forgets to
 * wait piles them up until fork fails with EAGAIN. A parent that exits
 * without waiting hands its zombies to init: that is its leak too, like an
 * fd released only at exit. The reap is seen through an RCU callback a little
 * after wait() returns, so only a child unreaped for ZOMBIE_GRACE_NS counts.
 */
#include "findings.h"

#define ZOMBIE_GRACE_NS 1000000000ULL

static const struct ls_process *parent_of(const struct ls_engine *eng,
					  const struct ls_process *c)
{
	size_t n = engine_process_count(eng);

	if (!c->parent_serial)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		if (p->serial == c->parent_serial)
			return p;
	}
	return NULL;
}

bool finding_is_zombie(const struct ls_process *c, uint64_t now_ns)
{
	return c->exited && !c->reaped && c->exit_ns + ZOMBIE_GRACE_NS <= now_ns;
}

/* How long c stayed a zombie its parent owed a wait; 0: it did not. */
static uint64_t unreaped_for(const struct ls_process *c, const struct ls_process *parent,
			     uint64_t now_ns)
{
	uint64_t until = now_ns;

	if (!c->exited)
		return 0;
	if (parent && parent->exited) {
		/* reaped before the parent exited: the parent waited */
		if (c->reaped && c->reap_ns <= parent->exit_ns)
			return 0;
		until = parent->exit_ns;
	} else if (c->reaped) {
		return 0;
	}
	if (until < c->exit_ns + ZOMBIE_GRACE_NS)
		return 0;
	return until - c->exit_ns;
}

int detect_zombies(const struct ls_engine *eng, const struct detect_opts *o,
		   struct findings *out)
{
	size_t n = engine_process_count(eng);

	for (size_t i = 0; i < n; i++) {
		const struct ls_process *c = engine_process_at(eng, i);
		const struct ls_process *parent = parent_of(eng, c);
		struct finding item = { .kind = FINDING_ZOMBIE, .severity = SEVERITY_WARNING };
		uint64_t d = unreaped_for(c, parent, o->now_ns);
		int err;

		if (!d)
			continue;
		item.proc = parent ? parent : c;
		item.child = c;
		item.duration_ns = d;
		err = findings_add(out, &item);
		if (err)
			return err;
	}
	return 0;
}
