/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one ABI between the BPF programs and userspace.
 *
 * Every record in the ring buffer starts with struct ls_event_header; the
 * header's size field is the full record size, so a reader can skip types it
 * does not know. Userspace injects facts of its own (the command it started,
 * snapshots) as events of the same shape, so that the engine has exactly one
 * input and a capture replays to the same report.
 *
 * Fixed-width types only: the same structs are read from capture files that
 * may have been written on another machine.
 */
#ifndef LEAKSCOPE_EVENTS_H
#define LEAKSCOPE_EVENTS_H

#ifdef __BPF__
/* vmlinux.h provides __u8 .. __u64 */
#else
#include <linux/types.h>
#endif

#define LS_ABI_VERSION 1

#define LS_COMM_LEN 16
#define LS_PATH_MAX 256  /* kernel-side path buffer; longer paths are truncated */
#define LS_ARGS_MAX 256  /* argv bytes captured at exec, NUL-separated */

enum ls_event_type {
	LS_EV_FD_CREATE = 1, /* a new fd: open, socket, pipe end, dup, ... */
	LS_EV_FD_CLOSE,      /* close() released one fd */
	LS_EV_CLOSE_RANGE,   /* close_range() succeeded */
	LS_EV_FD_SETFD,      /* fcntl(F_SETFD): close-on-exec changed */
	LS_EV_PROC_FORK,     /* a task was created (process or thread) */
	LS_EV_PROC_EXEC,     /* a process replaced its program */
	LS_EV_PROC_EXIT,     /* a task exited; group_dead marks the process */
	LS_EV_PROC_ATTACH,   /* userspace: a process enters observation */
	LS_EV_SOCK_UPDATE,   /* a socket's state, endpoints or peer changed */
	LS_EV_PROC_REAP,     /* an exited process was reaped (no longer a zombie) */
	LS_EV_EPOLL_CTL,     /* epoll_ctl added or removed a watch */
	LS_EV_MMAP,          /* a mapping was created (mmap, or a /proc snapshot) */
	LS_EV_MUNMAP,        /* a range was unmapped */
	LS_EV_MREMAP,        /* a mapping moved or changed size */
	LS_EV_BRK,           /* the heap's end moved */
	LS_EV_FILE_STATE,    /* userspace: link count and size of an open file now */
	LS_EV_USER_STACK,    /* registers and stack bytes of a creating syscall */
	LS_EV_STACK_REF,     /* userspace: the unwound stack of that syscall, by id */
	LS_EV_FD_MISUSE,     /* a syscall on an fd that is not open (EBADF) */
	LS_EV_FD_ACCESS,     /* userspace: how often and when an open fd was used */
	LS_EV_SCM_SEND,      /* sendmsg/sendmmsg passing fds (SCM_RIGHTS), or its failure */
	LS_EV_PROC_LIMITS,   /* a process's RLIMIT_NOFILE: from /proc, or set by a syscall */
	LS_EV_HOST_LIMITS,   /* userspace: threads-max, max_map_count, nr_open */
	LS_EV_FORGET,        /* userspace: fold the oldest exited processes into counts */
	LS_EV_LOSS,          /* userspace: the kernel side lost records (ring full) by now */
	LS_EV_TYPE_MAX,
};

/*
 * Which syscall created or changed a resource: the one table of the syscalls
 * leakscope hooks — every fd-creating one it knows, the releases (close,
 * close_range) and the socket calls that set endpoints (bind, connect,
 * listen). Stable numbers: they are in captures; append only.
 * X(ENUM_SUFFIX, name) — name is the tracepoint's syscall name.
 */
#define LS_SYSCALL_LIST(X)                                                      \
	X(UNKNOWN, unknown) X(OPEN, open) X(OPENAT, openat) X(OPENAT2, openat2) \
	X(CREAT, creat) X(CLOSE, close) X(CLOSE_RANGE, close_range) X(DUP, dup) \
	X(DUP2, dup2) X(DUP3, dup3) X(FCNTL, fcntl) X(PIPE, pipe)             \
	X(PIPE2, pipe2) X(SOCKET, socket) X(SOCKETPAIR, socketpair)            \
	X(ACCEPT, accept) X(ACCEPT4, accept4) X(EVENTFD, eventfd)              \
	X(EVENTFD2, eventfd2) X(SNAPSHOT, snapshot)                            \
	X(EPOLL_CREATE, epoll_create) X(EPOLL_CREATE1, epoll_create1)          \
	X(INOTIFY_INIT, inotify_init) X(INOTIFY_INIT1, inotify_init1)          \
	X(TIMERFD_CREATE, timerfd_create) X(SIGNALFD, signalfd)                \
	X(SIGNALFD4, signalfd4) X(MEMFD_CREATE, memfd_create)                  \
	X(MEMFD_SECRET, memfd_secret) X(PIDFD_OPEN, pidfd_open)                \
	X(PIDFD_GETFD, pidfd_getfd) X(FANOTIFY_INIT, fanotify_init)            \
	X(USERFAULTFD, userfaultfd) X(IO_URING_SETUP, io_uring_setup)          \
	X(PERF_EVENT_OPEN, perf_event_open)                                    \
	X(OPEN_BY_HANDLE_AT, open_by_handle_at) X(OPEN_TREE, open_tree)        \
	X(OPEN_TREE_ATTR, open_tree_attr) X(FSOPEN, fsopen) X(FSPICK, fspick)  \
	X(FSMOUNT, fsmount) X(MQ_OPEN, mq_open)                                \
	X(LANDLOCK_CREATE_RULESET, landlock_create_ruleset) X(BPF, bpf)        \
	X(BIND, bind) X(CONNECT, connect) X(LISTEN, listen) X(RECVMSG, recvmsg)     \
	X(EPOLL_CTL, epoll_ctl) X(MMAP, mmap) X(MUNMAP, munmap) X(MREMAP, mremap) \
	X(BRK, brk) X(READ, read) X(WRITE, write) X(PREAD64, pread64)              \
	X(PWRITE64, pwrite64) X(READV, readv) X(WRITEV, writev) X(PREADV, preadv) \
	X(PWRITEV, pwritev) X(SENDTO, sendto) X(RECVFROM, recvfrom)                \
	X(SENDMSG, sendmsg) X(SENDMMSG, sendmmsg) X(RECVMMSG, recvmmsg)            \
	X(SENDFILE64, sendfile64) X(SPLICE, splice) X(EPOLL_WAIT, epoll_wait)     \
	X(EPOLL_PWAIT, epoll_pwait) X(GETDENTS64, getdents64) X(IOCTL, ioctl)     \
	X(FSYNC, fsync) X(FDATASYNC, fdatasync) \
	X(SETRLIMIT, setrlimit) X(PRLIMIT64, prlimit64)                         \
	X(CLONE, clone) X(CLONE3, clone3) X(SECCOMP, seccomp)                   \
	X(GETSOCKOPT, getsockopt)

enum ls_syscall {
#define LS_SYS_ENUM(up, name) LS_SYS_##up,
	LS_SYSCALL_LIST(LS_SYS_ENUM)
#undef LS_SYS_ENUM
	LS_SYS_MAX,
};

/* What an fd refers to, from the inode type and the creating syscall. */
enum ls_res_type {
	LS_RES_UNKNOWN = 0,
	LS_RES_FILE,    /* regular file */
	LS_RES_DIR,
	LS_RES_CHR,     /* character device */
	LS_RES_BLK,
	LS_RES_FIFO,    /* named pipe */
	LS_RES_PIPE,    /* anonymous pipe end */
	LS_RES_SOCKET,
	LS_RES_EVENTFD,
	LS_RES_ANON,    /* other anon_inode files */
	LS_RES_EPOLL,
	LS_RES_TIMERFD,
	LS_RES_SIGNALFD,
	LS_RES_INOTIFY,
	LS_RES_FANOTIFY,
	LS_RES_PIDFD,
	LS_RES_IO_URING,
	LS_RES_USERFAULTFD,
	LS_RES_PERF_EVENT,
	LS_RES_BPF,     /* bpf maps, programs, links, BTF */
	LS_RES_MEMFD,
	LS_RES_MQUEUE,  /* POSIX message queue */
	LS_RES_TYPE_MAX,
};

/*
 * The resource type an inode mode stands for; the kernel side and the /proc
 * snapshot must agree. A FIFO on pipefs is an anonymous pipe; mode type 0 is
 * an anon_inode file (eventfd, epoll, ...), told apart by name by the caller.
 */
static inline __u16 ls_res_type_of_mode(__u32 mode, int on_pipefs)
{
	switch (mode & 0170000) {
	case 0100000:
		return LS_RES_FILE;
	case 0040000:
		return LS_RES_DIR;
	case 0020000:
		return LS_RES_CHR;
	case 0060000:
		return LS_RES_BLK;
	case 0140000:
		return LS_RES_SOCKET;
	case 0010000:
		return on_pipefs ? LS_RES_PIPE : LS_RES_FIFO;
	case 0:
		return LS_RES_ANON;
	}
	return LS_RES_UNKNOWN;
}

/* Per-CPU counters in the kernel: nothing is dropped silently. */
enum ls_stat {
	LS_STAT_EVENTS = 0,   /* records reserved and submitted */
	LS_STAT_LOST,         /* ring buffer full: record dropped */
	LS_STAT_JOIN_FULL,    /* enter args could not be saved: exit not joined */
	LS_STAT_FILTER_FULL,  /* a child of a traced process could not be added */
	LS_STAT_PATH_BUSY,    /* every path buffer of the CPU in use: path left empty */
	LS_STAT_STACK_SKIPPED, /* ring half full: a stack left out to keep room for lifecycles */
	LS_STAT_MAX,
};

/* Which processes the kernel side reports (rodata filter_mode). */
enum ls_filter_mode {
	LS_FILTER_ALL = 0,   /* system-wide */
	LS_FILTER_TGIDS,     /* the tgids in the traced_tgids map */
	LS_FILTER_CGROUP,    /* tasks in a cgroup v2 subtree */
};

/* fd flags carried in events (FD_CLOEXEC is the only fd flag Linux has) */
#define LS_FD_CLOEXEC 0x1

/* close_range() flags, as the kernel defines them */
#define LS_CLOSE_RANGE_UNSHARE (1U << 1)
#define LS_CLOSE_RANGE_CLOEXEC (1U << 2)

struct ls_event_header {
	__u16 type;      /* enum ls_event_type */
	__u16 size;      /* whole record, header included */
	__u32 cpu;
	__u64 ts_ns;     /* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	__u32 tgid;      /* process */
	__u32 tid;       /* thread */
	__u64 cgroup_id; /* cgroup v2 id */
};

/* An endpoint: port in host order, address as on the wire (4 or 16 bytes). */
struct ls_sock_addr {
	__u16 port;
	__u8 len;      /* 0: unknown, 4: IPv4, 16: IPv6 */
	__u8 pad;
	__u8 addr[16];
};

/* TCP states as the kernel numbers them (TCP_ESTABLISHED = 1 ...) */
#define LS_TCP_STATE_UNKNOWN 0

struct ls_fd_create {
	struct ls_event_header hdr;
	__s32 fd;
	__s32 src_fd;     /* dup family: the fd duplicated; else -1 */
	__s32 peer_fd;    /* pipe/socketpair: the other end; else -1 */
	__u16 syscall;    /* enum ls_syscall */
	__u16 res_type;   /* enum ls_res_type */
	__u32 fd_flags;   /* LS_FD_CLOEXEC */
	__u32 file_flags; /* struct file f_flags: access mode, O_NONBLOCK, ... */
	__u32 mode;       /* inode i_mode */
	__u32 dev;        /* superblock s_dev, kernel encoding (MAJOR<<20|MINOR) */
	__u64 ino;
	__u64 file_id;    /* identity of the open file description */
	__u64 sock_id;    /* sockets: identity of the struct sock; else 0 */
	__u64 peer_sock_id; /* AF_UNIX: the connected peer's sock; else 0 */
	struct ls_sock_addr local;
	struct ls_sock_addr remote;
	__u8 sock_state;  /* TCP state, or 0 */
	__u8 pad2[7];
	__u16 sock_family;
	__u16 sock_type;
	__u16 sock_protocol;
	__u16 path_len;       /* bytes used in path, no NUL counted */
	__u8 path_truncated;  /* path is a suffix of a longer one */
	__u8 pad[3];
	__u32 fs_magic;       /* superblock s_magic: which filesystem (pidfs, mqueue, ...) */
	char path[LS_PATH_MAX]; /* not NUL-terminated: use path_len */
};

/*
 * A socket changed: from inet_sock_set_state (any context, so matched to a
 * traced socket by sock_id in the kernel), or after bind/connect/listen of a
 * traced process (fd set). Fields that did not change are repeated.
 */
struct ls_sock_update {
	struct ls_event_header hdr;
	__u64 sock_id;
	__u64 peer_sock_id;
	struct ls_sock_addr local;
	struct ls_sock_addr remote;
	__s32 fd;         /* -1: from the state tracepoint */
	__u8 old_state;
	__u8 new_state;   /* TCP state, or 0 */
	__u16 protocol;
};

struct ls_fd_close {
	struct ls_event_header hdr;
	__s32 fd;
	__u16 syscall;
	__u16 pad;
};

struct ls_close_range {
	struct ls_event_header hdr;
	__u32 first;
	__u32 last;
	__u32 flags;
	__u32 pad;
};

struct ls_fd_setfd {
	struct ls_event_header hdr;
	__s32 fd;
	__u32 fd_flags; /* LS_FD_CLOEXEC */
};

struct ls_proc_fork {
	struct ls_event_header hdr; /* tgid/tid: the parent task */
	__u32 child_tgid;
	__u32 child_tid;
	__u8 is_thread;    /* CLONE_THREAD: same process */
	__u8 shares_files; /* CLONE_FILES: one fd table for both */
	__u8 shares_vm;    /* CLONE_VM */
	__u8 pad[5];
	char comm[LS_COMM_LEN];
};

struct ls_proc_exec {
	struct ls_event_header hdr; /* tgid after exec; tid is the old pid */
	__u16 filename_len;
	__u16 args_len;
	__u8 args_truncated;
	__u8 pad[3];
	char comm[LS_COMM_LEN];
	char filename[LS_PATH_MAX];
	char args[LS_ARGS_MAX]; /* argv, each NUL-terminated */
};

struct ls_proc_exit {
	struct ls_event_header hdr;
	__u32 exit_code; /* wait(2) status: code << 8 | signal */
	__u8 group_dead; /* the last thread: the process is gone */
	__u8 pad[3];
};

#define LS_MAP_SHARED 0x01
#define LS_MAP_PRIVATE 0x02
#define LS_MAP_ANONYMOUS 0x20
#define LS_PROT_READ 0x1
#define LS_PROT_WRITE 0x2
#define LS_PROT_EXEC 0x4

#define LS_MMAP_SNAPSHOT 1   /* existed before observation started */
#define LS_MMAP_EXEC_IMAGE 2 /* the program or its interpreter, mapped by execve */

struct ls_mmap {
	struct ls_event_header hdr;
	__u64 addr;
	__u64 len;
	__u64 ino;       /* file mappings */
	__u64 file_id;
	__u32 dev;
	__u32 prot;      /* LS_PROT_* */
	__u32 flags;     /* LS_MAP_* */
	__s32 fd;        /* -1: anonymous */
	__u16 path_len;
	__u8 path_truncated;
	__u8 snapshot;   /* LS_MMAP_SNAPSHOT, LS_MMAP_EXEC_IMAGE, or 0: by mmap() */
	__u32 pad;
	__u64 offset;    /* file mappings: byte offset in the file */
	char path[LS_PATH_MAX];
};

struct ls_munmap {
	struct ls_event_header hdr;
	__u64 addr;
	__u64 len;
};

struct ls_mremap {
	struct ls_event_header hdr;
	__u64 old_addr;
	__u64 old_len;
	__u64 new_addr;
	__u64 new_len;
};

struct ls_brk {
	struct ls_event_header hdr;
	__u64 old_brk;   /* the heap's end before the call */
	__u64 brk;       /* the heap's end after the call */
};

/* hdr.tgid: the process holding fd. nlink 0: the file was unlinked while
 * open, and its size is still held on disk. */
struct ls_file_state {
	struct ls_event_header hdr;
	__s32 fd;
	__u32 nlink;
	__u64 size;
};

#define LS_RLIM_INFINITY (~0ULL)

/*
 * RLIMIT_NOFILE of process hdr.tgid as it is now: read from /proc/PID/limits
 * (syscall LS_SYS_SNAPSHOT), or after a setrlimit or prlimit64 that set it.
 * prlimit64 may set another process's: hdr.tgid is then that process, and
 * setter_tgid the caller.
 */
struct ls_proc_limits {
	struct ls_event_header hdr;
	__u64 nofile_cur;  /* soft: opening past it fails with EMFILE */
	__u64 nofile_max;  /* hard: the most the soft limit can be raised to */
	__u32 setter_tgid; /* the process that set it; 0: read, not set */
	__u16 syscall;     /* enum ls_syscall */
	__u16 pad;
};

/* Userspace, once at start: the machine's limits (0: unknown). */
struct ls_host_limits {
	struct ls_event_header hdr;
	__u64 threads_max;   /* kernel.threads-max: threads of all processes */
	__u64 max_map_count; /* vm.max_map_count: mappings of one process */
	__u64 nr_open;       /* fs.nr_open: the most RLIMIT_NOFILE can be */
};

#define LS_EPOLL_CTL_ADD 1
#define LS_EPOLL_CTL_DEL 2

struct ls_epoll_ctl {
	struct ls_event_header hdr;
	__s32 epfd;
	__s32 fd;
	__u32 op; /* LS_EPOLL_CTL_ADD, LS_EPOLL_CTL_DEL */
	__u32 pad;
};

/* hdr.tgid: the reaped process (the header is filled for it, not for the
 * task that happened to run when its task_struct was freed) */
struct ls_proc_reap {
	struct ls_event_header hdr;
};

struct ls_proc_attach {
	struct ls_event_header hdr; /* tgid: the process; tid = tgid */
	__u32 ppid;
	__u16 args_len;
	__u8 args_truncated;
	__u8 started_by_us; /* leakscope forked it (the -- CMD mode) */
	__u16 exe_len;      /* 0: unknown */
	__u16 pad;
	__u32 threads;      /* threads it has now; 0: unknown */
	__u32 pad2;
	char comm[LS_COMM_LEN];
	char exe[LS_PATH_MAX]; /* /proc/PID/exe, not NUL-terminated */
	char args[LS_ARGS_MAX];
};

/*
 * A syscall given an fd that is not open: close (double close, or never
 * opened) or a use (read, write, ...: after close). Followed by nothing; the
 * stack, if any, came just before it.
 */
struct ls_fd_misuse {
	struct ls_event_header hdr;
	__s32 fd;
	__u16 syscall; /* enum ls_syscall */
	__u16 pad;
};

/*
 * Userspace, from the kernel's per-fd counters before a report: fd of
 * hdr.tgid was used count times since it was created, last at last_ns
 * (0: never). Reads, writes, sends and receives are counted in the kernel,
 * never streamed.
 */
struct ls_fd_access {
	struct ls_event_header hdr;
	__s32 fd;
	__u32 pad;
	__u64 count;
	__u64 last_ns;
};

/*
 * What a DWARF unwinder needs to walk a user stack after the fact: the user
 * registers at the syscall and a copy of the stack from sp upward. Sent just
 * before the records of a resource-creating syscall, by the same thread.
 */
#define LS_STACK_MAX 16384 /* bytes of stack one record may carry */
#define LS_STACK_REGS 17   /* x86_64 DWARF numbering: rax rdx rcx rbx rsi rdi
			    * rbp rsp r8-r15 rip */
#define LS_DWARF_SP 7
#define LS_DWARF_IP 16

struct ls_user_stack {
	struct ls_event_header hdr;
	__u16 syscall;  /* enum ls_syscall whose records follow */
	__u16 records;  /* how many of them: the stack is theirs, and no later one's */
	__u32 len;      /* bytes of data[] that hold the stack; hdr.size covers them */
	__u64 regs[LS_STACK_REGS];
	__u8 data[];    /* user memory from regs[LS_DWARF_SP] upward */
};

/*
 * Injected by userspace once it unwound an LS_EV_USER_STACK: the next
 * `records` records of that thread and syscall (fds created, a close, a
 * misuse, a mapping) were made at stack_id (an id of userspace's stack
 * table; 0: could not be unwound).
 */
struct ls_stack_ref {
	struct ls_event_header hdr;
	__u16 syscall;
	__u16 records;  /* as in the LS_EV_USER_STACK */
	__u32 stack_id;
};

/*
 * SCM_RIGHTS sending. The rights are read at the syscall's enter, before the
 * message is queued: a receiver woken by it on another CPU then cannot reserve
 * its recvmsg record before this one, so the engine always sees a description
 * leave before it arrives. A call that fails sends a second record,
 * LS_SCM_FAILED, at its exit: the messages from msgs_sent on were not queued.
 */
#define LS_SCM_MAX_FDS 16 /* per message; more are counted as unjoined */
#define LS_SCM_SENT 0
#define LS_SCM_FAILED 1

struct ls_scm_right {
	__u64 file_id;   /* the sender's struct file, as in ls_fd_create */
	__s32 fd;        /* the sender's fd */
	__u32 pad;
};

/* hdr.tgid/tid: the sender. A record carries the fds of one message. */
struct ls_scm_send {
	struct ls_event_header hdr;
	__u64 sock_id;      /* the sending socket's struct sock */
	__u64 peer_sock_id; /* the socket whose receive queue gets the message: the
			     * connected peer; 0 when sent to an address (not followed) */
	__u64 call_ns;      /* the syscall's enter time: joins a failure to its sends */
	__s32 sock_fd;
	__u16 syscall;      /* LS_SYS_SENDMSG, LS_SYS_SENDMMSG */
	__u8 phase;         /* LS_SCM_SENT, LS_SCM_FAILED */
	__u8 truncated;     /* the message had more than LS_SCM_MAX_FDS fds */
	__u16 msg_index;    /* SENT: which message of a sendmmsg (0 for sendmsg) */
	__u16 msgs_sent;    /* FAILED: the messages before this one were sent */
	__u16 nfds;         /* SENT: rights used */
	__u16 pad;
	struct ls_scm_right rights[LS_SCM_MAX_FDS]; /* a FAILED record may stop before */
};

/*
 * Userspace, once a second: keep at most `keep` exited and reaped processes in
 * full (--max-exited); the engine folds the oldest others into counts. An
 * event, not a call, so that a replay forgets what the run forgot.
 */
struct ls_forget {
	struct ls_event_header hdr;
	__u32 keep;
	__u32 pad;
};

/*
 * Userspace, when the kernel's lost-record counter has grown (checked every
 * second): the processes live now may have missed events, so their counts
 * may be incomplete. An event, so that a replay marks the same ones.
 */
struct ls_loss {
	struct ls_event_header hdr;
	__u64 lost_total;
};

#endif /* LEAKSCOPE_EVENTS_H */
