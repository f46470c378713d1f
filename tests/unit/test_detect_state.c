// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* close-wait and deleted-but-open detectors, thresholds at their edges. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "engine.h"
#include "events_build.h"
#include "findings.h"

#define PID 100
#define SEC 1000000000ULL
#define TCP_ESTABLISHED 1
#define TCP_CLOSE_WAIT 8

static struct ls_engine *server(void)
{
	struct ls_engine *eng = engine_new();

	assert_non_null(eng);
	assert_int_equal(ev_apply(eng, ev_attach(PID, 1, 1, "srv", "srv\0", 4, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_socket(PID, 10, 5, 2, 0xf5, 0x5005, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_tcp_state(20, 0x5005, 3, TCP_ESTABLISHED, 80, 4000)), 0);
	/* the peer's FIN at t = 1 s */
	assert_int_equal(ev_apply(eng, ev_tcp_state(SEC, 0x5005, TCP_ESTABLISHED, TCP_CLOSE_WAIT,
						    80, 4000)), 0);
	return eng;
}

static size_t detect(struct ls_engine *eng, uint64_t threshold, uint64_t now, struct findings *fs)
{
	struct detect_opts o = { .close_wait_ns = threshold, .now_ns = now };

	findings_free(fs);
	assert_int_equal(detect_socket_and_file_states(eng, &o, fs), 0);
	return fs->len;
}

static void test_close_wait_threshold_edges(void **state)
{
	struct ls_engine *eng = server();
	struct findings fs = { 0 };

	(void)state;
	/* in CLOSE_WAIT for exactly the threshold: a finding; a ns less: none */
	assert_int_equal(detect(eng, 10 * SEC, 11 * SEC, &fs), 1);
	assert_int_equal(fs.v[0].kind, FINDING_CLOSE_WAIT);
	assert_int_equal(fs.v[0].duration_ns, 10 * SEC);
	assert_int_equal(fs.v[0].fd->fd, 5);
	assert_int_equal(detect(eng, 10 * SEC, 11 * SEC - 1, &fs), 0);
	/* released at exit after 3 s in CLOSE_WAIT: the exit is when it ended */
	assert_int_equal(ev_apply(eng, ev_exit(PID, PID, 4 * SEC, 0, 1)), 0);
	assert_int_equal(detect(eng, 3 * SEC, 100 * SEC, &fs), 1);
	assert_int_equal(fs.v[0].duration_ns, 3 * SEC);
	assert_int_equal(detect(eng, 3 * SEC + 1, 100 * SEC, &fs), 0);
	findings_free(&fs);
	engine_free(eng);
}

static void test_closed_in_time_is_clean(void **state)
{
	struct ls_engine *eng = server();
	struct findings fs = { 0 };

	(void)state;
	assert_int_equal(ev_apply(eng, ev_close(PID, PID, 2 * SEC, 5)), 0);
	assert_int_equal(detect(eng, 0, 100 * SEC, &fs), 0);
	findings_free(&fs);
	engine_free(eng);
}

static void test_deleted_but_open(void **state)
{
	struct ls_engine *eng = engine_new();
	struct ls_file_state st;
	struct findings fs = { 0 };

	(void)state;
	assert_int_equal(ev_apply(eng, ev_attach(PID, 1, 1, "app", "app\0", 4, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 2, 3, "/var/log/big", LS_RES_FILE, 0xa3, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(PID, PID, 3, 4, "/var/log/kept", LS_RES_FILE, 0xa4, 0)), 0);
	/* no fact yet: unknown, not a finding */
	assert_int_equal(detect(eng, SEC, 10, &fs), 0);
	st = ev_file_state(PID, 5, 3, 0, 3 << 20);
	assert_int_equal(ev_apply(eng, st), 0);
	st.fd = 4;
	st.nlink = 1;
	assert_int_equal(ev_apply(eng, st), 0);
	assert_int_equal(detect(eng, SEC, 10, &fs), 1);
	assert_int_equal(fs.v[0].kind, FINDING_DELETED_OPEN);
	assert_int_equal(fs.v[0].fd->fd, 3);
	assert_int_equal(ls_ofd_state(fs.v[0].fd->ofd)->size, 3 << 20);
	assert_string_equal(finding_kind_name(FINDING_DELETED_OPEN), "deleted-but-open");
	assert_int_equal(findings_count_at_least(&fs, SEVERITY_WARNING), 1);
	assert_int_equal(findings_count_at_least(&fs, SEVERITY_ERROR), 0);
	findings_free(&fs);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_close_wait_threshold_edges),
		cmocka_unit_test(test_closed_in_time_is_clean),
		cmocka_unit_test(test_deleted_but_open),
	};

	return cmocka_run_group_tests_name("detect_state", tests, NULL, NULL);
}
