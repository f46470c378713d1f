// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"

int launch_prepare(struct launch *l, char *const argv[])
{
	int gate[2], error[2];
	pid_t parent;
	char c;
	int err;

	/* cloexec: the program never sees them, and exec closing them is no event */
	if (pipe2(gate, O_CLOEXEC))
		return -errno;
	if (pipe2(error, O_CLOEXEC)) {
		err = -errno;
		close(gate[0]);
		close(gate[1]);
		return err;
	}
	parent = getpid();
	l->pid = fork();
	if (l->pid < 0) {
		err = -errno;
		close(gate[0]);
		close(gate[1]);
		close(error[0]);
		close(error[1]);
		return err;
	}
	if (l->pid == 0) {
		/* One byte on the gate: the parent has attached. The child keeps its
		 * copy of the write end (closing it would be a traced syscall if the
		 * parent is quick), so it cannot see EOF: die with the parent instead. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(126);
		while (read(gate[0], &c, 1) < 0 && errno == EINTR)
			;
		/* past the gate the parent-death signal has done its job; kept
		 * across exec it would kill CMD when -d ends leakscope first */
		prctl(PR_SET_PDEATHSIG, 0);
		execvp(argv[0], argv);
		err = errno;
		while (write(error[1], &err, sizeof(err)) < 0 && errno == EINTR)
			;
		_exit(err == ENOENT ? 127 : 126);
	}
	l->gate_fd = gate[1];
	l->gate_rd = gate[0];
	l->error_fd = error[0];
	l->error_wr = error[1];
	return 0;
}

int launch_release(struct launch *l)
{
	ssize_t n;
	int child_errno = 0;
	char go = 1;

	while ((n = write(l->gate_fd, &go, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		return -errno;
	close(l->gate_rd);
	close(l->error_wr);
	close(l->gate_fd);
	l->gate_fd = l->gate_rd = l->error_wr = -1;
	do
		n = read(l->error_fd, &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	close(l->error_fd);
	l->error_fd = -1;
	if (n == (ssize_t)sizeof(child_errno))
		return -child_errno;
	return 0;
}

void launch_abort(struct launch *l)
{
	int status;

	kill(l->pid, SIGKILL);
	while (waitpid(l->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (l->gate_fd >= 0)
		close(l->gate_fd);
	if (l->gate_rd >= 0)
		close(l->gate_rd);
	if (l->error_fd >= 0)
		close(l->error_fd);
	if (l->error_wr >= 0)
		close(l->error_wr);
}
