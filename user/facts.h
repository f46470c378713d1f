/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Facts some detectors need that no event carries, asked for just before a
 * detection and handed to the engine as events: whether open files were
 * unlinked (/proc), and how often each open fd was used (the kernel's
 * counters). Before the final report, and before each metrics refresh.
 */
#ifndef LEAKSCOPE_FACTS_H
#define LEAKSCOPE_FACTS_H

#include "engine.h"
#include "trace.h"

/* Which open files of live processes are deleted, and their size. */
void facts_file_states(struct ls_engine *eng);
/* The use counters of every open fd of live processes. */
void facts_fd_access(struct ls_engine *eng, struct trace *t);

#endif /* LEAKSCOPE_FACTS_H */
