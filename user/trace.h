/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The live event source: loads and attaches the BPF programs, drains the ring
 * buffer, and reads the kernel-side counters.
 */
#ifndef LEAKSCOPE_TRACE_H
#define LEAKSCOPE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bpf/events.h"

struct trace_opts {
	enum ls_filter_mode filter;  /* LS_FILTER_TGIDS: only tgids added with trace_add_tgid */
	bool follow_children;        /* LS_FILTER_TGIDS: their children too, added at fork */
	uint64_t cgroup_id;          /* LS_FILTER_CGROUP: the subtree's root... */
	uint32_t cgroup_level;       /* ...and its depth */
	uint32_t ring_bytes;    /* ring buffer size, a power of two */
	uint32_t stack_bytes;   /* user stack copied per creating syscall; 0: none */
	bool track_access;      /* count fd uses in the kernel, see misuse at syscall enter */
	bool verbose;           /* libbpf's debug output */
};

struct trace;

/* Called for each record drained; a non-zero return stops the drain. */
typedef int (*trace_record_fn)(void *ctx, const void *rec, size_t size);

/* open → configure → load → attach. Errors are printed; returns -errno. */
int trace_start(struct trace **out, const struct trace_opts *opts,
		trace_record_fn fn, void *ctx);
int trace_add_tgid(struct trace *t, uint32_t tgid);
/* Wait up to timeout_ms for a wakeup, then drain whatever is queued.
 * Returns records handled or -errno. */
int trace_poll(struct trace *t, int timeout_ms);
/* Drain without waiting. */
int trace_drain(struct trace *t);
/* The kernel's use counter of tgid's fd: count 0 and last 0 if it has none. */
int trace_fd_use(struct trace *t, uint32_t tgid, int fd, uint64_t *count, uint64_t *last_ns);
/* Sum the per-CPU counters (enum ls_stat). */
int trace_read_stats(struct trace *t, uint64_t out[LS_STAT_MAX]);
void trace_stop(struct trace *t);

#endif /* LEAKSCOPE_TRACE_H */
