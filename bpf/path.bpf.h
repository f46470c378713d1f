// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Names of files as /proc/PID/fd shows them, walked up dentries and mounts. */
#ifndef LEAKSCOPE_PATH_BPF_H
#define LEAKSCOPE_PATH_BPF_H

struct path_walk {
	struct dentry *d;
	struct mount *mnt;
	char *buf;         /* this walk's slot of the per-CPU scratch */
	__u32 pos;
	bool complete;
};

/* One step up: a dentry's name, or a hop from a mount's root to its mountpoint.
 * Run under bpf_loop so the verifier checks one step, not every unrolled path. */
static long path_step(__u32 i, void *ctx)
{
	struct path_walk *w = ctx;
	/* typed views: plain fault-checked loads, not a helper call per field */
	struct dentry *d = bpf_rdonly_cast(w->d, bpf_core_type_id_kernel(struct dentry));
	struct mount *mnt = bpf_rdonly_cast(w->mnt, bpf_core_type_id_kernel(struct mount));
	struct dentry *parent = d->d_parent;
	struct dentry *root = mnt->mnt.mnt_root;
	char *buf = w->buf;
	struct qstr name;
	__u32 n, pos = w->pos;

	if (d == root) {
		struct mount *up = mnt->mnt_parent;

		if (up == mnt) {
			w->complete = true;
			return 1;
		}
		w->d = mnt->mnt_mountpoint;
		w->mnt = up;
		return 0;
	}
	/* a disconnected dentry (its own parent: memfd, pidfd) still has a
	 * name, and d_path shows it as "/name": so do we */
	name.len = d->d_name.len;
	name.name = d->d_name.name;
	n = name.len;
	if (n + 2 > pos || pos > LS_PATH_MAX) /* keep pos >= 1: the final copy stays in bounds */
		return 1;
	pos -= n;
	bpf_probe_read_kernel(&buf[pos & (LS_PATH_MAX - 1)], n & (LS_PATH_MAX - 1), name.name);
	pos -= 1;
	buf[pos & (LS_PATH_MAX - 1)] = '/';
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
	struct path_buf *pb;
	__u32 zero = 0, n, slot;

	pb = bpf_map_lookup_elem(&path_scratch, &zero);
	if (!pb)
		return;
	for (slot = 0; slot < PATH_SLOTS; slot++)
		if (__sync_val_compare_and_swap(&pb->busy[slot], 0, 1) == 0)
			break;
	if (slot >= PATH_SLOTS) {
		stat_inc(LS_STAT_PATH_BUSY);
		return;
	}
	w.buf = pb->buf[slot];
	bpf_loop(PATH_DEPTH, path_step, &w, 0);
	if (w.pos == LS_PATH_MAX) {
		w.pos -= 1;
		w.buf[w.pos & (LS_PATH_MAX - 1)] = '/';
	}
	/* pos >= 1 here, so n < LS_PATH_MAX and the mask changes nothing */
	n = (LS_PATH_MAX - w.pos) & (LS_PATH_MAX - 1);
	bpf_probe_read_kernel(path, n, &w.buf[w.pos & (LS_PATH_MAX - 1)]);
	pb->busy[slot] = 0;
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

#endif /* LEAKSCOPE_PATH_BPF_H */
