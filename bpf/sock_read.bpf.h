// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reading a socket's identity, endpoints and unix peer from struct sock. */
#ifndef LEAKSCOPE_SOCK_READ_BPF_H
#define LEAKSCOPE_SOCK_READ_BPF_H

#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define TCP_CLOSE 7
#define EINPROGRESS 115

static __always_inline void read_endpoints(struct sock *sk, __u16 family,
					   struct ls_sock_addr *local, struct ls_sock_addr *remote)
{
	local->port = BPF_CORE_READ(sk, __sk_common.skc_num);
	remote->port = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	/* explicit sizes: BPF_CORE_READ_INTO on an array reads one element */
	if (family == AF_INET) {
		local->len = remote->len = 4;
		bpf_core_read(local->addr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(remote->addr, 4, &sk->__sk_common.skc_daddr);
	} else if (family == AF_INET6) {
		local->len = remote->len = 16;
		bpf_core_read(local->addr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(remote->addr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

/* struct sock of a socket file, or NULL */
static __always_inline struct sock *file_sock(struct file *f)
{
	struct socket *sock = BPF_CORE_READ(f, private_data);

	return BPF_CORE_READ(sock, sk);
}

static __always_inline __u64 unix_peer(struct sock *sk)
{
	/* struct unix_sock begins with its struct sock */
	return (__u64)BPF_CORE_READ((struct unix_sock *)sk, peer);
}

static __always_inline void read_socket(struct ls_fd_create *e, struct file *f)
{
	struct socket *sock = BPF_CORE_READ(f, private_data);
	struct sock *sk = BPF_CORE_READ(sock, sk);
	__u8 one = 1;

	e->sock_type = BPF_CORE_READ(sock, type);
	if (!sk)
		return;
	e->sock_family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->sock_protocol = BPF_CORE_READ(sk, sk_protocol);
	e->sock_id = (__u64)sk;
	if (e->sock_family == AF_INET || e->sock_family == AF_INET6) {
		read_endpoints(sk, e->sock_family, &e->local, &e->remote);
		if (e->sock_protocol == IPPROTO_TCP)
			e->sock_state = BPF_CORE_READ(sk, __sk_common.skc_state);
	} else if (e->sock_family == AF_UNIX) {
		e->peer_sock_id = unix_peer(sk);
	}
	bpf_map_update_elem(&traced_socks, &e->sock_id, &one, BPF_ANY);
}

#endif /* LEAKSCOPE_SOCK_READ_BPF_H */
