// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What every probe shares: the filter, the maps, the ring buffer, the fd
 * table, and the per-thread join of syscall enter and exit.
 */
#ifndef LEAKSCOPE_COMMON_BPF_H
#define LEAKSCOPE_COMMON_BPF_H

/* A typed, read-only view of a kernel pointer (kfunc, Linux 6.2+): fields
 * are then read with plain fault-checked loads, not one helper call each. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

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
#define SOL_SOCKET 1
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

/* Traced processes that exited and are not reaped yet (zombies): tgid -> the
 * leader's start_time, which tells the process from a later one with the
 * same pid (the free of a reaped task comes an RCU grace period late, when
 * its pid may already belong to a new process that exited too). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u64);
} unreaped_tgids SEC(".maps");

/* How often and when each open fd was used (access_probes.bpf.h); an entry
 * is reset when its fd is created again. LRU: a process that exits leaves
 * its entries to be evicted. */
struct fd_key {
	__u32 tgid;
	__s32 fd;
};

struct fd_use {
	__u64 count;
	__u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 131072);
	__type(key, struct fd_key);
	__type(value, struct fd_use);
} fd_access SEC(".maps");

/* Arguments saved at syscall enter, keyed by thread id. */
struct pending {
	__u16 syscall; /* enum ls_syscall */
	__u16 pad;
	__s32 a0;
	__s64 a1;
	__s64 a2;
	__u64 uptr; /* user pointer: int[2] for pipe/socketpair */
};

/* Per-thread storage: no hashing on the hot path, freed with the task (a
 * syscall cut short by exit leaves nothing behind). syscall 0: nothing saved. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct pending);
} pending_args SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LS_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/*
 * Paths are assembled right to left; twice the size keeps masked offsets in
 * bounds. Tracing programs run with migration, not preemption, disabled: two
 * can interleave on one CPU, so each takes a slot of its own (measured: one
 * shared buffer gave an open the path of another process's file).
 */
#define PATH_SLOTS 4

struct path_buf {
	__u64 busy[PATH_SLOTS]; /* 64-bit: cmpxchg needs it without -mcpu=v3 */
	char buf[PATH_SLOTS][LS_PATH_MAX * 2];
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

	/* atomic: another program may preempt this one on the same CPU */
	if (v)
		__sync_fetch_and_add(v, 1);
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
	__u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	__u64 size = ((struct ls_event_header *)e)->size;
	__u64 flags = BPF_RB_NO_WAKEUP;

	/* Only the record that crosses the mark wakes the consumer: it then
	 * drains all there is. A wakeup per record past the mark was an
	 * interrupt per syscall while the consumer caught up (measured: a fifth
	 * of the traced CPU's time with stacks on). Racing producers may both
	 * miss the crossing; the timer drain covers that. */
	if (avail >= wakeup_bytes && avail - size < wakeup_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(e, flags);
	stat_inc(LS_STAT_EVENTS);
}

static __always_inline struct fdtable *current_fdtable(void)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct files_struct *files = bpf_rdonly_cast(task->files,
						     bpf_core_type_id_kernel(struct files_struct));

	return bpf_rdonly_cast(files->fdt, bpf_core_type_id_kernel(struct fdtable));
}

static __always_inline struct file *fdtable_file(struct fdtable *fdt, int fd)
{
	struct file **files;
	struct file *f = NULL;

	if (fd < 0 || (unsigned int)fd >= fdt->max_fds)
		return NULL;
	files = fdt->fd;
	bpf_probe_read_kernel(&f, sizeof(f), &files[fd]);
	return f;
}

static __always_inline bool fdtable_cloexec(struct fdtable *fdt, int fd)
{
	unsigned long *bits = fdt->close_on_exec;
	unsigned long word = 0;

	bpf_probe_read_kernel(&word, sizeof(word), &bits[fd / 64]);
	return (word >> (fd % 64)) & 1;
}

/* --- syscalls joined enter → exit ---------------------------------------- */

/* Whatever the caller: a syscall that acts on another process (prlimit64)
 * is filtered by its target at exit. */
static __always_inline int save_args_any(__u16 syscall, __s32 a0, __s64 a1, __s64 a2,
					 __u64 uptr)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pending *p;

	p = bpf_task_storage_get(&pending_args, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!p) {
		stat_inc(LS_STAT_JOIN_FULL);
		return 0;
	}
	p->syscall = syscall;
	p->a0 = a0;
	p->a1 = a1;
	p->a2 = a2;
	p->uptr = uptr;
	return 0;
}

static __always_inline int save_args(__u16 syscall, __s32 a0, __s64 a1, __s64 a2, __u64 uptr)
{
	if (!tgid_traced(bpf_get_current_pid_tgid() >> 32))
		return 0;
	return save_args_any(syscall, a0, a1, a2, uptr);
}

/*
 * Returns the saved arguments (copied out) if this thread's enter of the same
 * syscall was saved. An entry of another syscall is stale (its exit was never
 * seen, e.g. the probes were attached in between) and is dropped.
 */
static __always_inline bool take_args(__u16 syscall, struct pending *out)
{
	struct pending *p = bpf_task_storage_get(&pending_args, bpf_get_current_task_btf(), 0, 0);
	bool match;

	if (!p || !p->syscall)
		return false;
	*out = *p;
	match = p->syscall == syscall;
	p->syscall = 0;
	return match;
}

#endif /* LEAKSCOPE_COMMON_BPF_H */
