/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The engine: a pure state machine. Events in (struct ls_event_header and
 * the records of bpf/events.h), state out. No I/O, no clocks, no /proc:
 * whatever the engine knows arrived as an event, so a capture replays to the
 * same state and every rule is testable on a synthetic sequence.
 */
#ifndef LEAKSCOPE_ENGINE_H
#define LEAKSCOPE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bpf/events.h"
#include "series.h"
#include "u64_map.h"
#include "vma.h"

/* Why a lifecycle ended. */
enum ls_release {
	LS_REL_OPEN = 0,   /* still open */
	LS_REL_CLOSE,      /* close() */
	LS_REL_CLOSE_RANGE,
	LS_REL_DUP_OVER,   /* dup2/dup3/F_DUPFD target was open: closed implicitly */
	LS_REL_EXEC,       /* close-on-exec at execve */
	LS_REL_EXIT,       /* still open when the process exited */
};

/* What an epoll instance watches: the fd as added, and its description. */
struct ls_epoll_watch {
	int fd;
	uint64_t ofd_id;
};

/*
 * What a description is open on, as its creation said: path, device, inode,
 * mode. Immutable, and shared by the descriptions of the same file (a
 * process that opens one log a thousand times keeps one copy of its path).
 */
struct ls_file {
	uint64_t ino;
	uint32_t dev;
	uint32_t mode;
	uint16_t path_len;
	bool path_truncated;
	/* the interning's (file_names.c) */
	uint32_t refs;
	uint64_t hash;
	struct ls_file *next;
	char path[];       /* raw bytes, NUL-terminated, may be "" */
};

/* LS_EV_FILE_STATE facts about a description. */
struct ls_ofd_state {
	uint64_t size;         /* bytes, as of the last LS_EV_FILE_STATE */
	bool state_known;      /* a LS_EV_FILE_STATE arrived: deleted and size are facts */
	bool deleted;          /* unlinked while open (nlink 0) */
};

/*
 * What only some descriptions have: sockets their endpoints and state, epoll
 * instances their watches. Kept apart so that the many descriptions of plain
 * files stay small; read it through ls_ofd_ext(), which is never NULL.
 */
struct ls_ofd_ext {
	struct ls_ofd_state state; /* first: a file with only state facts has only this */
	uint16_t sock_family, sock_type, sock_protocol;
	uint8_t tcp_state;     /* TCP_* as the kernel numbers them, 0: none */
	uint64_t tcp_state_ns; /* when it entered tcp_state */
	uint64_t sock_id;      /* sockets: kernel identity of the struct sock */
	uint64_t peer_sock_id; /* AF_UNIX: the connected peer's sock_id */
	uint64_t peer_id;      /* the peer's ofd id once both ends were seen, else 0 */
	struct ls_sock_addr local, remote; /* inet endpoints (len 0: unknown) */
	struct ls_epoll_watch *watches; /* epoll: the live watches */
	size_t nwatches;
	size_t watches_cap;
	/* the registry's (ofd_registry.c) */
	struct ls_ofd *owner;          /* whose extension it is */
	struct u64_map_node sock_node; /* in the socket index while in_sock_map */
	struct ls_ofd *next_dead;      /* worklist of a purge */
	uint32_t inflight;             /* queue entries that hold it */
	bool in_sock_map;
};

/* An open file description (struct file): shared by dup and fork. */
struct ls_ofd {
	uint64_t id;       /* engine-assigned, stable within a run, from 1 */
	uint64_t file_id;  /* kernel identity; may be reused after release */
	const struct ls_file *file; /* never NULL once created by the engine */
	struct ls_ofd_ext *ext;     /* NULL: none; read with ls_ofd_ext, ls_ofd_state */
	uint32_t refs;     /* open fds that point at it (exit_fds records are not counted) */
	uint32_t file_flags;
	uint8_t res_type;  /* enum ls_res_type */
	/* the registry's (ofd_registry.c) */
	bool ext_full : 1; /* ext is a whole struct ls_ofd_ext, not just its state */
	bool in_index : 1; /* found by file_id */
	bool closed : 1;   /* no fd nor queue holds it any more: dead in the kernel */
	uint32_t exit_records;
	struct ls_ofd *index_next;
};

extern const struct ls_ofd_ext ls_ofd_ext_none;

static inline const struct ls_ofd_ext *ls_ofd_ext(const struct ls_ofd *o)
{
	return o->ext && o->ext_full ? o->ext : &ls_ofd_ext_none;
}

static inline const struct ls_ofd_state *ls_ofd_state(const struct ls_ofd *o)
{
	return o->ext ? &o->ext->state : &ls_ofd_ext_none.state;
}

/* Accesses of an fd (LS_EV_FD_ACCESS facts). */
struct ls_fd_use {
	uint64_t accesses;     /* reads, writes, sends, receives, ... since it was created */
	uint64_t last_access_ns; /* 0: never used */
};

static inline uint64_t ls_fd_accesses(const struct ls_fd_use *u)
{
	return u ? u->accesses : 0;
}

/* One fd lifecycle: (process, fd, generation). */
struct ls_fd {
	struct ls_ofd *ofd;
	struct ls_fd_use *use; /* NULL: no LS_EV_FD_ACCESS arrived, its use is unknown */
	uint64_t created_ns;
	uint64_t released_ns;
	int fd;
	uint32_t generation;   /* how many lifecycles this fd number had before, per fd table
				* (per process, unless tables are shared with CLONE_FILES) */
	uint32_t tid;          /* thread that created it */
	uint32_t stack_id;     /* where it was created (stack_table.h); 0: unknown */
	int src_fd;            /* dup family: the source fd; else -1 */
	uint16_t syscall;      /* enum ls_syscall that created it */
	uint8_t release;       /* enum ls_release */
	uint8_t fd_flags : 1;  /* LS_FD_CLOEXEC */
	bool inherited : 1;    /* came with fork, not created by this process */
	bool before_attach : 1; /* existed before observation started */
};

/* A syscall given an fd that was not open: it failed with EBADF. */
enum ls_misuse_kind {
	LS_MISUSE_DOUBLE_CLOSE = 0, /* closed again after a close */
	LS_MISUSE_CLOSE_UNOPENED,   /* closed, never open (or closed before observation) */
	LS_MISUSE_USE_AFTER_CLOSE,  /* read, write, ... after a close */
	LS_MISUSE_USE_UNOPENED,     /* used, never open (often -1 from a failed open) */
	LS_MISUSE_KIND_MAX,
};

struct ls_misuse {
	enum ls_misuse_kind kind;
	int fd;                /* the first fd it happened with */
	uint16_t syscall;      /* the failing syscall (enum ls_syscall) */
	uint32_t tid;
	uint64_t first_ns;
	uint64_t last_ns;
	uint64_t count;        /* the same kind and call site repeats: counted here */
	uint32_t stack_id;     /* where the fd was used (or closed again) */
	uint64_t closed_ns;    /* after a close: when it was closed, else 0 */
	uint32_t close_stack_id; /* and where */
};

/* A close a process made lately: what a later misuse of the number refers to. */
struct ls_recent_close {
	bool used;
	int fd;
	uint32_t stack_id;
	uint64_t closed_ns;
};

#define LS_RECENT_CLOSES 32
#define LS_MISUSES_MAX 64  /* distinct misuses kept per process; more are counted */

/* Where a received fd came from: the sender's lifecycle at the send (it may
 * have been closed since). */
struct ls_fd_origin {
	uint32_t pid;
	uint64_t serial;     /* the sending process's serial */
	int fd;
	uint32_t generation;
	uint64_t socket_id;  /* description of the socket whose receive queue it crossed */
	uint64_t sent_ns;
};

/*
 * A description sent with SCM_RIGHTS and not received yet. As in the kernel,
 * the receiving socket's queue keeps it alive: a description in flight
 * outlives its last fd, and dies with the queue.
 */
struct ls_inflight {
	struct ls_ofd *ofd;     /* in flight */
	struct ls_ofd *queue;   /* the unix socket whose receive queue holds it */
	const struct ls_process *sender;
	struct ls_fd_origin from;
	uint32_t tid;           /* the sending thread and call: a failed call takes it back */
	uint64_t call_ns;
	uint16_t msg_index;
};

struct ls_type_counts {
	uint64_t created;   /* by this process (inherited fds not counted) */
	uint64_t released;  /* close, close_range, dup-over, exec */
	uint64_t at_exit;   /* released only because the process exited */
	uint64_t open;      /* open now, inherited ones included */
};

struct ls_fdtable; /* private: shared between processes with CLONE_FILES */

/* The counts a process keeps a series of, each with the limit it runs into. */
enum ls_growth_class {
	LS_CLASS_FDS = 0,  /* open fds, every type: RLIMIT_NOFILE */
	LS_CLASS_THREADS,  /* threads: kernel.threads-max */
	LS_CLASS_MAPPINGS, /* VMAs as the kernel counts them: vm.max_map_count */
	LS_CLASS_MAX,
};

/* A process's RLIMIT_NOFILE, as the last fact about it said. */
struct ls_rlimit {
	bool known;
	uint64_t cur;       /* soft; LS_RLIM_INFINITY: unlimited */
	uint64_t max;       /* hard */
	uint16_t syscall;   /* how it was learned: LS_SYS_SNAPSHOT (/proc), _SETRLIMIT, _PRLIMIT64 */
	uint32_t setter;    /* the process that set it; 0: read from /proc */
	uint64_t ns;        /* when */
};

struct ls_machine_limits {
	bool known;
	uint64_t threads_max;   /* 0: unknown */
	uint64_t max_map_count;
	uint64_t nr_open;
};

struct ls_process {
	uint64_t serial;    /* unique per process in this run: pids are reused */
	uint32_t pid;
	uint32_t ppid;      /* 0: unknown */
	uint64_t parent_serial; /* 0: parent not observed */
	char comm[LS_COMM_LEN + 1];
	char *args;         /* argv bytes, each NUL-terminated; NULL: unknown */
	size_t args_len;
	bool args_truncated;
	char *exe;          /* last exec'd filename; NULL: unknown */
	uint64_t start_ns;  /* fork, or first seen */
	uint64_t exit_ns;
	bool exited;
	uint32_t exit_code; /* wait status, valid if exited */
	bool reaped;        /* exited and waited for: no longer a zombie */
	uint64_t reap_ns;
	bool started_by_us;
	bool maybe_incomplete;    /* live when the kernel side lost records (LS_EV_LOSS) */
	uint32_t threads_live;    /* including the main thread */
	uint64_t threads_created; /* excluding the main thread */
	uint32_t execs;
	struct ls_fdtable *fdt;   /* NULL once exited */
	struct ls_type_counts counts[LS_RES_TYPE_MAX];
	/* memory mappings: the live set, and what the process did with them */
	struct ls_vma_set vmas;   /* emptied at exec and exit */
	uint64_t maps_created;    /* mmap calls (snapshots not counted) */
	uint64_t maps_released;   /* mappings unmapped whole */
	size_t maps_at_exit;      /* mappings the exit released */
	uint64_t anon_bytes_at_exit, file_bytes_at_exit;
	uint64_t brk_first, brk_now; /* heap end when first seen, and now */
	/* fd misuse, by kind and call site (engine_misuse.c) */
	struct ls_misuse *misuses;
	size_t nmisuses;
	size_t misuses_cap;
	uint64_t misuses_dropped; /* past LS_MISUSES_MAX */
	struct ls_recent_close recent_closes[LS_RECENT_CLOSES];
	unsigned int recent_next;
	/* fds still open when the process exited, in fd order (kept for reports);
	 * they and their ofds stay valid until engine_free */
	struct ls_fd **exit_fds;
	size_t exit_fds_len;
	size_t exit_fds_cap;
	struct ls_rlimit nofile;  /* a child inherits its parent's at fork */
	/* each class's count over time, since the process was first seen or
	 * attached (engine_series_at); and open fds per type, for the types it
	 * had open (NULL: never), freed at exit */
	struct ls_series series[LS_CLASS_MAX];
	struct ls_series *type_series[LS_RES_TYPE_MAX];
	uint32_t open_changed;    /* bit per type whose open count changed since sampled */
};

/* Things that should not happen in a consistent stream; counted, never fatal. */
struct ls_engine_stats {
	uint64_t events;
	uint64_t bad_events;      /* unknown type or wrong size: ignored */
	uint64_t unknown_fd;      /* close/setfd/dup of an fd the engine never saw */
	uint64_t unknown_process; /* event from a pid not seen before: created on the fly */
	uint64_t fd_replaced;     /* an fd was created where the engine thought one was open */
	uint64_t unknown_socket;  /* a socket update for a socket no open fd holds */
	uint64_t unknown_mapping; /* mremap of a range the engine never saw mapped */
	uint64_t scm_unfollowed;  /* SCM_RIGHTS messages to an address or to a socket no
				   * traced fd holds: not followed in flight */
	uint64_t oom;             /* allocation failed: the event was dropped */
};

/* Exited processes the engine let go of (engine_forget_exited): counts. */
struct ls_forgotten {
	uint64_t processes;
	uint64_t created[LS_RES_TYPE_MAX];
	uint64_t released[LS_RES_TYPE_MAX];         /* closed, before their exits */
	uint64_t released_at_exit[LS_RES_TYPE_MAX]; /* what their exits released */
	uint64_t misuses;
};

struct ls_engine;

struct ls_engine *engine_new(void);
void engine_free(struct ls_engine *eng);

/* Apply one record; size is the bytes available. Returns 0 or -EINVAL for a
 * malformed record, -ENOMEM when state could not be allocated (counted). */
int engine_apply(struct ls_engine *eng, const void *rec, size_t size);

const struct ls_engine_stats *engine_stats(const struct ls_engine *eng);
uint64_t engine_first_ns(const struct ls_engine *eng);
uint64_t engine_last_ns(const struct ls_engine *eng);

/* Processes in order of first sight, exited ones included. */
size_t engine_process_count(const struct ls_engine *eng);
const struct ls_process *engine_process_at(const struct ls_engine *eng, size_t i);
/* Where p is among engine_process_at's. */
size_t engine_process_index(const struct ls_engine *eng, const struct ls_process *p);
/*
 * Keep at most keep exited and reaped processes: the oldest others are freed
 * and folded into engine_forgotten's counts (a host watched for weeks keeps a
 * bounded state). A process whose SCM_RIGHTS sends are still in flight is
 * kept (the in-flight entry names it). Pointers to processes and fds are
 * invalid afterwards. Returns how many were forgotten. LS_EV_FORGET does the
 * same as an event.
 */
size_t engine_forget_exited(struct ls_engine *eng, size_t keep);
/* Whether engine_forget_exited(eng, keep) would free anything: a LS_EV_FORGET
 * is only worth writing (to the capture too) when it does. */
bool engine_forget_due(const struct ls_engine *eng, size_t keep);
const struct ls_forgotten *engine_forgotten(const struct ls_engine *eng);
/* The live process with this pid, or NULL. */
const struct ls_process *engine_find_live(const struct ls_engine *eng, uint32_t pid);
/* The process with this serial (ls_process.serial), exited or not, or NULL. */
const struct ls_process *engine_process_by_serial(const struct ls_engine *eng, uint64_t serial);

/* Open fds of a live process, in fd order (visit returns non-zero to stop). */
typedef int (*ls_fd_visit_fn)(const struct ls_process *p, const struct ls_fd *f, void *ctx);
int engine_visit_open_fds(const struct ls_engine *eng, const struct ls_process *p,
			  ls_fd_visit_fn visit, void *ctx);

/*
 * Optional observer of lifecycles that end: called once per release, with
 * f->release and f->released_ns set, for the process whose event caused it.
 * Lifecycles released other than at exit are freed right after the call, so
 * this is the only way to see them. fn must not call engine_apply. NULL: none.
 */
typedef void (*ls_release_fn)(const struct ls_process *p, const struct ls_fd *f, void *ctx);
void engine_set_release_hook(struct ls_engine *eng, ls_release_fn fn, void *ctx);

/* Descriptions in flight (SCM_RIGHTS), oldest first. */
size_t engine_inflight_count(const struct ls_engine *eng);
const struct ls_inflight *engine_inflight_at(const struct ls_engine *eng, size_t i);
/* Where an fd received with SCM_RIGHTS came from, if its send was seen; else NULL. */
const struct ls_fd_origin *engine_fd_origin(const struct ls_engine *eng, const struct ls_fd *f);
/* The series keep at least the last span_ns at 32-64 cells (the growth
 * window). Set it before the first event; the default is 300 s. */
#define ENGINE_DEFAULT_SERIES_SPAN_NS (300ULL * 1000000000ULL)
void engine_set_series_span(struct ls_engine *eng, uint64_t span_ns);
/* s (a process's series) as of now, its last count carried up to now. */
void engine_series_at(const struct ls_engine *eng, const struct ls_series *s, uint64_t now,
		      struct ls_series *out);
/* A live process's count of a class now. */
uint32_t engine_class_count(const struct ls_process *p, enum ls_growth_class c);
const struct ls_machine_limits *engine_host_limits(const struct ls_engine *eng);

/* The open file description of a live socket, by kernel identity, or NULL. */
const struct ls_ofd *engine_find_socket(const struct ls_engine *eng, uint64_t sock_id);

const char *ls_res_type_name(unsigned int t);
const char *ls_tcp_state_name(unsigned int state);
const char *ls_syscall_name(unsigned int s);
const char *ls_release_name(enum ls_release r);
const char *ls_misuse_name(enum ls_misuse_kind k);
const char *ls_growth_class_name(enum ls_growth_class c);

#endif /* LEAKSCOPE_ENGINE_H */
