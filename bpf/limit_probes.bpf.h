// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Resource limits: RLIMIT_NOFILE set by setrlimit or prlimit64, the limit a
 * process's open fds grow into. The value sent is the one in force after the
 * call, read from the target's signal_struct, not the caller's memory.
 */
#ifndef LEAKSCOPE_LIMIT_PROBES_BPF_H
#define LEAKSCOPE_LIMIT_PROBES_BPF_H

#define RLIMIT_NOFILE 7

/* Linux 6.2+: the task of a pid of the initial pid namespace, referenced. */
extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

/* The filter for a task that may not be the current one: the cgroup filter
 * must look at that task's cgroup, not the caller's. */
static __always_inline bool task_traced(struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	struct cgroup *cg, *anc = NULL;

	if (filter_mode != LS_FILTER_CGROUP)
		return tgid_traced(tgid);
	if (tgid == self_tgid)
		return false;
	cg = BPF_CORE_READ(task, cgroups, dfl_cgrp);
	if (!cg || BPF_CORE_READ(cg, level) < (int)filter_cgroup_level)
		return false;
	bpf_probe_read_kernel(&anc, sizeof(anc),
			      (char *)cg + bpf_core_field_offset(struct cgroup, ancestors) +
			      filter_cgroup_level * sizeof(anc));
	return anc && BPF_CORE_READ(anc, kn, id) == filter_cgroup_id;
}

static __always_inline void emit_nofile(struct task_struct *task, __u16 syscall)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	struct ls_proc_limits *e;

	e = event_reserve(sizeof(*e), LS_EV_PROC_LIMITS);
	if (!e)
		return;
	/* the header was filled for the caller: it is the setter */
	e->setter_tgid = e->hdr.tgid;
	if (tgid != e->hdr.tgid)
		e->hdr.cgroup_id = 0;
	e->hdr.tgid = tgid;
	e->hdr.tid = tgid;
	e->nofile_cur = BPF_CORE_READ(task, signal, rlim[RLIMIT_NOFILE].rlim_cur);
	e->nofile_max = BPF_CORE_READ(task, signal, rlim[RLIMIT_NOFILE].rlim_max);
	e->syscall = syscall;
	e->pad = 0;
	event_submit(e);
}

SEC("tracepoint/syscalls/sys_enter_setrlimit")
int enter_setrlimit(struct trace_event_raw_sys_enter *ctx)
{
	if (ctx->args[0] != RLIMIT_NOFILE)
		return 0;
	return save_args(LS_SYS_SETRLIMIT, 0, 0, 0, 0);
}

SEC("tracepoint/syscalls/sys_exit_setrlimit")
int exit_setrlimit(struct trace_event_raw_sys_exit *ctx)
{
	struct pending p;

	if (take_args(LS_SYS_SETRLIMIT, &p) && ctx->ret == 0)
		emit_nofile(bpf_get_current_task_btf(), LS_SYS_SETRLIMIT);
	return 0;
}

/* glibc's setrlimit is prlimit64(0, ...); prlimit(1) names another pid */
SEC("tracepoint/syscalls/sys_enter_prlimit64")
int enter_prlimit64(struct trace_event_raw_sys_enter *ctx)
{
	__s32 pid = ctx->args[0];

	/* only a change (new_rlim set) of RLIMIT_NOFILE */
	if (ctx->args[1] != RLIMIT_NOFILE || !ctx->args[2])
		return 0;
	if (!pid)
		return save_args(LS_SYS_PRLIMIT64, 0, 0, 0, 0);
	return save_args_any(LS_SYS_PRLIMIT64, pid, 0, 0, 0);
}

SEC("tracepoint/syscalls/sys_exit_prlimit64")
int exit_prlimit64(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *cur = bpf_get_current_task_btf(), *t;
	struct pending p;

	if (!take_args(LS_SYS_PRLIMIT64, &p) || ctx->ret != 0)
		return 0;
	if (!p.a0) {
		emit_nofile(cur, LS_SYS_PRLIMIT64);
		return 0;
	}
	/* the pid is as the caller sees it: found only from the initial pid
	 * namespace (bpf_task_from_pid looks there) */
	if (BPF_CORE_READ(cur, thread_pid, level) != 0)
		return 0;
	t = bpf_task_from_pid(p.a0);
	if (!t)
		return 0;
	if (task_traced(t))
		emit_nofile(t, LS_SYS_PRLIMIT64);
	bpf_task_release(t);
	return 0;
}

#endif /* LEAKSCOPE_LIMIT_PROBES_BPF_H */
