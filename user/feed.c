// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What feeds a live run's engine, and its capture (feed.h). */
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "engine.h"
#include "feed.h"
#include "stack_table.h"
#include "unwind.h"

/* A capture that cannot be written (disk full) stops; the run goes on. */
void feed_stop_capture(struct session *s, int err)
{
	fprintf(stderr, "leakscope: capture %s: %s at offset %llu: capture stopped\n",
		s->capture_path, strerror(-err), capture_offset(s->capture));
	capture_close(s->capture, NULL);
	s->capture = NULL;
	s->capture_failed = true;
}

/* Everything the engine is fed goes to the capture too, in the same order. */
static void capture_record(struct session *s, const void *rec, size_t size)
{
	int err;

	if (!s->capture)
		return;
	err = capture_add(s->capture, rec, size);
	if (err)
		feed_stop_capture(s, err);
}

/* Apply a record the engine is fed, and capture it. */
static void apply(struct session *s, const void *rec, size_t size)
{
	engine_apply(s->eng, rec, size);
	capture_record(s, rec, size);
}

/*
 * A creating syscall's stack, unwound now, while the engine's view of the
 * process's mappings is the one it had when the syscall ran. The outcome is
 * a fact for the engine, like any other.
 */
static void resolve_stack(struct session *s, const struct ls_user_stack *e, size_t size)
{
	struct ls_stack_ref ref = { 0 };
	size_t before;

	ref.hdr = e->hdr;
	ref.hdr.type = LS_EV_STACK_REF;
	ref.hdr.size = sizeof(ref);
	ref.syscall = e->syscall;
	ref.records = e->records;
	before = stack_table_count(s->stacks);
	ref.stack_id = unwinder_resolve(s->unwinder, engine_find_live(s->eng, e->hdr.tgid), e,
					size, s->stacks);
	/* a new stack goes to the capture before the first record that names it */
	if (s->capture && stack_table_count(s->stacks) > before) {
		int err = capture_add_stack(s->capture, stack_table_get(s->stacks, ref.stack_id));

		if (err)
			feed_stop_capture(s, err);
	}
	apply(s, &ref, sizeof(ref));
}

/* Records from the ring buffer. */
int feed_record(void *ctx, const void *rec, size_t size)
{
	struct session *s = ctx;
	const struct ls_event_header *h = rec;

	s->received++;
	if (size >= sizeof(struct ls_user_stack) && h->type == LS_EV_USER_STACK) {
		/* the engine gets (and the capture keeps) the outcome, LS_EV_STACK_REF,
		 * not the 8 KiB of stack: a replay then sees what the run's engine saw */
		if (s->unwinder)
			resolve_stack(s, rec, size);
		return 0;
	}
	/* a process gone: its Dwfl and the walks remembered with it go too */
	if (s->unwinder && h->type == LS_EV_PROC_EXIT && size >= sizeof(struct ls_proc_exit) &&
	    ((const struct ls_proc_exit *)rec)->group_dead) {
		const struct ls_process *p = engine_find_live(s->eng, h->tgid);

		if (p)
			unwinder_forget(s->unwinder, p->serial);
	}
	/* a malformed record is counted by the engine; keep draining */
	apply(s, rec, size);
	return 0;
}

/* Facts learned outside the ring buffer (/proc, the command we started). */
int feed_fact(void *ctx, const void *rec, size_t size)
{
	apply(ctx, rec, size);
	return 0;
}
