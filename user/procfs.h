/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What /proc and the cgroup filesystem say about processes that existed
 * before leakscope started. Facts read here reach the engine as events.
 */
#ifndef LEAKSCOPE_PROCFS_H
#define LEAKSCOPE_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bpf/events.h"

struct pid_list {
	uint32_t *v;
	size_t len;
	size_t cap;
};

int pid_list_add(struct pid_list *l, uint32_t pid);
bool pid_list_has(const struct pid_list *l, uint32_t pid);
void pid_list_free(struct pid_list *l);

/* Fill an LS_EV_PROC_ATTACH for pid (comm, ppid, argv). -ESRCH if it is gone. */
int procfs_read_attach(uint32_t pid, uint64_t ts_ns, struct ls_proc_attach *a);
/* Every process now (thread groups, not threads), leakscope's own excluded. */
int procfs_list_processes(struct pid_list *out);
/* roots and all their descendants, from the parent links in /proc. */
int procfs_descendants(const struct pid_list *roots, struct pid_list *out);

/* A cgroup v2 directory: its id (what bpf_get_current_cgroup_id returns),
 * depth below the v2 root, and path relative to that root ("/a/b").
 * -ENOTDIR if path is not a cgroup v2 directory. */
struct cgroup_target {
	uint64_t id;
	uint32_t level;
	char rel[4096];
};

int cgroup_resolve(const char *path, struct cgroup_target *cg);
/* Processes whose cgroup v2 path is rel or below it. */
int procfs_cgroup_members(const struct cgroup_target *cg, struct pid_list *out);

/* Link count and size of an open file now, as an LS_EV_FILE_STATE. */
int procfs_file_state(uint32_t pid, int fd, uint64_t ts_ns, struct ls_file_state *e);

/* RLIMIT_NOFILE of pid now (/proc/PID/limits), as an LS_EV_PROC_LIMITS. */
int procfs_read_limits(uint32_t pid, uint64_t ts_ns, struct ls_proc_limits *e);
/* kernel.threads-max, vm.max_map_count and fs.nr_open (/proc/sys), as an
 * LS_EV_HOST_LIMITS; one that cannot be read is 0. */
void procfs_read_host_limits(uint64_t ts_ns, struct ls_host_limits *e);

#endif /* LEAKSCOPE_PROCFS_H */
