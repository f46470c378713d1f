// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * scm_rights leak|clean DIR - an fd passed from a child to its parent.
 *
 * A socketpair(AF_UNIX, SOCK_DGRAM); the child opens DIR/passed.txt, sends
 * it to the parent with sendmsg(SCM_RIGHTS), closes its own copy and exits.
 * The parent receives it with recvmsg and prints "received FD", then waits
 * for the child.
 *
 * leak:  the parent never closes the received fd.
 * clean: the parent closes it.
 * Both close the socketpair ends.
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

static void __attribute__((noreturn)) child(int sock, const char *dir)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char path[4096], byte = 'x';
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	int fd;

	if (snprintf(path, sizeof(path), "%s/passed.txt", dir) >= (int)sizeof(path)) {
		fprintf(stderr, "scm_rights: directory name too long\n");
		_exit(1);
	}
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		_exit(1);
	}
	memset(u.buf, 0, sizeof(u.buf));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &msg, 0) != 1) {
		perror("sendmsg");
		_exit(1);
	}
	if (close(fd) || close(sock)) {
		perror("close");
		_exit(1);
	}
	_exit(0);
}

int main(int argc, char **argv)
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
	int sv[2], fd, status;
	bool leak;
	pid_t pid;

	if (argc != 3 || (strcmp(argv[1], "leak") && strcmp(argv[1], "clean"))) {
		fprintf(stderr, "usage: %s leak|clean DIR\n", argv[0]);
		return 2;
	}
	leak = !strcmp(argv[1], "leak");

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
		child(sv[1], argv[2]);
	}
	close_or_die(sv[1]);

	if (recvmsg(sv[0], &msg, 0) != 1)
		die("recvmsg");
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)) || (msg.msg_flags & MSG_CTRUNC)) {
		fprintf(stderr, "scm_rights: no fd received\n");
		return 1;
	}
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (printf("received %d\n", fd) < 0 || fflush(stdout))
		die("stdout");
	if (!leak)
		close_or_die(fd);
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
