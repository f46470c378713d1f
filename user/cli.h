/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command-line options: parsed without side effects, so they can be tested. */
#ifndef LEAKSCOPE_CLI_H
#define LEAKSCOPE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "listen_addr.h"

#define LS_EXIT_USAGE 2 /* bad command line */
#define LS_EXIT_ERROR 1 /* leakscope itself failed (BPF load, report write, ...) */

#define CLI_MAX_PIDS 64
#define CLI_MAX_SUPPRESSIONS 8

enum cli_mode {
	MODE_COMMAND = 0, /* -- CMD: start it and trace it with its children */
	MODE_PID,         /* -p PID[,PID...]: attach to running processes */
	MODE_CGROUP,      /* --cgroup PATH: everything in a cgroup v2 subtree */
	MODE_SYSTEM,      /* no target: every process of the machine */
};

struct options {
	enum cli_mode mode;
	uint32_t pids[CLI_MAX_PIDS]; /* -p */
	int npids;
	bool no_children;       /* --no-children: not the descendants of -p PIDs */
	const char *cgroup;     /* --cgroup PATH */
	uint64_t duration_ms;   /* -d SECONDS; 0: until the command ends or a signal */
	uint64_t interval_ms;   /* --interval SECS: a report every SECS into report_dir */
	const char *report_dir; /* --report-dir DIR */
	unsigned int keep;      /* --keep N: interval reports kept (0: all) */
	unsigned int count;     /* --count N: stop after N intervals (0: no limit) */
	uint32_t max_exited;    /* --max-exited N: exited processes kept in full */
	const char *json_path;  /* --json FILE */
	const char *text_path;  /* --text FILE: the summary there, not on stderr */
	const char *capture_path; /* --capture FILE: what the engine is fed, for replay */
	const char *dot_path;   /* --dot FILE: the link graph for Graphviz */
	const char *html_path;  /* --html FILE: one page for people */
	bool redact;            /* --redact: paths, argv and endpoints hashed in every output */
	const char *redact_key; /* --redact-key FILE: the hash keyed with the file's bytes */
	int error_exitcode;     /* --error-exitcode N: exit N on findings; 0: off */
	int fail_on;            /* --fail-on: lowest severity that counts (enum severity) */
	uint64_t close_wait_ms; /* --close-wait SECS: CLOSE_WAIT longer than this is a finding */
	const char *suppressions[CLI_MAX_SUPPRESSIONS]; /* --suppressions FILE, repeatable */
	int nsuppressions;
	uint64_t growth_window_ms; /* --growth-window SECS: how far back a growth trend looks */
	uint32_t growth_min;    /* --growth-min N: the least rise over the window for a growth */
	bool verbose;           /* -v */
	bool quiet;             /* -q: no human summary */
	bool track_inherited;   /* report fds the program did not create itself */
	uint32_t ring_bytes;    /* --ring-size */
	uint32_t stack_bytes;   /* --stack-bytes: user stack copied per creation; 0: no stacks */
	bool track_access;      /* count fd uses in the kernel (old-and-idle, use after close) */
	uint64_t min_age_ms;    /* --min-age: old-and-idle needs an fd open this long... */
	uint64_t idle_ms;       /* --idle: ...and unused this long */
	bool metrics_listen;    /* --metrics-listen ADDR:PORT given: serve /metrics there */
	struct listen_addr metrics_addr;
	const char *metrics_path; /* --metrics-file PATH: the same text, rewritten each refresh */
	uint32_t metrics_top;   /* --metrics-top N: processes with series of their own */
	uint64_t metrics_interval_ms; /* --metrics-interval SECS: detect and render this often */
	bool help;
	bool version;
	char **cmd;             /* the command after the options, NULL-terminated */
	int cmd_argc;
};

/* Returns 0, or -EINVAL with a one-line message (no newline) in err. */
int cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen);
/* Parses "8M", "256K", "4194304": a power of two between 4 KiB and 1 GiB. */
int cli_parse_ring_size(const char *s, uint32_t *out);
/* "4096", "8K": 0 (no stacks) or a multiple of 512 up to LS_STACK_MAX. */
int cli_parse_stack_bytes(const char *s, uint32_t *out);
/* "1234" or "1,2,3": positive pids, at most CLI_MAX_PIDS. */
int cli_parse_pids(const char *s, uint32_t *pids, int *npids);
/* "10", "0.5", "2.25": positive seconds, at most a year, into milliseconds. */
int cli_parse_seconds(const char *s, uint64_t *ms);
const char *cli_mode_name(enum cli_mode m);
void cli_print_help(const char *prog);

#endif /* LEAKSCOPE_CLI_H */
