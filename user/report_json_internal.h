/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the files of the JSON report share: report_json.c (the document,
 * processes, resources, summary), report_json_finding.c (one finding of each
 * kind, with its stacks), report_json_sites.c (findings by allocation site).
 */
#ifndef LEAKSCOPE_REPORT_JSON_INTERNAL_H
#define LEAKSCOPE_REPORT_JSON_INTERNAL_H

#include "json_writer.h"
#include "report.h"

static inline double ns_to_s(uint64_t ns)
{
	return (double)ns / 1e9;
}

void kv_time_value(struct json_writer *w, const struct report_meta *m, uint64_t ns);
void kv_time(struct json_writer *w, const char *key, const struct report_meta *m, uint64_t ns);
/* "resource": the object of an fd, as open_fds lists them */
void write_resource(struct json_writer *w, const struct ls_engine *eng,
		    const struct ls_process *p, const struct ls_fd *f,
		    const struct report_meta *m);
/* "by_kind": {...}; all kinds, or only those seen */
void write_by_kind(struct json_writer *w, const uint64_t n[FINDING_KIND_MAX], bool all);
/* "by_type": {...}, the types seen */
void write_by_type(struct json_writer *w, const uint64_t n[LS_RES_TYPE_MAX]);

/* report_json_finding.c: one element of "findings" */
void write_finding(struct json_writer *w, const struct ls_engine *eng,
		   const struct findings *fs, size_t id, const struct finding *fi,
		   const struct report_meta *m);
/* report_json_sites.c: "sites". Returns 0 or -ENOMEM. */
int write_sites(struct json_writer *w, const struct findings *fs, const struct report_meta *m);
/*
 * Findings about fds of one kind, type, creating syscall and allocation
 * site past the first REPORT_MAX_FINDINGS_PER_SITE are counted, not listed:
 * a process that leaks a million fds from one line gets a report a person
 * can open. listed[i] says whether fs->v[i] is listed; returns how many are
 * not, or -ENOMEM (listed is then NULL). The caller frees listed.
 */
long findings_listed(const struct findings *fs, bool **listed);

#endif /* LEAKSCOPE_REPORT_JSON_INTERNAL_H */
