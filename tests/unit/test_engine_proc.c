// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Processes: attach, fork (copied and shared fd tables), threads, exec,
 * exit and what it releases, pid reuse. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include "engine.h"
#include "events_build.h"
#include "engine_view.h"

#define PARENT 100
#define CHILD 200

static int setup(void **state)
{
	struct engine_fixture *fx = engine_fixture_new();

	if (!fx)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	engine_fixture_free(*state);
	return 0;
}

static const struct ls_process *live(struct engine_fixture *fx, uint32_t pid)
{
	const struct ls_process *p = engine_find_live(fx->eng, pid);

	assert_non_null(p);
	return p;
}

static void attach(struct engine_fixture *fx, uint32_t pid, uint64_t ts)
{
	assert_int_equal(ev_apply(fx->eng, ev_attach(pid, ts, 1, "srv", "srv\0-v\0", 8, 1)), 0);
}

static void open_fd(struct engine_fixture *fx, uint32_t pid, uint64_t ts, int fd, uint16_t type,
		    uint64_t file_id, int cloexec)
{
	assert_int_equal(ev_apply(fx->eng, ev_open(pid, pid, ts, fd, "/tmp/f", type, file_id,
						   cloexec)), 0);
}

static void test_unknown_process_created_on_the_fly(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *p;

	open_fd(fx, 50, 1000, 3, LS_RES_FILE, 1, 0);
	assert_int_equal(engine_stats(fx->eng)->unknown_process, 1);
	assert_int_equal(engine_process_count(fx->eng), 1);
	p = engine_process_at(fx->eng, 0);
	assert_ptr_equal(p, live(fx, 50));
	assert_int_equal(p->serial, 1);
	assert_int_equal(p->pid, 50);
	assert_int_equal(p->ppid, 0);
	assert_int_equal(p->parent_serial, 0);
	assert_int_equal(p->start_ns, 1000);
	assert_int_equal(p->threads_live, 1);
	assert_null(p->args);
	assert_null(p->exe);
	assert_string_equal(p->comm, "");
	assert_null(engine_process_at(fx->eng, 1));
}

static void test_attach_creates_then_updates(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *p;

	attach(fx, PARENT, 10);
	p = live(fx, PARENT);
	assert_int_equal(engine_stats(fx->eng)->unknown_process, 0);
	assert_int_equal(p->ppid, 1);
	assert_string_equal(p->comm, "srv");
	assert_int_equal(p->args_len, 8);
	assert_memory_equal(p->args, "srv\0-v\0", 8);
	assert_true(p->started_by_us);

	assert_int_equal(ev_apply(fx->eng, ev_attach(CHILD, 20, PARENT, "a-very-long-command-name",
						     NULL, 0, 0)), 0);
	assert_int_equal(live(fx, CHILD)->parent_serial, p->serial);
	assert_string_equal(live(fx, CHILD)->comm, "a-very-long-comm");

	assert_int_equal(ev_apply(fx->eng, ev_attach(PARENT, 30, 7, "srv2", "x\0", 2, 0)), 0);
	assert_int_equal(engine_process_count(fx->eng), 2);
	assert_int_equal(p->ppid, 7);
	assert_string_equal(p->comm, "srv2");
	assert_int_equal(p->args_len, 2);
	assert_false(p->started_by_us);
}

static void test_fork_copies_fd_table(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *parent, *child;
	const struct ls_fd *pf, *cf;

	attach(fx, PARENT, 10);
	open_fd(fx, PARENT, 100, 3, LS_RES_FILE, 0xa1, 1);
	open_fd(fx, PARENT, 110, 4, LS_RES_SOCKET, 0xb2, 0);
	assert_int_equal(ev_apply(fx->eng, ev_close(PARENT, PARENT, 120, 4)), 0);
	open_fd(fx, PARENT, 130, 4, LS_RES_SOCKET, 0xb3, 0);
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, PARENT, 500, CHILD, CHILD, 0, 0,
						   "srv")), 0);
	parent = live(fx, PARENT);
	child = live(fx, CHILD);
	assert_int_equal(child->serial, 2);
	assert_int_equal(child->ppid, PARENT);
	assert_int_equal(child->parent_serial, parent->serial);
	assert_int_equal(child->start_ns, 500);
	assert_string_equal(child->comm, "srv");
	assert_int_equal(child->args_len, 8);
	assert_memory_equal(child->args, "srv\0-v\0", 8);
	assert_ptr_not_equal(child->args, parent->args);
	assert_ptr_not_equal(child->fdt, parent->fdt);
	assert_int_equal(engine_stats(fx->eng)->unknown_process, 0);

	pf = view_fd(fx->eng, PARENT, 3);
	cf = view_fd(fx->eng, CHILD, 3);
	assert_non_null(cf);
	assert_ptr_not_equal(cf, pf);
	assert_ptr_equal(cf->ofd, pf->ofd);
	assert_int_equal(cf->ofd->refs, 2);
	assert_true(cf->inherited);
	assert_false(pf->inherited);
	assert_int_equal(cf->created_ns, 500);
	assert_int_equal(cf->fd_flags, LS_FD_CLOEXEC);
	assert_int_equal(cf->generation, 0);
	/* generations count per table: the parent's fd 4 is its second */
	assert_int_equal(view_fd(fx->eng, PARENT, 4)->generation, 1);
	assert_int_equal(view_fd(fx->eng, CHILD, 4)->generation, 0);

	assert_int_equal(child->counts[LS_RES_FILE].created, 0);
	assert_int_equal(child->counts[LS_RES_FILE].open, 1);
	assert_int_equal(child->counts[LS_RES_SOCKET].open, 1);

	/* the tables are separate from now on */
	assert_int_equal(ev_apply(fx->eng, ev_close(CHILD, CHILD, 600, 3)), 0);
	assert_non_null(view_fd(fx->eng, PARENT, 3));
	assert_int_equal(pf->ofd->refs, 1);
	assert_int_equal(child->counts[LS_RES_FILE].released, 1);
	assert_int_equal(child->counts[LS_RES_FILE].open, 0);
	assert_int_equal(parent->counts[LS_RES_FILE].open, 1);
	assert_int_equal(parent->counts[LS_RES_FILE].released, 0);
	open_fd(fx, CHILD, 700, 3, LS_RES_PIPE, 0xc4, 0);
	assert_int_equal(view_fd(fx->eng, CHILD, 3)->generation, 1);
	assert_int_equal(view_fd(fx->eng, PARENT, 3)->ofd->res_type, LS_RES_FILE);
}

static void test_clone_files_shares_table(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *parent, *child;

	attach(fx, PARENT, 10);
	open_fd(fx, PARENT, 100, 3, LS_RES_FILE, 0xa1, 0);
	open_fd(fx, PARENT, 110, 5, LS_RES_FILE, 0xa2, 0);
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, PARENT, 200, CHILD, CHILD, 0, 1,
						   "srv")), 0);
	parent = live(fx, PARENT);
	child = live(fx, CHILD);
	assert_ptr_equal(child->fdt, parent->fdt);
	assert_ptr_equal(view_fd(fx->eng, CHILD, 3), view_fd(fx->eng, PARENT, 3));
	assert_int_equal(view_fd(fx->eng, CHILD, 3)->ofd->refs, 1);
	assert_int_equal(child->counts[LS_RES_FILE].open, 2);

	/* a close in one is seen in the other */
	assert_int_equal(ev_apply(fx->eng, ev_close(CHILD, CHILD, 300, 3)), 0);
	assert_null(view_fd(fx->eng, PARENT, 3));
	assert_int_equal(child->counts[LS_RES_FILE].released, 1);
	assert_int_equal(parent->counts[LS_RES_FILE].released, 0);
	assert_int_equal(child->counts[LS_RES_FILE].open, 1);
	assert_int_equal(parent->counts[LS_RES_FILE].open, 1);
	open_fd(fx, PARENT, 400, 3, LS_RES_SOCKET, 0xb1, 0);
	assert_int_equal(view_fd(fx->eng, CHILD, 3)->generation, 1);
	assert_int_equal(child->counts[LS_RES_SOCKET].open, 1);
	assert_int_equal(child->counts[LS_RES_SOCKET].created, 0);
	assert_int_equal(parent->counts[LS_RES_SOCKET].created, 1);

	/* the exit of one releases nothing */
	assert_int_equal(ev_apply(fx->eng, ev_exit(CHILD, CHILD, 500, 0, 1)), 0);
	assert_true(child->exited);
	assert_null(child->fdt);
	assert_int_equal(child->exit_fds_len, 0);
	assert_int_equal(child->counts[LS_RES_SOCKET].at_exit, 0);
	assert_int_equal(child->counts[LS_RES_SOCKET].open, 0);
	assert_int_equal(fx->log.n, 1);
	assert_int_equal(view_open_count(fx->eng, PARENT), 2);
	assert_int_equal(parent->counts[LS_RES_SOCKET].open, 1);

	/* the exit of the last one releases everything */
	assert_int_equal(ev_apply(fx->eng, ev_exit(PARENT, PARENT, 600, 0, 1)), 0);
	assert_int_equal(parent->exit_fds_len, 2);
	assert_int_equal(parent->exit_fds[0]->fd, 3);
	assert_int_equal(parent->exit_fds[0]->release, LS_REL_EXIT);
	assert_int_equal(parent->exit_fds[1]->fd, 5);
	assert_int_equal(parent->exit_fds[1]->release, LS_REL_EXIT);
	assert_int_equal(parent->counts[LS_RES_SOCKET].at_exit, 1);
	assert_int_equal(parent->counts[LS_RES_FILE].at_exit, 1);
	assert_int_equal(parent->counts[LS_RES_FILE].open, 0);
	assert_int_equal(fx->log.n, 3);
	assert_int_equal(fx->log.e[2].why, LS_REL_EXIT);
}

static void test_exec_unshares_clone_files_table(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *parent, *child;

	attach(fx, PARENT, 10);
	open_fd(fx, PARENT, 100, 3, LS_RES_FILE, 0xa1, 1);
	open_fd(fx, PARENT, 110, 4, LS_RES_FILE, 0xa2, 0);
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, PARENT, 200, CHILD, CHILD, 0, 1,
						   "srv")), 0);
	assert_int_equal(ev_apply(fx->eng, ev_exec(CHILD, CHILD, 300, "/bin/cat", "cat",
						   "cat\0", 4)), 0);
	parent = live(fx, PARENT);
	child = live(fx, CHILD);
	assert_ptr_not_equal(child->fdt, parent->fdt);
	assert_non_null(view_fd(fx->eng, PARENT, 3));
	assert_null(view_fd(fx->eng, CHILD, 3));
	assert_int_equal(fx->log.n, 1);
	assert_int_equal(fx->log.e[0].pid, CHILD);
	assert_int_equal(fx->log.e[0].why, LS_REL_EXEC);
	assert_int_equal(view_fd(fx->eng, PARENT, 3)->ofd->refs, 1);
	assert_int_equal(view_fd(fx->eng, PARENT, 4)->ofd->refs, 2);
	/* the same lifecycle continues in the private table */
	assert_false(view_fd(fx->eng, CHILD, 4)->inherited);
	assert_int_equal(view_fd(fx->eng, CHILD, 4)->created_ns, 110);
	assert_int_equal(child->counts[LS_RES_FILE].open, 1);
	assert_int_equal(parent->counts[LS_RES_FILE].open, 2);
	assert_int_equal(child->execs, 1);
	assert_string_equal(child->exe, "/bin/cat");
	assert_string_equal(child->comm, "cat");

	assert_int_equal(ev_apply(fx->eng, ev_close(CHILD, CHILD, 400, 4)), 0);
	assert_non_null(view_fd(fx->eng, PARENT, 4));
	assert_int_equal(view_fd(fx->eng, PARENT, 4)->ofd->refs, 1);
}

static void test_close_range_unshare(void **state)
{
	struct engine_fixture *fx = *state;

	attach(fx, PARENT, 10);
	open_fd(fx, PARENT, 100, 3, LS_RES_FILE, 0xa1, 0);
	open_fd(fx, PARENT, 110, 4, LS_RES_FILE, 0xa2, 0);
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, PARENT, 200, CHILD, CHILD, 0, 1,
						   "srv")), 0);
	assert_int_equal(ev_apply(fx->eng, ev_close_range(CHILD, CHILD, 300, 4, ~0U,
							  LS_CLOSE_RANGE_UNSHARE)), 0);
	assert_non_null(view_fd(fx->eng, PARENT, 4));
	assert_null(view_fd(fx->eng, CHILD, 4));
	assert_non_null(view_fd(fx->eng, CHILD, 3));
	assert_int_equal(view_fd(fx->eng, PARENT, 3)->ofd->refs, 2);
	assert_int_equal(view_fd(fx->eng, PARENT, 4)->ofd->refs, 1);
	assert_int_equal(live(fx, CHILD)->counts[LS_RES_FILE].released, 1);

	/* unsharing a private table changes nothing */
	assert_int_equal(ev_apply(fx->eng, ev_close_range(PARENT, PARENT, 400, 10, 20,
							  LS_CLOSE_RANGE_UNSHARE)), 0);
	assert_int_equal(view_open_count(fx->eng, PARENT), 2);
}

static void test_threads(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *p;

	attach(fx, PARENT, 10);
	p = live(fx, PARENT);
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, PARENT, 100, PARENT, 101, 1, 1,
						   "srv")), 0);
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, 101, 110, PARENT, 102, 1, 1,
						   "srv")), 0);
	assert_int_equal(engine_process_count(fx->eng), 1);
	assert_int_equal(p->threads_live, 3);
	assert_int_equal(p->threads_created, 2);

	open_fd(fx, PARENT, 120, 3, LS_RES_FILE, 1, 0);
	assert_int_equal(ev_apply(fx->eng, ev_open(PARENT, 102, 130, 4, "/x", LS_RES_FILE, 2,
						   0)), 0);
	assert_int_equal(view_fd(fx->eng, PARENT, 4)->tid, 102);

	assert_int_equal(ev_apply(fx->eng, ev_exit(PARENT, 102, 200, 0, 0)), 0);
	assert_int_equal(p->threads_live, 2);
	assert_false(p->exited);
	assert_int_equal(view_open_count(fx->eng, PARENT), 2);
	assert_int_equal(ev_apply(fx->eng, ev_exit(PARENT, 101, 210, 0, 0)), 0);
	assert_int_equal(ev_apply(fx->eng, ev_exit(PARENT, 101, 220, 0, 0)), 0);
	assert_int_equal(p->threads_live, 1);
	assert_int_equal(p->threads_created, 2);

	/* exec ends every other thread */
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, PARENT, 300, PARENT, 103, 1, 1,
						   "srv")), 0);
	assert_int_equal(ev_apply(fx->eng, ev_exec(PARENT, 103, 310, "/bin/x", "x", NULL, 0)), 0);
	assert_int_equal(p->threads_live, 1);
	assert_ptr_equal(engine_find_live(fx->eng, PARENT), p);
}

/*
 * An attach that claims more threads than the kernel has pids is malformed:
 * taken, ~0U threads and one more made a live process with none (found by
 * fuzz_engine). Up to the limit is taken as it is.
 */
static void test_impossible_thread_count(void **state)
{
	struct engine_fixture *fx = *state;
	struct ls_proc_attach at = ev_attach(PARENT, 10, 1, "srv", "srv\0", 4, 0);
	const struct ls_process *p;

	at.threads = 4194304;
	assert_int_equal(ev_apply(fx->eng, at), 0);
	p = live(fx, PARENT);
	assert_int_equal(p->threads_live, 4194304);
	at.threads = 0xffffffff;
	at.hdr.ts_ns = 20;
	assert_int_equal(ev_apply(fx->eng, at), -EINVAL);
	assert_int_equal(engine_stats(fx->eng)->bad_events, 1);
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, PARENT, 30, PARENT, 101, 1, 1,
						   "srv")), 0);
	assert_int_equal(p->threads_live, 4194305);
}

static void test_pid_reuse_gives_new_serial(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *first, *second, *third;

	attach(fx, PARENT, 10);
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, PARENT, 100, CHILD, CHILD, 0, 0,
						   "a")), 0);
	first = live(fx, CHILD);
	open_fd(fx, CHILD, 110, 3, LS_RES_FILE, 0xa1, 0);
	assert_int_equal(ev_apply(fx->eng, ev_exit(CHILD, CHILD, 200, 0, 1)), 0);
	assert_null(engine_find_live(fx->eng, CHILD));
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, PARENT, 300, CHILD, CHILD, 0, 0,
						   "b")), 0);
	second = live(fx, CHILD);
	assert_ptr_not_equal(second, first);
	assert_int_equal(first->serial, 2);
	assert_int_equal(second->serial, 3);
	assert_string_equal(second->comm, "b");
	assert_true(first->exited);
	assert_false(second->exited);
	assert_int_equal(view_open_count(fx->eng, CHILD), 0);

	/* the exit of the second was never seen: its record is stale */
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, PARENT, 400, CHILD, CHILD, 0, 0,
						   "c")), 0);
	third = live(fx, CHILD);
	assert_int_equal(third->serial, 4);
	assert_true(second->exited);
	assert_int_equal(second->exit_ns, 400);
	assert_int_equal(engine_process_count(fx->eng), 4);
	assert_ptr_equal(engine_process_at(fx->eng, 1), first);
	assert_ptr_equal(engine_process_at(fx->eng, 3), third);
}

static void test_exit_moves_open_fds_to_exit_record(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *p;

	attach(fx, PARENT, 10);
	open_fd(fx, PARENT, 100, 9, LS_RES_PIPE, 0xa9, 0);
	open_fd(fx, PARENT, 110, 3, LS_RES_SOCKET, 0xa3, 0);
	open_fd(fx, PARENT, 120, 5, LS_RES_FILE, 0xa5, 0);
	open_fd(fx, PARENT, 130, 6, LS_RES_FILE, 0xa6, 0);
	assert_int_equal(ev_apply(fx->eng, ev_close(PARENT, PARENT, 140, 6)), 0);
	p = live(fx, PARENT);
	assert_int_equal(ev_apply(fx->eng, ev_exit(PARENT, PARENT, 1000, 256, 1)), 0);

	assert_true(p->exited);
	assert_int_equal(p->exit_ns, 1000);
	assert_int_equal(p->exit_code, 256);
	assert_int_equal(p->threads_live, 0);
	assert_null(p->fdt);
	assert_null(engine_find_live(fx->eng, PARENT));
	assert_ptr_equal(engine_process_at(fx->eng, 0), p);
	assert_int_equal(view_open_count(fx->eng, PARENT), 0);

	assert_int_equal(p->exit_fds_len, 3);
	assert_int_equal(p->exit_fds[0]->fd, 3);
	assert_int_equal(p->exit_fds[1]->fd, 5);
	assert_int_equal(p->exit_fds[2]->fd, 9);
	assert_int_equal(p->exit_fds[0]->release, LS_REL_EXIT);
	assert_int_equal(p->exit_fds[0]->released_ns, 1000);
	assert_int_equal(p->exit_fds[0]->created_ns, 110);
	assert_int_equal(p->exit_fds[0]->ofd->res_type, LS_RES_SOCKET);
	assert_int_equal(p->exit_fds[0]->ofd->refs, 0);
	assert_int_equal(p->exit_fds[2]->ofd->id, 1);
	assert_string_equal(p->exit_fds[1]->ofd->file->path, "/tmp/f");

	assert_int_equal(p->counts[LS_RES_FILE].created, 2);
	assert_int_equal(p->counts[LS_RES_FILE].released, 1);
	assert_int_equal(p->counts[LS_RES_FILE].at_exit, 1);
	assert_int_equal(p->counts[LS_RES_FILE].open, 0);
	assert_int_equal(p->counts[LS_RES_SOCKET].at_exit, 1);
	assert_int_equal(p->counts[LS_RES_SOCKET].released, 0);
	assert_int_equal(p->counts[LS_RES_PIPE].at_exit, 1);

	/* the pid comes back as someone else, who knows nothing of those fds */
	assert_int_equal(ev_apply(fx->eng, ev_close(PARENT, PARENT, 2000, 3)), 0);
	assert_int_equal(engine_stats(fx->eng)->unknown_fd, 1);
	assert_int_equal(engine_stats(fx->eng)->unknown_process, 1);
	assert_int_equal(engine_process_count(fx->eng), 2);
}

static void test_exit_record_outlives_the_description(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *parent;
	const struct ls_ofd *o;

	attach(fx, PARENT, 10);
	open_fd(fx, PARENT, 100, 3, LS_RES_FILE, 0xa1, 0);
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, PARENT, 200, CHILD, CHILD, 0, 0,
						   "srv")), 0);
	assert_int_equal(view_fd(fx->eng, CHILD, 3)->ofd->refs, 2);
	parent = live(fx, PARENT);
	assert_int_equal(ev_apply(fx->eng, ev_exit(PARENT, PARENT, 300, 0, 1)), 0);
	o = parent->exit_fds[0]->ofd;
	assert_ptr_equal(o, view_fd(fx->eng, CHILD, 3)->ofd);
	assert_int_equal(o->refs, 1);

	assert_int_equal(ev_apply(fx->eng, ev_close(CHILD, CHILD, 400, 3)), 0);
	assert_int_equal(o->refs, 0);
	assert_int_equal(o->id, 1);
	assert_int_equal(o->file_id, 0xa1);

	open_fd(fx, CHILD, 500, 3, LS_RES_FILE, 0xa1, 0);
	assert_ptr_not_equal(view_fd(fx->eng, CHILD, 3)->ofd, o);
	assert_int_equal(view_fd(fx->eng, CHILD, 3)->ofd->id, 2);
}

static void test_exec_replaces_program(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *p;

	attach(fx, PARENT, 10);
	assert_int_equal(ev_apply(fx->eng, ev_exec(PARENT, PARENT, 100, "/usr/bin/python3",
						   "python3", "python3\0app.py\0", 15)), 0);
	p = live(fx, PARENT);
	assert_string_equal(p->exe, "/usr/bin/python3");
	assert_string_equal(p->comm, "python3");
	assert_int_equal(p->args_len, 15);
	assert_memory_equal(p->args, "python3\0app.py\0", 15);
	assert_false(p->args_truncated);
	assert_int_equal(p->execs, 1);
	assert_int_equal(p->serial, 1);

	/* a forked child runs the same program until it execs */
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, PARENT, 200, CHILD, CHILD, 0, 0,
						   "python3")), 0);
	assert_string_equal(live(fx, CHILD)->exe, "/usr/bin/python3");
	assert_int_equal(live(fx, CHILD)->execs, 0);
}

static void test_events_of_unknown_processes(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *p;

	/* a fork from a parent never seen: the child still exists */
	assert_int_equal(ev_apply(fx->eng, ev_fork(PARENT, PARENT, 100, CHILD, CHILD, 0, 0,
						   "sh")), 0);
	p = live(fx, CHILD);
	assert_int_equal(p->ppid, PARENT);
	assert_int_equal(p->parent_serial, 0);
	assert_null(engine_find_live(fx->eng, PARENT));
	assert_int_equal(engine_stats(fx->eng)->unknown_process, 0);

	assert_int_equal(ev_apply(fx->eng, ev_exit(300, 300, 200, 9, 1)), 0);
	assert_int_equal(engine_stats(fx->eng)->unknown_process, 1);
	p = engine_process_at(fx->eng, 1);
	assert_int_equal(p->pid, 300);
	assert_true(p->exited);
	assert_int_equal(p->exit_code, 9);

	/* a fork event that names the parent as its own child is nonsense */
	assert_int_equal(ev_apply(fx->eng, ev_fork(CHILD, CHILD, 300, CHILD, CHILD, 0, 0, "x")),
			 -EINVAL);
	assert_int_equal(engine_stats(fx->eng)->bad_events, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unknown_process_created_on_the_fly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_creates_then_updates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_copies_fd_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clone_files_shares_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_unshares_clone_files_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_range_unshare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_impossible_thread_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pid_reuse_gives_new_serial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_moves_open_fds_to_exit_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_record_outlives_the_description, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_replaces_program, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_of_unknown_processes, setup, teardown),
	};

	return cmocka_run_group_tests_name("engine_proc", tests, NULL, NULL);
}
