// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* released-at-exit: which fds a process left open when it exited. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "engine.h"
#include "findings.h"
#include "events_build.h"
#include "engine_view.h"

#define PID 100
#define CHILD 200

struct fixture {
	struct ls_engine *eng;
	struct findings fs;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->eng = engine_new();
	if (!fx->eng) {
		free(fx);
		return -1;
	}
	assert_int_equal(ev_apply(fx->eng, ev_attach(PID, 10, 1, "app", "app\0", 4, 1)), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	findings_free(&fx->fs);
	engine_free(fx->eng);
	free(fx);
	return 0;
}

static void open_fd(struct fixture *fx, uint32_t pid, uint64_t ts, int fd, uint16_t type,
		    uint64_t file_id, int cloexec)
{
	assert_int_equal(ev_apply(fx->eng, ev_open(pid, pid, ts, fd, "/tmp/f", type, file_id,
						   cloexec)), 0);
}

static void close_fd(struct fixture *fx, uint32_t pid, uint64_t ts, int fd)
{
	assert_int_equal(ev_apply(fx->eng, ev_close(pid, pid, ts, fd)), 0);
}

static void exit_proc(struct fixture *fx, uint32_t pid, uint64_t ts, uint32_t status)
{
	assert_int_equal(ev_apply(fx->eng, ev_exit(pid, pid, ts, status, 1)), 0);
}

static void detect(struct fixture *fx, bool track_inherited)
{
	struct detect_opts o = { .track_inherited = track_inherited };

	findings_free(&fx->fs);
	assert_int_equal(detect_released_at_exit(fx->eng, &o, &fx->fs), 0);
}

/* The process that was i-th to appear. */
static const struct ls_process *nth_proc(struct fixture *fx, size_t i)
{
	assert_true(i < engine_process_count(fx->eng));
	return engine_process_at(fx->eng, i);
}

/* Finding i is fd of process p, released by its exit at ts. */
static void assert_finding(struct fixture *fx, size_t i, const struct ls_process *p, int fd,
			   uint64_t ts)
{
	const struct finding *fi;

	assert_true(i < fx->fs.len);
	fi = &fx->fs.v[i];
	assert_int_equal(fi->kind, FINDING_RELEASED_AT_EXIT);
	assert_int_equal(fi->severity, SEVERITY_WARNING);
	assert_ptr_equal(fi->proc, p);
	assert_non_null(fi->fd);
	assert_int_equal(fi->fd->fd, fd);
	assert_int_equal(fi->fd->release, LS_REL_EXIT);
	assert_int_equal(fi->fd->released_ns, ts);
	assert_non_null(fi->fd->ofd);
}

static void test_open_at_exit_in_fd_order(void **state)
{
	struct fixture *fx = *state;
	const struct ls_process *p = nth_proc(fx, 0);

	open_fd(fx, PID, 100, 7, LS_RES_EVENTFD, 0xa7, 0);
	open_fd(fx, PID, 110, 3, LS_RES_FILE, 0xa3, 0);
	open_fd(fx, PID, 120, 5, LS_RES_SOCKET, 0xa5, 0);
	open_fd(fx, PID, 130, 4, LS_RES_PIPE, 0xa4, 0);
	open_fd(fx, PID, 140, 6, LS_RES_FILE, 0xa6, 0);
	close_fd(fx, PID, 200, 4);
	close_fd(fx, PID, 210, 6);
	exit_proc(fx, PID, 300, 3 << 8);

	detect(fx, false);
	assert_int_equal(fx->fs.len, 3);
	assert_finding(fx, 0, p, 3, 300);
	assert_finding(fx, 1, p, 5, 300);
	assert_finding(fx, 2, p, 7, 300);
	assert_int_equal(fx->fs.v[0].fd->ofd->res_type, LS_RES_FILE);
	assert_int_equal(fx->fs.v[0].fd->created_ns, 110);
	assert_int_equal(fx->fs.v[1].fd->ofd->res_type, LS_RES_SOCKET);
	assert_int_equal(fx->fs.v[2].fd->ofd->res_type, LS_RES_EVENTFD);
	assert_int_equal(findings_count_kind(&fx->fs, FINDING_RELEASED_AT_EXIT), 3);
	assert_int_equal(p->counts[LS_RES_FILE].at_exit, 1);
}

static void test_everything_closed_gives_nothing(void **state)
{
	struct fixture *fx = *state;

	open_fd(fx, PID, 100, 3, LS_RES_FILE, 0xa3, 0);
	open_fd(fx, PID, 110, 4, LS_RES_FILE, 0xa4, 0);
	assert_int_equal(ev_apply(fx->eng, ev_close_range(PID, PID, 200, 3, ~0U, 0)), 0);
	exit_proc(fx, PID, 300, 0);
	detect(fx, true);
	assert_int_equal(fx->fs.len, 0);
}

static void test_live_process_gives_nothing(void **state)
{
	struct fixture *fx = *state;

	open_fd(fx, PID, 100, 3, LS_RES_FILE, 0xa3, 0);
	open_fd(fx, PID, 110, 4, LS_RES_SOCKET, 0xa4, 0);
	/* a thread that ends is not the process */
	assert_int_equal(ev_apply(fx->eng, ev_fork(PID, PID, 120, PID, PID + 1, 1, 1, "app")), 0);
	assert_int_equal(ev_apply(fx->eng, ev_exit(PID, PID + 1, 130, 0, 0)), 0);
	assert_false(nth_proc(fx, 0)->exited);

	detect(fx, false);
	assert_int_equal(fx->fs.len, 0);
	detect(fx, true);
	assert_int_equal(fx->fs.len, 0);
}

static void test_inherited_fds_need_track_inherited(void **state)
{
	struct fixture *fx = *state;
	const struct ls_process *child;

	open_fd(fx, PID, 100, 3, LS_RES_FILE, 0xa3, 0);
	open_fd(fx, PID, 110, 5, LS_RES_PIPE, 0xa5, 0);
	assert_int_equal(ev_apply(fx->eng, ev_fork(PID, PID, 120, CHILD, CHILD, 0, 0, "app")), 0);
	open_fd(fx, CHILD, 130, 4, LS_RES_SOCKET, 0xb4, 0);
	exit_proc(fx, CHILD, 200, 0);
	child = nth_proc(fx, 1);
	assert_int_equal(child->pid, CHILD);

	detect(fx, false);
	assert_int_equal(fx->fs.len, 1);
	assert_finding(fx, 0, child, 4, 200);
	assert_false(fx->fs.v[0].fd->inherited);

	detect(fx, true);
	assert_int_equal(fx->fs.len, 3);
	assert_finding(fx, 0, child, 3, 200);
	assert_finding(fx, 1, child, 4, 200);
	assert_finding(fx, 2, child, 5, 200);
	assert_true(fx->fs.v[0].fd->inherited);
	assert_true(fx->fs.v[2].fd->inherited);

	/* the parent is still running: its own 3 and 5 are not findings yet */
	exit_proc(fx, PID, 300, 0);
	detect(fx, false);
	assert_int_equal(fx->fs.len, 3);
	assert_finding(fx, 0, nth_proc(fx, 0), 3, 300);
	assert_finding(fx, 1, nth_proc(fx, 0), 5, 300);
	assert_finding(fx, 2, child, 4, 200);
}

static void test_before_attach_fds_need_track_inherited(void **state)
{
	struct fixture *fx = *state;
	const struct ls_process *p = nth_proc(fx, 0);
	int fd;

	for (fd = 0; fd <= 2; fd++)
		assert_int_equal(ev_apply(fx->eng, ev_snapshot_fd(PID, 20, fd, "/dev/pts/0",
								  LS_RES_CHR, 0xc0, 0)), 0);
	open_fd(fx, PID, 100, 3, LS_RES_FILE, 0xa3, 0);
	exit_proc(fx, PID, 200, 0);

	detect(fx, false);
	assert_int_equal(fx->fs.len, 1);
	assert_finding(fx, 0, p, 3, 200);

	detect(fx, true);
	assert_int_equal(fx->fs.len, 4);
	for (fd = 0; fd <= 3; fd++)
		assert_finding(fx, (size_t)fd, p, fd, 200);
	assert_true(fx->fs.v[0].fd->before_attach);
	assert_int_equal(fx->fs.v[1].fd->syscall, LS_SYS_SNAPSHOT);
	assert_false(fx->fs.v[3].fd->before_attach);
}

/* A shell restoring a saved stdout with dup2(10, 1) created fd 1 itself;
 * the standard streams are still not reported unless asked for. */
static void test_std_streams_need_track_inherited(void **state)
{
	struct fixture *fx = *state;
	const struct ls_process *p = nth_proc(fx, 0);

	open_fd(fx, PID, 100, 1, LS_RES_PIPE, 0xa1, 0);
	open_fd(fx, PID, 110, 2, LS_RES_FILE, 0xa2, 0);
	open_fd(fx, PID, 120, 3, LS_RES_FILE, 0xa3, 0);
	exit_proc(fx, PID, 200, 0);

	detect(fx, false);
	assert_int_equal(fx->fs.len, 1);
	assert_finding(fx, 0, p, 3, 200);
	detect(fx, true);
	assert_int_equal(fx->fs.len, 3);
	assert_finding(fx, 0, p, 1, 200);
	assert_finding(fx, 1, p, 2, 200);
	assert_finding(fx, 2, p, 3, 200);
}

static void test_shared_table_last_sharer_reports(void **state)
{
	struct fixture *fx = *state;
	const struct ls_process *parent = nth_proc(fx, 0), *child;

	open_fd(fx, PID, 100, 3, LS_RES_FILE, 0xa3, 0);
	/* clone(CLONE_FILES) without CLONE_THREAD: two processes, one table */
	assert_int_equal(ev_apply(fx->eng, ev_fork(PID, PID, 110, CHILD, CHILD, 0, 1, "app")), 0);
	child = nth_proc(fx, 1);
	open_fd(fx, CHILD, 120, 4, LS_RES_PIPE, 0xb4, 0);
	open_fd(fx, PID, 130, 6, LS_RES_SOCKET, 0xa6, 0);
	close_fd(fx, CHILD, 140, 6);
	assert_int_equal(view_open_count(fx->eng, PID), 2);

	exit_proc(fx, PID, 200, 0);
	assert_true(parent->exited);
	detect(fx, true);
	assert_int_equal(fx->fs.len, 0);
	assert_int_equal(view_open_count(fx->eng, CHILD), 2);

	exit_proc(fx, CHILD, 300, 0);
	detect(fx, false);
	assert_int_equal(fx->fs.len, 2);
	assert_finding(fx, 0, child, 3, 300);
	assert_finding(fx, 1, child, 4, 300);
	assert_false(fx->fs.v[0].fd->inherited);
	assert_int_equal(fx->fs.v[0].fd->created_ns, 100);
}

static void test_shared_table_parent_last(void **state)
{
	struct fixture *fx = *state;

	open_fd(fx, PID, 100, 3, LS_RES_FILE, 0xa3, 0);
	assert_int_equal(ev_apply(fx->eng, ev_fork(PID, PID, 110, CHILD, CHILD, 0, 1, "app")), 0);
	open_fd(fx, CHILD, 120, 4, LS_RES_PIPE, 0xb4, 0);
	exit_proc(fx, CHILD, 200, 0);
	detect(fx, false);
	assert_int_equal(fx->fs.len, 0);

	exit_proc(fx, PID, 300, 0);
	detect(fx, false);
	assert_int_equal(fx->fs.len, 2);
	assert_finding(fx, 0, nth_proc(fx, 0), 3, 300);
	assert_finding(fx, 1, nth_proc(fx, 0), 4, 300);
}

static void test_exec_released_fds_are_not_findings(void **state)
{
	struct fixture *fx = *state;
	const struct ls_process *p = nth_proc(fx, 0);

	open_fd(fx, PID, 100, 3, LS_RES_FILE, 0xa3, 1);
	open_fd(fx, PID, 110, 4, LS_RES_FILE, 0xa4, 0);
	open_fd(fx, PID, 120, 5, LS_RES_PIPE, 0xa5, 0);
	open_fd(fx, PID, 130, 6, LS_RES_SOCKET, 0xa6, 1);
	assert_int_equal(ev_apply(fx->eng, ev_setfd(PID, PID, 140, 5, LS_FD_CLOEXEC)), 0);
	assert_int_equal(ev_apply(fx->eng, ev_setfd(PID, PID, 150, 6, 0)), 0);
	assert_int_equal(ev_apply(fx->eng, ev_exec(PID, PID, 200, "/bin/x", "x", "x\0", 2)), 0);
	exit_proc(fx, PID, 300, 0);

	detect(fx, true);
	assert_int_equal(fx->fs.len, 2);
	assert_finding(fx, 0, p, 4, 300);
	assert_finding(fx, 1, p, 6, 300);
	assert_int_equal(p->counts[LS_RES_FILE].released, 1);
	assert_int_equal(p->counts[LS_RES_PIPE].released, 1);
}

/* a shared table: exec gives the execing process a private copy */
static void test_exec_with_shared_table(void **state)
{
	struct fixture *fx = *state;

	open_fd(fx, PID, 100, 3, LS_RES_FILE, 0xa3, 1);
	open_fd(fx, PID, 110, 4, LS_RES_FILE, 0xa4, 0);
	assert_int_equal(ev_apply(fx->eng, ev_fork(PID, PID, 120, CHILD, CHILD, 0, 1, "app")), 0);
	assert_int_equal(ev_apply(fx->eng, ev_exec(CHILD, CHILD, 200, "/bin/x", "x", "x\0", 2)), 0);
	exit_proc(fx, CHILD, 300, 0);
	detect(fx, false);
	assert_int_equal(fx->fs.len, 1);
	assert_finding(fx, 0, nth_proc(fx, 1), 4, 300);

	exit_proc(fx, PID, 400, 0);
	detect(fx, false);
	assert_int_equal(fx->fs.len, 3);
	assert_finding(fx, 0, nth_proc(fx, 0), 3, 400);
	assert_finding(fx, 1, nth_proc(fx, 0), 4, 400);
}

static void test_many_findings_and_append(void **state)
{
	struct fixture *fx = *state;
	struct detect_opts o = { .track_inherited = false };
	int fd, n = 200;

	/* from fd 3: the standard streams are not findings without track_inherited */
	for (fd = 3; fd < n + 3; fd++)
		open_fd(fx, PID, 100 + fd, fd, LS_RES_SOCKET, 0x1000 + fd, 0);
	exit_proc(fx, PID, 1000, 0);
	detect(fx, false);
	assert_int_equal(fx->fs.len, n);
	for (fd = 0; fd < n; fd++)
		assert_int_equal(fx->fs.v[fd].fd->fd, fd + 3);

	/* a second pass appends to what out already holds */
	assert_int_equal(detect_released_at_exit(fx->eng, &o, &fx->fs), 0);
	assert_int_equal(fx->fs.len, 2 * n);
	assert_int_equal(findings_count_kind(&fx->fs, FINDING_RELEASED_AT_EXIT), 2 * n);
	assert_int_equal(findings_count_kind(&fx->fs, FINDING_KIND_MAX), 0);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(finding_kind_name(FINDING_RELEASED_AT_EXIT), "released-at-exit");
	assert_string_equal(finding_kind_name(FINDING_KIND_MAX), "unknown");
	assert_string_equal(finding_kind_name((enum finding_kind)77), "unknown");
	assert_string_equal(severity_name(SEVERITY_INFO), "info");
	assert_string_equal(severity_name(SEVERITY_WARNING), "warning");
	assert_string_equal(severity_name(SEVERITY_ERROR), "error");
	assert_string_equal(severity_name(SEVERITY_MAX), "unknown");
	assert_string_equal(severity_name((enum severity)-1), "unknown");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_open_at_exit_in_fd_order),
		T(test_everything_closed_gives_nothing),
		T(test_live_process_gives_nothing),
		T(test_inherited_fds_need_track_inherited),
		T(test_before_attach_fds_need_track_inherited),
		T(test_std_streams_need_track_inherited),
		T(test_shared_table_last_sharer_reports),
		T(test_shared_table_parent_last),
		T(test_exec_released_fds_are_not_findings),
		T(test_exec_with_shared_table),
		T(test_many_findings_and_append),
		cmocka_unit_test(test_names),
	};
#undef T

	return cmocka_run_group_tests_name("detect_exit", tests, NULL, NULL);
}
