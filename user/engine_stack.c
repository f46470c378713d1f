// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Allocation stacks: the kernel sends a thread's stack just before the
 * records of the syscall that created something; userspace unwinds it and
 * hands over the result as LS_EV_STACK_REF. Records of other threads may come
 * in between, so each process keeps a few pending stacks, one per thread.
 */
#include "engine_internal.h"

int eng_on_stack_ref(struct ls_engine *eng, const struct ls_stack_ref *e)
{
	struct ls_process *p = eng_find_live(eng, e->hdr.tgid);
	struct proc_entry *pe;
	struct pending_stack *slot;

	if (!p)
		return 0;
	pe = proc_entry_of(p);
	/* the thread's own slot (what it left is stale now), a free one, or the oldest */
	slot = NULL;
	for (size_t i = 0; i < PENDING_STACKS && !slot; i++)
		if (pe->stacks[i].tid == e->hdr.tid)
			slot = &pe->stacks[i];
	for (size_t i = 0; i < PENDING_STACKS && !slot; i++)
		if (!pe->stacks[i].records)
			slot = &pe->stacks[i];
	if (!slot) {
		slot = &pe->stacks[pe->stacks_next];
		pe->stacks_next = (pe->stacks_next + 1) % PENDING_STACKS;
	}
	slot->tid = e->hdr.tid;
	slot->syscall = e->syscall;
	slot->records = e->records;
	slot->stack_id = e->stack_id;
	return 0;
}

uint32_t eng_take_stack(struct ls_process *p, const struct ls_event_header *h,
			uint16_t syscall)
{
	struct proc_entry *pe = proc_entry_of(p);

	for (size_t i = 0; i < PENDING_STACKS; i++) {
		struct pending_stack *s = &pe->stacks[i];

		if (s->records && s->tid == h->tid && s->syscall == syscall) {
			s->records--;
			return s->stack_id;
		}
	}
	return 0;
}
