/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The end of a run, live or replayed: name the stacks, run the detectors,
 * drop what the suppressions match, write the reports that were asked for.
 */
#ifndef LEAKSCOPE_REPORT_FILES_H
#define LEAKSCOPE_REPORT_FILES_H

#include "cli.h"
#include "engine.h"
#include "findings.h"
#include "report.h"
#include "stack_table.h"
#include "suppress.h"

/* The detectors' thresholds from the options, judging as of now_ns. */
struct detect_opts report_files_detect_opts(const struct options *o, uint64_t now_ns);
/* Fail before running anything if an output (what: "report", "metrics")
 * could not be written at path later; says why in one line. */
int report_files_check_path(const char *what, const char *path);
/* Fail before running anything if a report could not be written at the end. */
int report_files_check(const struct options *o);
/* Every --suppressions file; a bad one is said in one line. 0 or -errno. */
int report_files_load_suppressions(const struct options *o, struct suppressions *out);
/*
 * Returns -errno if a report could not be written, else how many findings
 * reach --fail-on.
 */
int report_files_write(struct ls_engine *eng, struct stack_table *stacks,
		       struct suppressions *supp, const struct options *o,
		       struct report_meta *meta);

#endif /* LEAKSCOPE_REPORT_FILES_H */
