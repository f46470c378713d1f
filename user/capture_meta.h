/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What a capture's header keeps of a run, and how a replay gets it back. */
#ifndef LEAKSCOPE_CAPTURE_META_H
#define LEAKSCOPE_CAPTURE_META_H

#include "capture_format.h"
#include "cli.h"
#include "report.h"

/* The header of a run with meta and options. */
void capture_header_fill(struct capture_header *h, const struct report_meta *m,
			 const struct options *o);

/* A replay's view of the run: meta's strings point into h, argv into argv
 * (room for CAPTURE_ARGS_MAX / 2 + 1 pointers); the detectors' thresholds go
 * to o. */
#define CAPTURE_ARGV_MAX (CAPTURE_ARGS_MAX / 2 + 1)
void capture_header_apply(const struct capture_header *h, struct report_meta *m,
			  struct options *o, char **argv);

#endif /* LEAKSCOPE_CAPTURE_META_H */
