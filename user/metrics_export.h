/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where the metrics go: the HTTP server (--metrics-listen) and the textfile
 * (--metrics-file). The main thread renders once per refresh and hands the
 * same text to both, with the observer's own CPU time and memory read here.
 */
#ifndef LEAKSCOPE_METRICS_EXPORT_H
#define LEAKSCOPE_METRICS_EXPORT_H

#include <stdint.h>

#include "cli.h"
#include "engine.h"
#include "findings.h"

struct metrics_export;

/* Start serving if asked; NULL in *out when neither output is asked for.
 * Returns 0 or -errno with a one-line message on stderr. */
int metrics_export_start(const struct options *o, struct metrics_export **out);
/*
 * Render from the engine, the findings of a detection just made, and the
 * counters; serve and write the text. A failed write is said once on stderr
 * (until one succeeds again) and does not stop the tracing. Returns 0 or
 * -errno.
 */
int metrics_export_publish(struct metrics_export *x, const struct ls_engine *eng,
			   const struct findings *fs, uint64_t events_received,
			   const uint64_t kernel_stats[LS_STAT_MAX]);
void metrics_export_free(struct metrics_export *x);

#endif /* LEAKSCOPE_METRICS_EXPORT_H */
