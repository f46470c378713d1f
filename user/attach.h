/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Attaching to processes that already run (-p, --cgroup, system-wide): each
 * enters the engine as an LS_EV_PROC_ATTACH and its open fds as snapshot
 * events, after the probes are attached, so nothing falls in between.
 */
#ifndef LEAKSCOPE_ATTACH_H
#define LEAKSCOPE_ATTACH_H

#include "cli.h"
#include "procfs.h"
#include "snapshot.h"
#include "trace.h"

/* Check the targets before anything is loaded; one-line error and -errno. */
int attach_check(const struct options *o, struct cgroup_target *cg);
/* The kernel-side filter for the mode. */
void attach_filter(const struct options *o, const struct cgroup_target *cg,
		   struct trace_opts *topts);
/* Put the targets in the filter and emit their attach and fd snapshots
 * through emit. roots receives the processes attached. Returns 0 or -errno. */
int attach_targets(const struct options *o, const struct cgroup_target *cg, struct trace *t,
		   uint64_t now_ns, snapshot_emit_fn emit, void *ctx, struct pid_list *roots);

#endif /* LEAKSCOPE_ATTACH_H */
