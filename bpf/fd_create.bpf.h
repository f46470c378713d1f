// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The one event of every new fd, whatever made it. */
#ifndef LEAKSCOPE_FD_CREATE_BPF_H
#define LEAKSCOPE_FD_CREATE_BPF_H

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
		/* typed view: plain loads (fault-checked) instead of a helper call each */
		struct file *bf = bpf_rdonly_cast(f, bpf_core_type_id_kernel(struct file));
		struct super_block *sb;

		inode = bf->f_inode;
		sb = inode->i_sb;
		e->file_id = (__u64)f;
		e->file_flags = bf->f_flags;
		e->mode = inode->i_mode;
		e->ino = inode->i_ino;
		e->dev = sb->s_dev;
		e->fs_magic = sb->s_magic;
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
