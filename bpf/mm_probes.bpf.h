// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* epoll watches and memory mappings. */
#ifndef LEAKSCOPE_MM_PROBES_BPF_H
#define LEAKSCOPE_MM_PROBES_BPF_H

/* --- epoll watches --------------------------------------------------------- */

SEC("tracepoint/syscalls/sys_enter_epoll_ctl")
int enter_epoll_ctl(struct trace_event_raw_sys_enter *ctx)
{
	long op = ctx->args[1];

	/* EPOLL_CTL_MOD changes no watch */
	if (op != LS_EPOLL_CTL_ADD && op != LS_EPOLL_CTL_DEL)
		return 0;
	return save_args(LS_SYS_EPOLL_CTL, ctx->args[0], op, ctx->args[2], 0);
}

SEC("tracepoint/syscalls/sys_exit_epoll_ctl")
int exit_epoll_ctl(struct trace_event_raw_sys_exit *ctx)
{
	struct ls_epoll_ctl *e;
	struct pending p;

	if (!take_args(LS_SYS_EPOLL_CTL, &p) || ctx->ret != 0)
		return 0;
	e = event_reserve(sizeof(*e), LS_EV_EPOLL_CTL);
	if (!e)
		return 0;
	e->epfd = p.a0;
	e->op = p.a1;
	e->fd = p.a2;
	e->pad = 0;
	event_submit(e);
	return 0;
}

/* --- memory mappings -------------------------------------------------------- */

#define MAP_FAILED_MAX (-4095L) /* mmap returns -errno as an address */

SEC("tracepoint/syscalls/sys_enter_mmap")
int enter_mmap(struct trace_event_raw_sys_enter *ctx)
{
	/* a0: fd, a1: prot << 32 | flags, a2: length, uptr: file offset */
	return save_args(LS_SYS_MMAP, ctx->args[4], (ctx->args[2] << 32) | (__u32)ctx->args[3],
			 ctx->args[1], ctx->args[5]);
}

SEC("tracepoint/syscalls/sys_exit_mmap")
int exit_mmap(struct trace_event_raw_sys_exit *ctx)
{
	struct ls_mmap *e;
	struct pending p;
	struct file *f;

	if (!take_args(LS_SYS_MMAP, &p) || (ctx->ret < 0 && ctx->ret >= MAP_FAILED_MAX))
		return 0;
	emit_user_stack(LS_SYS_MMAP, 1);
	e = event_reserve(sizeof(*e), LS_EV_MMAP);
	if (!e)
		return 0;
	__builtin_memset((char *)e + sizeof(e->hdr), 0,
			 offsetof(struct ls_mmap, path) - sizeof(e->hdr));
	e->addr = ctx->ret;
	e->len = p.a2;
	e->prot = (__u64)p.a1 >> 32;
	e->flags = (__u32)p.a1;
	e->fd = (e->flags & LS_MAP_ANONYMOUS) ? -1 : p.a0;
	f = e->fd >= 0 ? fdtable_file(current_fdtable(), e->fd) : NULL;
	if (f) {
		struct file_identity id = read_file_identity(f);

		e->file_id = (__u64)f;
		e->ino = id.ino;
		e->dev = id.dev;
		e->offset = p.uptr;
		read_path(e->path, &e->path_len, &e->path_truncated, f);
	}
	event_submit(e);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_munmap")
int enter_munmap(struct trace_event_raw_sys_enter *ctx)
{
	return save_args(LS_SYS_MUNMAP, 0, ctx->args[0], ctx->args[1], 0);
}

SEC("tracepoint/syscalls/sys_exit_munmap")
int exit_munmap(struct trace_event_raw_sys_exit *ctx)
{
	struct ls_munmap *e;
	struct pending p;

	if (!take_args(LS_SYS_MUNMAP, &p) || ctx->ret != 0)
		return 0;
	e = event_reserve(sizeof(*e), LS_EV_MUNMAP);
	if (!e)
		return 0;
	e->addr = p.a1;
	e->len = p.a2;
	event_submit(e);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_mremap")
int enter_mremap(struct trace_event_raw_sys_enter *ctx)
{
	/* a1: old address, a2: old length, uptr: new length */
	return save_args(LS_SYS_MREMAP, 0, ctx->args[0], ctx->args[1], ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_exit_mremap")
int exit_mremap(struct trace_event_raw_sys_exit *ctx)
{
	struct ls_mremap *e;
	struct pending p;

	if (!take_args(LS_SYS_MREMAP, &p) || (ctx->ret < 0 && ctx->ret >= MAP_FAILED_MAX))
		return 0;
	e = event_reserve(sizeof(*e), LS_EV_MREMAP);
	if (!e)
		return 0;
	e->old_addr = p.a1;
	e->old_len = p.a2;
	e->new_addr = ctx->ret;
	e->new_len = p.uptr;
	event_submit(e);
	return 0;
}

/* The break before the call, so that the first brk of an attached process
 * says where its heap ended, not only where it ends now. */
SEC("tracepoint/syscalls/sys_enter_brk")
int enter_brk(struct trace_event_raw_sys_enter *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();

	return save_args(LS_SYS_BRK, 0, BPF_CORE_READ(task, mm, brk), 0, 0);
}

/* brk returns the break after the call (unchanged on failure) */
SEC("tracepoint/syscalls/sys_exit_brk")
int exit_brk(struct trace_event_raw_sys_exit *ctx)
{
	struct ls_brk *e;
	struct pending p;

	if (!take_args(LS_SYS_BRK, &p))
		return 0;
	e = event_reserve(sizeof(*e), LS_EV_BRK);
	if (!e)
		return 0;
	e->old_brk = p.a1;
	e->brk = ctx->ret;
	event_submit(e);
	return 0;
}

#endif /* LEAKSCOPE_MM_PROBES_BPF_H */
