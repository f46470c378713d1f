// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * cycle: unix sockets whose receive queues hold each other's descriptions in
 * flight (SCM_RIGHTS). Once every fd on them is closed nothing can receive
 * them, and only the kernel's unix garbage collector, which leakscope does
 * not see, can free them; while fds still hold some of them, closing those
 * fds leaves exactly that garbage. Either way a program built it: one finding
 * per cycle, on the process whose send closed it.
 */
#include "findings.h"
#include "links.h"

int detect_cycles(const struct ls_engine *eng, const struct detect_opts *o,
		  struct findings *out)
{
	struct links_opts lo = { 0 };
	struct link_set links;
	size_t first = out->cycles.len;
	int err;

	(void)o;
	for (unsigned int k = 0; k < LINK_KIND_MAX; k++)
		if (link_kind_keeps_alive(k))
			lo.kinds |= LINK_KIND_BIT(k);
	err = links_build(eng, &lo, &links);
	if (err)
		return err;
	err = cycles_find(&links, &out->cycles);
	links_free(&links);
	for (size_t i = first; i < out->cycles.len && !err; i++) {
		struct finding item = { .kind = FINDING_CYCLE, .severity = SEVERITY_WARNING };

		item.proc = out->cycles.v[i].closed_by;
		item.cycle = i;
		/* every keeps-alive link is a send, made by a process */
		if (item.proc)
			err = findings_add(out, &item);
	}
	return err;
}
