/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A live run's state, and what feeds its engine: records from the ring
 * buffer and facts learned outside it, each applied and captured in the same
 * order, so that a replay of the capture sees what the run's engine saw.
 */
#ifndef LEAKSCOPE_FEED_H
#define LEAKSCOPE_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "suppress.h"

struct capture;
struct ls_engine;
struct metrics_export;
struct redactor;
struct stack_table;
struct unwinder;

struct session {
	struct ls_engine *eng;
	struct unwinder *unwinder;  /* NULL: --stack-bytes 0 */
	struct stack_table *stacks;
	struct suppressions supp;
	struct capture *capture;   /* --capture: NULL when off or after it failed */
	const char *capture_path;
	bool capture_failed;       /* the exit status says so */
	uint64_t last_flush_ns;
	uint64_t next_report_ns;   /* --interval: when the next report is due */
	uint64_t lost_seen;        /* the kernel's lost-record count at the last look */
	unsigned int reports;      /* --interval: written so far */
	uint64_t received;
	uint64_t identified;       /* processes up to this serial have been looked at */
	struct metrics_export *metrics; /* NULL: no --metrics-listen or --metrics-file */
	struct redactor *redact;        /* NULL: no --redact */
	uint64_t metrics_due_ns;        /* CLOCK_MONOTONIC of the next refresh */
};

/* Records from the ring buffer (trace_record_fn): a user stack is unwound
 * into a LS_EV_STACK_REF first. Always 0: a malformed record is counted by
 * the engine and the drain goes on. */
int feed_record(void *ctx, const void *rec, size_t size);
/* Facts learned outside the ring buffer (facts_emit_fn): applied, captured. */
int feed_fact(void *ctx, const void *rec, size_t size);
/* A capture that cannot be written (disk full, err < 0) stops; the run goes on. */
void feed_stop_capture(struct session *s, int err);

#endif /* LEAKSCOPE_FEED_H */
