// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Stable names for the enums of events.h and engine.h: they appear in
 * reports, so they change only with the report schema.
 */
#include "engine.h"

static const char *const res_type_names[LS_RES_TYPE_MAX] = {
	[LS_RES_UNKNOWN] = "unknown",
	[LS_RES_FILE] = "file",
	[LS_RES_DIR] = "dir",
	[LS_RES_CHR] = "chr",
	[LS_RES_BLK] = "blk",
	[LS_RES_FIFO] = "fifo",
	[LS_RES_PIPE] = "pipe",
	[LS_RES_SOCKET] = "socket",
	[LS_RES_EVENTFD] = "eventfd",
	[LS_RES_ANON] = "anon",
	[LS_RES_EPOLL] = "epoll",
	[LS_RES_TIMERFD] = "timerfd",
	[LS_RES_SIGNALFD] = "signalfd",
	[LS_RES_INOTIFY] = "inotify",
	[LS_RES_FANOTIFY] = "fanotify",
	[LS_RES_PIDFD] = "pidfd",
	[LS_RES_IO_URING] = "io_uring",
	[LS_RES_USERFAULTFD] = "userfaultfd",
	[LS_RES_PERF_EVENT] = "perf_event",
	[LS_RES_BPF] = "bpf",
	[LS_RES_MEMFD] = "memfd",
	[LS_RES_MQUEUE] = "mqueue",
};

static const char *const syscall_names[LS_SYS_MAX] = {
#define LS_SYS_NAME(up, name) [LS_SYS_##up] = #name,
	LS_SYSCALL_LIST(LS_SYS_NAME)
#undef LS_SYS_NAME
};

static const char *const release_names[] = {
	[LS_REL_OPEN] = "open",
	[LS_REL_CLOSE] = "close",
	[LS_REL_CLOSE_RANGE] = "close_range",
	[LS_REL_DUP_OVER] = "dup_over",
	[LS_REL_EXEC] = "exec",
	[LS_REL_EXIT] = "exit",
};

/* Numbers from a capture or a newer kernel side may be past the tables. */
const char *ls_res_type_name(unsigned int t)
{
	return t < LS_RES_TYPE_MAX ? res_type_names[t] : "unknown";
}

const char *ls_syscall_name(unsigned int s)
{
	return s < LS_SYS_MAX ? syscall_names[s] : "unknown";
}

const char *ls_release_name(enum ls_release r)
{
	unsigned int i = r;

	if (i >= sizeof(release_names) / sizeof(release_names[0]))
		return "unknown";
	return release_names[i];
}

const char *ls_tcp_state_name(unsigned int state)
{
	static const char *const names[] = {
		[1] = "ESTABLISHED", [2] = "SYN_SENT",   [3] = "SYN_RECV",   [4] = "FIN_WAIT1",
		[5] = "FIN_WAIT2",   [6] = "TIME_WAIT",  [7] = "CLOSE",      [8] = "CLOSE_WAIT",
		[9] = "LAST_ACK",    [10] = "LISTEN",    [11] = "CLOSING",   [12] = "NEW_SYN_RECV",
	};

	if (state >= sizeof(names) / sizeof(names[0]) || !names[state])
		return "unknown";
	return names[state];
}

const char *ls_misuse_name(enum ls_misuse_kind k)
{
	static const char *const names[LS_MISUSE_KIND_MAX] = {
		[LS_MISUSE_DOUBLE_CLOSE] = "double-close",
		[LS_MISUSE_CLOSE_UNOPENED] = "close-of-unopened",
		[LS_MISUSE_USE_AFTER_CLOSE] = "use-after-close",
		[LS_MISUSE_USE_UNOPENED] = "use-of-unopened",
	};

	return (unsigned int)k < LS_MISUSE_KIND_MAX ? names[k] : "unknown";
}

const char *ls_growth_class_name(enum ls_growth_class c)
{
	static const char *const names[LS_CLASS_MAX] = {
		[LS_CLASS_FDS] = "fds",
		[LS_CLASS_THREADS] = "threads",
		[LS_CLASS_MAPPINGS] = "mappings",
	};
	unsigned int i = c;

	return i < LS_CLASS_MAX ? names[i] : "unknown";
}
