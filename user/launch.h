/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Starting the traced command: forked first and held at a gate, so that its
 * pid can be put in the kernel filter before it runs a single instruction
 * of the program.
 */
#ifndef LEAKSCOPE_LAUNCH_H
#define LEAKSCOPE_LAUNCH_H

#include <sys/types.h>

struct launch {
	pid_t pid;
	int gate_fd;  /* write end: closing it lets the child exec */
	int error_fd; /* read end: the child's exec errno, or EOF on success */
	int gate_rd;  /* the child's ends, kept to leave them out of the snapshot */
	int error_wr;
};

/* Fork the child, held at the gate. Returns 0 or -errno. */
int launch_prepare(struct launch *l, char *const argv[]);
/* Open the gate. Returns 0 once CMD was exec'd, or the exec's -errno. */
int launch_release(struct launch *l);
/* Kill and reap a child that never got through the gate. */
void launch_abort(struct launch *l);

#endif /* LEAKSCOPE_LAUNCH_H */
