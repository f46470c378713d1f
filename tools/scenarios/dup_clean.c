// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * dup_clean [DIR] - releases every fd it creates, through each of the ways
 * an fd can go away other than a plain close() of its own number:
 *
 *   - dup2()/dup3()/fcntl(F_DUPFD*)/dup() copies, the target of dup2()
 *     losing its original file, all swept up by close_range(3, ~0U, 0);
 *   - then three files made close-on-exec by fcntl(F_SETFD), O_CLOEXEC and
 *     close_range(CLOSE_RANGE_CLOEXEC), released by execve("/bin/true").
 *
 * No leaks are expected.  DIR (default /tmp/leakscope-dup-clean, created
 * if missing) receives the files a.txt .. e.txt.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_DIR "/tmp/leakscope-dup-clean"

extern char **environ;

static const char *dir = DEFAULT_DIR;

static void __attribute__((noreturn)) die(const char *what)
{
	perror(what);
	exit(1);
}

static int open_file(const char *name, int flags)
{
	char path[4096];
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		fprintf(stderr, "dup_clean: directory name too long\n");
		exit(1);
	}
	fd = open(path, O_CREAT | O_RDWR | flags, 0600);
	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

/* Every copy shares a's open file; none of them is closed one by one. */
static void dup_then_close_range(void)
{
	int a, b;

	a = open_file("a.txt", 0);
	b = open_file("b.txt", 0);

	/* b.txt is released here, by the kernel, not by a close() of b. */
	if (dup2(a, b) != b)
		die("dup2");
	/* Same fd on both sides: must be a no-op, not a close of a. */
	if (dup2(a, a) != a)
		die("dup2");
	if (dup3(a, 20, O_CLOEXEC) != 20)
		die("dup3");
	if (fcntl(a, F_DUPFD, 30) < 0)
		die("fcntl(F_DUPFD)");
	if (fcntl(a, F_DUPFD_CLOEXEC, 40) < 0)
		die("fcntl(F_DUPFD_CLOEXEC)");
	if (dup(a) < 0)
		die("dup");

	/* Also drops anything inherited above 2, so nothing survives exec. */
	if (close_range(3, ~0U, 0))
		die("close_range");
}

int main(int argc, char **argv)
{
	static char arg0[] = "true";
	char *const exec_argv[] = { arg0, NULL };
	int c, e;

	if (argc > 2) {
		fprintf(stderr, "usage: %s [DIR]\n", argv[0]);
		return 2;
	}
	if (argc == 2)
		dir = argv[1];
	if (mkdir(dir, 0700) && errno != EEXIST)
		die("mkdir");

	dup_then_close_range();

	/* FD_CLOEXEC is the only fd flag, so there is nothing to preserve. */
	c = open_file("c.txt", 0);
	if (fcntl(c, F_SETFD, FD_CLOEXEC))
		die("fcntl(F_SETFD)");

	open_file("d.txt", O_CLOEXEC);

	e = open_file("e.txt", 0);
	if (close_range(e, e, CLOSE_RANGE_CLOEXEC))
		die("close_range");

	/* c, d and e are left open on purpose: execve() is what releases them. */
	execve("/bin/true", exec_argv, environ);
	die("execve");
}
