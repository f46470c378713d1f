// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fd_kinds leak|clean - creates one fd of each special kind through its own
 * syscall: epoll_create1, epoll_create, inotify_init1, timerfd_create,
 * signalfd4 (then again on the same fd: no new fd), memfd_create,
 * pidfd_open, fanotify_init, io_uring_setup, userfaultfd, perf_event_open,
 * mq_open, landlock_create_ruleset (an ABI version query first: no fd),
 * bpf(BPF_MAP_CREATE), clone and clone3 with CLONE_PIDFD (the pidfd of a
 * child that exits at once and is reaped), getsockopt(SO_PEERPIDFD) on a
 * unix socketpair (the peer is this process) and, last because the filter
 * stays, seccomp's filter listener (an allow-everything filter).
 *
 * Prints "KIND FD" on stdout for each fd created, "UNAVAILABLE KIND why" for a kind
 * this kernel does not offer (landlock may be disabled; arm64 has no
 * epoll_create), and
 * "landlock_abi N" for the version query.
 *
 * clean: closes all of them.
 * leak:  exits with all of them open.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/landlock.h>
#include <linux/perf_event.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <mqueue.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_FDS 32

static int fds[MAX_FDS];
static int nfds;

static void __attribute__((noreturn)) die(const char *what)
{
	perror(what);
	exit(1);
}

/* Record a new fd (or die with the syscall's error) and print "KIND FD". */
static int got(const char *kind, long fd)
{
	if (fd < 0)
		die(kind);
	if (nfds == MAX_FDS) {
		fprintf(stderr, "fd_kinds: too many fds\n");
		exit(1);
	}
	fds[nfds++] = (int)fd;
	printf("%s %ld\n", kind, fd);
	return (int)fd;
}

static long sys_landlock_create_ruleset(const struct landlock_ruleset_attr *attr, size_t size,
					 unsigned int flags)
{
#ifdef SYS_landlock_create_ruleset
	return syscall(SYS_landlock_create_ruleset, attr, size, flags);
#else
	(void)attr, (void)size, (void)flags;
	errno = ENOSYS;
	return -1;
#endif
}

static void make_landlock(void)
{
	struct landlock_ruleset_attr attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE,
	};
	/* A version query returns a small number that is not an fd. */
	long abi = sys_landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	if (abi < 0) {
		printf("UNAVAILABLE landlock %s\n", strerror(errno));
		return;
	}
	printf("landlock_abi %ld\n", abi);
	got("landlock", sys_landlock_create_ruleset(&attr, sizeof(attr), 0));
}

static void make_bpf_map(void)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_ARRAY;
	attr.key_size = 4;
	attr.value_size = 4;
	attr.max_entries = 1;
	strcpy(attr.map_name, "lsk_map");
	got("bpf", syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr)));
}

static void make_perf_event(void)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_CPU_CLOCK;
	attr.disabled = 1;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	got("perf_event", syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
}

static void make_mqueue(void)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 16 };
	char name[64];

	snprintf(name, sizeof(name), "/lsk-mq-%d", (int)getpid());
	got("mqueue", mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr));
	if (mq_unlink(name))
		die("mq_unlink");
}

static void reap(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) != pid)
		if (errno != EINTR)
			die("waitpid");
}

/* The child of a raw clone without CLONE_VM runs on a copy of this stack,
 * like fork's: it can return from the syscall wrapper and exit. */
static void make_clone_pidfds(void)
{
	struct clone_args args;
	int pidfd = -1;
	long pid;

	pid = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pidfd, NULL, 0);
	if (pid == 0)
		_exit(0);
	if (pid < 0)
		die("clone");
	got("clone_pidfd", pidfd);
	reap((pid_t)pid);

	memset(&args, 0, sizeof(args));
	pidfd = -1;
	args.flags = CLONE_PIDFD;
	args.pidfd = (__u64)(unsigned long)&pidfd;
	args.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0)
		_exit(0);
	if (pid < 0)
		die("clone3");
	got("clone3_pidfd", pidfd);
	reap((pid_t)pid);
}

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

static void make_peer_pidfd(void)
{
	socklen_t len = sizeof(int);
	int sv[2], pidfd = -1;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die("socketpair");
	if (getsockopt(sv[0], SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len)) {
		if (errno != ENOPROTOOPT)
			die("getsockopt SO_PEERPIDFD");
		printf("UNAVAILABLE peer_pidfd %s\n", strerror(errno));
	} else {
		got("peer_pidfd", pidfd);
	}
	if (close(sv[0]) || close(sv[1]))
		die("close");
}

static void make_seccomp_listener(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &allow };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("prctl");
	got("seccomp", syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			       SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog));
}

int main(int argc, char **argv)
{
	struct io_uring_params uring;
	sigset_t mask;
	long uffd;
	int sfd;
	bool leak;

	if (argc != 2 || (strcmp(argv[1], "leak") && strcmp(argv[1], "clean"))) {
		fprintf(stderr, "usage: %s leak|clean\n", argv[0]);
		return 2;
	}
	leak = !strcmp(argv[1], "leak");

	got("epoll_create1", epoll_create1(0));
#ifdef SYS_epoll_create
	got("epoll_create", syscall(SYS_epoll_create, 1));
#else
	printf("UNAVAILABLE epoll_create no such syscall on this arch\n");
#endif
	got("inotify", inotify_init1(0));
	got("timerfd", timerfd_create(CLOCK_MONOTONIC, 0));

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sfd = got("signalfd", signalfd(-1, &mask, 0));
	/* on an existing signalfd: new mask, same fd, nothing created */
	sigaddset(&mask, SIGUSR2);
	if (signalfd(sfd, &mask, 0) != sfd)
		die("signalfd again");

	got("memfd", syscall(SYS_memfd_create, "lsk-memfd", 0));
	got("pidfd", syscall(SYS_pidfd_open, getpid(), 0));
	got("fanotify", fanotify_init(FAN_CLASS_NOTIF, O_RDONLY));
	memset(&uring, 0, sizeof(uring));
	got("io_uring", syscall(SYS_io_uring_setup, 1, &uring));
	/* as root plain 0 works; otherwise only user-mode faults may be allowed */
	uffd = syscall(SYS_userfaultfd, 0);
	if (uffd < 0 && errno == EPERM)
		uffd = syscall(SYS_userfaultfd, 1 /* UFFD_USER_MODE_ONLY */);
	got("userfaultfd", uffd);
	make_perf_event();
	make_mqueue();
	make_landlock();
	make_bpf_map();
	make_clone_pidfds();
	make_peer_pidfd();
	make_seccomp_listener();

	if (fflush(stdout))
		die("stdout");
	if (!leak) {
		while (nfds > 0) {
			if (close(fds[--nfds]))
				die("close");
		}
	}
	return 0;
}
