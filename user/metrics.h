/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Metrics in the Prometheus text exposition format (version 0.0.4), from
 * engine state, the findings of one detection and the observer's own
 * counters. Pure: everything it shows is handed in, so the text is a
 * function of its arguments. The metric names and labels are documented in
 * README.md ("Metrics").
 *
 * The processes that get their own series are bounded (top): those whose fds,
 * threads or mappings are predicted to run out first, then those holding the
 * most open fds. The other live processes are summed under pid="other", so
 * the number of series does not grow with the machine.
 */
#ifndef LEAKSCOPE_METRICS_H
#define LEAKSCOPE_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine.h"
#include "findings.h"

#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define METRICS_DEFAULT_TOP 20

/* Facts about the observer itself, gathered by the caller. */
struct metrics_observer {
	const char *version;
	uint64_t events_received;           /* records the consumer drained */
	uint64_t kernel_stats[LS_STAT_MAX]; /* the kernel-side counters */
	double cpu_seconds;                 /* user + system time of leakscope */
	uint64_t resident_bytes;            /* its resident set */
	double now_unix_s;                  /* when the text was made (CLOCK_REALTIME) */
};

/*
 * Writes the whole exposition to out: the top processes by the order above
 * (at least 1), the rest as pid="other". Returns 0, -ENOMEM, or -EIO if out
 * reported a write error.
 */
int metrics_render(FILE *out, const struct ls_engine *eng, const struct findings *fs,
		   const struct metrics_observer *obs, size_t top);

/*
 * A label value as the format wants it, without the quotes: backslash,
 * double quote and newline escaped, and invalid UTF-8 (a comm is any bytes)
 * as U+FFFD, one per byte.
 */
void metrics_label_value(FILE *out, const char *s, size_t len);

#endif /* LEAKSCOPE_METRICS_H */
