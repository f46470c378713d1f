// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * scm_rights leak|clean|mmsg DIR - an fd passed from a child to its parent.
 *
 * A socketpair(AF_UNIX, SOCK_DGRAM); the child opens DIR/passed.txt, sends
 * it to the parent with sendmsg(SCM_RIGHTS), closes its own copy and exits.
 * The parent receives it with recvmsg and prints "received FD", then waits
 * for the child.
 *
 * leak:  the parent never closes the received fd.
 * clean: the parent closes it.
 * mmsg:  the child sends DIR/passed.txt and DIR/passed2.txt, one a message,
 *        with one sendmmsg; the parent receives both messages with one
 *        recvmmsg, prints "received FD1 FD2", keeps the first and closes
 *        the second.
 * All close the socketpair ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* One message carrying one fd: its control buffer and iovec live in *m. */
struct one_fd_msg {
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char byte;
	struct iovec iov;
};

static void one_fd_msg_init(struct one_fd_msg *m, struct msghdr *msg, int fd)
{
	struct cmsghdr *c;

	memset(m, 0, sizeof(*m));
	memset(msg, 0, sizeof(*msg));
	m->byte = 'x';
	m->iov.iov_base = &m->byte;
	m->iov.iov_len = 1;
	msg->msg_iov = &m->iov;
	msg->msg_iovlen = 1;
	msg->msg_control = m->u.buf;
	msg->msg_controllen = sizeof(m->u.buf);
	if (fd < 0)
		return; /* for receiving */
	c = CMSG_FIRSTHDR(msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
}

/* The fd a received message carried, or -1. */
static int received_fd(struct msghdr *msg)
{
	struct cmsghdr *c = CMSG_FIRSTHDR(msg);
	int fd;

	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)) || (msg->msg_flags & MSG_CTRUNC))
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

static int open_in(const char *dir, const char *name)
{
	char path[4096];
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		fprintf(stderr, "scm_rights: directory name too long\n");
		_exit(1);
	}
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		_exit(1);
	}
	return fd;
}

/* Sends DIR/passed.txt (and with two, DIR/passed2.txt in a second message of
 * the same sendmmsg), then closes its copies. */
static void __attribute__((noreturn)) child(int sock, const char *dir, bool two)
{
	struct one_fd_msg m[2];
	struct mmsghdr mm[2];
	int fd[2] = { open_in(dir, "passed.txt"), two ? open_in(dir, "passed2.txt") : -1 };
	int n = two ? 2 : 1;

	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < n; i++)
		one_fd_msg_init(&m[i], &mm[i].msg_hdr, fd[i]);
	if (two ? sendmmsg(sock, mm, 2, 0) != 2 : sendmsg(sock, &mm[0].msg_hdr, 0) != 1) {
		perror("send");
		_exit(1);
	}
	for (int i = 0; i < n; i++) {
		if (close(fd[i])) {
			perror("close");
			_exit(1);
		}
	}
	if (close(sock)) {
		perror("close");
		_exit(1);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	struct one_fd_msg m[2];
	struct mmsghdr mm[2];
	int sv[2], fd[2], status;
	bool leak, two;
	pid_t pid;

	if (argc != 3 || (strcmp(argv[1], "leak") && strcmp(argv[1], "clean") &&
			  strcmp(argv[1], "mmsg"))) {
		fprintf(stderr, "usage: %s leak|clean|mmsg DIR\n", argv[0]);
		return 2;
	}
	leak = !strcmp(argv[1], "leak");
	two = !strcmp(argv[1], "mmsg");

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		die("socketpair");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (close(sv[0])) {
			perror("close");
			_exit(1);
		}
		child(sv[1], argv[2], two);
	}
	close_or_die(sv[1]);

	memset(mm, 0, sizeof(mm));
	for (int i = 0; i < 2; i++)
		one_fd_msg_init(&m[i], &mm[i].msg_hdr, -1);
	if (two) {
		/* MSG_WAITFORONE: the second message may not be queued yet */
		int got = 0;

		while (got < 2) {
			int r = recvmmsg(sv[0], mm + got, 2 - got, 0, NULL);

			if (r <= 0)
				die("recvmmsg");
			got += r;
		}
	} else if (recvmsg(sv[0], &mm[0].msg_hdr, 0) != 1) {
		die("recvmsg");
	}
	for (int i = 0; i < (two ? 2 : 1); i++) {
		fd[i] = received_fd(&mm[i].msg_hdr);
		if (fd[i] < 0) {
			fprintf(stderr, "scm_rights: no fd received\n");
			return 1;
		}
	}
	if ((two ? printf("received %d %d\n", fd[0], fd[1]) : printf("received %d\n", fd[0])) < 0 ||
	    fflush(stdout))
		die("stdout");
	if (two)
		close_or_die(fd[1]);
	else if (!leak)
		close_or_die(fd[0]);
	close_or_die(sv[0]);

	while (waitpid(pid, &status, 0) != pid)
		if (errno != EINTR)
			die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "scm_rights: the child failed\n");
		return 1;
	}
	return 0;
}
