/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Builders of event records for tests: each returns a complete record by
 * value, zeroed, with the header's type and size set, so a test reads like
 * the event sequence it checks:
 *
 *	ev_apply(eng, ev_open(100, 100, 1000, 3, "/etc/passwd", LS_RES_FILE, 0xa1, 0));
 *
 * Timestamps are whatever the test passes; nothing here reads a clock.
 */
#ifndef LEAKSCOPE_EVENTS_BUILD_H
#define LEAKSCOPE_EVENTS_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../../bpf/events.h"

/* Apply a record built by one of the ev_* functions; the engine's result. */
#define ev_apply(eng, record) \
	engine_apply((eng), (__typeof__(record)[]){ record }, sizeof(record))

static inline struct ls_event_header ev_header(uint16_t type, uint16_t size, uint32_t tgid,
					       uint32_t tid, uint64_t ts)
{
	struct ls_event_header h;

	memset(&h, 0, sizeof(h));
	h.type = type;
	h.size = size;
	h.ts_ns = ts;
	h.tgid = tgid;
	h.tid = tid;
	return h;
}

/* Copy at most cap bytes of a C string; returns the bytes copied. */
static inline uint16_t ev_copy_text(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n > cap)
		n = cap;
	memcpy(dst, src ? src : "", n);
	return (uint16_t)n;
}

/* Any fd creation; src_fd -1 unless a dup. */
static inline struct ls_fd_create ev_fd_create(uint32_t tgid, uint32_t tid, uint64_t ts,
					       uint16_t syscall, int fd, int src_fd,
					       uint16_t res_type, uint64_t file_id,
					       uint32_t fd_flags)
{
	struct ls_fd_create e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_FD_CREATE, sizeof(e), tgid, tid, ts);
	e.fd = fd;
	e.src_fd = src_fd;
	e.peer_fd = -1;
	e.syscall = syscall;
	e.res_type = res_type;
	e.fd_flags = fd_flags;
	e.file_id = file_id;
	return e;
}

static inline struct ls_fd_create ev_with_path(struct ls_fd_create e, const char *path)
{
	e.path_len = ev_copy_text(e.path, LS_PATH_MAX, path);
	e.path_truncated = path && strlen(path) > LS_PATH_MAX;
	return e;
}

/* openat(); cloexec non-zero for O_CLOEXEC. */
static inline struct ls_fd_create ev_open(uint32_t tgid, uint32_t tid, uint64_t ts, int fd,
					  const char *path, uint16_t res_type,
					  uint64_t file_id, int cloexec)
{
	return ev_with_path(ev_fd_create(tgid, tid, ts, LS_SYS_OPENAT, fd, -1, res_type,
					 file_id, cloexec ? LS_FD_CLOEXEC : 0),
			    path);
}

/* An fd found open by the /proc snapshot at attach. */
static inline struct ls_fd_create ev_snapshot_fd(uint32_t tgid, uint64_t ts, int fd,
						 const char *path, uint16_t res_type,
						 uint64_t file_id, int cloexec)
{
	return ev_with_path(ev_fd_create(tgid, tgid, ts, LS_SYS_SNAPSHOT, fd, -1, res_type,
					 file_id, cloexec ? LS_FD_CLOEXEC : 0),
			    path);
}

/* dup/dup2/dup3/fcntl(F_DUPFD): newfd refers to oldfd's description, whose
 * kernel identity is file_id. */
static inline struct ls_fd_create ev_dup(uint32_t tgid, uint32_t tid, uint64_t ts,
					 uint16_t syscall, int oldfd, int newfd,
					 uint16_t res_type, uint64_t file_id, int cloexec)
{
	return ev_fd_create(tgid, tid, ts, syscall, newfd, oldfd, res_type, file_id,
			    cloexec ? LS_FD_CLOEXEC : 0);
}

static inline struct ls_fd_close ev_close(uint32_t tgid, uint32_t tid, uint64_t ts, int fd)
{
	struct ls_fd_close e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_FD_CLOSE, sizeof(e), tgid, tid, ts);
	e.fd = fd;
	e.syscall = LS_SYS_CLOSE;
	return e;
}

static inline struct ls_close_range ev_close_range(uint32_t tgid, uint32_t tid, uint64_t ts,
						   uint32_t first, uint32_t last,
						   uint32_t flags)
{
	struct ls_close_range e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_CLOSE_RANGE, sizeof(e), tgid, tid, ts);
	e.first = first;
	e.last = last;
	e.flags = flags;
	return e;
}

/* fcntl(F_SETFD) */
static inline struct ls_fd_setfd ev_setfd(uint32_t tgid, uint32_t tid, uint64_t ts, int fd,
					  uint32_t fd_flags)
{
	struct ls_fd_setfd e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_FD_SETFD, sizeof(e), tgid, tid, ts);
	e.fd = fd;
	e.fd_flags = fd_flags;
	return e;
}

/* tgid/tid: the parent task. A thread has child_tgid == tgid. */
static inline struct ls_proc_fork ev_fork(uint32_t tgid, uint32_t tid, uint64_t ts,
					  uint32_t child_tgid, uint32_t child_tid,
					  int is_thread, int shares_files, const char *comm)
{
	struct ls_proc_fork e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_PROC_FORK, sizeof(e), tgid, tid, ts);
	e.child_tgid = child_tgid;
	e.child_tid = child_tid;
	e.is_thread = !!is_thread;
	e.shares_files = !!(shares_files || is_thread);
	e.shares_vm = !!is_thread;
	ev_copy_text(e.comm, LS_COMM_LEN, comm);
	return e;
}

/* args: argv bytes, each NUL-terminated, args_len of them (may be 0). */
static inline struct ls_proc_exec ev_exec(uint32_t tgid, uint32_t tid, uint64_t ts,
					  const char *filename, const char *comm,
					  const char *args, size_t args_len)
{
	struct ls_proc_exec e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_PROC_EXEC, sizeof(e), tgid, tid, ts);
	e.filename_len = ev_copy_text(e.filename, LS_PATH_MAX, filename);
	if (args_len > LS_ARGS_MAX) {
		args_len = LS_ARGS_MAX;
		e.args_truncated = 1;
	}
	if (args_len)
		memcpy(e.args, args, args_len);
	e.args_len = (uint16_t)args_len;
	ev_copy_text(e.comm, LS_COMM_LEN, comm);
	return e;
}

/* exit_code: wait(2) status; group_dead: the process ends, not just a thread. */
static inline struct ls_proc_exit ev_exit(uint32_t tgid, uint32_t tid, uint64_t ts,
					  uint32_t exit_code, int group_dead)
{
	struct ls_proc_exit e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_PROC_EXIT, sizeof(e), tgid, tid, ts);
	e.exit_code = exit_code;
	e.group_dead = !!group_dead;
	return e;
}

static inline struct ls_proc_attach ev_attach(uint32_t tgid, uint64_t ts, uint32_t ppid,
					      const char *comm, const char *args,
					      size_t args_len, int started_by_us)
{
	struct ls_proc_attach e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_PROC_ATTACH, sizeof(e), tgid, tgid, ts);
	e.ppid = ppid;
	if (args_len > LS_ARGS_MAX) {
		args_len = LS_ARGS_MAX;
		e.args_truncated = 1;
	}
	if (args_len)
		memcpy(e.args, args, args_len);
	e.args_len = (uint16_t)args_len;
	e.started_by_us = !!started_by_us;
	ev_copy_text(e.comm, LS_COMM_LEN, comm);
	return e;
}

/* A socket fd with its kernel identity (and unix peer, 0 if none). */
static inline struct ls_fd_create ev_socket(uint32_t tgid, uint64_t ts, int fd, uint16_t family,
					    uint64_t file_id, uint64_t sock_id, uint64_t peer_sock_id)
{
	struct ls_fd_create e = ev_fd_create(tgid, tgid, ts, LS_SYS_SOCKET, fd, -1,
					     LS_RES_SOCKET, file_id, 0);

	e.sock_family = family;
	e.sock_type = 1;
	e.sock_id = sock_id;
	e.peer_sock_id = peer_sock_id;
	return e;
}

/* A TCP state change of a socket (fd -1: from the state tracepoint). */
static inline struct ls_sock_update ev_tcp_state(uint64_t ts, uint64_t sock_id, uint8_t old_state,
						 uint8_t new_state, uint16_t lport, uint16_t rport)
{
	struct ls_sock_update e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_SOCK_UPDATE, sizeof(e), 0, 0, ts);
	e.sock_id = sock_id;
	e.fd = -1;
	e.old_state = old_state;
	e.new_state = new_state;
	e.protocol = 6;
	e.local.len = e.remote.len = 4;
	e.local.addr[0] = e.remote.addr[0] = 127;
	e.local.addr[3] = e.remote.addr[3] = 1;
	e.local.port = lport;
	e.remote.port = rport;
	return e;
}

static inline struct ls_proc_reap ev_reap(uint32_t pid, uint64_t ts)
{
	struct ls_proc_reap e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_PROC_REAP, sizeof(e), pid, pid, ts);
	return e;
}

/* The stack of tid's next syscall: its next `records` records take stack_id. */
static inline struct ls_stack_ref ev_stack_ref(uint32_t tgid, uint32_t tid, uint64_t ts,
					       uint16_t syscall, uint16_t records,
					       uint32_t stack_id)
{
	struct ls_stack_ref e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_STACK_REF, sizeof(e), tgid, tid, ts);
	e.syscall = syscall;
	e.records = records;
	e.stack_id = stack_id;
	return e;
}

static inline struct ls_fd_misuse ev_misuse(uint32_t tgid, uint64_t ts, int fd,
					    uint16_t syscall)
{
	struct ls_fd_misuse e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_FD_MISUSE, sizeof(e), tgid, tgid, ts);
	e.fd = fd;
	e.syscall = syscall;
	return e;
}

static inline struct ls_fd_access ev_access(uint32_t tgid, uint64_t ts, int fd, uint64_t count,
					    uint64_t last_ns)
{
	struct ls_fd_access e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_FD_ACCESS, sizeof(e), tgid, tgid, ts);
	e.fd = fd;
	e.count = count;
	e.last_ns = last_ns;
	return e;
}

/* An fd installed by recvmsg (SCM_RIGHTS) whose description is file_id. */
static inline struct ls_fd_create ev_recv_fd(uint32_t tgid, uint64_t ts, int fd,
					     uint16_t res_type, uint64_t file_id)
{
	return ev_fd_create(tgid, tgid, ts, LS_SYS_RECVMSG, fd, -1, res_type, file_id, 0);
}

/*
 * sendmsg on sock_fd (socket sock_id, connected to peer_sock_id) passing
 * nfds fds whose descriptions are file_ids; call_ns names the call, msg_index
 * the message of a sendmmsg.
 */
static inline struct ls_scm_send ev_scm_send(uint32_t tgid, uint32_t tid, uint64_t ts,
					     int sock_fd, uint64_t sock_id,
					     uint64_t peer_sock_id, uint16_t msg_index,
					     size_t nfds, const int *fds,
					     const uint64_t *file_ids)
{
	struct ls_scm_send e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_SCM_SEND, sizeof(e), tgid, tid, ts);
	e.sock_id = sock_id;
	e.peer_sock_id = peer_sock_id;
	e.call_ns = ts;
	e.sock_fd = sock_fd;
	e.syscall = LS_SYS_SENDMSG;
	e.phase = LS_SCM_SENT;
	e.msg_index = msg_index;
	if (nfds > LS_SCM_MAX_FDS)
		nfds = LS_SCM_MAX_FDS;
	e.nfds = (uint16_t)nfds;
	for (size_t i = 0; i < nfds; i++) {
		e.rights[i].fd = fds[i];
		e.rights[i].file_id = file_ids[i];
	}
	return e;
}

/* sendmsg passing one fd */
static inline struct ls_scm_send ev_scm_send1(uint32_t tgid, uint64_t ts, int sock_fd,
					      uint64_t sock_id, uint64_t peer_sock_id, int fd,
					      uint64_t file_id)
{
	return ev_scm_send(tgid, tgid, ts, sock_fd, sock_id, peer_sock_id, 0, 1, &fd, &file_id);
}

/* The exit of the call that entered at call_ns: it failed after msgs_sent
 * messages. */
static inline struct ls_scm_send ev_scm_failed(uint32_t tgid, uint32_t tid, uint64_t ts,
					       uint64_t call_ns, uint16_t msgs_sent)
{
	struct ls_scm_send e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_SCM_SEND, offsetof(struct ls_scm_send, rights), tgid, tid, ts);
	e.call_ns = call_ns;
	e.syscall = LS_SYS_SENDMSG;
	e.phase = LS_SCM_FAILED;
	e.msgs_sent = msgs_sent;
	return e;
}

/* pipe(): one end of a pipe whose inode is ino (both ends share it);
 * writer: the write end. */
static inline struct ls_fd_create ev_pipe_end(uint32_t tgid, uint64_t ts, int fd, int peer_fd,
					      uint64_t file_id, uint64_t ino, int writer)
{
	struct ls_fd_create e = ev_fd_create(tgid, tgid, ts, LS_SYS_PIPE2, fd, -1, LS_RES_PIPE,
					     file_id, 0);

	e.peer_fd = peer_fd;
	e.ino = ino;
	e.dev = 0xd;
	e.file_flags = writer ? 1 : 0; /* O_WRONLY, O_RDONLY */
	return e;
}

static inline struct ls_epoll_ctl ev_epoll_ctl(uint32_t tgid, uint64_t ts, int epfd, int fd,
					       uint32_t op)
{
	struct ls_epoll_ctl e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_EPOLL_CTL, sizeof(e), tgid, tgid, ts);
	e.epfd = epfd;
	e.fd = fd;
	e.op = op;
	return e;
}

static inline struct ls_epoll_ctl ev_epoll_add(uint32_t tgid, uint64_t ts, int epfd, int fd)
{
	return ev_epoll_ctl(tgid, ts, epfd, fd, LS_EPOLL_CTL_ADD);
}

/* What /proc says of the file at fd: its link count and size. */
static inline struct ls_file_state ev_file_state(uint32_t tgid, uint64_t ts, int fd,
						 uint32_t nlink, uint64_t size)
{
	struct ls_file_state e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_FILE_STATE, sizeof(e), tgid, tgid, ts);
	e.fd = fd;
	e.nlink = nlink;
	e.size = size;
	return e;
}

static inline struct ls_munmap ev_munmap(uint32_t tgid, uint64_t ts, uint64_t addr, uint64_t len)
{
	struct ls_munmap e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_MUNMAP, sizeof(e), tgid, tgid, ts);
	e.addr = addr;
	e.len = len;
	return e;
}

static inline struct ls_mremap ev_mremap(uint32_t tgid, uint64_t ts, uint64_t old_addr,
					 uint64_t old_len, uint64_t new_addr, uint64_t new_len)
{
	struct ls_mremap e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_MREMAP, sizeof(e), tgid, tgid, ts);
	e.old_addr = old_addr;
	e.old_len = old_len;
	e.new_addr = new_addr;
	e.new_len = new_len;
	return e;
}

static inline struct ls_brk ev_brk(uint32_t tgid, uint64_t ts, uint64_t old_brk, uint64_t brk)
{
	struct ls_brk e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_BRK, sizeof(e), tgid, tgid, ts);
	e.old_brk = old_brk;
	e.brk = brk;
	return e;
}

/* mmap of a file (dev, ino) at addr, shared read-only */
static inline struct ls_mmap ev_mmap_file(uint32_t tgid, uint64_t ts, uint64_t addr, uint64_t len,
					  const char *path, uint32_t dev, uint64_t ino, int fd)
{
	struct ls_mmap e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_MMAP, sizeof(e), tgid, tgid, ts);
	e.addr = addr;
	e.len = len;
	e.dev = dev;
	e.ino = ino;
	e.fd = fd;
	e.prot = LS_PROT_READ;
	e.flags = LS_MAP_SHARED;
	e.path_len = ev_copy_text(e.path, LS_PATH_MAX, path);
	return e;
}

/* RLIMIT_NOFILE of tgid: syscall LS_SYS_SNAPSHOT (read from /proc, setter 0)
 * or the syscall that set it. */
static inline struct ls_proc_limits ev_limits(uint32_t tgid, uint64_t ts, uint64_t cur,
					      uint64_t max, uint16_t syscall, uint32_t setter)
{
	struct ls_proc_limits e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_PROC_LIMITS, sizeof(e), tgid, tgid, ts);
	e.nofile_cur = cur;
	e.nofile_max = max;
	e.syscall = syscall;
	e.setter_tgid = setter;
	return e;
}

static inline struct ls_host_limits ev_host_limits(uint64_t ts, uint64_t threads_max,
						   uint64_t max_map_count, uint64_t nr_open)
{
	struct ls_host_limits e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_HOST_LIMITS, sizeof(e), 0, 0, ts);
	e.threads_max = threads_max;
	e.max_map_count = max_map_count;
	e.nr_open = nr_open;
	return e;
}

/* An anonymous private mapping of len bytes at addr. */
static inline struct ls_mmap ev_anon_mmap(uint32_t tgid, uint64_t ts, uint64_t addr,
					  uint64_t len, uint32_t prot)
{
	struct ls_mmap e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_MMAP, sizeof(e), tgid, tgid, ts);
	e.addr = addr;
	e.len = len;
	e.prot = prot;
	e.flags = LS_MAP_PRIVATE | LS_MAP_ANONYMOUS;
	e.fd = -1;
	return e;
}

#endif /* LEAKSCOPE_EVENTS_BUILD_H */
