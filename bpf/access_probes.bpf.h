// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * How much each open fd is used, counted in the kernel (a read or a write is
 * far too frequent to stream): one per-fd counter and timestamp, read by
 * userspace when it builds a report. The same enter hooks see a syscall given
 * an fd that is not open, which fails with EBADF: a use after close, sent as
 * LS_EV_FD_MISUSE with the stack of the use.
 */
#ifndef LEAKSCOPE_ACCESS_PROBES_BPF_H
#define LEAKSCOPE_ACCESS_PROBES_BPF_H

/* Set by userspace: false unloads nothing but makes the hooks return at once
 * (they are not attached then either, see trace.c). */
const volatile bool track_access = true;

/* Emit LS_EV_FD_MISUSE for fd, with the stack of the syscall. */
__noinline int emit_misuse(int fd, int syscall)
{
	struct ls_fd_misuse *e;

	emit_user_stack(syscall, 1);
	e = event_reserve(sizeof(*e), LS_EV_FD_MISUSE);
	if (!e)
		return 0;
	e->fd = fd;
	e->syscall = syscall;
	e->pad = 0;
	event_submit(e);
	return 0;
}

static __always_inline void note_use(__s64 fd, __u16 syscall)
{
	struct fd_key k = { .tgid = bpf_get_current_pid_tgid() >> 32, .fd = (__s32)fd };
	struct fd_use *u, fresh;

	if (!track_access || !tgid_traced(k.tgid))
		return;
	if (fd < 0 || fd > 0x7fffffff || !fdtable_file(current_fdtable(), (int)fd)) {
		emit_misuse((int)fd, syscall);
		return;
	}
	u = bpf_map_lookup_elem(&fd_access, &k);
	if (u) {
		__sync_fetch_and_add(&u->count, 1);
		u->last_ns = bpf_ktime_get_ns();
		return;
	}
	fresh.count = 1;
	fresh.last_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&fd_access, &k, &fresh, BPF_ANY);
}

#define USES_FD(name, sys, arg)                                         \
	SEC("tracepoint/syscalls/sys_enter_" #name)                     \
	int use_##name(struct trace_event_raw_sys_enter *ctx)           \
	{                                                               \
		note_use(ctx->args[arg], sys);                          \
		return 0;                                               \
	}

#define USES_TWO_FDS(name, sys, a, b)                                   \
	SEC("tracepoint/syscalls/sys_enter_" #name)                     \
	int use_##name(struct trace_event_raw_sys_enter *ctx)           \
	{                                                               \
		note_use(ctx->args[a], sys);                            \
		note_use(ctx->args[b], sys);                            \
		return 0;                                               \
	}

USES_FD(read, LS_SYS_READ, 0)
USES_FD(write, LS_SYS_WRITE, 0)
USES_FD(pread64, LS_SYS_PREAD64, 0)
USES_FD(pwrite64, LS_SYS_PWRITE64, 0)
USES_FD(readv, LS_SYS_READV, 0)
USES_FD(writev, LS_SYS_WRITEV, 0)
USES_FD(preadv, LS_SYS_PREADV, 0)
USES_FD(pwritev, LS_SYS_PWRITEV, 0)
USES_FD(sendto, LS_SYS_SENDTO, 0)
USES_FD(recvfrom, LS_SYS_RECVFROM, 0)
USES_FD(sendmsg, LS_SYS_SENDMSG, 0)
USES_FD(sendmmsg, LS_SYS_SENDMMSG, 0)
USES_FD(recvmmsg, LS_SYS_RECVMMSG, 0)
USES_FD(accept, LS_SYS_ACCEPT, 0)
USES_FD(accept4, LS_SYS_ACCEPT4, 0)
USES_FD(epoll_wait, LS_SYS_EPOLL_WAIT, 0)
USES_FD(epoll_pwait, LS_SYS_EPOLL_PWAIT, 0)
USES_FD(getdents64, LS_SYS_GETDENTS64, 0)
USES_FD(ioctl, LS_SYS_IOCTL, 0)
USES_FD(fsync, LS_SYS_FSYNC, 0)
USES_FD(fdatasync, LS_SYS_FDATASYNC, 0)
USES_TWO_FDS(sendfile64, LS_SYS_SENDFILE64, 0, 1)
USES_TWO_FDS(splice, LS_SYS_SPLICE, 0, 2)

#endif /* LEAKSCOPE_ACCESS_PROBES_BPF_H */
