// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The sentence about each kind of finding, from findings built by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "report.h"

#define MS 1000000ULL

static const struct report_meta meta = { .start_ns = 0, .end_ns = 2000 * MS };

static void reason(const struct finding *fi, char *buf, size_t len)
{
	report_finding_reason(NULL, fi, &meta, buf, len);
}

static void test_fd_reasons(void **state)
{
	struct ls_process p = { .pid = 42 };
	struct ls_ofd_state st = { .size = 7 };
	struct {
		struct ls_file f;
		char path[8];
	} file = { .f = { .path_len = 6 }, .path = "/tmp/x" };
	struct ls_ofd o = { .res_type = LS_RES_FILE, .file = &file.f,
			    .ext = (struct ls_ofd_ext *)&st };
	struct ls_fd f = { .fd = 3, .ofd = &o, .syscall = LS_SYS_OPENAT, .created_ns = 500 * MS,
			   .release = LS_REL_EXIT, .released_ns = 750 * MS };
	struct finding fi = { .kind = FINDING_RELEASED_AT_EXIT, .proc = &p, .fd = &f };
	char buf[REPORT_REASON_MAX];

	(void)state;
	reason(&fi, buf, sizeof(buf));
	assert_string_equal(buf, "fd 3 (file /tmp/x) created by openat was never closed; "
			    "released only when pid 42 exited, 0.250 s later");
	assert_int_equal(report_fd_lifetime(&fi, &meta), 250 * MS);
	/* still open: its lifetime runs to the report's end */
	f.release = LS_REL_OPEN;
	fi.kind = FINDING_DELETED_OPEN;
	assert_int_equal(report_fd_lifetime(&fi, &meta), 1500 * MS);
	reason(&fi, buf, sizeof(buf));
	assert_string_equal(buf, "fd 3 (file /tmp/x) created by openat: the file was unlinked "
			    "but pid 42 still holds it open, keeping 7 bytes allocated that du "
			    "cannot see");
	/* a short buffer: cut and terminated */
	reason(&fi, buf, 12);
	assert_string_equal(buf, "fd 3 (file ");
	reason(&fi, buf, 0);
}

static void test_zombie_reasons(void **state)
{
	struct ls_process parent = { .pid = 10 }, child = { .pid = 11, .ppid = 9, .comm = "kid" };
	struct finding fi = { .kind = FINDING_ZOMBIE, .proc = &parent, .child = &child,
			      .duration_ns = 1500 * MS };
	char buf[REPORT_REASON_MAX];

	(void)state;
	reason(&fi, buf, sizeof(buf));
	assert_string_equal(buf, "child pid 11 (kid) exited 1.500 s ago and pid 10 has not "
			    "waited for it: it holds a pid and a process-table slot");
	fi.proc = &child;
	reason(&fi, buf, sizeof(buf));
	assert_string_equal(buf, "pid 11 exited 1.500 s ago and its parent (pid 9, not "
			    "observed) has not waited for it");
}

static void test_misuse_reasons(void **state)
{
	struct ls_process p = { .pid = 10 };
	struct ls_misuse u = { .kind = LS_MISUSE_DOUBLE_CLOSE, .fd = 5, .count = 1,
			       .syscall = LS_SYS_CLOSE, .first_ns = 300 * MS, .closed_ns = 100 * MS };
	struct finding fi = { .kind = FINDING_FD_MISUSE, .proc = &p, .misuse = &u };
	char buf[REPORT_REASON_MAX];

	(void)state;
	reason(&fi, buf, sizeof(buf));
	assert_string_equal(buf, "fd 5 was closed twice, 0.200 s after it was closed (EBADF): "
			    "with threads, the second close can close another thread's new file");
	u.kind = LS_MISUSE_USE_AFTER_CLOSE;
	u.syscall = LS_SYS_READ;
	reason(&fi, buf, sizeof(buf));
	assert_string_equal(buf, "read on fd 5, 0.200 s after it was closed failed with EBADF: "
			    "a use after close");
	u.kind = LS_MISUSE_USE_UNOPENED;
	u.count = 3;
	reason(&fi, buf, sizeof(buf));
	assert_string_equal(buf, "read on fd 5, which was not open, failed with EBADF (3 times)");
	u.kind = LS_MISUSE_CLOSE_UNOPENED;
	reason(&fi, buf, sizeof(buf));
	assert_string_equal(buf, "close of fd 5, which was not open, failed with EBADF "
			    "(3 times from this place)");
}

static void test_growth_reason(void **state)
{
	struct ls_process p = { .pid = 10 };
	struct growth_detail g = { .cls = LS_CLASS_THREADS, .first = 1, .last = 41, .open_now = 42,
				   .window_ns = 10000 * MS, .slope_per_s = 4, .points = 40,
				   .tau = 1, .limit = 1042, .limit_name = "kernel.threads-max",
				   .exhaustion_s = 250 };
	struct finding fi = { .kind = FINDING_GROWTH, .proc = &p, .growth = &g };
	char buf[REPORT_REASON_MAX];

	(void)state;
	reason(&fi, buf, sizeof(buf));
	assert_string_equal(buf, "threads rose from 1 to 41 over the last 10.0 s (4 per s: the "
			    "median slope between 40 points, rank correlation 1.00), 42 now; at "
			    "that rate they reach the kernel.threads-max of 1042 (shared by every "
			    "process: at the latest) in 250 s");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fd_reasons),
		cmocka_unit_test(test_zombie_reasons),
		cmocka_unit_test(test_misuse_reasons),
		cmocka_unit_test(test_growth_reason),
	};

	return cmocka_run_group_tests_name("report_reason", tests, NULL, NULL);
}
