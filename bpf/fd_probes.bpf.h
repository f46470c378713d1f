// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The syscalls that create, duplicate and release fds. */
#ifndef LEAKSCOPE_FD_PROBES_BPF_H
#define LEAKSCOPE_FD_PROBES_BPF_H

/* An exit hook that only names its syscall to a shared handler. */
#define EXIT_VIA(name, handler, sys)                                    \
	SEC("tracepoint/syscalls/sys_exit_" #name)                      \
	int exit_##name(struct trace_event_raw_sys_exit *ctx)           \
	{                                                               \
		return handler(ctx, sys);                               \
	}

/* --- syscalls whose return value is the new fd: exit hook only ---------- */

static __always_inline int on_fd_returned(struct trace_event_raw_sys_exit *ctx, __u16 syscall)
{
	if (ctx->ret < 0 || !current_traced())
		return 0;
	emit_user_stack(syscall, 1);
	emit_fd_create(ctx->ret, syscall, -1, -1);
	return 0;
}

#define FD_RETURNING(name, sys)                                         \
	SEC("tracepoint/syscalls/sys_exit_" #name)                      \
	int exit_##name(struct trace_event_raw_sys_exit *ctx)           \
	{                                                               \
		return on_fd_returned(ctx, sys);                        \
	}

FD_RETURNING(open, LS_SYS_OPEN)
FD_RETURNING(openat, LS_SYS_OPENAT)
FD_RETURNING(openat2, LS_SYS_OPENAT2)
FD_RETURNING(creat, LS_SYS_CREAT)
FD_RETURNING(socket, LS_SYS_SOCKET)
FD_RETURNING(accept, LS_SYS_ACCEPT)
FD_RETURNING(accept4, LS_SYS_ACCEPT4)
FD_RETURNING(eventfd, LS_SYS_EVENTFD)
FD_RETURNING(eventfd2, LS_SYS_EVENTFD2)
FD_RETURNING(epoll_create, LS_SYS_EPOLL_CREATE)
FD_RETURNING(epoll_create1, LS_SYS_EPOLL_CREATE1)
FD_RETURNING(inotify_init, LS_SYS_INOTIFY_INIT)
FD_RETURNING(inotify_init1, LS_SYS_INOTIFY_INIT1)
FD_RETURNING(timerfd_create, LS_SYS_TIMERFD_CREATE)
FD_RETURNING(memfd_create, LS_SYS_MEMFD_CREATE)
FD_RETURNING(memfd_secret, LS_SYS_MEMFD_SECRET)
FD_RETURNING(pidfd_open, LS_SYS_PIDFD_OPEN)
FD_RETURNING(pidfd_getfd, LS_SYS_PIDFD_GETFD)
FD_RETURNING(fanotify_init, LS_SYS_FANOTIFY_INIT)
FD_RETURNING(userfaultfd, LS_SYS_USERFAULTFD)
FD_RETURNING(io_uring_setup, LS_SYS_IO_URING_SETUP)
FD_RETURNING(perf_event_open, LS_SYS_PERF_EVENT_OPEN)
FD_RETURNING(open_by_handle_at, LS_SYS_OPEN_BY_HANDLE_AT)
FD_RETURNING(open_tree, LS_SYS_OPEN_TREE)
FD_RETURNING(open_tree_attr, LS_SYS_OPEN_TREE_ATTR)
FD_RETURNING(fsopen, LS_SYS_FSOPEN)
FD_RETURNING(fspick, LS_SYS_FSPICK)
FD_RETURNING(fsmount, LS_SYS_FSMOUNT)
FD_RETURNING(mq_open, LS_SYS_MQ_OPEN)

static __always_inline void emit_close(__s32 fd)
{
	struct ls_fd_close *e;

	/* where it was closed, should it be used again */
	emit_user_stack(LS_SYS_CLOSE, 1);
	e = event_reserve(sizeof(*e), LS_EV_FD_CLOSE);
	if (!e)
		return;
	e->fd = fd;
	e->syscall = LS_SYS_CLOSE;
	e->pad = 0;
	event_submit(e);
}

/*
 * An open fd is announced closed here, before the kernel frees its number:
 * announced at exit, another thread's open could take the number and be
 * announced first, and the engine would see the new fd replace the old one
 * and then the close end the new one (busy.c under SIGKILL showed it). a1
 * says it was announced.
 */
SEC("tracepoint/syscalls/sys_enter_close")
int enter_close(struct trace_event_raw_sys_enter *ctx)
{
	__s32 fd = ctx->args[0];
	bool open;

	if (!tgid_traced(bpf_get_current_pid_tgid() >> 32))
		return 0;
	open = fdtable_file(current_fdtable(), fd) != NULL;
	if (open)
		emit_close(fd);
	return save_args_any(LS_SYS_CLOSE, fd, open, 0, 0);
}

SEC("tracepoint/syscalls/sys_exit_close")
int exit_close(struct trace_event_raw_sys_exit *ctx)
{
	struct pending p;

	if (!take_args(LS_SYS_CLOSE, &p))
		return 0;
	/* Linux releases the fd on every error but EBADF (EINTR included);
	 * EBADF is a double close or a close of an fd never opened */
	if (ctx->ret == -EBADF) {
		emit_misuse(p.a0, LS_SYS_CLOSE);
		return 0;
	}
	/* not open at the enter, yet closed: another thread made it meanwhile */
	if (!p.a1)
		emit_close(p.a0);
	return 0;
}

static __always_inline void emit_close_range(__u32 first, __u32 last, __u32 flags)
{
	struct ls_close_range *e = event_reserve(sizeof(*e), LS_EV_CLOSE_RANGE);

	if (!e)
		return;
	e->first = first;
	e->last = last;
	e->flags = flags;
	e->pad = 0;
	event_submit(e);
}

/*
 * Like close: a plain close_range (no flags, first <= last), which cannot
 * fail, is announced before it frees any number another thread could take.
 * With flags it is announced at exit, once it succeeded (CLOSE_RANGE_UNSHARE
 * closes in a table no other thread shares; CLOSE_RANGE_CLOEXEC frees none).
 */
SEC("tracepoint/syscalls/sys_enter_close_range")
int enter_close_range(struct trace_event_raw_sys_enter *ctx)
{
	__u32 first = ctx->args[0], last = ctx->args[1], flags = ctx->args[2];

	if (flags == 0 && first <= last) {
		if (tgid_traced(bpf_get_current_pid_tgid() >> 32))
			emit_close_range(first, last, 0);
		return 0;
	}
	return save_args(LS_SYS_CLOSE_RANGE, first, last, flags, 0);
}

SEC("tracepoint/syscalls/sys_exit_close_range")
int exit_close_range(struct trace_event_raw_sys_exit *ctx)
{
	struct pending p;

	if (!take_args(LS_SYS_CLOSE_RANGE, &p) || ctx->ret != 0)
		return 0;
	emit_close_range((__u32)p.a0, (__u32)p.a1, (__u32)p.a2);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_dup")
int enter_dup(struct trace_event_raw_sys_enter *ctx)
{
	return save_args(LS_SYS_DUP, ctx->args[0], 0, 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_dup2")
int enter_dup2(struct trace_event_raw_sys_enter *ctx)
{
	return save_args(LS_SYS_DUP2, ctx->args[0], ctx->args[1], 0, 0);
}

SEC("tracepoint/syscalls/sys_enter_dup3")
int enter_dup3(struct trace_event_raw_sys_enter *ctx)
{
	return save_args(LS_SYS_DUP3, ctx->args[0], ctx->args[1], ctx->args[2], 0);
}

static __always_inline int on_dup_exit(struct trace_event_raw_sys_exit *ctx, __u16 syscall)
{
	struct pending p;

	if (!take_args(syscall, &p) || ctx->ret < 0)
		return 0;
	emit_user_stack(p.syscall, 1);
	emit_fd_create(ctx->ret, p.syscall, p.a0, -1);
	return 0;
}

EXIT_VIA(dup, on_dup_exit, LS_SYS_DUP)

EXIT_VIA(dup2, on_dup_exit, LS_SYS_DUP2)

EXIT_VIA(dup3, on_dup_exit, LS_SYS_DUP3)

/* Only the fcntl commands that change the fd table are saved: F_SETLKW blocks. */
SEC("tracepoint/syscalls/sys_enter_fcntl")
int enter_fcntl(struct trace_event_raw_sys_enter *ctx)
{
	long cmd = ctx->args[1];

	if (cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC && cmd != F_SETFD)
		return 0;
	return save_args(LS_SYS_FCNTL, ctx->args[0], cmd, ctx->args[2], 0);
}

SEC("tracepoint/syscalls/sys_exit_fcntl")
int exit_fcntl(struct trace_event_raw_sys_exit *ctx)
{
	struct ls_fd_setfd *e;
	struct pending p;

	if (!take_args(LS_SYS_FCNTL, &p) || ctx->ret < 0)
		return 0;
	if (p.a1 != F_SETFD) {
		emit_user_stack(LS_SYS_FCNTL, 1);
		emit_fd_create(ctx->ret, LS_SYS_FCNTL, p.a0, -1);
		return 0;
	}
	e = event_reserve(sizeof(*e), LS_EV_FD_SETFD);
	if (!e)
		return 0;
	e->fd = p.a0;
	e->fd_flags = (p.a2 & FD_CLOEXEC) ? LS_FD_CLOEXEC : 0;
	event_submit(e);
	return 0;
}

/*
 * Syscalls whose return value is a new fd only for some arguments:
 * signalfd on an existing fd returns that fd; landlock_create_ruleset with
 * flags returns an ABI version; bpf returns fds for some commands only.
 */
static __always_inline int on_joined_fd_exit(struct trace_event_raw_sys_exit *ctx, __u16 syscall)
{
	struct pending p;

	if (!take_args(syscall, &p) || ctx->ret < 0)
		return 0;
	emit_user_stack(syscall, 1);
	emit_fd_create(ctx->ret, syscall, -1, -1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_signalfd")
int enter_signalfd(struct trace_event_raw_sys_enter *ctx)
{
	if ((int)ctx->args[0] != -1)
		return 0;
	return save_args(LS_SYS_SIGNALFD, 0, 0, 0, 0);
}

EXIT_VIA(signalfd, on_joined_fd_exit, LS_SYS_SIGNALFD)

SEC("tracepoint/syscalls/sys_enter_signalfd4")
int enter_signalfd4(struct trace_event_raw_sys_enter *ctx)
{
	if ((int)ctx->args[0] != -1)
		return 0;
	return save_args(LS_SYS_SIGNALFD4, 0, 0, 0, 0);
}

EXIT_VIA(signalfd4, on_joined_fd_exit, LS_SYS_SIGNALFD4)

SEC("tracepoint/syscalls/sys_enter_landlock_create_ruleset")
int enter_landlock_create_ruleset(struct trace_event_raw_sys_enter *ctx)
{
	if (ctx->args[2] != 0) /* LANDLOCK_CREATE_RULESET_VERSION/ERRATA: no fd */
		return 0;
	return save_args(LS_SYS_LANDLOCK_CREATE_RULESET, 0, 0, 0, 0);
}

EXIT_VIA(landlock_create_ruleset, on_joined_fd_exit, LS_SYS_LANDLOCK_CREATE_RULESET)

/* bpf(2) commands that return a new fd (enum bpf_cmd) */
static __always_inline bool bpf_cmd_returns_fd(long cmd)
{
	switch (cmd) {
	case 0:  /* BPF_MAP_CREATE */
	case 5:  /* BPF_PROG_LOAD */
	case 7:  /* BPF_OBJ_GET */
	case 13: /* BPF_PROG_GET_FD_BY_ID */
	case 14: /* BPF_MAP_GET_FD_BY_ID */
	case 17: /* BPF_RAW_TRACEPOINT_OPEN */
	case 18: /* BPF_BTF_LOAD */
	case 19: /* BPF_BTF_GET_FD_BY_ID */
	case 28: /* BPF_LINK_CREATE */
	case 30: /* BPF_LINK_GET_FD_BY_ID */
	case 32: /* BPF_ENABLE_STATS */
	case 33: /* BPF_ITER_CREATE */
	case 36: /* BPF_TOKEN_CREATE */
		return true;
	}
	return false;
}

SEC("tracepoint/syscalls/sys_enter_bpf")
int enter_bpf(struct trace_event_raw_sys_enter *ctx)
{
	if (!bpf_cmd_returns_fd(ctx->args[0]))
		return 0;
	return save_args(LS_SYS_BPF, 0, 0, 0, 0);
}

EXIT_VIA(bpf, on_joined_fd_exit, LS_SYS_BPF)

/* seccomp's SECCOMP_SET_MODE_FILTER with NEW_LISTENER returns the listener
 * (with TSYNC it could return a thread id, but the kernel refuses NEW_LISTENER
 * with TSYNC unless TSYNC_ESRCH, which returns no thread id). */
#define SECCOMP_SET_MODE_FILTER 1
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)

SEC("tracepoint/syscalls/sys_enter_seccomp")
int enter_seccomp(struct trace_event_raw_sys_enter *ctx)
{
	if (ctx->args[0] != SECCOMP_SET_MODE_FILTER ||
	    !(ctx->args[1] & SECCOMP_FILTER_FLAG_NEW_LISTENER))
		return 0;
	return save_args(LS_SYS_SECCOMP, 0, 0, 0, 0);
}

EXIT_VIA(seccomp, on_joined_fd_exit, LS_SYS_SECCOMP)

/*
 * clone and clone3 with CLONE_PIDFD: the parent's new pidfd is written to
 * user memory (clone: where parent_tid points; clone3: clone_args.pidfd).
 * The kernel installs it after copying the fd table, so the child does not
 * have it; only the parent's exit (the child's pid returned) reads it.
 */
#define CLONE_PIDFD 0x1000

SEC("tracepoint/syscalls/sys_enter_clone")
int enter_clone(struct trace_event_raw_sys_enter *ctx)
{
	if (!(ctx->args[0] & CLONE_PIDFD))
		return 0;
	return save_args(LS_SYS_CLONE, 0, 0, 0, ctx->args[2]);
}

/* every thread and fork of glibc comes here: traced processes only read */
SEC("tracepoint/syscalls/sys_enter_clone3")
int enter_clone3(struct trace_event_raw_sys_enter *ctx)
{
	__u64 head[2]; /* struct clone_args: flags, pidfd */

	if (!current_traced())
		return 0;
	if (bpf_probe_read_user(head, sizeof(head), (void *)ctx->args[0]) ||
	    !(head[0] & CLONE_PIDFD))
		return 0;
	return save_args(LS_SYS_CLONE3, 0, 0, 0, head[1]);
}

/* The new fd was written where the saved pointer points. A clone's child
 * has no saved arguments of its own: only the parent's exit comes here. */
static __always_inline int on_fd_written_exit(struct trace_event_raw_sys_exit *ctx,
					      __u16 syscall)
{
	struct pending p;
	int fd;

	if (!take_args(syscall, &p) || ctx->ret < 0)
		return 0;
	if (bpf_probe_read_user(&fd, sizeof(fd), (void *)p.uptr))
		return 0;
	emit_user_stack(syscall, 1);
	emit_fd_create(fd, syscall, -1, -1);
	return 0;
}

EXIT_VIA(clone, on_fd_written_exit, LS_SYS_CLONE)

EXIT_VIA(clone3, on_fd_written_exit, LS_SYS_CLONE3)

/* getsockopt(SOL_SOCKET, SO_PEERPIDFD) installs a pidfd of the peer and
 * writes it to the option buffer. */
#define SO_PEERPIDFD 77

SEC("tracepoint/syscalls/sys_enter_getsockopt")
int enter_getsockopt(struct trace_event_raw_sys_enter *ctx)
{
	if (ctx->args[1] != SOL_SOCKET || ctx->args[2] != SO_PEERPIDFD)
		return 0;
	return save_args(LS_SYS_GETSOCKOPT, 0, 0, 0, ctx->args[3]);
}

EXIT_VIA(getsockopt, on_fd_written_exit, LS_SYS_GETSOCKOPT)

/* pipe, pipe2, socketpair: the two new fds are written to user memory. */
static __always_inline int on_fd_pair_exit(struct trace_event_raw_sys_exit *ctx, __u16 syscall)
{
	struct pending p;
	int fds[2];

	if (!take_args(syscall, &p) || ctx->ret < 0)
		return 0;
	if (bpf_probe_read_user(fds, sizeof(fds), (void *)p.uptr))
		return 0;
	emit_user_stack(p.syscall, 2);
	emit_fd_create(fds[0], p.syscall, -1, fds[1]);
	emit_fd_create(fds[1], p.syscall, -1, fds[0]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_pipe")
int enter_pipe(struct trace_event_raw_sys_enter *ctx)
{
	return save_args(LS_SYS_PIPE, 0, 0, 0, ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_pipe2")
int enter_pipe2(struct trace_event_raw_sys_enter *ctx)
{
	return save_args(LS_SYS_PIPE2, 0, ctx->args[1], 0, ctx->args[0]);
}

SEC("tracepoint/syscalls/sys_enter_socketpair")
int enter_socketpair(struct trace_event_raw_sys_enter *ctx)
{
	return save_args(LS_SYS_SOCKETPAIR, 0, 0, 0, ctx->args[3]);
}

EXIT_VIA(pipe, on_fd_pair_exit, LS_SYS_PIPE)

EXIT_VIA(pipe2, on_fd_pair_exit, LS_SYS_PIPE2)

EXIT_VIA(socketpair, on_fd_pair_exit, LS_SYS_SOCKETPAIR)

#endif /* LEAKSCOPE_FD_PROBES_BPF_H */
