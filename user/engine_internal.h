/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What engine.c (records, accessors), engine_proc.c (process events) and
 * engine_fd.c (fd events) share. Not for the rest of leakscope.
 *
 * Counting when processes share one fd table (clone(CLONE_FILES)):
 * created, released and at_exit go to the process whose event caused them;
 * open is the table's view, the same for every live process that uses it
 * (fdtable.c keeps it so). An exited process has nothing open.
 */
#ifndef LEAKSCOPE_ENGINE_INTERNAL_H
#define LEAKSCOPE_ENGINE_INTERNAL_H

#include "engine.h"
#include "fdtable.h"
#include "ofd_registry.h"
#include "u64_map.h"

/* A stack unwound for a thread's syscall, waiting for the records it made. */
struct pending_stack {
	uint32_t tid;
	uint16_t syscall;
	uint16_t records;  /* records still to take it; 0: slot free */
	uint32_t stack_id;
};

#define PENDING_STACKS 4 /* threads of one process between a stack and its records */

struct proc_entry {
	struct ls_process proc;   /* first: the API hands out &proc */
	struct pending_stack stacks[PENDING_STACKS];
	unsigned int stacks_next; /* the slot to reuse next */
	struct u64_map_node node; /* in ls_engine.live while not exited */
	struct u64_map_node unreaped_node; /* in ls_engine.unreaped while a zombie */
	bool in_unreaped;
};

struct ls_engine {
	struct ls_engine_stats stats;
	struct ls_forgotten forgotten;
	uint64_t first_ns;
	uint64_t last_ns;
	bool seen_ts;
	struct proc_entry **procs; /* in order of first sight */
	size_t nprocs;
	size_t procs_cap;
	struct u64_map live;       /* pid -> live proc_entry */
	struct u64_map unreaped;   /* pid -> exited, not yet reaped proc_entry */
	size_t nreaped;            /* exited and reaped: what engine_forget_exited may free */
	uint64_t last_serial;
	struct ofd_registry ofds;
	struct fd_store fds;       /* every struct ls_fd */
	struct u64_map origins;    /* ls_fd address -> where an fd received with
				    * SCM_RIGHTS came from (engine_scm.c) */
	ls_release_fn release_hook;
	void *release_ctx;
	uint64_t series_span_ns;
	struct ls_machine_limits host;
	struct ls_process *last_proc; /* eng_process_of's last answer: the sampling
				       * after an event looks it up again */
};

/* The fds these syscalls create came with SCM_RIGHTS over a unix socket. */
static inline bool eng_received_rights(uint16_t syscall)
{
	return syscall == LS_SYS_RECVMSG || syscall == LS_SYS_RECVMMSG;
}

static inline struct proc_entry *proc_entry_of(const struct ls_process *p)
{
	return (struct proc_entry *)((char *)p - offsetof(struct proc_entry, proc));
}

/* engine_proc.c */
struct ls_process *eng_find_live(const struct ls_engine *eng, uint32_t pid);
/* The live process of this header's tgid, created on the fly when unknown. */
struct ls_process *eng_process_of(struct ls_engine *eng, const struct ls_event_header *h,
				  int *err);
/* Give p a private copy of its table if another live process shares it. */
int eng_unshare_files(struct ls_engine *eng, struct ls_process *p);
/* Free everything a process holds (engine_free). */
void eng_process_free(struct ls_engine *eng, struct proc_entry *pe);
int eng_on_fork(struct ls_engine *eng, const struct ls_proc_fork *e);
int eng_on_exec(struct ls_engine *eng, const struct ls_proc_exec *e);
int eng_on_exit(struct ls_engine *eng, const struct ls_proc_exit *e);
int eng_on_attach(struct ls_engine *eng, const struct ls_proc_attach *e);
int eng_on_reap(struct ls_engine *eng, const struct ls_proc_reap *e);

/* engine_stack.c */
int eng_on_stack_ref(struct ls_engine *eng, const struct ls_stack_ref *e);
/* The stack of the syscall that made this record (a thread's records follow
 * its stack), or 0. Each record takes it once: pipe's two fds both do, and a
 * later syscall whose stack was left out does not. */
uint32_t eng_take_stack(struct ls_process *p, const struct ls_event_header *h,
			uint16_t syscall);

/* engine_misuse.c */
int eng_on_fd_misuse(struct ls_engine *eng, const struct ls_fd_misuse *e);
int eng_on_fd_access(struct ls_engine *eng, const struct ls_fd_access *e);
/* p closed fd by close(): remember where, for a later misuse of the number. */
void eng_note_close(struct ls_process *p, const struct ls_event_header *h, int fd,
		    uint16_t syscall);

/* engine_fd.c */
/* End the lifecycle at fd (open) in p's table and free it; counted on p. */
void eng_fd_release(struct ls_engine *eng, struct ls_process *p, int fd,
		    enum ls_release why, uint64_t ts);
/* Tell the observer, if any, that f ended. */
void eng_report_release(const struct ls_engine *eng, const struct ls_process *p,
			const struct ls_fd *f);
/* Free a lifecycle record and what hangs off it; its ofd ref is the caller's. */
void eng_fd_free(struct ls_engine *eng, struct ls_fd *f);
/* Release every fd of a table nobody uses any more, without counting. */
void eng_fdtable_destroy(struct ls_engine *eng, struct ls_fdtable *t);
int eng_on_fd_create(struct ls_engine *eng, const struct ls_fd_create *e);
int eng_on_fd_close(struct ls_engine *eng, const struct ls_fd_close *e);
int eng_on_close_range(struct ls_engine *eng, const struct ls_close_range *e);
int eng_on_fd_setfd(struct ls_engine *eng, const struct ls_fd_setfd *e);

/* engine_mmap.c */
int eng_on_mmap(struct ls_engine *eng, const struct ls_mmap *e);
int eng_on_munmap(struct ls_engine *eng, const struct ls_munmap *e);
int eng_on_mremap(struct ls_engine *eng, const struct ls_mremap *e);
int eng_on_brk(struct ls_engine *eng, const struct ls_brk *e);

/* engine_scm.c */
int eng_on_scm_send(struct ls_engine *eng, const struct ls_scm_send *e);
/* f was just created by recvmsg: if its description was in flight, it
 * arrived, and f remembers where from. */
int eng_scm_received(struct ls_engine *eng, const struct ls_fd *f);
/* f's record is about to be freed. */
void eng_scm_forget(struct ls_engine *eng, const struct ls_fd *f);

/* engine_sock.c */
int eng_on_sock_update(struct ls_engine *eng, const struct ls_sock_update *e);
int eng_on_epoll_ctl(struct ls_engine *eng, const struct ls_epoll_ctl *e);
int eng_on_file_state(struct ls_engine *eng, const struct ls_file_state *e);
/* Link a socket and its unix peer both ways if the peer is known. */
void eng_link_socket_peer(struct ls_engine *eng, struct ls_ofd *o);

/* engine_growth.c */
int eng_on_proc_limits(struct ls_engine *eng, const struct ls_proc_limits *e);
int eng_on_host_limits(struct ls_engine *eng, const struct ls_host_limits *e);
/* After an event was applied: the series of the processes whose counts it
 * may have changed (child_tgid: a fork's child, else 0). */
void eng_sample_counts(struct ls_engine *eng, const struct ls_event_header *h,
		       uint32_t child_tgid);
/* The per-type series of a process that exited, or is freed. */
void eng_growth_release(struct ls_process *p);

#endif /* LEAKSCOPE_ENGINE_INTERNAL_H */
