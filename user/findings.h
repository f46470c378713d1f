/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Findings: what the detectors conclude from engine state. Detectors are
 * read-only passes; a finding points into engine state and lives as long as
 * the engine does.
 */
#ifndef LEAKSCOPE_FINDINGS_H
#define LEAKSCOPE_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cycles.h"
#include "engine.h"

enum finding_kind {
	FINDING_RELEASED_AT_EXIT = 0, /* never closed; released only by process exit */
	FINDING_CLOSE_WAIT,           /* the peer closed, this process never did */
	FINDING_DELETED_OPEN,         /* unlinked, still open: disk space du cannot see */
	FINDING_ZOMBIE,               /* a child exited and its parent never reaped it */
	FINDING_OLD_IDLE,             /* open long, unused long */
	FINDING_FD_MISUSE,            /* double close, use after close, use of a bad fd */
	FINDING_CYCLE,                /* resources that keep each other alive (SCM_RIGHTS) */
	FINDING_GROWTH,               /* a count rises steadily toward its limit */
	FINDING_KIND_MAX,
};

enum severity {
	SEVERITY_INFO = 0,
	SEVERITY_WARNING,
	SEVERITY_ERROR,
	SEVERITY_MAX,
};

/* One fd type's part in an fd growth. */
struct growth_type {
	uint16_t type;        /* enum ls_res_type */
	uint32_t open_now;
	int64_t increase;     /* over the window, floor to floor */
	double slope_per_s;
};

/* growth: one class's count over the window, and where it is heading. */
struct growth_detail {
	enum ls_growth_class cls;
	uint32_t open_now;
	uint32_t first, last;  /* the floors of the window's first and last cells */
	size_t points;         /* cells fitted */
	double slope_per_s;    /* Theil-Sen */
	double tau;            /* Kendall's tau-b */
	double scatter;        /* median distance to the line */
	uint64_t window_ns;    /* from the first cell fitted to now */
	uint64_t limit;        /* 0: not known */
	const char *limit_name;
	double exhaustion_s;   /* < 0: not known (no limit) */
	struct growth_type by_type[LS_RES_TYPE_MAX]; /* fds: the types that rose */
	size_t ntypes;
};

struct finding {
	enum finding_kind kind;
	enum severity severity;
	const struct ls_process *proc;  /* whose finding it is (zombie: the parent;
					 * cycle: who made its latest link) */
	const struct ls_fd *fd;         /* the resource; NULL for findings about a process */
	const struct ls_process *child; /* zombie: the unreaped child */
	const struct ls_misuse *misuse; /* fd-misuse */
	uint64_t duration_ns; /* close-wait: time in CLOSE_WAIT; zombie: time unreaped;
			       * old-and-idle: time unused */
	size_t cycle;         /* cycle: index in findings.cycles */
	struct growth_detail *growth; /* growth: owned by the findings list */
};

struct findings {
	struct finding *v;
	size_t len;
	size_t cap;
	struct cycle_set cycles; /* what the cycle findings are about */
};

struct detect_opts {
	bool track_inherited; /* fds a process got by fork or had before attach count too */
	uint64_t close_wait_ns; /* CLOSE_WAIT longer than this is a finding */
	uint64_t min_age_ns;    /* old-and-idle: open at least this long */
	uint64_t idle_ns;       /* and unused at least this long */
	uint64_t now_ns;        /* the report's end, for what is still open */
	uint64_t growth_window_ns;    /* growth: how far back the trend looks; 0: off */
	uint32_t growth_min_increase; /* growth: the least rise over the window */
};

/* Takes over item->growth, also when it fails. */
int findings_add(struct findings *f, const struct finding *item);
void findings_free(struct findings *f);
size_t findings_count_kind(const struct findings *f, enum finding_kind kind);

const char *finding_kind_name(enum finding_kind k);
const char *severity_name(enum severity s);

/* released-at-exit: fds still open when their process exited. */
int detect_released_at_exit(const struct ls_engine *eng, const struct detect_opts *o,
			    struct findings *out);
/* close-wait and deleted-but-open: sockets and files of live processes, and
 * sockets released at exit after lingering in CLOSE_WAIT. */
int detect_socket_and_file_states(const struct ls_engine *eng, const struct detect_opts *o,
				  struct findings *out);
/* zombie: processes that exited and were not reaped by the end. */
int detect_zombies(const struct ls_engine *eng, const struct detect_opts *o,
		   struct findings *out);
/* old-and-idle: open fds of live processes, old and unused (needs the use
 * counters: fds without them are not judged). */
int detect_idle(const struct ls_engine *eng, const struct detect_opts *o, struct findings *out);
/* fd-misuse: every misuse the engine recorded. */
int detect_misuse(const struct ls_engine *eng, const struct detect_opts *o,
		  struct findings *out);
/* cycle: descriptions that keep each other alive in flight (the cycles go
 * to out->cycles, one finding each). */
int detect_cycles(const struct ls_engine *eng, const struct detect_opts *o,
		  struct findings *out);
/* growth: live processes whose open fds, threads or mappings rise steadily;
 * with the time until they reach their limit. */
int detect_growth(const struct ls_engine *eng, const struct detect_opts *o,
		  struct findings *out);
/* Exited, not reaped, for long enough before now_ns that a reap is not in flight. */
bool finding_is_zombie(const struct ls_process *c, uint64_t now_ns);
/* Every detector, in report order. Returns 0 or -ENOMEM. */
int detect_all(const struct ls_engine *eng, const struct detect_opts *o, struct findings *out);
/* Findings at or above a severity. */
size_t findings_count_at_least(const struct findings *f, enum severity s);

#endif /* LEAKSCOPE_FINDINGS_H */
