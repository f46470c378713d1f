/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Exporters: the JSON report (schema leakscope.report/v1), the summary for
 * people, the link graph for Graphviz and the HTML page. All read engine
 * state and findings; none changes them.
 */
#ifndef LEAKSCOPE_REPORT_H
#define LEAKSCOPE_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "engine.h"
#include "findings.h"
#include "redact.h"
#include "stack_table.h"
#include "suppress.h"

#define REPORT_SCHEMA "leakscope.report/v1"

/* Facts about the observer itself, gathered by the caller. */
struct report_meta {
	const char *version;
	const char *kernel;        /* uname -r */
	const char *host;          /* nodename */
	const char *mode;          /* "command" */
	char *const *command;      /* argv of the traced command, NULL-terminated */
	uint64_t start_ns;         /* CLOCK_MONOTONIC, as event timestamps */
	uint64_t end_ns;
	int64_t realtime_offset_ns; /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint64_t events_received;  /* records the consumer drained */
	uint64_t kernel_stats[LS_STAT_MAX];
	bool track_inherited;
	const struct stack_table *stacks; /* allocation stacks by id; may be NULL */
	const struct suppressions *suppressions; /* with their hits; may be NULL */
	uint64_t suppressed;       /* findings the suppressions dropped */
	bool replayed;             /* from a capture (leakscope replay), not a live run */
	/* --redact: paths, argv and endpoints written as hashes; NULL: raw */
	const struct redactor *redact;
};

/*
 * Every exporter writes paths, arguments and endpoints through these, so
 * that none can forget --redact: r is the report's redactor, NULL for raw
 * (suppressions match raw names).
 */
/* Render one resource's name the way /proc/PID/fd does ("pipe:[123]", ...)
 * into buf; returns the bytes written (no NUL counted). */
size_t report_resource_name(const struct ls_fd *f, const struct redactor *r, char *buf,
			    size_t len);
/* The host's name, or its redacted form ("host:" and a hash) in buf. */
const char *report_host(const struct report_meta *m, char *buf, size_t len);
/* path itself, or its redacted form in buf; NULL if path is. */
const char *report_path(const struct redactor *r, const char *path, char *buf, size_t len);
/* A stack frame's source file and module as people read them: the base
 * name ("leaky.c", "libc.so.6"), or the hash of the whole path; NULL: none. */
const char *report_frame_file(const struct redactor *r, const struct stack_frame *f, char *buf,
			      size_t len);
const char *report_frame_module(const struct redactor *r, const struct stack_frame *f,
				char *buf, size_t len);
/* "O_RDWR|O_NONBLOCK|O_CLOEXEC" */
void report_flags(const struct ls_fd *f, char *buf, size_t len);
/* ISO 8601 UTC with milliseconds, from a monotonic timestamp. */
void report_time(const struct report_meta *m, uint64_t mono_ns, char *buf, size_t len);
const char *report_family_name(unsigned int family);
/* "127.0.0.1:8080" or "[::1]:8080" (redacted: "addr:" and the hash of
 * that text); false if the address is unknown. */
bool report_endpoint(const struct ls_sock_addr *a, const struct redactor *r, char *buf,
		     size_t len);
const char *report_socktype_name(unsigned int type);

/* report_links.c: the parts of the JSON report about links and cycles */
struct json_writer;
struct link_set;
#define REPORT_MAX_LINKS 10000 /* links listed; the others are counted */
#define REPORT_MAX_FINDINGS_PER_SITE 1000 /* fd findings listed of one kind, type,
					   * syscall and site; the others are counted */
void report_json_links(struct json_writer *w, const struct link_set *s,
		       const struct report_meta *m);
void report_json_cycles(struct json_writer *w, const struct findings *fs,
			const struct report_meta *m);
/* A cycle finding's fields after the common ones. */
void report_json_cycle_finding(struct json_writer *w, const struct findings *fs,
			       const struct finding *fi);
/* The sentence about a cycle, into buf; its length. */
size_t report_cycle_reason(const struct ls_cycle *c, char *buf, size_t len);

/* report_reason.c: the sentence about a finding, as every report words it */
#define REPORT_REASON_MAX 2048 /* fits any reason: a path, or a cycle's ids */
/* fs: the findings fi is in (a cycle finding's sentence names its cycle);
 * may be NULL for any other kind. */
void report_finding_reason(const struct findings *fs, const struct finding *fi,
			   const struct report_meta *m, char *buf, size_t len);
/* An fd finding's resource: created until released, or until the report. */
uint64_t report_fd_lifetime(const struct finding *fi, const struct report_meta *m);

int report_write_json(FILE *out, const struct ls_engine *eng, const struct findings *fs,
		      const struct report_meta *m);
/* report_dot.c: the link graph for Graphviz. 0, -ENOMEM or -EIO. */
int report_write_dot(FILE *out, const struct ls_engine *eng, const struct findings *fs,
		     const struct report_meta *m);
/* report_html.c: one self-contained page for people. 0, -ENOMEM or -EIO. */
int report_write_html(FILE *out, const struct ls_engine *eng, const struct findings *fs,
		      const struct report_meta *m);
void report_write_text(FILE *out, const struct ls_engine *eng, const struct findings *fs,
		       const struct report_meta *m);

#endif /* LEAKSCOPE_REPORT_H */
