/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Facts some detectors need that no event carries, asked for just before a
 * detection and handed to the engine as events: whether open files were
 * unlinked (/proc), and how often each open fd was used (the kernel's
 * counters). Before the final report, and before each metrics refresh.
 */
#ifndef LEAKSCOPE_FACTS_H
#define LEAKSCOPE_FACTS_H

#include <sys/types.h>

#include "engine.h"
#include "trace.h"

/* Hands a fact over: to the engine, and to the capture if there is one. */
typedef int (*facts_emit_fn)(void *ctx, const void *rec, size_t size);

/* Which open files of live processes are deleted, and their size. */
void facts_file_states(const struct ls_engine *eng, facts_emit_fn emit, void *ctx);
/* The use counters of every open fd of live processes. */
void facts_fd_access(const struct ls_engine *eng, struct trace *t, facts_emit_fn emit,
		     void *ctx);

/* The command leakscope started enters observation, as an attach. */
void facts_command(pid_t pid, char *const *cmd, uint64_t now, facts_emit_fn emit, void *ctx);
/* RLIMIT_NOFILE as /proc says now; later changes come from the kernel side. */
void facts_limits(uint32_t pid, uint64_t now, facts_emit_fn emit, void *ctx);
/* What growth is measured against besides RLIMIT_NOFILE: read once. */
void facts_host_limits(uint64_t now, facts_emit_fn emit, void *ctx);
/* We waited for the command ourselves: no need to wait for the kernel's word. */
void facts_reaped(pid_t pid, uint64_t now, facts_emit_fn emit, void *ctx);
/*
 * Processes first seen by one of their syscalls (joined the cgroup, caught
 * before their fork event) have no name: read them, and what they hold, from
 * /proc as at attach. *identified: the last serial looked at.
 */
void facts_identify_new(const struct ls_engine *eng, uint64_t *identified, facts_emit_fn emit,
			void *ctx);

/* Records lost since *lost_seen (the kernel's counter): the processes
 * running now are told so (LS_EV_LOSS). */
void facts_losses(const struct ls_engine *eng, struct trace *t, uint64_t *lost_seen,
		  facts_emit_fn emit, void *ctx);
/* Keep at most keep exited processes in full (--max-exited; LS_EV_FORGET). */
void facts_forget(const struct ls_engine *eng, uint32_t keep, facts_emit_fn emit, void *ctx);

#endif /* LEAKSCOPE_FACTS_H */
