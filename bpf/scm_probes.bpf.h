// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* fds passed over unix sockets (SCM_RIGHTS): received with recvmsg and
 * recvmmsg, sent with sendmsg and sendmmsg. */
#ifndef LEAKSCOPE_SCM_PROBES_BPF_H
#define LEAKSCOPE_SCM_PROBES_BPF_H

#define SCM_RIGHTS 1
#define CMSG_HDR_LEN 16  /* struct cmsghdr on 64-bit: len, level, type */
#define MMSGHDR_SIZE 64  /* struct mmsghdr on 64-bit: msghdr, msg_len, padding */
#define MMSG_MAX 8       /* sendmmsg: messages looked at per call */
#define UIO_MAXIOV 1024  /* recvmmsg: the most messages one call receives */

/*
 * recvmsg and recvmmsg with SCM_RIGHTS: the fds the kernel installed are in
 * the control message it wrote back. Only their numbers come from user
 * memory; what each one is comes from the fd table, as for every other fd.
 */

struct scm_walk {
	__u64 data;      /* user address of the fd array */
	__u32 nfds;
	__u16 syscall;
};

static long scm_emit_one(__u32 i, void *ctx)
{
	struct scm_walk *w = ctx;
	int fd;

	if (i >= w->nfds)
		return 1;
	if (bpf_probe_read_user(&fd, sizeof(fd), (void *)(w->data + i * sizeof(int))))
		return 1;
	emit_fd_create(fd, w->syscall, -1, -1);
	return 0;
}

/* A global function: verified once for recvmsg and each recvmmsg message. */
__noinline int emit_scm_received(__u64 msg_uaddr, __u32 syscall)
{
	struct user_msghdr msg;
	struct scm_walk w = {};
	__u64 control, cmsg_len;
	__u32 level_type[2];

	if (bpf_probe_read_user(&msg, sizeof(msg), (void *)msg_uaddr))
		return 0;
	control = (__u64)msg.msg_control;
	/* the kernel wrote back how much control data it filled in */
	if (!control || msg.msg_controllen < CMSG_HDR_LEN)
		return 0;
	/* the first control message: where SCM_RIGHTS is in practice */
	if (bpf_probe_read_user(&cmsg_len, sizeof(cmsg_len), (void *)control) ||
	    bpf_probe_read_user(level_type, sizeof(level_type), (void *)(control + 8)))
		return 0;
	if (level_type[0] != SOL_SOCKET || level_type[1] != SCM_RIGHTS || cmsg_len < CMSG_HDR_LEN)
		return 0;
	w.data = control + CMSG_HDR_LEN;
	w.nfds = (cmsg_len - CMSG_HDR_LEN) / sizeof(int);
	w.syscall = syscall;
	if (w.nfds > LS_SCM_MAX_FDS) {
		stat_inc(LS_STAT_JOIN_FULL);
		w.nfds = LS_SCM_MAX_FDS;
	}
	if (w.nfds)
		emit_user_stack(syscall, w.nfds);
	bpf_loop(LS_SCM_MAX_FDS, scm_emit_one, &w, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_recvmsg")
int enter_recvmsg(struct trace_event_raw_sys_enter *ctx)
{
	note_use(ctx->args[0], LS_SYS_RECVMSG);
	return save_args(LS_SYS_RECVMSG, ctx->args[0], 0, 0, ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int exit_recvmsg(struct trace_event_raw_sys_exit *ctx)
{
	struct pending p;

	if (!take_args(LS_SYS_RECVMSG, &p) || ctx->ret < 0)
		return 0;
	return emit_scm_received(p.uptr, LS_SYS_RECVMSG);
}

/* Its use is counted by the access probes (a program of their own). */
SEC("tracepoint/syscalls/sys_enter_recvmmsg")
int enter_recvmmsg(struct trace_event_raw_sys_enter *ctx)
{
	return save_args(LS_SYS_RECVMMSG, ctx->args[0], 0, 0, ctx->args[1]);
}

struct mmsg_recv_walk {
	__u64 vec;   /* user address of struct mmsghdr[] */
	__u32 n;     /* messages received */
};

static long mmsg_recv_one(__u32 i, void *ctx)
{
	struct mmsg_recv_walk *w = ctx;

	if (i >= w->n)
		return 1;
	emit_scm_received(w->vec + i * MMSGHDR_SIZE, LS_SYS_RECVMMSG);
	return 0;
}

/* ret messages were received (at most UIO_MAXIOV), each with its own
 * control data. */
SEC("tracepoint/syscalls/sys_exit_recvmmsg")
int exit_recvmmsg(struct trace_event_raw_sys_exit *ctx)
{
	struct mmsg_recv_walk w = {};
	struct pending p;

	if (!take_args(LS_SYS_RECVMMSG, &p) || ctx->ret <= 0)
		return 0;
	w.vec = p.uptr;
	w.n = ctx->ret;
	bpf_loop(UIO_MAXIOV, mmsg_recv_one, &w, 0);
	return 0;
}

/*
 * Sending: read at the syscall's enter, before the message is queued, so
 * that no receiver can report the fds before the send is reported
 * (events.h); a call that fails reports so at its exit. The fd numbers come
 * from user memory, what each one is from the sender's fd table, where the
 * message goes from the socket: a connected socket's peer, or not followed
 * for a datagram sent to an address.
 * A global function: verified once for sendmsg and each sendmmsg message.
 * Returns 1 if it reported rights.
 */
__noinline int emit_scm_send(int sock_fd, __u64 msg_uaddr, __u32 msg_index, __u64 call_ns,
			     __u32 syscall)
{
	struct fdtable *fdt = current_fdtable();
	struct user_msghdr msg;
	struct ls_scm_send *e;
	struct file *sf;
	struct sock *sk;
	__u64 control, cmsg_len, data;
	__u32 level_type[2], nfds, i;

	if (bpf_probe_read_user(&msg, sizeof(msg), (void *)msg_uaddr))
		return 0;
	control = (__u64)msg.msg_control;
	if (!control || msg.msg_controllen < CMSG_HDR_LEN)
		return 0;
	/* the first control message: where SCM_RIGHTS is in practice */
	if (bpf_probe_read_user(&cmsg_len, sizeof(cmsg_len), (void *)control) ||
	    bpf_probe_read_user(level_type, sizeof(level_type), (void *)(control + 8)))
		return 0;
	if (level_type[0] != SOL_SOCKET || level_type[1] != SCM_RIGHTS || cmsg_len < CMSG_HDR_LEN)
		return 0;
	sf = fdtable_file(fdt, sock_fd);
	sk = sf ? file_sock(sf) : NULL;
	if (!sk || BPF_CORE_READ(sk, __sk_common.skc_family) != AF_UNIX)
		return 0;
	e = event_reserve(sizeof(*e), LS_EV_SCM_SEND);
	if (!e)
		return 0;
	__builtin_memset((char *)e + sizeof(e->hdr), 0, sizeof(*e) - sizeof(e->hdr));
	e->sock_id = (__u64)sk;
	if (!msg.msg_name || !msg.msg_namelen)
		e->peer_sock_id = unix_peer(sk);
	e->call_ns = call_ns;
	e->sock_fd = sock_fd;
	e->syscall = syscall;
	e->phase = LS_SCM_SENT;
	e->msg_index = msg_index;
	nfds = (cmsg_len - CMSG_HDR_LEN) / sizeof(int);
	if (nfds > LS_SCM_MAX_FDS) {
		stat_inc(LS_STAT_JOIN_FULL);
		e->truncated = 1;
		nfds = LS_SCM_MAX_FDS;
	}
	data = control + CMSG_HDR_LEN;
	for (i = 0; i < LS_SCM_MAX_FDS && i < nfds; i++) {
		int fd;

		if (bpf_probe_read_user(&fd, sizeof(fd), (void *)(data + i * sizeof(int))))
			break;
		e->rights[i].fd = fd;
		e->rights[i].file_id = (__u64)fdtable_file(fdt, fd);
		e->nfds = i + 1;
	}
	event_submit(e);
	return 1;
}

SEC("tracepoint/syscalls/sys_enter_sendmsg")
int enter_sendmsg(struct trace_event_raw_sys_enter *ctx)
{
	__u64 now;

	if (!current_traced())
		return 0;
	now = bpf_ktime_get_ns();
	/* joined at exit only when rights were reported: a2 = messages looked at */
	if (emit_scm_send(ctx->args[0], ctx->args[1], 0, now, LS_SYS_SENDMSG))
		save_args(LS_SYS_SENDMSG, ctx->args[0], now, 1, 0);
	return 0;
}

struct mmsg_walk {
	__u64 vec;     /* user address of struct mmsghdr[] */
	__u64 call_ns;
	__s32 fd;
	__u32 vlen;
	__u32 emitted;
};

static long mmsg_emit_one(__u32 i, void *ctx)
{
	struct mmsg_walk *w = ctx;

	if (i >= w->vlen)
		return 1;
	w->emitted += emit_scm_send(w->fd, w->vec + i * MMSGHDR_SIZE, i, w->call_ns,
				    LS_SYS_SENDMMSG);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sendmmsg")
int enter_sendmmsg(struct trace_event_raw_sys_enter *ctx)
{
	struct mmsg_walk w = {};

	if (!current_traced())
		return 0;
	w.fd = ctx->args[0];
	w.vec = ctx->args[1];
	w.vlen = ctx->args[2] < MMSG_MAX ? ctx->args[2] : MMSG_MAX;
	w.call_ns = bpf_ktime_get_ns();
	bpf_loop(MMSG_MAX, mmsg_emit_one, &w, 0);
	if (w.emitted)
		save_args(LS_SYS_SENDMMSG, w.fd, w.call_ns, w.vlen, 0);
	return 0;
}

/* sendmsg returns bytes, sendmmsg messages; an error sent nothing. */
static __always_inline int on_scm_send_exit(struct trace_event_raw_sys_exit *ctx, __u16 syscall)
{
	struct ls_scm_send *e;
	struct pending p;
	long sent = 0;

	if (!take_args(syscall, &p))
		return 0;
	if (ctx->ret >= 0)
		sent = syscall == LS_SYS_SENDMSG ? 1 : ctx->ret;
	if (sent >= p.a2)
		return 0;
	/* the fixed part only: a failure names no rights */
	e = event_reserve(offsetof(struct ls_scm_send, rights), LS_EV_SCM_SEND);
	if (!e)
		return 0;
	__builtin_memset((char *)e + sizeof(e->hdr), 0,
			 offsetof(struct ls_scm_send, rights) - sizeof(e->hdr));
	e->call_ns = p.a1;
	e->sock_fd = p.a0;
	e->syscall = syscall;
	e->phase = LS_SCM_FAILED;
	e->msgs_sent = sent;
	event_submit(e);
	return 0;
}

EXIT_VIA(sendmsg, on_scm_send_exit, LS_SYS_SENDMSG)

EXIT_VIA(sendmmsg, on_scm_send_exit, LS_SYS_SENDMMSG)

#endif /* LEAKSCOPE_SCM_PROBES_BPF_H */
