/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Facts some detectors need that no event carries, asked for just before a
 * detection and handed to the engine as events: whether open files were
 * unlinked (/proc), and how often each open fd was used (the kernel's
 * counters). Before the final report, and before each metrics refresh.
 */
#ifndef LEAKSCOPE_FACTS_H
#define LEAKSCOPE_FACTS_H

#include "engine.h"
#include "trace.h"

/* Hands a fact over: to the engine, and to the capture if there is one. */
typedef int (*facts_emit_fn)(void *ctx, const void *rec, size_t size);

/* Which open files of live processes are deleted, and their size. */
void facts_file_states(const struct ls_engine *eng, facts_emit_fn emit, void *ctx);
/* The use counters of every open fd of live processes. */
void facts_fd_access(const struct ls_engine *eng, struct trace *t, facts_emit_fn emit,
		     void *ctx);

#endif /* LEAKSCOPE_FACTS_H */
