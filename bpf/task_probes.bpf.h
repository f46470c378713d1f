// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Processes and threads: fork, exec, exit, and the reap of a zombie. */
#ifndef LEAKSCOPE_TASK_PROBES_BPF_H
#define LEAKSCOPE_TASK_PROBES_BPF_H

/* --- tasks ---------------------------------------------------------------- */

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 parent_tgid = BPF_CORE_READ(parent, tgid);
	__u32 child_tgid = BPF_CORE_READ(child, tgid);
	struct ls_proc_fork *e;
	__u8 one = 1;

	if ((BPF_CORE_READ(child, flags) & PF_KTHREAD) || !tgid_traced(parent_tgid))
		return 0;
	/* Follow children here, not in userspace: no window where one escapes. */
	if (filter_mode == LS_FILTER_TGIDS && child_tgid != parent_tgid) {
		/* --no-children: a child process is not observed at all */
		if (!follow_children)
			return 0;
		if (bpf_map_update_elem(&traced_tgids, &child_tgid, &one, BPF_ANY))
			stat_inc(LS_STAT_FILTER_FULL);
	}

	e = event_reserve(sizeof(*e), LS_EV_PROC_FORK);
	if (!e)
		return 0;
	e->child_tgid = child_tgid;
	e->child_tid = BPF_CORE_READ(child, pid);
	e->is_thread = child_tgid == parent_tgid;
	e->shares_files = BPF_CORE_READ(child, files) == BPF_CORE_READ(parent, files);
	e->shares_vm = BPF_CORE_READ(child, mm) == BPF_CORE_READ(parent, mm);
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	BPF_CORE_READ_STR_INTO(&e->comm, child, comm);
	event_submit(e);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	struct ls_proc_exec *e;
	unsigned long start, end;
	long n;

	if (!current_traced())
		return 0;
	e = event_reserve(sizeof(*e), LS_EV_PROC_EXEC);
	if (!e)
		return 0;
	e->hdr.tid = old_pid;
	e->filename_len = 0;
	e->args_len = 0;
	e->args_truncated = 0;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	BPF_CORE_READ_STR_INTO(&e->comm, task, comm);
	n = bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), BPF_CORE_READ(bprm, filename));
	if (n > 0)
		e->filename_len = n - 1;
	/* argv was just copied onto the new stack, so its pages are present. */
	start = BPF_CORE_READ(task, mm, arg_start);
	end = BPF_CORE_READ(task, mm, arg_end);
	n = end - start;
	if (n > LS_ARGS_MAX) {
		n = LS_ARGS_MAX;
		e->args_truncated = 1;
	}
	if (n > 0 && n <= LS_ARGS_MAX && !bpf_probe_read_user(e->args, n, (void *)start))
		e->args_len = n;
	event_submit(e);
	emit_exec_images(task);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	struct ls_proc_exit *e;
	bool group_dead;

	if ((BPF_CORE_READ(task, flags) & PF_KTHREAD) || !tgid_traced(tgid))
		return 0;
	group_dead = BPF_CORE_READ(task, signal, live.counter) == 0;
	e = event_reserve(sizeof(*e), LS_EV_PROC_EXIT);
	if (e) {
		e->exit_code = BPF_CORE_READ(task, exit_code);
		e->group_dead = group_dead;
		__builtin_memset(e->pad, 0, sizeof(e->pad));
		event_submit(e);
	}
	if (group_dead) {
		__u64 start = BPF_CORE_READ(task, group_leader, start_time);

		bpf_map_update_elem(&unreaped_tgids, &tgid, &start, BPF_ANY);
		if (filter_mode == LS_FILTER_TGIDS)
			bpf_map_delete_elem(&traced_tgids, &tgid);
	}
	return 0;
}

/* The last reference to a task is gone: its process was reaped (or never a
 * zombie). Runs from an RCU callback: the task, not the current one, counts.
 * An entry with another start_time is a later process with the same pid:
 * this one's reap is not announced (the engine knows it was reaped when its
 * pid was given again), and that one's entry stays for its own free. */
SEC("tp_btf/sched_process_free")
int BPF_PROG(on_free, struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	struct ls_proc_reap *e;
	__u64 *start;

	if ((__u32)BPF_CORE_READ(task, pid) != tgid)
		return 0;
	start = bpf_map_lookup_elem(&unreaped_tgids, &tgid);
	if (!start || *start != BPF_CORE_READ(task, start_time))
		return 0;
	bpf_map_delete_elem(&unreaped_tgids, &tgid);
	e = event_reserve(sizeof(*e), LS_EV_PROC_REAP);
	if (!e)
		return 0;
	e->hdr.tgid = tgid;
	e->hdr.tid = tgid;
	e->hdr.cgroup_id = 0;
	event_submit(e);
	return 0;
}

#endif /* LEAKSCOPE_TASK_PROBES_BPF_H */
