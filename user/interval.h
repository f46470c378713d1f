/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reports every --interval into --report-dir: one JSON file per interval,
 * named by the time it covers up to, "leakscope-20261123T221105.123Z.json"
 * (UTC; names sort in time order), the oldest removed past --keep.
 */
#ifndef LEAKSCOPE_INTERVAL_H
#define LEAKSCOPE_INTERVAL_H

#include <stddef.h>
#include <stdint.h>

#define INTERVAL_PREFIX "leakscope-"
#define INTERVAL_SUFFIX ".json"

/* dir/leakscope-<UTC of realtime_ns>.json into buf; -ENAMETOOLONG. */
int interval_report_path(char *buf, size_t len, const char *dir, int64_t realtime_ns);
/* Remove all but the keep newest interval reports in dir (0: keep all).
 * Returns how many were removed, or -errno. */
int interval_rotate(const char *dir, unsigned int keep);

/* Before anything runs: dir (NULL: none) takes reports; says why not. */
int interval_check_dir(const char *dir);

#endif /* LEAKSCOPE_INTERVAL_H */
