// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "attach.h"

int attach_check(const struct options *o, struct cgroup_target *cg)
{
	int err;

	switch (o->mode) {
	case MODE_PID:
		for (int i = 0; i < o->npids; i++) {
			if (kill(o->pids[i], 0) && errno == ESRCH) {
				fprintf(stderr, "leakscope: no process with pid %u\n", o->pids[i]);
				return -ESRCH;
			}
		}
		return 0;
	case MODE_CGROUP:
		err = cgroup_resolve(o->cgroup, cg);
		if (err) {
			fprintf(stderr, "leakscope: %s is not a cgroup v2 directory: %s\n", o->cgroup,
				err == -ENOTDIR ? "not a directory of the cgroup2 filesystem"
						: strerror(-err));
			return err;
		}
		return 0;
	default:
		return 0;
	}
}

void attach_filter(const struct options *o, const struct cgroup_target *cg,
		   struct trace_opts *topts)
{
	switch (o->mode) {
	case MODE_COMMAND:
	case MODE_PID:
		topts->filter = LS_FILTER_TGIDS;
		topts->follow_children = !o->no_children;
		break;
	case MODE_CGROUP:
		topts->filter = LS_FILTER_CGROUP;
		topts->cgroup_id = cg->id;
		topts->cgroup_level = cg->level;
		break;
	case MODE_SYSTEM:
		topts->filter = LS_FILTER_ALL;
		break;
	}
}

static int scope(const struct options *o, const struct cgroup_target *cg, struct pid_list *out)
{
	struct pid_list given = { 0 };
	int err = 0;

	switch (o->mode) {
	case MODE_PID:
		for (int i = 0; i < o->npids && !err; i++)
			err = pid_list_add(&given, o->pids[i]);
		if (!err)
			err = o->no_children ? 0 : procfs_descendants(&given, out);
		if (!err && o->no_children)
			for (size_t i = 0; i < given.len && !err; i++)
				err = pid_list_add(out, given.v[i]);
		pid_list_free(&given);
		return err;
	case MODE_CGROUP:
		return procfs_cgroup_members(cg, out);
	case MODE_SYSTEM:
		return procfs_list_processes(out);
	case MODE_COMMAND:
		break;
	}
	return 0;
}

int attach_targets(const struct options *o, const struct cgroup_target *cg, struct trace *t,
		   uint64_t now_ns, snapshot_emit_fn emit, void *ctx, struct pid_list *roots)
{
	struct ls_proc_limits lim;
	struct ls_proc_attach a;
	int err;

	err = scope(o, cg, roots);
	if (err) {
		fprintf(stderr, "leakscope: cannot list the processes to attach to: %s\n",
			strerror(-err));
		return err;
	}
	if (o->mode == MODE_PID) {
		for (size_t i = 0; i < roots->len; i++)
			if ((err = trace_add_tgid(t, roots->v[i])))
				return err;
	}
	/* events from before the snapshot are applied first, so the snapshot
	 * only fills in what happened before the probes were there */
	trace_drain(t);
	for (size_t i = 0; i < roots->len; i++) {
		/* a process may exit while we look: it is simply not attached */
		if (procfs_read_attach(roots->v[i], now_ns, &a))
			continue;
		emit(ctx, &a, sizeof(a));
		if (!procfs_read_limits(roots->v[i], now_ns, &lim))
			emit(ctx, &lim, sizeof(lim));
		snapshot_fds(roots->v[i], now_ns, NULL, 0, emit, ctx);
		snapshot_maps(roots->v[i], now_ns, emit, ctx);
	}
	return 0;
}
