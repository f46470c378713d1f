// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel side of leakscope: the syscalls that create and release fds, and the
 * lifecycle of the tasks that own them.
 *
 * Filter first, then do the least work: syscalls whose result is the new fd
 * need only their exit hook (the file is read from the fd table there); the
 * others save their arguments per thread at enter and are joined at exit, so a
 * failed call produces nothing.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "events.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Set by userspace between open and load. */
const volatile __u32 filter_mode = LS_FILTER_ALL; /* enum ls_filter_mode */
const volatile bool follow_children = true;        /* LS_FILTER_TGIDS: add children at fork */
const volatile __u64 filter_cgroup_id = 0;         /* LS_FILTER_CGROUP: the subtree's root... */
const volatile __u32 filter_cgroup_level = 0;      /* ...and its depth below the v2 root */
const volatile __u32 self_tgid = 0;                /* never trace leakscope itself */
const volatile __u64 wakeup_bytes = 256 * 1024;

#define PF_KTHREAD 0x00200000
#define PIPEFS_MAGIC 0x50495045
#define F_DUPFD 0
#define F_SETFD 2
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1
#define EBADF 9
#define PATH_DEPTH 40
#define ANON_PREFIX "anon_inode:"
#define ANON_PREFIX_LEN 11

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* resized by userspace before load */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} traced_tgids SEC(".maps");

/* Sockets of traced processes: state changes arrive in any context (a FIN
 * in softirq), so they are matched by socket, not by the current task. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, __u8);
} traced_socks SEC(".maps");

/* Traced processes that exited and are not reaped yet (zombies). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} unreaped_tgids SEC(".maps");

/* Arguments saved at syscall enter, keyed by thread id. */
struct pending {
	__u16 syscall; /* enum ls_syscall */
	__u16 pad;
	__s32 a0;
	__s64 a1;
	__s64 a2;
	__u64 uptr; /* user pointer: int[2] for pipe/socketpair */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct pending);
} pending_args SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LS_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* Paths are assembled right to left; twice the size keeps masked offsets in bounds. */
struct path_buf {
	char buf[LS_PATH_MAX * 2];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct path_buf);
} path_scratch SEC(".maps");

static __always_inline void stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		(*v)++;
}

/* tgid is the current task's: the cgroup filter looks at the current task. */
static __always_inline bool tgid_traced(__u32 tgid)
{
	if (tgid == self_tgid)
		return false;
	switch (filter_mode) {
	case LS_FILTER_TGIDS:
		return bpf_map_lookup_elem(&traced_tgids, &tgid) != NULL;
	case LS_FILTER_CGROUP:
		/* in the subtree: its ancestor at the root's depth is the root */
		return bpf_get_current_ancestor_cgroup_id(filter_cgroup_level) == filter_cgroup_id;
	}
	return true;
}

static __always_inline bool current_traced(void)
{
	return tgid_traced(bpf_get_current_pid_tgid() >> 32);
}

static __always_inline void *event_reserve(__u32 size, __u16 type)
{
	struct ls_event_header *h = bpf_ringbuf_reserve(&events, size, 0);
	__u64 id;

	if (!h) {
		stat_inc(LS_STAT_LOST);
		return NULL;
	}
	id = bpf_get_current_pid_tgid();
	h->type = type;
	h->size = size;
	h->cpu = bpf_get_smp_processor_id();
	h->ts_ns = bpf_ktime_get_ns();
	h->tgid = id >> 32;
	h->tid = (__u32)id;
	h->cgroup_id = bpf_get_current_cgroup_id();
	return h;
}

/* Wake the consumer only once a batch has queued up; it also drains on a timer. */
static __always_inline void event_submit(void *e)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(e, flags);
	stat_inc(LS_STAT_EVENTS);
}

static __always_inline struct fdtable *current_fdtable(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();

	return BPF_CORE_READ(task, files, fdt);
}

static __always_inline struct file *fdtable_file(struct fdtable *fdt, int fd)
{
	struct file **files;
	struct file *f = NULL;

	if (fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	files = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &files[fd]);
	return f;
}

static __always_inline bool fdtable_cloexec(struct fdtable *fdt, int fd)
{
	unsigned long *bits = BPF_CORE_READ(fdt, close_on_exec);
	unsigned long word = 0;

	bpf_probe_read_kernel(&word, sizeof(word), &bits[fd / 64]);
	return (word >> (fd % 64)) & 1;
}

struct path_walk {
	struct dentry *d;
	struct mount *mnt;
	struct path_buf *pb;
	__u32 pos;
	bool complete;
};

/* One step up: a dentry's name, or a hop from a mount's root to its mountpoint.
 * Run under bpf_loop so the verifier checks one step, not every unrolled path. */
static long path_step(__u32 i, void *ctx)
{
	struct path_walk *w = ctx;
	/* locals: CO-RE relocates field accesses on kernel types, not on path_walk */
	struct dentry *d = w->d;
	struct mount *mnt = w->mnt;
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	struct dentry *root = BPF_CORE_READ(mnt, mnt.mnt_root);
	struct path_buf *pb = w->pb;
	struct qstr name;
	__u32 n, pos = w->pos;

	if (d == root) {
		struct mount *up = BPF_CORE_READ(mnt, mnt_parent);

		if (up == mnt) {
			w->complete = true;
			return 1;
		}
		w->d = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = up;
		return 0;
	}
	/* a disconnected dentry (its own parent: memfd, pidfd) still has a
	 * name, and d_path shows it as "/name": so do we */
	name = BPF_CORE_READ(d, d_name);
	n = name.len;
	if (n + 2 > pos || pos > LS_PATH_MAX) /* keep pos >= 1: the final copy stays in bounds */
		return 1;
	pos -= n;
	bpf_probe_read_kernel(&pb->buf[pos & (LS_PATH_MAX - 1)], n & (LS_PATH_MAX - 1), name.name);
	pos -= 1;
	pb->buf[pos & (LS_PATH_MAX - 1)] = '/';
	w->pos = pos;
	w->d = parent;
	if (d == parent) {
		w->complete = true;
		return 1;
	}
	return 0;
}

/* The path as /proc/PID/fd shows it, walked up through dentries and mounts. */
static __always_inline void read_path(char *path, __u16 *path_len, __u8 *truncated,
				      struct file *f)
{
	struct vfsmount *vmnt = BPF_CORE_READ(f, f_path.mnt);
	struct path_walk w = {
		.d = BPF_CORE_READ(f, f_path.dentry),
		.mnt = (void *)vmnt - bpf_core_field_offset(struct mount, mnt),
		.pos = LS_PATH_MAX,
	};
	__u32 zero = 0, n;

	w.pb = bpf_map_lookup_elem(&path_scratch, &zero);
	if (!w.pb)
		return;
	bpf_loop(PATH_DEPTH, path_step, &w, 0);
	if (w.pos == LS_PATH_MAX) {
		w.pos -= 1;
		w.pb->buf[w.pos & (LS_PATH_MAX - 1)] = '/';
	}
	/* pos >= 1 here, so n < LS_PATH_MAX and the mask changes nothing */
	n = (LS_PATH_MAX - w.pos) & (LS_PATH_MAX - 1);
	bpf_probe_read_kernel(path, n, &w.pb->buf[w.pos & (LS_PATH_MAX - 1)]);
	*path_len = n;
	*truncated = !w.complete;
}

/* Pseudo files (eventfd, epoll, ...) are named "anon_inode:[name]". */
static __always_inline void read_anon_name(struct ls_fd_create *e, struct file *f)
{
	const unsigned char *name = BPF_CORE_READ(f, f_path.dentry, d_name.name);
	long n;

	__builtin_memcpy(e->path, ANON_PREFIX, ANON_PREFIX_LEN);
	n = bpf_probe_read_kernel_str(&e->path[ANON_PREFIX_LEN], LS_PATH_MAX - ANON_PREFIX_LEN, name);
	/* userspace tells eventfd from epoll etc. by this name */
	if (n > 0)
		e->path_len = ANON_PREFIX_LEN + n - 1;
}

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

/*
 * Emit LS_EV_FD_CREATE for an fd that the current task has just installed.
 * A global function: verified once, not once per caller (and per fd of an
 * SCM_RIGHTS message).
 */
__noinline int emit_fd_create(int fd, int syscall, int src_fd, int peer_fd)
{
	struct fdtable *fdt = current_fdtable();
	struct ls_fd_create *e;
	struct inode *inode;
	struct file *f;

	e = event_reserve(sizeof(*e), LS_EV_FD_CREATE);
	if (!e)
		return 0;
	e->fd = fd;
	e->src_fd = src_fd;
	e->peer_fd = peer_fd;
	e->syscall = syscall;
	e->res_type = LS_RES_UNKNOWN;
	e->fd_flags = 0;
	e->file_flags = 0;
	e->mode = 0;
	e->dev = 0;
	e->ino = 0;
	e->file_id = 0;
	e->sock_family = 0;
	e->sock_type = 0;
	e->sock_protocol = 0;
	e->sock_id = 0;
	e->peer_sock_id = 0;
	__builtin_memset(&e->local, 0, sizeof(e->local));
	__builtin_memset(&e->remote, 0, sizeof(e->remote));
	e->sock_state = 0;
	__builtin_memset(e->pad2, 0, sizeof(e->pad2));
	e->path_len = 0;
	e->path_truncated = 0;
	e->fs_magic = 0;
	__builtin_memset(e->pad, 0, sizeof(e->pad));

	/* Another thread may close the fd before we look: then we know less. */
	f = fdtable_file(fdt, fd);
	if (f) {
		inode = BPF_CORE_READ(f, f_inode);
		e->file_id = (__u64)f;
		e->file_flags = BPF_CORE_READ(f, f_flags);
		e->mode = BPF_CORE_READ(inode, i_mode);
		e->ino = BPF_CORE_READ(inode, i_ino);
		e->dev = BPF_CORE_READ(inode, i_sb, s_dev);
		e->fs_magic = BPF_CORE_READ(inode, i_sb, s_magic);
		e->res_type = ls_res_type_of_mode(e->mode, e->fs_magic == PIPEFS_MAGIC);
		if (fdtable_cloexec(fdt, fd))
			e->fd_flags |= LS_FD_CLOEXEC;
		switch (e->res_type) {
		case LS_RES_SOCKET:
			read_socket(e, f);
			break;
		case LS_RES_ANON:
			read_anon_name(e, f);
			break;
		case LS_RES_PIPE:
			break;
		default:
			read_path(e->path, &e->path_len, &e->path_truncated, f);
			break;
		}
	}
	event_submit(e);
	return 0;
}

/* --- syscalls whose return value is the new fd: exit hook only ---------- */

static __always_inline int on_fd_returned(struct trace_event_raw_sys_exit *ctx, __u16 syscall)
{
	if (ctx->ret < 0 || !current_traced())
		return 0;
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

/* --- syscalls joined enter → exit ---------------------------------------- */

static __always_inline int save_args(__u16 syscall, __s32 a0, __s64 a1, __s64 a2, __u64 uptr)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct pending p = {
		.syscall = syscall, .a0 = a0, .a1 = a1, .a2 = a2, .uptr = uptr,
	};

	if (!tgid_traced(id >> 32))
		return 0;
	if (bpf_map_update_elem(&pending_args, &tid, &p, BPF_ANY))
		stat_inc(LS_STAT_JOIN_FULL);
	return 0;
}

/*
 * Returns the saved arguments (copied out) if this thread's enter of the same
 * syscall was saved. An entry of another syscall is stale (its exit was never
 * seen, e.g. the probes were attached in between) and is dropped.
 */
static __always_inline bool take_args(__u16 syscall, struct pending *out)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&pending_args, &tid);
	bool match;

	if (!p)
		return false;
	*out = *p;
	match = p->syscall == syscall;
	bpf_map_delete_elem(&pending_args, &tid);
	return match;
}

SEC("tracepoint/syscalls/sys_enter_close")
int enter_close(struct trace_event_raw_sys_enter *ctx)
{
	return save_args(LS_SYS_CLOSE, ctx->args[0], 0, 0, 0);
}

SEC("tracepoint/syscalls/sys_exit_close")
int exit_close(struct trace_event_raw_sys_exit *ctx)
{
	struct ls_fd_close *e;
	struct pending p;

	/* Linux releases the fd on every error but EBADF (EINTR included). */
	if (!take_args(LS_SYS_CLOSE, &p) || ctx->ret == -EBADF)
		return 0;
	e = event_reserve(sizeof(*e), LS_EV_FD_CLOSE);
	if (!e)
		return 0;
	e->fd = p.a0;
	e->syscall = LS_SYS_CLOSE;
	e->pad = 0;
	event_submit(e);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_close_range")
int enter_close_range(struct trace_event_raw_sys_enter *ctx)
{
	return save_args(LS_SYS_CLOSE_RANGE, ctx->args[0], ctx->args[1], ctx->args[2], 0);
}

SEC("tracepoint/syscalls/sys_exit_close_range")
int exit_close_range(struct trace_event_raw_sys_exit *ctx)
{
	struct ls_close_range *e;
	struct pending p;

	if (!take_args(LS_SYS_CLOSE_RANGE, &p) || ctx->ret != 0)
		return 0;
	e = event_reserve(sizeof(*e), LS_EV_CLOSE_RANGE);
	if (!e)
		return 0;
	e->first = (__u32)p.a0;
	e->last = (__u32)p.a1;
	e->flags = (__u32)p.a2;
	e->pad = 0;
	event_submit(e);
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
	emit_fd_create(ctx->ret, p.syscall, p.a0, -1);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_dup")
int exit_dup(struct trace_event_raw_sys_exit *ctx)
{
	return on_dup_exit(ctx, LS_SYS_DUP);
}

SEC("tracepoint/syscalls/sys_exit_dup2")
int exit_dup2(struct trace_event_raw_sys_exit *ctx)
{
	return on_dup_exit(ctx, LS_SYS_DUP2);
}

SEC("tracepoint/syscalls/sys_exit_dup3")
int exit_dup3(struct trace_event_raw_sys_exit *ctx)
{
	return on_dup_exit(ctx, LS_SYS_DUP3);
}

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

SEC("tracepoint/syscalls/sys_exit_signalfd")
int exit_signalfd(struct trace_event_raw_sys_exit *ctx)
{
	return on_joined_fd_exit(ctx, LS_SYS_SIGNALFD);
}

SEC("tracepoint/syscalls/sys_enter_signalfd4")
int enter_signalfd4(struct trace_event_raw_sys_enter *ctx)
{
	if ((int)ctx->args[0] != -1)
		return 0;
	return save_args(LS_SYS_SIGNALFD4, 0, 0, 0, 0);
}

SEC("tracepoint/syscalls/sys_exit_signalfd4")
int exit_signalfd4(struct trace_event_raw_sys_exit *ctx)
{
	return on_joined_fd_exit(ctx, LS_SYS_SIGNALFD4);
}

SEC("tracepoint/syscalls/sys_enter_landlock_create_ruleset")
int enter_landlock_create_ruleset(struct trace_event_raw_sys_enter *ctx)
{
	if (ctx->args[2] != 0) /* LANDLOCK_CREATE_RULESET_VERSION/ERRATA: no fd */
		return 0;
	return save_args(LS_SYS_LANDLOCK_CREATE_RULESET, 0, 0, 0, 0);
}

SEC("tracepoint/syscalls/sys_exit_landlock_create_ruleset")
int exit_landlock_create_ruleset(struct trace_event_raw_sys_exit *ctx)
{
	return on_joined_fd_exit(ctx, LS_SYS_LANDLOCK_CREATE_RULESET);
}

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

SEC("tracepoint/syscalls/sys_exit_bpf")
int exit_bpf(struct trace_event_raw_sys_exit *ctx)
{
	return on_joined_fd_exit(ctx, LS_SYS_BPF);
}

/*
 * recvmsg with SCM_RIGHTS: the fds the kernel installed are in the control
 * message it wrote back. Only their numbers come from user memory; what
 * each one is comes from the fd table, as for every other fd.
 */
#define SOL_SOCKET 1
#define SCM_RIGHTS 1
#define SCM_MAX_FDS 16   /* per message; more are counted as unjoined */
#define CMSG_HDR_LEN 16  /* struct cmsghdr on 64-bit: len, level, type */

struct scm_walk {
	__u64 data;      /* user address of the fd array */
	__u32 nfds;
};

static long scm_emit_one(__u32 i, void *ctx)
{
	struct scm_walk *w = ctx;
	int fd;

	if (i >= w->nfds)
		return 1;
	if (bpf_probe_read_user(&fd, sizeof(fd), (void *)(w->data + i * sizeof(int))))
		return 1;
	emit_fd_create(fd, LS_SYS_RECVMSG, -1, -1);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_recvmsg")
int enter_recvmsg(struct trace_event_raw_sys_enter *ctx)
{
	return save_args(LS_SYS_RECVMSG, ctx->args[0], 0, 0, ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int exit_recvmsg(struct trace_event_raw_sys_exit *ctx)
{
	struct user_msghdr msg;
	struct scm_walk w = {};
	struct pending p;
	__u64 control, cmsg_len;
	__u32 level_type[2];

	if (!take_args(LS_SYS_RECVMSG, &p) || ctx->ret < 0)
		return 0;
	if (bpf_probe_read_user(&msg, sizeof(msg), (void *)p.uptr))
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
	if (w.nfds > SCM_MAX_FDS) {
		stat_inc(LS_STAT_JOIN_FULL);
		w.nfds = SCM_MAX_FDS;
	}
	bpf_loop(SCM_MAX_FDS, scm_emit_one, &w, 0);
	return 0;
}

/* pipe, pipe2, socketpair: the two new fds are written to user memory. */
static __always_inline int on_fd_pair_exit(struct trace_event_raw_sys_exit *ctx, __u16 syscall)
{
	struct pending p;
	int fds[2];

	if (!take_args(syscall, &p) || ctx->ret < 0)
		return 0;
	if (bpf_probe_read_user(fds, sizeof(fds), (void *)p.uptr))
		return 0;
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

SEC("tracepoint/syscalls/sys_exit_pipe")
int exit_pipe(struct trace_event_raw_sys_exit *ctx)
{
	return on_fd_pair_exit(ctx, LS_SYS_PIPE);
}

SEC("tracepoint/syscalls/sys_exit_pipe2")
int exit_pipe2(struct trace_event_raw_sys_exit *ctx)
{
	return on_fd_pair_exit(ctx, LS_SYS_PIPE2);
}

SEC("tracepoint/syscalls/sys_exit_socketpair")
int exit_socketpair(struct trace_event_raw_sys_exit *ctx)
{
	return on_fd_pair_exit(ctx, LS_SYS_SOCKETPAIR);
}

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
	/* a0: fd, a1: prot << 32 | flags, a2: length */
	return save_args(LS_SYS_MMAP, ctx->args[4], (ctx->args[2] << 32) | (__u32)ctx->args[3],
			 ctx->args[1], 0);
}

SEC("tracepoint/syscalls/sys_exit_mmap")
int exit_mmap(struct trace_event_raw_sys_exit *ctx)
{
	struct ls_mmap *e;
	struct pending p;
	struct file *f;

	if (!take_args(LS_SYS_MMAP, &p) || (ctx->ret < 0 && ctx->ret >= MAP_FAILED_MAX))
		return 0;
	e = event_reserve(sizeof(*e), LS_EV_MMAP);
	if (!e)
		return 0;
	e->addr = ctx->ret;
	e->len = p.a2;
	e->prot = (__u64)p.a1 >> 32;
	e->flags = (__u32)p.a1;
	e->fd = (e->flags & LS_MAP_ANONYMOUS) ? -1 : p.a0;
	e->ino = 0;
	e->file_id = 0;
	e->dev = 0;
	e->path_len = 0;
	e->path_truncated = 0;
	e->snapshot = 0;
	e->pad = 0;
	f = e->fd >= 0 ? fdtable_file(current_fdtable(), e->fd) : NULL;
	if (f) {
		struct inode *inode = BPF_CORE_READ(f, f_inode);

		e->file_id = (__u64)f;
		e->ino = BPF_CORE_READ(inode, i_ino);
		e->dev = BPF_CORE_READ(inode, i_sb, s_dev);
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

/* brk returns the break after the call (unchanged on failure): no enter needed */
SEC("tracepoint/syscalls/sys_exit_brk")
int exit_brk(struct trace_event_raw_sys_exit *ctx)
{
	struct ls_brk *e;

	if (!current_traced())
		return 0;
	e = event_reserve(sizeof(*e), LS_EV_BRK);
	if (!e)
		return 0;
	e->brk = ctx->ret;
	event_submit(e);
	return 0;
}

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
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	__u32 tid = BPF_CORE_READ(task, pid);
	struct ls_proc_exit *e;
	bool group_dead;

	/* A syscall cut short by exit never reaches its exit hook. */
	bpf_map_delete_elem(&pending_args, &tid);
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
		__u8 one = 1;

		bpf_map_update_elem(&unreaped_tgids, &tgid, &one, BPF_ANY);
		if (filter_mode == LS_FILTER_TGIDS)
			bpf_map_delete_elem(&traced_tgids, &tgid);
	}
	return 0;
}

/* The last reference to a task is gone: its process was reaped (or never a
 * zombie). Runs from an RCU callback: the task, not the current one, counts. */
SEC("tp_btf/sched_process_free")
int BPF_PROG(on_free, struct task_struct *task)
{
	__u32 tgid = BPF_CORE_READ(task, tgid);
	struct ls_proc_reap *e;

	if ((__u32)BPF_CORE_READ(task, pid) != tgid || !bpf_map_lookup_elem(&unreaped_tgids, &tgid))
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
