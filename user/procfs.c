// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "procfs.h"

#define CGROUP2_SUPER_MAGIC 0x63677270

int pid_list_add(struct pid_list *l, uint32_t pid)
{
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		uint32_t *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->len++] = pid;
	return 0;
}

bool pid_list_has(const struct pid_list *l, uint32_t pid)
{
	for (size_t i = 0; i < l->len; i++)
		if (l->v[i] == pid)
			return true;
	return false;
}

void pid_list_free(struct pid_list *l)
{
	free(l->v);
	l->v = NULL;
	l->len = l->cap = 0;
}

static ssize_t read_small(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -errno;
	n = fread(buf, 1, len, f);
	fclose(f);
	return n;
}

/* ppid from /proc/PID/stat: the comm may hold spaces and ')', so parse after the last ')' */
static int read_ppid(uint32_t pid, uint32_t *ppid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	char state;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	n = read_small(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return n == -ENOENT ? -ESRCH : n;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %u", &state, ppid) != 2)
		return -EINVAL;
	return 0;
}

/* "Threads:\t4" in /proc/PID/status; 0 if unknown */
static uint32_t read_threads(uint32_t pid)
{
	char path[64], line[128];
	unsigned int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %u", &n) == 1)
			break;
	fclose(f);
	return n;
}

int procfs_read_attach(uint32_t pid, uint64_t ts_ns, struct ls_proc_attach *a)
{
	char path[64];
	ssize_t n;
	int err;

	memset(a, 0, sizeof(*a));
	a->hdr.type = LS_EV_PROC_ATTACH;
	a->hdr.size = sizeof(*a);
	a->hdr.ts_ns = ts_ns;
	a->hdr.tgid = pid;
	a->hdr.tid = pid;
	err = read_ppid(pid, &a->ppid);
	if (err)
		return err;
	snprintf(path, sizeof(path), "/proc/%u/comm", pid);
	n = read_small(path, a->comm, sizeof(a->comm) - 1);
	if (n > 0 && a->comm[n - 1] == '\n')
		a->comm[n - 1] = '\0';
	a->threads = read_threads(pid);
	snprintf(path, sizeof(path), "/proc/%u/exe", pid);
	n = readlink(path, a->exe, sizeof(a->exe));
	if (n > 0)
		a->exe_len = n;
	snprintf(path, sizeof(path), "/proc/%u/cmdline", pid);
	n = read_small(path, a->args, sizeof(a->args));
	if (n > 0) {
		a->args_len = n;
		/* a full buffer may have been cut */
		a->args_truncated = (size_t)n == sizeof(a->args);
	}
	return 0;
}

int procfs_list_processes(struct pid_list *out)
{
	uint32_t self = getpid();
	struct dirent *de;
	DIR *dir = opendir("/proc");
	int err = 0;

	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		char *end;
		unsigned long pid = strtoul(de->d_name, &end, 10);

		if (*end || end == de->d_name || pid == 0 || pid == self)
			continue;
		err = pid_list_add(out, pid);
		if (err)
			break;
	}
	closedir(dir);
	return err;
}

int procfs_descendants(const struct pid_list *roots, struct pid_list *out)
{
	struct pid_list all = { 0 };
	uint32_t *ppids;
	bool grew = true;
	int err;

	for (size_t i = 0; i < roots->len; i++)
		if ((err = pid_list_add(out, roots->v[i])))
			return err;
	err = procfs_list_processes(&all);
	if (err)
		return err;
	ppids = calloc(all.len ? all.len : 1, sizeof(*ppids));
	if (!ppids) {
		pid_list_free(&all);
		return -ENOMEM;
	}
	for (size_t i = 0; i < all.len; i++)
		if (read_ppid(all.v[i], &ppids[i]))
			ppids[i] = 0;
	/* a fixed point: process trees here are shallow and small */
	while (grew && !err) {
		grew = false;
		for (size_t i = 0; i < all.len && !err; i++) {
			if (!ppids[i] || pid_list_has(out, all.v[i]) || !pid_list_has(out, ppids[i]))
				continue;
			err = pid_list_add(out, all.v[i]);
			grew = true;
		}
	}
	free(ppids);
	pid_list_free(&all);
	return err;
}

static bool is_cgroup2(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && (uint32_t)sfs.f_type == CGROUP2_SUPER_MAGIC;
}

int cgroup_resolve(const char *path, struct cgroup_target *cg)
{
	char real[PATH_MAX], up[PATH_MAX];
	struct stat st;
	char *slash;
	size_t root_len;

	if (!realpath(path, real))
		return -errno;
	if (stat(real, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode) || !is_cgroup2(real))
		return -ENOTDIR;
	/* on cgroup v2 a directory's inode number is the cgroup id */
	cg->id = st.st_ino;
	cg->level = 0;
	snprintf(up, sizeof(up), "%s", real);
	root_len = strlen(up);
	for (;;) {
		slash = strrchr(up, '/');
		if (!slash || slash == up)
			break;
		*slash = '\0';
		if (!is_cgroup2(up))
			break;
		root_len = strlen(up);
		cg->level++;
	}
	snprintf(cg->rel, sizeof(cg->rel), "%s", real[root_len] ? real + root_len : "/");
	return 0;
}

/* "0::/a/b" in /proc/PID/cgroup is the v2 path */
static int read_cgroup2_path(uint32_t pid, char *buf, size_t len)
{
	char path[64], line[4200];
	int err = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(buf, len, "%s", line + 3);
		err = 0;
		break;
	}
	fclose(f);
	return err;
}

int procfs_cgroup_members(const struct cgroup_target *cg, struct pid_list *out)
{
	struct pid_list all = { 0 };
	size_t rel_len = strlen(cg->rel);
	char path[4200];
	int err;

	err = procfs_list_processes(&all);
	for (size_t i = 0; i < all.len && !err; i++) {
		if (read_cgroup2_path(all.v[i], path, sizeof(path)))
			continue;
		if (strcmp(cg->rel, "/") != 0 &&
		    (strncmp(path, cg->rel, rel_len) != 0 || (path[rel_len] && path[rel_len] != '/')))
			continue;
		err = pid_list_add(out, all.v[i]);
	}
	pid_list_free(&all);
	return err;
}

int procfs_file_state(uint32_t pid, int fd, uint64_t ts_ns, struct ls_file_state *e)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%u/fd/%d", pid, fd);
	/* stat follows the magic link even to an unlinked file */
	if (stat(path, &st))
		return -errno;
	memset(e, 0, sizeof(*e));
	e->hdr.type = LS_EV_FILE_STATE;
	e->hdr.size = sizeof(*e);
	e->hdr.ts_ns = ts_ns;
	e->hdr.tgid = pid;
	e->hdr.tid = pid;
	e->fd = fd;
	e->nlink = st.st_nlink;
	e->size = st.st_size;
	return 0;
}

/* "12345" or "unlimited" */
static int parse_limit(const char *s, __u64 *v)
{
	char *end;

	if (!strcmp(s, "unlimited")) {
		*v = LS_RLIM_INFINITY;
		return 0;
	}
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || end == s || *end ? -EINVAL : 0;
}

int procfs_read_limits(uint32_t pid, uint64_t ts_ns, struct ls_proc_limits *e)
{
	char path[64], line[256], soft[32], hard[32];
	int err = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/limits", pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	memset(e, 0, sizeof(*e));
	while (fgets(line, sizeof(line), f)) {
		/* "Max open files            1024                 4096                 files" */
		if (sscanf(line, "Max open files %31s %31s", soft, hard) != 2)
			continue;
		err = parse_limit(soft, &e->nofile_cur) ?: parse_limit(hard, &e->nofile_max);
		break;
	}
	fclose(f);
	if (err)
		return err;
	e->hdr.type = LS_EV_PROC_LIMITS;
	e->hdr.size = sizeof(*e);
	e->hdr.ts_ns = ts_ns;
	e->hdr.tgid = pid;
	e->hdr.tid = pid;
	e->syscall = LS_SYS_SNAPSHOT;
	return 0;
}

static uint64_t read_sysctl(const char *path)
{
	char buf[32];
	ssize_t n = read_small(path, buf, sizeof(buf) - 1);
	unsigned long long v;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return sscanf(buf, "%llu", &v) == 1 ? v : 0;
}

void procfs_read_host_limits(uint64_t ts_ns, struct ls_host_limits *e)
{
	memset(e, 0, sizeof(*e));
	e->hdr.type = LS_EV_HOST_LIMITS;
	e->hdr.size = sizeof(*e);
	e->hdr.ts_ns = ts_ns;
	e->threads_max = read_sysctl("/proc/sys/kernel/threads-max");
	e->max_map_count = read_sysctl("/proc/sys/vm/max_map_count");
	e->nr_open = read_sysctl("/proc/sys/fs/nr_open");
}
