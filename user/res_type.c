// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel side knows an fd's inode type; what kind of anon_inode file it
 * is (epoll, timerfd, ...) is in its name, as /proc/PID/fd shows it. Telling
 * them apart here, from the name in the event, keeps the probes small and
 * treats live events and /proc snapshots alike.
 */
#include <string.h>

#include "res_type.h"

static const struct {
	const char *name; /* after "anon_inode:" */
	uint16_t type;
} anon_names[] = {
	{ "[eventfd]", LS_RES_EVENTFD },     { "[eventpoll]", LS_RES_EPOLL },
	{ "[timerfd]", LS_RES_TIMERFD },     { "[signalfd]", LS_RES_SIGNALFD },
	{ "inotify", LS_RES_INOTIFY },       { "[fanotify]", LS_RES_FANOTIFY },
	{ "[pidfd]", LS_RES_PIDFD },         { "[io_uring]", LS_RES_IO_URING },
	{ "[userfaultfd]", LS_RES_USERFAULTFD }, { "[perf_event]", LS_RES_PERF_EVENT },
	{ "bpf-map", LS_RES_BPF },           { "bpf-prog", LS_RES_BPF },
	{ "bpf-link", LS_RES_BPF },          { "btf", LS_RES_BPF },
};

static bool starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

/* superblock magics (include/uapi/linux/magic.h) */
#define TMPFS_MAGIC 0x01021994
#define PIDFS_MAGIC 0x50494446
#define MQUEUE_MAGIC 0x19800202
#define SECRETMEM_MAGIC 0x5345434d

uint16_t res_type_refine(uint16_t type, uint32_t fs_magic, const char *path, size_t len)
{
	static const char anon[] = "anon_inode:";

	if (type >= LS_RES_TYPE_MAX)
		return LS_RES_UNKNOWN;
	/* since 6.9 pidfds are files on pidfs, no longer anon inodes */
	if (fs_magic == PIDFS_MAGIC)
		return LS_RES_PIDFD;
	if (fs_magic == MQUEUE_MAGIC)
		return LS_RES_MQUEUE;
	if (fs_magic == SECRETMEM_MAGIC ||
	    (fs_magic == TMPFS_MAGIC && type == LS_RES_FILE && starts_with(path, len, "/memfd:")))
		return LS_RES_MEMFD;
	if (type != LS_RES_ANON && type != LS_RES_EVENTFD && type != LS_RES_UNKNOWN)
		return type;
	if (!starts_with(path, len, anon))
		return type;
	path += sizeof(anon) - 1;
	len -= sizeof(anon) - 1;
	for (size_t i = 0; i < sizeof(anon_names) / sizeof(anon_names[0]); i++) {
		if (strlen(anon_names[i].name) == len && memcmp(path, anon_names[i].name, len) == 0)
			return anon_names[i].type;
	}
	return LS_RES_ANON;
}
