// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * forker DIR - a parent and a child that each leak one file of their own.
 *
 * The parent leaks DIR/parent.txt (fd 3).  The child inherits that fd and
 * keeps it, which is not the child's leak, and leaks DIR/child.txt (fd 4).
 * The parent reaps the child before exiting, so both exits are seen in a
 * fixed order: child first.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int open_in(const char *dir, const char *name)
{
	char path[4096];
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		fprintf(stderr, "forker: directory name too long\n");
		exit(1);
	}
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}

	open_in(argv[1], "parent.txt");

	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		open_in(argv[1], "child.txt");
		/* exit(), not _exit(): the ordinary way a program ends. */
		exit(0);
	}

	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "forker: child failed (wait status %#x)\n", status);
		return 1;
	}
	return 0;
}
