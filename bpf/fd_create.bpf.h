// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The one event of every new fd, whatever made it. */
#ifndef LEAKSCOPE_FD_CREATE_BPF_H
#define LEAKSCOPE_FD_CREATE_BPF_H

/* What an fd or a mapping says about its file. */
struct file_identity {
	__u64 ino;
	__u32 dev;
	__u32 mode;
	__u32 flags;
	__u32 magic;
};

static __always_inline struct file_identity read_file_identity(struct file *f)
{
	/* typed view: plain loads (fault-checked) instead of a helper call each */
	struct file *bf = bpf_rdonly_cast(f, bpf_core_type_id_kernel(struct file));
	struct inode *inode = bf->f_inode;
	struct super_block *sb = inode->i_sb;
	struct file_identity id = {
		.ino = inode->i_ino,
		.dev = sb->s_dev,
		.mode = inode->i_mode,
		.flags = bf->f_flags,
		.magic = sb->s_magic,
	};

	return id;
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
	struct file *f;

	{
		/* a new lifecycle of this fd number starts with no uses */
		struct fd_key k = { .tgid = bpf_get_current_pid_tgid() >> 32, .fd = fd };

		bpf_map_delete_elem(&fd_access, &k);
	}
	e = event_reserve(sizeof(*e), LS_EV_FD_CREATE);
	if (!e)
		return 0;
	/* everything before the path: a record is never sent with stale bytes */
	__builtin_memset((char *)e + sizeof(e->hdr), 0,
			 offsetof(struct ls_fd_create, path) - sizeof(e->hdr));
	e->fd = fd;
	e->src_fd = src_fd;
	e->peer_fd = peer_fd;
	e->syscall = syscall;

	/* Another thread may close the fd before we look: then we know less. */
	f = fdtable_file(fdt, fd);
	if (f) {
		struct file_identity id = read_file_identity(f);

		e->file_id = (__u64)f;
		e->file_flags = id.flags;
		e->mode = id.mode;
		e->ino = id.ino;
		e->dev = id.dev;
		e->fs_magic = id.magic;
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

#endif /* LEAKSCOPE_FD_CREATE_BPF_H */
