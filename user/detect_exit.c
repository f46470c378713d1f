// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * released-at-exit: an fd a process created and never released; the kernel
 * closed it when the process exited. valgrind --track-fds reports the same
 * thing; like it, the standard streams 0-2 are expected to stay open (a
 * shell that dup2s a saved stdout back onto fd 1 is not leaking it), and
 * fds the process only inherited (from its parent at fork, or from before
 * observation started) are not its leak. --track-inherited reports both.
 */
#include "findings.h"

static bool own_fd(const struct ls_fd *f, const struct detect_opts *o)
{
	if (o->track_inherited)
		return true;
	return f->fd > 2 && !f->inherited && !f->before_attach;
}

int detect_released_at_exit(const struct ls_engine *eng, const struct detect_opts *o,
			    struct findings *out)
{
	size_t nproc = engine_process_count(eng);
	int err;

	for (size_t i = 0; i < nproc; i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		if (!p->exited)
			continue;
		for (size_t j = 0; j < p->exit_fds_len; j++) {
			const struct ls_fd *f = p->exit_fds[j];
			struct finding item = {
				.kind = FINDING_RELEASED_AT_EXIT,
				.severity = SEVERITY_WARNING,
				.proc = p,
				.fd = f,
			};

			if (!own_fd(f, o))
				continue;
			err = findings_add(out, &item);
			if (err)
				return err;
		}
	}
	return 0;
}
