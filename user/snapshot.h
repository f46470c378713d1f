/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a process already holds when observation starts, read from /proc and
 * turned into events (LS_SYS_SNAPSHOT), so the engine learns it the same way
 * it learns everything else and a replay sees it too.
 */
#ifndef LEAKSCOPE_SNAPSHOT_H
#define LEAKSCOPE_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "../bpf/events.h"

typedef int (*snapshot_emit_fn)(void *ctx, const void *rec, size_t size);

/* Emit an LS_EV_FD_CREATE for every open fd of pid except those in skip[].
 * Returns the number emitted, or -errno if /proc/PID/fd cannot be read. */
int snapshot_fds(uint32_t pid, uint64_t ts_ns, const int *skip, size_t nskip,
		 snapshot_emit_fn emit, void *ctx);

/* Emit an LS_EV_MMAP (snapshot) for every mapping in /proc/PID/maps.
 * Returns the number emitted, or -errno. */
int snapshot_maps(uint32_t pid, uint64_t ts_ns, snapshot_emit_fn emit, void *ctx);

#endif /* LEAKSCOPE_SNAPSHOT_H */
