/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * DWARF unwinding of the user stacks the kernel side copies (LS_EV_USER_STACK),
 * the way perf --call-graph dwarf does it, with libdw: the process's modules
 * come from the engine's view of its mappings, the CFI from their ELF files,
 * memory from the copy. A frame is kept as module and offset, interned per
 * call site; names come at report time (symbolize.h). This reads ELF files: it
 * sits beside the engine, not in it; what it concludes enters the engine as
 * LS_EV_STACK_REF.
 */
#ifndef LEAKSCOPE_UNWIND_H
#define LEAKSCOPE_UNWIND_H

#include <stddef.h>

#include "engine.h"
#include "stack_table.h"
#include "unwind_cache.h"

struct unwinder;

struct unwinder *unwinder_new(void);
void unwinder_free(struct unwinder *u);

/*
 * Unwind e (size bytes) for process p and intern the result in t. Returns the
 * stack id, or 0 when nothing could be unwound (no module known for the
 * process, out of memory). A walk the unwinder has made before with the same
 * inputs is not made again: its id is remembered, so t must be the same table
 * on every call.
 */
uint32_t unwinder_resolve(struct unwinder *u, const struct ls_process *p,
			  const struct ls_user_stack *e, size_t size, struct stack_table *t);

/* Process serial has exited: its Dwfl and remembered walks go. */
void unwinder_forget(struct unwinder *u, uint64_t serial);
/* How the remembered walks (unwind_cache.h) have served so far. */
struct unwind_cache_stats unwinder_cache_stats(const struct unwinder *u);

#endif /* LEAKSCOPE_UNWIND_H */
