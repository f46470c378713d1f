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

#include "engine.h"

enum finding_kind {
	FINDING_RELEASED_AT_EXIT = 0, /* never closed; released only by process exit */
	FINDING_KIND_MAX,
};

enum severity {
	SEVERITY_INFO = 0,
	SEVERITY_WARNING,
	SEVERITY_ERROR,
	SEVERITY_MAX,
};

struct finding {
	enum finding_kind kind;
	enum severity severity;
	const struct ls_process *proc;
	const struct ls_fd *fd;
};

struct findings {
	struct finding *v;
	size_t len;
	size_t cap;
};

struct detect_opts {
	bool track_inherited; /* fds a process got by fork or had before attach count too */
};

int findings_add(struct findings *f, const struct finding *item);
void findings_free(struct findings *f);
size_t findings_count_kind(const struct findings *f, enum finding_kind kind);

const char *finding_kind_name(enum finding_kind k);
const char *severity_name(enum severity s);

/* released-at-exit: fds still open when their process exited. */
int detect_released_at_exit(const struct ls_engine *eng, const struct detect_opts *o,
			    struct findings *out);

#endif /* LEAKSCOPE_FINDINGS_H */
