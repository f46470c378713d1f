// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "snapshot.h"

static bool skipped(int fd, const int *skip, size_t nskip)
{
	for (size_t i = 0; i < nskip; i++)
		if (skip[i] == fd)
			return true;
	return false;
}

/* "flags:\t02100002" in /proc/PID/fdinfo/FD: f_flags plus O_CLOEXEC. */
static unsigned int read_fdinfo_flags(uint32_t pid, int fd)
{
	char path[64], line[128];
	unsigned int flags = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/fdinfo/%d", pid, fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "flags: %o", &flags) == 1)
			break;
	fclose(f);
	return flags;
}

static void fill_one(struct ls_fd_create *e, uint32_t pid, int fd)
{
	char path[64];
	struct statfs sfs;
	struct stat st;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%u/fd/%d", pid, fd);
	n = readlink(path, e->path, sizeof(e->path));
	if (n < 0)
		n = 0;
	e->path_len = n;
	e->path_truncated = n == (ssize_t)sizeof(e->path);
	/* readlink gives no NUL; res_type_of needs one, so compare on a copy */
	char link[LS_PATH_MAX + 1];
	memcpy(link, e->path, n);
	link[n] = '\0';
	if (statfs(path, &sfs) == 0)
		e->fs_magic = (uint32_t)sfs.f_type;
	if (stat(path, &st) == 0) {
		e->mode = st.st_mode;
		e->ino = st.st_ino;
		e->dev = (major(st.st_dev) << 20) | minor(st.st_dev);
	}
	e->res_type = ls_res_type_of_mode(e->mode, strncmp(link, "pipe:[", 6) == 0);
	/* pipes and sockets are named from the inode by the reports, as the kernel does */
	if (e->res_type == LS_RES_PIPE || e->res_type == LS_RES_SOCKET)
		e->path_len = 0;
	e->file_flags = read_fdinfo_flags(pid, fd);
	if (e->file_flags & O_CLOEXEC) {
		e->fd_flags = LS_FD_CLOEXEC;
		e->file_flags &= ~O_CLOEXEC;
	}
}

int snapshot_fds(uint32_t pid, uint64_t ts_ns, const int *skip, size_t nskip,
		 snapshot_emit_fn emit, void *ctx)
{
	struct ls_fd_create *e;
	char dir_path[64];
	struct dirent *de;
	int count = 0, err = 0;
	DIR *dir;

	snprintf(dir_path, sizeof(dir_path), "/proc/%u/fd", pid);
	dir = opendir(dir_path);
	if (!dir)
		return -errno;
	e = malloc(sizeof(*e));
	if (!e) {
		closedir(dir);
		return -ENOMEM;
	}
	while ((de = readdir(dir))) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);

		if (*end || end == de->d_name || fd < 0 ||
		    skipped(fd, skip, nskip))
			continue;
		memset(e, 0, sizeof(*e));
		e->hdr.type = LS_EV_FD_CREATE;
		e->hdr.size = sizeof(*e);
		e->hdr.ts_ns = ts_ns;
		e->hdr.tgid = pid;
		e->hdr.tid = pid;
		e->fd = fd;
		e->src_fd = -1;
		e->peer_fd = -1;
		e->syscall = LS_SYS_SNAPSHOT;
		fill_one(e, pid, fd);
		err = emit(ctx, e, sizeof(*e));
		if (err)
			break;
		count++;
	}
	free(e);
	closedir(dir);
	return err ? err : count;
}

/* "7f1c2a000000-7f1c2a021000 r-xp 00000000 fe:00 1234   /usr/lib/x.so" */
static int parse_maps_line(const char *line, struct ls_mmap *e)
{
	unsigned long long start, end, offset, ino;
	unsigned int maj, min;
	char perms[5];
	int path_at = 0;

	if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu %n", &start, &end, perms, &offset, &maj,
		   &min, &ino, &path_at) < 7)
		return -EINVAL;
	e->addr = start;
	e->offset = offset;
	e->len = end - start;
	e->prot = (perms[0] == 'r' ? LS_PROT_READ : 0) | (perms[1] == 'w' ? LS_PROT_WRITE : 0) |
		  (perms[2] == 'x' ? LS_PROT_EXEC : 0);
	e->flags = perms[3] == 's' ? LS_MAP_SHARED : LS_MAP_PRIVATE;
	e->fd = -1;
	if (ino && path_at && line[path_at] == '/') {
		size_t n = strcspn(line + path_at, "\n");

		e->ino = ino;
		e->dev = (maj << 20) | min;
		if (n > sizeof(e->path)) {
			n = sizeof(e->path);
			e->path_truncated = 1;
		}
		memcpy(e->path, line + path_at, n);
		e->path_len = n;
	} else {
		e->flags |= LS_MAP_ANONYMOUS;
	}
	return 0;
}

int snapshot_maps(uint32_t pid, uint64_t ts_ns, snapshot_emit_fn emit, void *ctx)
{
	char path[64], line[LS_PATH_MAX + 128];
	struct ls_mmap *e;
	int count = 0, err = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	e = malloc(sizeof(*e));
	if (!e) {
		fclose(f);
		return -ENOMEM;
	}
	while (fgets(line, sizeof(line), f)) {
		/* a line longer than the buffer: skip the rest of it */
		if (!strchr(line, '\n') && !feof(f)) {
			int c;

			while ((c = fgetc(f)) != EOF && c != '\n')
				;
		}
		memset(e, 0, sizeof(*e));
		if (parse_maps_line(line, e))
			continue;
		e->hdr.type = LS_EV_MMAP;
		e->hdr.size = sizeof(*e);
		e->hdr.ts_ns = ts_ns;
		e->hdr.tgid = pid;
		e->hdr.tid = pid;
		e->snapshot = LS_MMAP_SNAPSHOT;
		err = emit(ctx, e, sizeof(*e));
		if (err)
			break;
		count++;
	}
	free(e);
	fclose(f);
	return err ? err : count;
}
