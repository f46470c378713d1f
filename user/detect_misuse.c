// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fd-misuse, from what the engine recorded (engine_misuse.c). A double close
 * and a use after close are errors: in a program with threads the number is
 * soon another file's. Using an fd that was never open (-1 from a failed
 * open) is a warning; closing one is info: daemons close every number below a
 * limit after fork, on purpose.
 */
#include "findings.h"

static enum severity severity_of(enum ls_misuse_kind k)
{
	switch (k) {
	case LS_MISUSE_DOUBLE_CLOSE:
	case LS_MISUSE_USE_AFTER_CLOSE:
		return SEVERITY_ERROR;
	case LS_MISUSE_USE_UNOPENED:
		return SEVERITY_WARNING;
	default:
		return SEVERITY_INFO;
	}
}

int detect_misuse(const struct ls_engine *eng, const struct detect_opts *o,
		  struct findings *out)
{
	size_t n = engine_process_count(eng);

	(void)o;
	for (size_t i = 0; i < n; i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		for (size_t j = 0; j < p->nmisuses; j++) {
			struct finding item = {
				.kind = FINDING_FD_MISUSE,
				.severity = severity_of(p->misuses[j].kind),
				.proc = p,
				.misuse = &p->misuses[j],
			};
			int err = findings_add(out, &item);

			if (err)
				return err;
		}
	}
	return 0;
}
