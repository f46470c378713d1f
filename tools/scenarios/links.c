// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * links pass|nopass|cycle|nocycle DIR - resources linked to each other.
 *
 * pass, nopass: one process makes a pipe (R, W), a dup of W (D), a
 * socketpair(AF_UNIX, SOCK_STREAM) (U0, U1), a TCP connection to itself on
 * 127.0.0.1 (client C, accepted A; the listener is closed), an epoll instance
 * (E) watching R, DIR/mapped.bin open (M) and mapped shared, and a thread.
 * A child, forked then, sends U1 one byte: in pass mode with DIR/passed.txt
 * (opened by the child) attached as SCM_RIGHTS, and closes its copy; the
 * parent receives on U0 (fd G, or none) and reaps the child. The parent
 * prints "pid P", "pipe R W", "dup D", "unix U0 U1", "tcp C A", "epoll E",
 * "map M", "received G" or "received none", then "ready", and keeps all of
 * it until DIR/stop exists (30 s at most). It ignores SIGINT: leakscope
 * passes its first one on, and reports at the second with this still live.
 *
 * cycle, nocycle: two socketpairs(AF_UNIX, SOCK_DGRAM), A (A0, A1) and B
 * (B0, B1). A0 is sent over B1 (it waits in B0's queue) and B0 over A1 (in
 * A0's queue): each socket's queue holds the other. nocycle receives both
 * first. Then every fd is closed and the process exits. Prints
 * "a A0 A1 b B0 B1".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POLL_NS (50 * 1000000L)
#define MAX_POLLS 600

static const char *stop_path;

static void __attribute__((noreturn)) die(const char *what)
{
	perror(what);
	exit(1);
}

static void close_or_die(int fd)
{
	if (close(fd))
		die("close");
}

static void path_in(char *buf, size_t len, const char *dir, const char *name)
{
	if (snprintf(buf, len, "%s/%s", dir, name) >= (int)len) {
		fprintf(stderr, "links: directory name too long\n");
		exit(1);
	}
}

static void say(const char *fmt, int a, int b)
{
	if (printf(fmt, a, b) < 0 || fflush(stdout))
		die("stdout");
}

/* One byte over sock, with fd attached as SCM_RIGHTS unless fd < 0. */
static void send_fd(int sock, int fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte = 'x';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;

	if (fd >= 0) {
		memset(u.buf, 0, sizeof(u.buf));
		msg.msg_control = u.buf;
		msg.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	if (sendmsg(sock, &msg, 0) != 1)
		die("sendmsg");
}

/* One byte from sock; the fd that came with it, or -1. */
static int recv_fd(int sock)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		die("recvmsg");
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* Waits until stop_path exists; exits 1 after 30 s. stat() creates no fd. */
static void wait_for_stop(void)
{
	struct timespec ts = { 0, POLL_NS };
	struct stat st;

	for (int i = 0; i < MAX_POLLS; i++) {
		if (stat(stop_path, &st) == 0)
			return;
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "links: %s did not appear within 30 s\n", stop_path);
	exit(1);
}

static void *idle_thread(void *arg)
{
	(void)arg;
	wait_for_stop();
	return NULL;
}

/* C connected to a listener on 127.0.0.1 and A accepted from it. */
static void tcp_to_self(int *c, int *a)
{
	struct sockaddr_in in = { .sin_family = AF_INET };
	socklen_t len = sizeof(in);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)&in, sizeof(in)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&in, &len))
		die("listener");
	*c = socket(AF_INET, SOCK_STREAM, 0);
	if (*c < 0 || connect(*c, (struct sockaddr *)&in, sizeof(in)))
		die("connect");
	*a = accept(l, NULL, NULL);
	if (*a < 0)
		die("accept");
	close_or_die(l);
}

/* DIR/mapped.bin, a page long, open and mapped shared; returns its fd. */
static int map_file(const char *dir)
{
	char path[4096];
	void *m;
	int fd;

	path_in(path, sizeof(path), dir, "mapped.bin");
	fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096))
		die("mapped.bin");
	m = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap");
	return fd;
}

static void __attribute__((noreturn)) child(int sock, const char *dir, bool pass)
{
	char path[4096];
	int fd = -1;

	if (pass) {
		path_in(path, sizeof(path), dir, "passed.txt");
		fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
		if (fd < 0)
			die("open passed.txt");
	}
	send_fd(sock, fd);
	if (fd >= 0)
		close_or_die(fd);
	_exit(0);
}

static int linked(const char *dir, bool pass)
{
	int p[2], u[2], c, a, e, m, d, g, status;
	struct epoll_event ev = { .events = EPOLLIN };
	pthread_t t;
	pid_t pid;

	if (pipe(p) || socketpair(AF_UNIX, SOCK_STREAM, 0, u))
		die("pipe/socketpair");
	d = dup(p[1]);
	tcp_to_self(&c, &a);
	e = epoll_create1(0);
	ev.data.fd = p[0];
	if (d < 0 || e < 0 || epoll_ctl(e, EPOLL_CTL_ADD, p[0], &ev))
		die("dup/epoll");
	m = map_file(dir);
	if (pthread_create(&t, NULL, idle_thread, NULL))
		die("pthread_create");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		child(u[1], dir, pass);
	g = recv_fd(u[0]);
	while (waitpid(pid, &status, 0) != pid)
		if (errno != EINTR)
			die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	if (signal(SIGINT, SIG_IGN) == SIG_ERR)
		die("signal");
	say("pid %d\n", getpid(), 0);
	say("pipe %d %d\n", p[0], p[1]);
	say("dup %d\n", d, 0);
	say("unix %d %d\n", u[0], u[1]);
	say("tcp %d %d\n", c, a);
	say("epoll %d\n", e, 0);
	say("map %d\n", m, 0);
	if (g >= 0)
		say("received %d\n", g, 0);
	else
		say("received none\n", 0, 0);
	say("ready\n", 0, 0);
	wait_for_stop();
	return pthread_join(t, NULL) ? 1 : 0;
}

static int cycle(bool receive)
{
	int a[2], b[2];

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, a) || socketpair(AF_UNIX, SOCK_DGRAM, 0, b))
		die("socketpair");
	say("a %d %d ", a[0], a[1]);
	say("b %d %d\n", b[0], b[1]);
	send_fd(b[1], a[0]); /* into b[0]'s queue */
	send_fd(a[1], b[0]); /* into a[0]'s queue */
	if (receive) {
		int x = recv_fd(b[0]), y = recv_fd(a[0]);

		if (x < 0 || y < 0) {
			fprintf(stderr, "links: nothing received\n");
			return 1;
		}
		close_or_die(x);
		close_or_die(y);
	}
	close_or_die(a[0]);
	close_or_die(a[1]);
	close_or_die(b[0]);
	close_or_die(b[1]);
	return 0;
}

int main(int argc, char **argv)
{
	static char stop[4096];
	const char *mode = argc == 3 ? argv[1] : "";

	if (!strcmp(mode, "cycle") || !strcmp(mode, "nocycle"))
		return cycle(!strcmp(mode, "nocycle"));
	if (strcmp(mode, "pass") && strcmp(mode, "nopass")) {
		fprintf(stderr, "usage: %s pass|nopass|cycle|nocycle DIR\n", argv[0]);
		return 2;
	}
	path_in(stop, sizeof(stop), argv[2], "stop");
	stop_path = stop;
	return linked(argv[2], !strcmp(mode, "pass"));
}
