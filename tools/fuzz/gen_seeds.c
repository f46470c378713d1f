// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Writes the seed corpora of the fuzz targets that take binary input:
 *
 *   DIR/engine/NAME  event streams in fuzz_engine's format (engine_input.h)
 *                    (NAME_oomN: the same with one allocation in N failing)
 *   DIR/cli/NAME     command lines from the README, arguments NUL-separated
 *
 * The streams are built with the unit tests' record builders
 * (tests/unit/events_build.h), in the shapes the kernel side and /proc
 * snapshots produce, so the fuzzer starts from streams that reach every
 * rule of the engine rather than from bytes it must first make valid.
 * Records with trailing text (paths, argv) are cut after the text, as the
 * engine allows, to keep seeds small; one stream keeps them whole.
 *
 * Usage: gen_seeds DIR  (make fuzz-seeds writes tests/fuzz/corpus)
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine_input.h"
#include "events_build.h"


struct stream {
	unsigned char buf[65536];
	size_t len;
	int whole; /* keep records at their full size */
};

static const char *out_dir;

static void put(struct stream *s, const void *rec, size_t size)
{
	if (s->len + 2 + size > sizeof(s->buf)) {
		fprintf(stderr, "gen_seeds: stream too long\n");
		exit(1);
	}
	s->buf[s->len++] = size & 0xff;
	s->buf[s->len++] = size >> 8;
	memcpy(s->buf + s->len, rec, size);
	s->len += size;
}

/* A record with trailing text: cut after used bytes, the header saying so. */
#define PUT_CUT(s, e, used)                                         \
	do {                                                        \
		__typeof__(e) r_ = (e);                             \
		size_t n_ = (s)->whole ? sizeof(r_) : (used);       \
		r_.hdr.size = (uint16_t)n_;                         \
		put((s), &r_, n_);                                  \
	} while (0)
#define PUT(s, e)                                                   \
	do {                                                        \
		__typeof__(e) r_ = (e);                             \
		put((s), &r_, sizeof(r_));                          \
	} while (0)
#define PUT_FD(s, e) PUT_CUT(s, e, offsetof(struct ls_fd_create, path) + r_.path_len)
#define PUT_EXEC(s, e) PUT_CUT(s, e, offsetof(struct ls_proc_exec, args) + r_.args_len)
#define PUT_ATTACH(s, e) PUT_CUT(s, e, offsetof(struct ls_proc_attach, args) + r_.args_len)
#define PUT_MMAP(s, e) PUT_CUT(s, e, offsetof(struct ls_mmap, path) + r_.path_len)

static void start(struct stream *s, unsigned char opts)
{
	s->len = 0;
	s->whole = 0;
	s->buf[s->len++] = opts;
}

static void write_file(const char *sub, const char *name, const void *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", out_dir, sub);
	if (mkdir(path, 0755) && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/%s", out_dir, sub, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void finish(struct stream *s, const char *name)
{
	write_file("engine", name, s->buf, s->len);
}

/* The same stream again with allocations failing, one in every period. */
static void finish_failing(struct stream *s, const char *name, unsigned int period)
{
	char oom_name[64];

	s->buf[0] |= OPT_FAIL_ALLOCS | OPT_FAIL_PERIOD_BITS(period);
	snprintf(oom_name, sizeof(oom_name), "%s_oom%u", name, period);
	write_file("engine", oom_name, s->buf, s->len);
}

/* --- record shapes the builders lack ------------------------------------ */

static struct ls_mmap mmap_ev(uint32_t pid, uint64_t ts, uint64_t addr, uint64_t len, int fd,
			      const char *path, uint8_t snapshot)
{
	struct ls_mmap e;

	memset(&e, 0, sizeof(e));
	e.hdr = ev_header(LS_EV_MMAP, sizeof(e), pid, pid, ts);
	e.addr = addr;
	e.len = len;
	e.fd = fd;
	e.prot = LS_PROT_READ | (path ? 0 : LS_PROT_WRITE);
	e.flags = path ? LS_MAP_PRIVATE : LS_MAP_PRIVATE | LS_MAP_ANONYMOUS;
	e.snapshot = snapshot;
	if (path) {
		e.path_len = ev_copy_text(e.path, LS_PATH_MAX, path);
		e.ino = 77;
		e.dev = 0x800001;
		e.file_id = 0xf11e;
	}
	return e;
}

static struct ls_sock_update sock_bound(uint32_t pid, uint64_t ts, int fd, uint64_t sock_id,
					uint16_t lport)
{
	struct ls_sock_update e = ev_tcp_state(ts, sock_id, 0, 0, lport, 0);

	e.hdr.tgid = e.hdr.tid = pid;
	e.fd = fd;
	e.remote.len = 0;
	return e;
}

static struct ls_fd_create pipe_end(uint32_t pid, uint64_t ts, int fd, int peer, uint64_t file_id,
				    uint32_t flags)
{
	struct ls_fd_create e = ev_fd_create(pid, pid, ts, LS_SYS_PIPE2, fd, -1, LS_RES_PIPE,
					     file_id, 0);

	e.peer_fd = peer;
	e.file_flags = flags;
	e.mode = 0010600;
	e.ino = 4000 + file_id;
	return e;
}

/* --- the streams ---------------------------------------------------------- */

#define P 1000
#define C 1001
#define T 1002
#define MS 1000000ULL
#define S 1000000000ULL

/* The demo: a command opens files and a pipe, closes some, exits. */
static void seed_open_close(struct stream *s)
{
	start(s, 0);
	PUT_ATTACH(s, ev_attach(P, 1 * MS, 1, "leaky", "leaky\0/tmp/d\0", 13, 1));
	PUT_EXEC(s, ev_exec(P, P, 2 * MS, "build/tools/leaky", "leaky", "leaky\0/tmp/d\0", 13));
	for (int fd = 3; fd < 8; fd++)
		PUT_FD(s, ev_open(P, P, (3 + fd) * MS, fd, "/tmp/d/log.txt", LS_RES_FILE,
				  0x100 + fd, fd & 1));
	PUT(s, ev_close(P, P, 12 * MS, 4));
	PUT_FD(s, pipe_end(P, 13 * MS, 8, 9, 0x200, 0));
	PUT_FD(s, pipe_end(P, 13 * MS, 9, 8, 0x201, 1));
	PUT(s, ev_close(P, P, 14 * MS, 8));
	PUT(s, ev_exit(P, P, 20 * MS, 0, 1));
	PUT(s, ev_reap(P, 21 * MS));
	finish(s, "open_close");
}

/* fork, exec with close-on-exec fds, a zombie and a reaped child, pid reuse. */
static void seed_fork_exec(struct stream *s)
{
	start(s, OPT_TRACK_INHERITED);
	PUT_ATTACH(s, ev_attach(P, 1, 1, "shell", "sh\0-c\0", 6, 1));
	PUT_FD(s, ev_open(P, P, 2, 3, "/etc/passwd", LS_RES_FILE, 0x10, 1));
	PUT_FD(s, ev_open(P, P, 3, 4, "/var/log/app.log", LS_RES_FILE, 0x11, 0));
	PUT(s, ev_fork(P, P, 4, C, C, 0, 0, "shell"));
	PUT_EXEC(s, ev_exec(C, C, 5, "/usr/bin/cat", "cat", "cat\0-\0", 6));
	PUT_FD(s, ev_open(C, C, 6, 5, "/tmp/out", LS_RES_FILE, 0x12, 0));
	PUT(s, ev_exit(C, C, 7, 256, 1));
	PUT(s, ev_reap(C, 8));
	PUT(s, ev_fork(P, P, 9, T, T, 0, 0, "shell"));
	PUT(s, ev_exit(T, T, 10, 9, 1)); /* killed, never reaped */
	PUT(s, ev_fork(P, P, 11, C, C, 0, 0, "again")); /* the pid comes back */
	PUT(s, ev_close(C, C, 12, 3));
	PUT(s, ev_exit(P, P, 5 * S, 0, 1));
	finish(s, "fork_exec");
	finish_failing(s, "fork_exec", 3);
}

/* --max-exited: processes forgotten while others still point at them (the
 * last one an event was about; the sender of a description in flight). */
static void seed_forget(struct stream *s)
{
	struct ls_forget f;

	memset(&f, 0, sizeof(f));
	f.hdr = ev_header(LS_EV_FORGET, sizeof(f), 0, 0, 9);
	start(s, 0);
	PUT_ATTACH(s, ev_attach(P, 1, 1, "server", "server\0", 7, 1));
	PUT_FD(s, ev_socket(P, 2, 3, 1, 0x41, 0xa1, 0xa2));
	PUT_FD(s, ev_socket(P, 2, 4, 1, 0x42, 0xa2, 0xa1));
	PUT(s, ev_fork(P, P, 3, C, C, 0, 0, "server"));
	PUT_FD(s, ev_open(C, C, 4, 5, "/tmp/passed", LS_RES_FILE, 0x50, 0));
	PUT(s, ev_scm_send1(C, 5, 4, 0xa2, 0xa1, 5, 0x50));
	PUT(s, ev_exit(C, C, 6, 0, 1));
	PUT(s, ev_reap(C, 7));
	PUT(s, ev_fork(P, P, 8, T, T, 0, 0, "server"));
	PUT(s, ev_exit(T, T, 8, 0, 1));
	PUT(s, ev_reap(T, 8));
	PUT(s, f);
	PUT(s, ev_fork(P, P, 10, T, T, 0, 0, "again"));
	/* still in flight when the report is written */
	PUT(s, ev_exit(P, P, 5 * S, 0, 1));
	finish(s, "forget");
}

/* Threads and CLONE_FILES: shared tables, close_range(UNSHARE), exec's unshare. */
static void seed_shared_table(struct stream *s)
{
	start(s, 0);
	PUT_ATTACH(s, ev_attach(P, 1, 1, "srv", "srv\0", 4, 0));
	PUT(s, ev_fork(P, P, 2, P, P + 5, 1, 1, "srv"));
	PUT_FD(s, ev_open(P, P + 5, 3, 3, "/srv/data", LS_RES_FILE, 0x20, 0));
	PUT(s, ev_fork(P, P, 4, C, C, 0, 1, "srv")); /* CLONE_FILES */
	PUT_FD(s, ev_open(C, C, 5, 4, "/srv/cache", LS_RES_FILE, 0x21, 1));
	PUT(s, ev_close_range(C, C, 6, 3, ~0U, LS_CLOSE_RANGE_UNSHARE));
	PUT(s, ev_fork(P, P, 7, T, T, 0, 1, "srv"));
	PUT_EXEC(s, ev_exec(T, T, 8, "/bin/true", "true", "true\0", 5));
	PUT(s, ev_exit(P, P + 5, 9, 0, 0)); /* a thread */
	PUT(s, ev_exit(P, P, 10, 0, 1));
	PUT(s, ev_exit(T, T, 11, 0, 1));
	finish(s, "shared_table");
	finish_failing(s, "shared_table", 2);
}

/* The dup family, close-on-exec changes, close_range both ways. */
static void seed_dup(struct stream *s)
{
	start(s, 0);
	PUT_ATTACH(s, ev_attach(P, 1, 1, "dupper", "dupper\0", 7, 1));
	PUT_FD(s, ev_open(P, P, 2, 3, "/a", LS_RES_FILE, 0x30, 0));
	PUT_FD(s, ev_dup(P, P, 3, LS_SYS_DUP, 3, 4, LS_RES_FILE, 0x30, 0));
	PUT_FD(s, ev_open(P, P, 4, 5, "/b", LS_RES_FILE, 0x31, 0));
	PUT_FD(s, ev_dup(P, P, 5, LS_SYS_DUP2, 3, 5, LS_RES_FILE, 0x30, 0)); /* over an open fd */
	PUT_FD(s, ev_dup(P, P, 6, LS_SYS_DUP3, 4, 6, LS_RES_FILE, 0x30, 1));
	PUT_FD(s, ev_dup(P, P, 7, LS_SYS_FCNTL, 3, 10, LS_RES_FILE, 0x30, 0));
	PUT_FD(s, ev_dup(P, P, 8, LS_SYS_DUP2, 3, 3, LS_RES_FILE, 0x30, 0)); /* dup2(fd, fd) */
	PUT(s, ev_setfd(P, P, 9, 10, LS_FD_CLOEXEC));
	PUT(s, ev_setfd(P, P, 10, 77, 0)); /* unknown fd */
	PUT(s, ev_close_range(P, P, 11, 5, 6, LS_CLOSE_RANGE_CLOEXEC));
	PUT_EXEC(s, ev_exec(P, P, 12, "/bin/next", "next", "next\0", 5));
	PUT(s, ev_close_range(P, P, 13, 0, ~0U, 0));
	PUT(s, ev_close(P, P, 14, 3)); /* already closed */
	PUT(s, ev_exit(P, P, 15, 0, 1));
	finish(s, "dup");
}

/* Sockets: TCP states to CLOSE_WAIT, a unix pair, epoll watches. */
static void seed_sockets(struct stream *s)
{
	struct ls_fd_create a = ev_socket(P, 3, 4, 1, 0x41, 0xa1, 0xa2);
	struct ls_fd_create b = ev_socket(P, 3, 5, 1, 0x42, 0xa2, 0xa1);
	struct ls_fd_create ep = ev_fd_create(P, P, 6, LS_SYS_EPOLL_CREATE1, 6, -1, LS_RES_EPOLL,
					      0x43, 1);
	struct ls_fd_create tcp = ev_socket(P, 2, 3, 2, 0x40, 0xc0, 0);
	struct ls_fd_create acc = ev_socket(P, 10, 7, 10, 0x44, 0xc1, 0);

	start(s, OPT_SHORT_TIMES);
	tcp.sock_protocol = 6;
	acc.syscall = LS_SYS_ACCEPT4;
	acc.sock_protocol = 6;
	acc.sock_state = 1;
	acc.local.len = 16;
	acc.local.addr[15] = 1;
	acc.local.port = 443;
	ep = ev_with_path(ep, "anon_inode:[eventpoll]");
	PUT_ATTACH(s, ev_attach(P, 1, 1, "server", "server\0", 7, 0));
	PUT_FD(s, tcp);
	PUT(s, sock_bound(P, 3, 3, 0xc0, 8080));
	PUT_FD(s, a);
	PUT_FD(s, b);
	PUT_FD(s, ep);
	PUT(s, ev_epoll_ctl(P, 7, 6, 3, LS_EPOLL_CTL_ADD));
	PUT(s, ev_epoll_ctl(P, 8, 6, 4, LS_EPOLL_CTL_ADD));
	PUT(s, ev_epoll_ctl(P, 9, 6, 4, LS_EPOLL_CTL_DEL));
	PUT(s, ev_epoll_ctl(P, 9, 6, 5, LS_EPOLL_CTL_ADD));
	PUT_FD(s, acc);
	PUT(s, ev_tcp_state(11, 0xc1, 1, 8, 443, 50000)); /* the peer closed */
	PUT(s, ev_close(P, P, 12, 5)); /* drops its watch */
	PUT(s, ev_tcp_state(13, 0xdead, 4, 5, 1, 2)); /* no such socket */
	PUT(s, ev_fork(P, P, 14, C, C, 0, 0, "server"));
	PUT(s, ev_close(C, C, 15, 7));
	PUT(s, ev_exit(C, C, 16, 0, 1));
	PUT(s, ev_access(P, 17, 3, 5, 16));
	PUT(s, ev_access(P, 17, 7, 0, 0));
	finish(s, "sockets");
	finish_failing(s, "sockets", 4);
}

/* Mappings: anonymous and file, a split, a move, the heap, fork and exec. */
static void seed_mappings(struct stream *s)
{
	start(s, 0);
	PUT_ATTACH(s, ev_attach(P, 1, 1, "mapper", "mapper\0", 7, 1));
	PUT_MMAP(s, mmap_ev(P, 2, 0x400000, 0x3000, -1, "/usr/bin/mapper", LS_MMAP_EXEC_IMAGE));
	PUT_MMAP(s, mmap_ev(P, 3, 0x7f0000000000, 0x10000, -1, NULL, 0));
	PUT_MMAP(s, mmap_ev(P, 4, 0x7f0000100000, 0x2000, 3, "/usr/lib/libc.so.6", 0));
	PUT(s, ev_munmap(P, 5, 0x7f0000004000, 0x1000)); /* a hole: two pieces */
	PUT(s, ev_mremap(P, 6, 0x7f0000100000, 0x2000, 0x7f0000200000, 0x4000));
	PUT(s, ev_mremap(P, 7, 0x1234000, 0x1000, 0x2234000, 0x1000)); /* never mapped */
	PUT(s, ev_brk(P, 8, 0x600000, 0x621000));
	PUT(s, ev_brk(P, 9, 0x621000, 0x610800));
	PUT(s, ev_fork(P, P, 10, C, C, 0, 0, "mapper"));
	PUT(s, ev_munmap(C, 11, 0x7f0000000000, 0x20000));
	PUT_EXEC(s, ev_exec(C, C, 12, "/bin/other", "other", "other\0", 6));
	PUT(s, ev_exit(C, C, 13, 0, 1));
	PUT(s, ev_exit(P, P, 14, 0, 1));
	finish(s, "mappings");
	finish_failing(s, "mappings", 2);
}

/* Stacks, fd misuse, use counts and a deleted file. */
static void seed_stacks_misuse(struct stream *s)
{
	start(s, OPT_SHORT_TIMES);
	PUT_ATTACH(s, ev_attach(P, 1, 1, "app", "app\0", 4, 1));
	PUT(s, ev_stack_ref(P, P, 2, LS_SYS_OPENAT, 1, 1));
	PUT_FD(s, ev_open(P, P, 2, 3, "/data/x.log", LS_RES_FILE, 0x50, 0));
	PUT(s, ev_stack_ref(P, P, 3, LS_SYS_PIPE2, 2, 2));
	PUT_FD(s, pipe_end(P, 3, 4, 5, 0x51, 0));
	PUT_FD(s, pipe_end(P, 3, 5, 4, 0x52, 0));
	PUT(s, ev_stack_ref(P, P, 4, LS_SYS_CLOSE, 1, 3));
	PUT(s, ev_close(P, P, 4, 4));
	PUT(s, ev_stack_ref(P, P, 5, LS_SYS_CLOSE, 1, 1));
	PUT(s, ev_misuse(P, 5, 4, LS_SYS_CLOSE)); /* double close */
	PUT(s, ev_misuse(P, 6, 4, LS_SYS_WRITE)); /* use after close */
	PUT(s, ev_misuse(P, 7, -1, LS_SYS_READ));
	PUT(s, ev_misuse(P, 8, -1, LS_SYS_READ)); /* counted, not kept twice */
	PUT(s, ev_misuse(P, 9, 99, LS_SYS_CLOSE));
	PUT(s, ev_stack_ref(P, P + 1, 10, LS_SYS_MMAP, 1, 9)); /* an id no stack has */
	PUT_MMAP(s, mmap_ev(P, 10, 0x10000, 0x1000, -1, NULL, 0));
	PUT(s, ev_file_state(P, 11, 3, 0, 123456));
	PUT(s, ev_access(P, 12, 5, 10, 3));
	PUT(s, ev_access(P, 12, 3, 1, 1)); /* older than the fd: another lifecycle's */
	finish(s, "stacks_misuse");
	finish_failing(s, "stacks_misuse", 5);
}

/* Attach to a running process: /proc snapshot fds and maps, seen again. */
static void seed_snapshot(struct stream *s)
{
	struct ls_proc_attach at = ev_attach(P, 1, 1, "daemon", "daemon\0--fg\0", 12, 0);

	start(s, OPT_TRACK_INHERITED);
	at.threads = 4;
	at.exe_len = ev_copy_text(at.exe, LS_PATH_MAX, "/usr/sbin/daemon");
	PUT_ATTACH(s, at);
	for (int fd = 0; fd < 3; fd++)
		PUT_FD(s, ev_snapshot_fd(P, 1, fd, "/dev/null", LS_RES_CHR, 0x60, 0));
	PUT_FD(s, ev_snapshot_fd(P, 1, 3, "socket:[123]", LS_RES_SOCKET, 0x61, 1));
	PUT_MMAP(s, mmap_ev(P, 1, 0x555500000000, 0x5000, -1, "/usr/sbin/daemon",
			    LS_MMAP_SNAPSHOT));
	PUT_FD(s, ev_open(P, P + 1, 2, 4, "/run/daemon.pid", LS_RES_FILE, 0x62, 0));
	PUT_FD(s, ev_snapshot_fd(P, 3, 4, "/run/daemon.pid", LS_RES_FILE, 0x62, 0));
	PUT_FD(s, ev_snapshot_fd(P, 3, 5, "/old", LS_RES_FILE, 0x63, 0));
	PUT_ATTACH(s, ev_attach(C, 4, P, "child", "child\0", 6, 0));
	PUT_FD(s, ev_open(T, T, 5, 3, "/first/sight", LS_RES_FILE, 0x64, 0)); /* unknown pid */
	PUT(s, ev_exit(P, P + 1, 6, 0, 0));
	finish(s, "snapshot");
}

/* Full-size records, as the ring buffer sends them, and a user stack. */
static void seed_whole_records(struct stream *s)
{
	struct {
		struct ls_user_stack st;
		unsigned char data[64];
	} us;

	start(s, 0);
	s->whole = 1;
	memset(&us, 0, sizeof(us));
	us.st.hdr = ev_header(LS_EV_USER_STACK, sizeof(us), P, P, 2);
	us.st.syscall = LS_SYS_OPENAT;
	us.st.records = 1;
	us.st.len = sizeof(us.data);
	us.st.regs[LS_DWARF_SP] = 0x7ffc0000;
	us.st.regs[LS_DWARF_IP] = 0x401000;
	PUT_ATTACH(s, ev_attach(P, 1, 1, "cmd", "cmd\0", 4, 1));
	PUT(s, us);
	PUT(s, ev_stack_ref(P, P, 2, LS_SYS_OPENAT, 1, 1));
	PUT_FD(s, ev_open(P, P, 2, 3, "/etc/hosts", LS_RES_FILE, 0x70, 0));
	PUT_EXEC(s, ev_exec(P, P, 3, "/usr/bin/cmd", "cmd", "cmd\0x\0", 6));
	PUT_MMAP(s, mmap_ev(P, 4, 0x1000000, 0x1000, 3, "/etc/hosts", 0));
	PUT(s, ev_exit(P, P, 5, 0, 1));
	finish(s, "whole_records");
}

/* What a damaged capture holds: headers that lie, unknown types, bad fds. */
static void seed_malformed(struct stream *s)
{
	struct ls_fd_create high = ev_open(P, P, 3, 5000, "/high", LS_RES_FILE, 0x80, 0);
	struct ls_fd_create neg = ev_open(P, P, 4, -5, "/neg", LS_RES_FILE, 0x81, 0);
	struct ls_fd_create lie = ev_open(P, P, 5, 3, "/lie", LS_RES_FILE, 0x82, 0);
	struct ls_fd_close cl = ev_close(P, P, 6, 3);
	struct ls_event_header unk = ev_header(LS_EV_TYPE_MAX, sizeof(unk), P, P, 7);
	struct ls_proc_fork self = ev_fork(P, P, 8, P, P, 0, 0, "self");

	start(s, 0);
	lie.path_len = 300;
	PUT_ATTACH(s, ev_attach(P, 1, 1, "bad", "bad\0", 4, 0));
	PUT_FD(s, high);
	PUT_FD(s, neg);
	PUT(s, lie);
	cl.hdr.size = sizeof(cl) + 8; /* says more than there is */
	PUT(s, cl);
	cl.hdr.size = 4;
	PUT(s, cl);
	PUT(s, unk);
	PUT(s, self);
	put(s, &cl, 3);
	PUT(s, ev_close_range(P, P, 9, 10, 2, 0)); /* first past last */
	PUT(s, ev_exit(P, P, UINT64_MAX, 0, 1));
	finish(s, "malformed");
}

/* --- command lines -------------------------------------------------------- */

static void seed_cli(void)
{
	static const struct {
		const char *name;
		const char *args;
		size_t len;
	} lines[] = {
#define LINE(name, s) { name, s, sizeof(s) - 1 }
		LINE("command", "--json\0/tmp/leakscope-demo/report.json\0--\0build/tools/leaky\0/tmp/d"),
		LINE("ci", "--error-exitcode\0" "42\0--fail-on\0error\0--\0./tests"),
		LINE("pids", "-p\0" "1234,5678\0-d\0" "30\0--json=report.json\0--no-children"),
		LINE("cgroup", "--cgroup\0/sys/fs/cgroup/system.slice\0--stack-bytes\0" "4K\0-q"),
		LINE("system", "-d\0" "0.5\0--ring-size\0" "64M\0--track-inherited\0-v"),
		LINE("thresholds", "--close-wait\0" "2.5\0--min-age\0" "10\0--idle=5\0-p\0" "1"),
		LINE("text", "--suppressions\0a.supp\0--suppressions=b.supp\0--text\0out.txt\0make\0test"),
		LINE("cluster", "-vqd\0" "3\0sh\0-c\0true"),
		LINE("help", "-h"),
		LINE("version", "--version"),
		LINE("missing", "--json"),
		LINE("unknown", "--bogus=1\0-x"),
		LINE("empty_command", "--"),
		LINE("flag_value", "--quiet=yes"),
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		write_file("cli", lines[i].name, lines[i].args, lines[i].len);
}

int main(int argc, char **argv)
{
	static struct stream s;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	out_dir = argv[1];
	if (mkdir(out_dir, 0755) && errno != EEXIST) {
		perror(out_dir);
		return 1;
	}
	seed_open_close(&s);
	seed_fork_exec(&s);
	seed_forget(&s);
	seed_shared_table(&s);
	seed_dup(&s);
	seed_sockets(&s);
	seed_mappings(&s);
	seed_stacks_misuse(&s);
	seed_snapshot(&s);
	seed_whole_records(&s);
	seed_malformed(&s);
	seed_cli();
	return 0;
}
