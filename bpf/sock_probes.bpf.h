// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Socket endpoints after bind/connect/listen, and TCP states. */
#ifndef LEAKSCOPE_SOCK_PROBES_BPF_H
#define LEAKSCOPE_SOCK_PROBES_BPF_H

/* --- socket endpoints and states ------------------------------------------ */

/* After bind, connect or listen: the socket's endpoints (and unix peer) now. */
static __always_inline void emit_sock_update(int fd)
{
	struct file *f = fdtable_file(current_fdtable(), fd);
	struct ls_sock_update *e;
	struct sock *sk;
	__u16 family;

	if (!f)
		return;
	sk = file_sock(f);
	if (!sk)
		return;
	e = event_reserve(sizeof(*e), LS_EV_SOCK_UPDATE);
	if (!e)
		return;
	__builtin_memset((char *)e + sizeof(e->hdr), 0, sizeof(*e) - sizeof(e->hdr));
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->sock_id = (__u64)sk;
	e->fd = fd;
	e->protocol = BPF_CORE_READ(sk, sk_protocol);
	if (family == AF_UNIX)
		e->peer_sock_id = unix_peer(sk);
	else
		read_endpoints(sk, family, &e->local, &e->remote);
	if ((family == AF_INET || family == AF_INET6) && e->protocol == IPPROTO_TCP)
		e->new_state = e->old_state = BPF_CORE_READ(sk, __sk_common.skc_state);
	event_submit(e);
}

#define SOCK_CALL(name, sys)                                              \
	SEC("tracepoint/syscalls/sys_enter_" #name)                       \
	int enter_##name(struct trace_event_raw_sys_enter *ctx)           \
	{                                                                 \
		return save_args(sys, ctx->args[0], 0, 0, 0);             \
	}                                                                 \
	SEC("tracepoint/syscalls/sys_exit_" #name)                        \
	int exit_##name(struct trace_event_raw_sys_exit *ctx)             \
	{                                                                 \
		struct pending p;                                         \
		/* a non-blocking connect goes on after EINPROGRESS */      \
		if (take_args(sys, &p) && (ctx->ret == 0 || ctx->ret == -EINPROGRESS)) \
			emit_sock_update(p.a0);                           \
		return 0;                                                 \
	}

SOCK_CALL(bind, LS_SYS_BIND)
SOCK_CALL(connect, LS_SYS_CONNECT)
SOCK_CALL(listen, LS_SYS_LISTEN)

/* TCP state changes, wherever they happen, for the sockets of traced processes. */
SEC("tracepoint/sock/inet_sock_set_state")
int on_inet_sock_set_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	__u64 id = (__u64)ctx->skaddr;
	struct ls_sock_update *e;

	if (ctx->protocol != IPPROTO_TCP || !bpf_map_lookup_elem(&traced_socks, &id))
		return 0;
	/*
	 * Orphaned (sock_orphan: the socket's last file is gone): what it goes
	 * through from now on (FIN_WAIT2, TIME_WAIT, the end of LAST_ACK)
	 * concerns no fd, and on a server that is half of its state changes.
	 */
	if (!BPF_CORE_READ((struct sock *)ctx->skaddr, sk_socket)) {
		bpf_map_delete_elem(&traced_socks, &id);
		return 0;
	}
	e = event_reserve(sizeof(*e), LS_EV_SOCK_UPDATE);
	if (e) {
		__builtin_memset((char *)e + sizeof(e->hdr), 0, sizeof(*e) - sizeof(e->hdr));
		e->sock_id = id;
		e->fd = -1;
		e->old_state = ctx->oldstate;
		e->new_state = ctx->newstate;
		e->protocol = ctx->protocol;
		e->local.port = ctx->sport;
		e->remote.port = ctx->dport;
		/* the verifier forbids memcpy through a moved ctx pointer */
		if (ctx->family == AF_INET) {
			e->local.len = e->remote.len = 4;
			bpf_probe_read_kernel(e->local.addr, 4, ctx->saddr);
			bpf_probe_read_kernel(e->remote.addr, 4, ctx->daddr);
		} else {
			e->local.len = e->remote.len = 16;
			bpf_probe_read_kernel(e->local.addr, 16, ctx->saddr_v6);
			bpf_probe_read_kernel(e->remote.addr, 16, ctx->daddr_v6);
		}
		event_submit(e);
	}
	if (ctx->newstate == TCP_CLOSE)
		bpf_map_delete_elem(&traced_socks, &id);
	return 0;
}

#endif /* LEAKSCOPE_SOCK_PROBES_BPF_H */
