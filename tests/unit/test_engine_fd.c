// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* fd lifecycles in one process: create, dup, close, close_range, cloexec. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>

#include "engine.h"
#include "events_build.h"
#include "engine_view.h"

#define PID 100

static int setup(void **state)
{
	struct engine_fixture *fx = engine_fixture_new();

	if (!fx)
		return -1;
	assert_int_equal(ev_apply(fx->eng, ev_attach(PID, 10, 1, "srv", "srv\0", 4, 1)), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	engine_fixture_free(*state);
	return 0;
}

static const struct ls_process *proc(struct engine_fixture *fx)
{
	const struct ls_process *p = engine_find_live(fx->eng, PID);

	assert_non_null(p);
	return p;
}

static void open_fd(struct engine_fixture *fx, uint64_t ts, int fd, uint16_t type, uint64_t file_id,
		    int cloexec)
{
	assert_int_equal(ev_apply(fx->eng, ev_open(PID, PID, ts, fd, "/tmp/f", type, file_id,
						   cloexec)), 0);
}

static void test_open_creates_lifecycle(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_fd *f;

	assert_int_equal(ev_apply(fx->eng, ev_open(PID, PID + 1, 1000, 3, "/etc/passwd",
						   LS_RES_FILE, 0xa1, 1)), 0);
	f = view_fd(fx->eng, PID, 3);
	assert_non_null(f);
	assert_int_equal(f->fd, 3);
	assert_int_equal(f->generation, 0);
	assert_int_equal(f->syscall, LS_SYS_OPENAT);
	assert_int_equal(f->src_fd, -1);
	assert_int_equal(f->tid, PID + 1);
	assert_int_equal(f->created_ns, 1000);
	assert_int_equal(f->fd_flags, LS_FD_CLOEXEC);
	assert_int_equal(f->release, LS_REL_OPEN);
	assert_false(f->inherited);
	assert_false(f->before_attach);
	assert_int_equal(f->ofd->id, 1);
	assert_int_equal(f->ofd->file_id, 0xa1);
	assert_int_equal(f->ofd->refs, 1);
	assert_int_equal(f->ofd->res_type, LS_RES_FILE);
	assert_string_equal(f->ofd->file->path, "/etc/passwd");
	assert_int_equal(f->ofd->file->path_len, 11);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].created, 1);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].open, 1);
	assert_int_equal(engine_stats(fx->eng)->unknown_process, 0);
}

static void test_fd_reuse_gives_next_generation(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_fd *f;

	open_fd(fx, 100, 3, LS_RES_FILE, 0xa1, 0);
	assert_int_equal(ev_apply(fx->eng, ev_close(PID, PID, 200, 3)), 0);
	assert_null(view_fd(fx->eng, PID, 3));
	open_fd(fx, 300, 3, LS_RES_SOCKET, 0xb2, 0);

	f = view_fd(fx->eng, PID, 3);
	assert_non_null(f);
	assert_int_equal(f->generation, 1);
	assert_int_equal(f->ofd->id, 2);
	assert_int_equal(f->ofd->res_type, LS_RES_SOCKET);

	assert_int_equal(fx->log.n, 1);
	assert_int_equal(fx->log.e[0].fd, 3);
	assert_int_equal(fx->log.e[0].generation, 0);
	assert_int_equal(fx->log.e[0].why, LS_REL_CLOSE);
	assert_int_equal(fx->log.e[0].released_ns, 200);
	assert_int_equal(fx->log.e[0].ofd_id, 1);

	assert_int_equal(proc(fx)->counts[LS_RES_FILE].created, 1);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].released, 1);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].open, 0);
	assert_int_equal(proc(fx)->counts[LS_RES_SOCKET].created, 1);
	assert_int_equal(proc(fx)->counts[LS_RES_SOCKET].open, 1);
}

static void test_dup_shares_ofd(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_fd *a, *b;

	open_fd(fx, 100, 3, LS_RES_FILE, 0xa1, 0);
	assert_int_equal(ev_apply(fx->eng, ev_dup(PID, PID, 200, LS_SYS_DUP, 3, 4, LS_RES_FILE,
						  0xa1, 0)), 0);
	a = view_fd(fx->eng, PID, 3);
	b = view_fd(fx->eng, PID, 4);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_equal(a->ofd, b->ofd);
	assert_int_equal(b->ofd->id, 1);
	assert_int_equal(b->ofd->refs, 2);
	assert_int_equal(b->syscall, LS_SYS_DUP);
	assert_int_equal(b->src_fd, 3);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].created, 2);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].open, 2);

	assert_int_equal(ev_apply(fx->eng, ev_close(PID, PID, 300, 3)), 0);
	assert_int_equal(b->ofd->refs, 1);
	assert_int_equal(ev_apply(fx->eng, ev_close(PID, PID, 400, 4)), 0);

	/* the description is gone: the kernel may reuse its identity */
	open_fd(fx, 500, 5, LS_RES_FILE, 0xa1, 0);
	assert_int_equal(view_fd(fx->eng, PID, 5)->ofd->id, 2);
	assert_int_equal(view_fd(fx->eng, PID, 5)->ofd->refs, 1);
}

static void test_dup2_over_open_fd_releases_it(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_fd *f;

	open_fd(fx, 100, 3, LS_RES_FILE, 0xa1, 0);
	open_fd(fx, 110, 4, LS_RES_PIPE, 0xb2, 0);
	assert_int_equal(ev_apply(fx->eng, ev_dup(PID, PID, 200, LS_SYS_DUP2, 3, 4, LS_RES_FILE,
						  0xa1, 0)), 0);
	assert_int_equal(fx->log.n, 1);
	assert_int_equal(fx->log.e[0].fd, 4);
	assert_int_equal(fx->log.e[0].generation, 0);
	assert_int_equal(fx->log.e[0].why, LS_REL_DUP_OVER);
	assert_int_equal(fx->log.e[0].ofd_id, 2);

	f = view_fd(fx->eng, PID, 4);
	assert_int_equal(f->generation, 1);
	assert_int_equal(f->ofd->id, 1);
	assert_int_equal(f->ofd->refs, 2);
	assert_int_equal(engine_stats(fx->eng)->fd_replaced, 0);
	assert_int_equal(proc(fx)->counts[LS_RES_PIPE].released, 1);
	assert_int_equal(proc(fx)->counts[LS_RES_PIPE].open, 0);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].open, 2);
}

static void test_dup2_onto_itself_changes_nothing(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_fd *f;

	open_fd(fx, 100, 3, LS_RES_FILE, 0xa1, 1);
	assert_int_equal(ev_apply(fx->eng, ev_dup(PID, PID, 200, LS_SYS_DUP2, 3, 3, LS_RES_FILE,
						  0xa1, 0)), 0);
	f = view_fd(fx->eng, PID, 3);
	assert_int_equal(f->generation, 0);
	assert_int_equal(f->syscall, LS_SYS_OPENAT);
	assert_int_equal(f->created_ns, 100);
	assert_int_equal(f->fd_flags, LS_FD_CLOEXEC);
	assert_int_equal(f->ofd->refs, 1);
	assert_int_equal(fx->log.n, 0);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].created, 1);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].released, 0);
}

/* dup2(3, 4) where 4 already shares 3's description: the last other ref
 * goes away while the new one is being made */
static void test_dup2_over_fd_of_same_ofd(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_fd *f;

	open_fd(fx, 100, 3, LS_RES_FILE, 0xa1, 0);
	assert_int_equal(ev_apply(fx->eng, ev_dup(PID, PID, 110, LS_SYS_DUP, 3, 4, LS_RES_FILE,
						  0xa1, 0)), 0);
	assert_int_equal(ev_apply(fx->eng, ev_close(PID, PID, 120, 3)), 0);
	assert_int_equal(ev_apply(fx->eng, ev_dup(PID, PID, 130, LS_SYS_DUP3, 4, 4, LS_RES_FILE,
						  0xa1, 1)), 0);
	/* src == fd: a no-op whatever the flags say */
	assert_int_equal(view_fd(fx->eng, PID, 4)->generation, 0);

	open_fd(fx, 140, 3, LS_RES_FILE, 0xa1, 0);
	assert_int_equal(view_fd(fx->eng, PID, 3)->ofd->refs, 2);
	assert_int_equal(ev_apply(fx->eng, ev_dup(PID, PID, 150, LS_SYS_FCNTL, 3, 4, LS_RES_FILE,
						  0xa1, 1)), 0);
	f = view_fd(fx->eng, PID, 4);
	assert_int_equal(f->generation, 1);
	assert_int_equal(f->fd_flags, LS_FD_CLOEXEC);
	assert_int_equal(f->ofd->id, 1);
	assert_int_equal(f->ofd->refs, 2);
	assert_int_equal(fx->log.e[fx->log.n - 1].why, LS_REL_DUP_OVER);
}

static void test_create_over_open_fd_is_counted(void **state)
{
	struct engine_fixture *fx = *state;

	open_fd(fx, 100, 3, LS_RES_FILE, 0xa1, 0);
	open_fd(fx, 200, 3, LS_RES_FILE, 0xa2, 0);
	assert_int_equal(engine_stats(fx->eng)->fd_replaced, 1);
	assert_int_equal(fx->log.n, 1);
	assert_int_equal(fx->log.e[0].why, LS_REL_CLOSE);
	assert_int_equal(view_fd(fx->eng, PID, 3)->generation, 1);
	assert_int_equal(view_fd(fx->eng, PID, 3)->ofd->id, 2);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].open, 1);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].released, 1);
}

static void test_unknown_fd_close_and_setfd_counted(void **state)
{
	struct engine_fixture *fx = *state;

	assert_int_equal(ev_apply(fx->eng, ev_close(PID, PID, 100, 7)), 0);
	assert_int_equal(ev_apply(fx->eng, ev_close(PID, PID, 110, 70000)), 0);
	assert_int_equal(ev_apply(fx->eng, ev_setfd(PID, PID, 120, 9, LS_FD_CLOEXEC)), 0);
	assert_int_equal(engine_stats(fx->eng)->unknown_fd, 3);
	assert_int_equal(engine_stats(fx->eng)->bad_events, 0);
	assert_int_equal(fx->log.n, 0);
	assert_int_equal(proc(fx)->counts[LS_RES_UNKNOWN].released, 0);
}

static void test_close_range_closes_only_the_range(void **state)
{
	struct engine_fixture *fx = *state;
	int fd;

	for (fd = 3; fd <= 6; fd++)
		open_fd(fx, 100 + fd, fd, LS_RES_FILE, 0xa0 + fd, 0);
	assert_int_equal(ev_apply(fx->eng, ev_close_range(PID, PID, 200, 4, 5, 0)), 0);
	assert_non_null(view_fd(fx->eng, PID, 3));
	assert_null(view_fd(fx->eng, PID, 4));
	assert_null(view_fd(fx->eng, PID, 5));
	assert_non_null(view_fd(fx->eng, PID, 6));
	assert_int_equal(fx->log.n, 2);
	assert_int_equal(fx->log.e[0].fd, 4);
	assert_int_equal(fx->log.e[0].why, LS_REL_CLOSE_RANGE);
	assert_int_equal(fx->log.e[1].fd, 5);
	assert_int_equal(fx->log.e[1].why, LS_REL_CLOSE_RANGE);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].released, 2);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].open, 2);
}

static void test_close_range_to_max_fd(void **state)
{
	struct engine_fixture *fx = *state;

	open_fd(fx, 100, 3, LS_RES_FILE, 0xa1, 0);
	open_fd(fx, 110, 10, LS_RES_FILE, 0xa2, 0);
	open_fd(fx, 120, 5000, LS_RES_FILE, 0xa3, 0);
	assert_int_equal(ev_apply(fx->eng, ev_close_range(PID, PID, 200, 4, ~0U, 0)), 0);
	assert_non_null(view_fd(fx->eng, PID, 3));
	assert_int_equal(view_open_count(fx->eng, PID), 1);
	assert_int_equal(fx->log.n, 2);
	assert_int_equal(fx->log.e[0].fd, 10);
	assert_int_equal(fx->log.e[1].fd, 5000);

	/* a range past every fd, and an empty one */
	assert_int_equal(ev_apply(fx->eng, ev_close_range(PID, PID, 300, 6000, ~0U, 0)), 0);
	assert_int_equal(ev_apply(fx->eng, ev_close_range(PID, PID, 310, 5, 4, 0)), 0);
	assert_int_equal(ev_apply(fx->eng, ev_close_range(PID, PID, 320, 0, ~0U, 0)), 0);
	assert_int_equal(view_open_count(fx->eng, PID), 0);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].released, 3);
}

static void test_close_range_cloexec_then_exec(void **state)
{
	struct engine_fixture *fx = *state;
	int fd;

	for (fd = 3; fd <= 5; fd++)
		open_fd(fx, 100 + fd, fd, LS_RES_FILE, 0xa0 + fd, 0);
	assert_int_equal(ev_apply(fx->eng, ev_close_range(PID, PID, 200, 4, ~0U,
							  LS_CLOSE_RANGE_CLOEXEC)), 0);
	assert_int_equal(fx->log.n, 0);
	assert_int_equal(view_open_count(fx->eng, PID), 3);
	assert_int_equal(view_fd(fx->eng, PID, 3)->fd_flags, 0);
	assert_int_equal(view_fd(fx->eng, PID, 4)->fd_flags, LS_FD_CLOEXEC);
	assert_int_equal(view_fd(fx->eng, PID, 5)->fd_flags, LS_FD_CLOEXEC);

	assert_int_equal(ev_apply(fx->eng, ev_exec(PID, PID, 300, "/bin/true", "true",
						   "true\0", 5)), 0);
	assert_int_equal(view_open_count(fx->eng, PID), 1);
	assert_non_null(view_fd(fx->eng, PID, 3));
	assert_int_equal(fx->log.n, 2);
	assert_int_equal(fx->log.e[0].fd, 4);
	assert_int_equal(fx->log.e[0].why, LS_REL_EXEC);
	assert_int_equal(fx->log.e[1].fd, 5);
	assert_int_equal(fx->log.e[1].released_ns, 300);
}

static void test_setfd_then_exec_releases_only_cloexec(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *p;

	open_fd(fx, 100, 3, LS_RES_FILE, 0xa1, 0);
	open_fd(fx, 110, 4, LS_RES_SOCKET, 0xa2, 1);
	open_fd(fx, 120, 5, LS_RES_PIPE, 0xa3, 0);
	assert_int_equal(ev_apply(fx->eng, ev_setfd(PID, PID, 130, 5, LS_FD_CLOEXEC)), 0);
	assert_int_equal(ev_apply(fx->eng, ev_setfd(PID, PID, 140, 4, 0)), 0);
	assert_int_equal(view_fd(fx->eng, PID, 4)->fd_flags, 0);
	assert_int_equal(view_fd(fx->eng, PID, 5)->fd_flags, LS_FD_CLOEXEC);

	assert_int_equal(ev_apply(fx->eng, ev_exec(PID, PID, 200, "/usr/bin/env", "env",
						   "env\0-i\0", 7)), 0);
	p = proc(fx);
	assert_int_equal(p->execs, 1);
	assert_non_null(view_fd(fx->eng, PID, 3));
	assert_non_null(view_fd(fx->eng, PID, 4));
	assert_null(view_fd(fx->eng, PID, 5));
	assert_int_equal(fx->log.n, 1);
	assert_int_equal(fx->log.e[0].fd, 5);
	assert_int_equal(fx->log.e[0].why, LS_REL_EXEC);
	assert_int_equal(p->counts[LS_RES_PIPE].released, 1);
	assert_int_equal(p->counts[LS_RES_PIPE].open, 0);
	assert_int_equal(p->counts[LS_RES_FILE].released, 0);
	assert_int_equal(p->counts[LS_RES_SOCKET].open, 1);
}

static void test_snapshot_fd_is_not_created(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_fd *f;

	assert_int_equal(ev_apply(fx->eng, ev_snapshot_fd(PID, 50, 0, "/dev/pts/0", LS_RES_CHR,
							  0xc0, 0)), 0);
	f = view_fd(fx->eng, PID, 0);
	assert_non_null(f);
	assert_true(f->before_attach);
	assert_int_equal(f->syscall, LS_SYS_SNAPSHOT);
	assert_int_equal(proc(fx)->counts[LS_RES_CHR].created, 0);
	assert_int_equal(proc(fx)->counts[LS_RES_CHR].open, 1);

	assert_int_equal(ev_apply(fx->eng, ev_close(PID, PID, 100, 0)), 0);
	assert_int_equal(proc(fx)->counts[LS_RES_CHR].released, 1);
	assert_int_equal(proc(fx)->counts[LS_RES_CHR].open, 0);
}

/* the snapshot runs after the probes attach: it may list an fd already seen */
static void test_snapshot_of_known_fd_changes_nothing(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_fd *f;

	open_fd(fx, 100, 3, LS_RES_FILE, 0xa1, 0);
	assert_int_equal(ev_apply(fx->eng, ev_snapshot_fd(PID, 150, 3, "/tmp/f", LS_RES_FILE,
							  0xa1, 0)), 0);
	f = view_fd(fx->eng, PID, 3);
	assert_false(f->before_attach);
	assert_int_equal(f->generation, 0);
	assert_int_equal(f->created_ns, 100);
	assert_int_equal(f->ofd->refs, 1);
	assert_int_equal(engine_stats(fx->eng)->fd_replaced, 0);
	assert_int_equal(fx->log.n, 0);

	/* another description at that number: the engine missed a close */
	assert_int_equal(ev_apply(fx->eng, ev_snapshot_fd(PID, 160, 3, "/tmp/g", LS_RES_FILE,
							  0xa2, 0)), 0);
	f = view_fd(fx->eng, PID, 3);
	assert_true(f->before_attach);
	assert_int_equal(f->generation, 1);
	assert_int_equal(engine_stats(fx->eng)->fd_replaced, 1);
	assert_int_equal(fx->log.e[0].why, LS_REL_CLOSE);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].created, 1);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].open, 1);
}

static void test_unknown_file_id_and_res_type(void **state)
{
	struct engine_fixture *fx = *state;

	open_fd(fx, 100, 3, 999, 0, 0);
	open_fd(fx, 110, 4, LS_RES_FILE, 0, 0);
	assert_int_equal(view_fd(fx->eng, PID, 3)->ofd->res_type, LS_RES_UNKNOWN);
	assert_int_equal(view_fd(fx->eng, PID, 3)->ofd->id, 1);
	assert_int_equal(view_fd(fx->eng, PID, 4)->ofd->id, 2);
	assert_int_equal(proc(fx)->counts[LS_RES_UNKNOWN].created, 1);
	assert_int_equal(proc(fx)->counts[LS_RES_FILE].created, 1);
}

static void test_many_fds(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *p;
	int fd, n = 100000;

	for (fd = 0; fd < n; fd++)
		open_fd(fx, 1000 + fd, fd, LS_RES_SOCKET, 0x10000 + fd, fd & 1);
	p = proc(fx);
	assert_int_equal(p->counts[LS_RES_SOCKET].open, n);
	assert_int_equal(view_fd(fx->eng, PID, n - 1)->ofd->id, n);

	assert_int_equal(ev_apply(fx->eng, ev_exec(PID, PID, 200000, "/bin/x", "x", NULL, 0)), 0);
	assert_int_equal(p->counts[LS_RES_SOCKET].open, n / 2);
	assert_int_equal(ev_apply(fx->eng, ev_close_range(PID, PID, 200001, 3, ~0U, 0)), 0);
	assert_int_equal(p->counts[LS_RES_SOCKET].open, 2);
	assert_int_equal(p->counts[LS_RES_SOCKET].released, n - 2);
	assert_int_equal(fx->log.n, n - 2);

	assert_int_equal(ev_apply(fx->eng, ev_exit(PID, PID, 300000, 0, 1)), 0);
	assert_int_equal(p->exit_fds_len, 2);
	assert_int_equal(p->exit_fds[0]->fd, 0);
	assert_int_equal(p->exit_fds[1]->fd, 2);
}

/* fds up to INT_MAX (a raised fs.nr_open, dup2 to a huge number) are tracked
 * like any other, and close_range walks the open ones, not the range. */
static void test_huge_fds_are_tracked(void **state)
{
	struct engine_fixture *fx = *state;
	const struct ls_process *p;

	assert_int_equal(ev_apply(fx->eng, ev_open(PID, PID, 100, 0x7fffffff, "/x", LS_RES_FILE,
						   1, 0)), 0);
	assert_int_equal(ev_apply(fx->eng, ev_open(PID, PID, 101, 1 << 30, "/y", LS_RES_FILE,
						   2, 0)), 0);
	assert_int_equal(ev_apply(fx->eng, ev_open(PID, PID, 102, 5, "/z", LS_RES_FILE,
						   3, 0)), 0);
	p = proc(fx);
	assert_int_equal(view_open_count(fx->eng, PID), 3);
	assert_int_equal(p->counts[LS_RES_FILE].created, 3);
	assert_int_equal(view_fd(fx->eng, PID, 0x7fffffff)->ofd->file_id, 1);
	assert_int_equal(ev_apply(fx->eng, ev_close_range(PID, PID, 200, 6, ~0U, 0)), 0);
	assert_int_equal(p->counts[LS_RES_FILE].released, 2);
	assert_int_equal(view_open_count(fx->eng, PID), 1);
	assert_int_equal(ev_apply(fx->eng, ev_open(PID, PID, 300, 1 << 30, "/y", LS_RES_FILE,
						   4, 0)), 0);
	assert_int_equal(view_fd(fx->eng, PID, 1 << 30)->generation, 1);
	assert_int_equal(ev_apply(fx->eng, ev_exit(PID, PID, 400, 0, 1)), 0);
	assert_int_equal(p->exit_fds_len, 2);
	assert_int_equal(p->exit_fds[0]->fd, 5);
	assert_int_equal(p->exit_fds[1]->fd, 1 << 30);
	assert_int_equal(engine_stats(fx->eng)->oom, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_creates_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_reuse_gives_next_generation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dup_shares_ofd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dup2_over_open_fd_releases_it, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dup2_onto_itself_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dup2_over_fd_of_same_ofd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_over_open_fd_is_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_fd_close_and_setfd_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_range_closes_only_the_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_range_to_max_fd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_range_cloexec_then_exec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setfd_then_exec_releases_only_cloexec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_fd_is_not_created, setup, teardown),
		cmocka_unit_test_setup_teardown(test_snapshot_of_known_fd_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_file_id_and_res_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_fds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_huge_fds_are_tracked, setup, teardown),
	};

	return cmocka_run_group_tests_name("engine_fd", tests, NULL, NULL);
}
