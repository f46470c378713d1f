// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The engine's front: record validation, time span, accessors, names. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "events_build.h"
#include "engine_view.h"

static int setup(void **state)
{
	*state = engine_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	engine_free(*state);
	return 0;
}

static void test_new_engine_is_empty(void **state)
{
	struct ls_engine *eng = *state;
	const struct ls_engine_stats *st = engine_stats(eng);

	assert_int_equal(engine_process_count(eng), 0);
	assert_null(engine_process_at(eng, 0));
	assert_null(engine_find_live(eng, 1));
	assert_int_equal(engine_first_ns(eng), 0);
	assert_int_equal(engine_last_ns(eng), 0);
	assert_int_equal(st->events, 0);
	assert_int_equal(st->bad_events, 0);
	engine_free(NULL);
}

static void test_short_records_rejected(void **state)
{
	struct ls_engine *eng = *state;
	struct ls_fd_close c = ev_close(100, 100, 1000, 3);
	struct ls_fd_create o = ev_open(100, 100, 1000, 3, "/x", LS_RES_FILE, 1, 0);

	/* not even a header */
	assert_int_equal(engine_apply(eng, &c, sizeof(c.hdr) - 1), -EINVAL);
	assert_int_equal(engine_apply(eng, NULL, 0), -EINVAL);
	/* the header claims more than was read */
	assert_int_equal(engine_apply(eng, &c, sizeof(c) - 1), -EINVAL);
	/* the header claims less than the type needs */
	c.hdr.size = sizeof(c.hdr);
	assert_int_equal(engine_apply(eng, &c, sizeof(c)), -EINVAL);
	c.hdr.size = sizeof(c) - 1;
	assert_int_equal(engine_apply(eng, &c, sizeof(c)), -EINVAL);
	/* the text length points past the record or past its buffer */
	o.hdr.size = offsetof(struct ls_fd_create, path) + 1;
	assert_int_equal(engine_apply(eng, &o, sizeof(o)), -EINVAL);
	o.hdr.size = sizeof(o);
	o.path_len = LS_PATH_MAX + 1;
	assert_int_equal(engine_apply(eng, &o, sizeof(o)), -EINVAL);
	/* a negative new fd */
	o.path_len = 2;
	o.fd = -1;
	assert_int_equal(engine_apply(eng, &o, sizeof(o)), -EINVAL);

	assert_int_equal(engine_stats(eng)->bad_events, 8);
	assert_int_equal(engine_stats(eng)->events, 8);
	assert_int_equal(engine_process_count(eng), 0);
	/* a rejected record does not move time */
	assert_int_equal(engine_last_ns(eng), 0);
}

static void test_unknown_types_rejected(void **state)
{
	struct ls_engine *eng = *state;
	struct ls_fd_close c = ev_close(100, 100, 1000, 3);

	c.hdr.type = 0;
	assert_int_equal(engine_apply(eng, &c, sizeof(c)), -EINVAL);
	c.hdr.type = LS_EV_TYPE_MAX;
	assert_int_equal(engine_apply(eng, &c, sizeof(c)), -EINVAL);
	c.hdr.type = 0xffff;
	assert_int_equal(engine_apply(eng, &c, sizeof(c)), -EINVAL);
	assert_int_equal(engine_stats(eng)->bad_events, 3);
	assert_int_equal(engine_process_count(eng), 0);
}

static void test_exec_and_attach_lengths_checked(void **state)
{
	struct ls_engine *eng = *state;
	struct ls_proc_exec x = ev_exec(100, 100, 10, "/bin/sh", "sh", "sh\0", 3);
	struct ls_proc_attach a = ev_attach(100, 10, 1, "sh", "sh\0", 3, 0);

	x.filename_len = LS_PATH_MAX + 1;
	assert_int_equal(engine_apply(eng, &x, sizeof(x)), -EINVAL);
	x.filename_len = 7;
	x.args_len = LS_ARGS_MAX + 1;
	assert_int_equal(engine_apply(eng, &x, sizeof(x)), -EINVAL);
	a.args_len = LS_ARGS_MAX + 1;
	assert_int_equal(engine_apply(eng, &a, sizeof(a)), -EINVAL);
	a.args_len = 3;
	a.hdr.size = offsetof(struct ls_proc_attach, args) + 2;
	assert_int_equal(engine_apply(eng, &a, sizeof(a)), -EINVAL);
	assert_int_equal(engine_stats(eng)->bad_events, 4);
	assert_int_equal(engine_process_count(eng), 0);
}

/* A record may stop after the bytes of text it uses, and need not be aligned. */
static void test_short_text_and_unaligned_records_accepted(void **state)
{
	struct ls_engine *eng = *state;
	struct ls_fd_create o = ev_open(100, 100, 1000, 3, "/etc/hosts", LS_RES_FILE, 7, 0);
	size_t used = offsetof(struct ls_fd_create, path) + o.path_len;
	unsigned char *buf = malloc(used + 1);
	const struct ls_fd *f;

	assert_non_null(buf);
	o.hdr.size = used;
	memcpy(buf + 1, &o, used);
	assert_int_equal(engine_apply(eng, buf + 1, used), 0);
	free(buf);
	f = view_fd(eng, 100, 3);
	assert_non_null(f);
	assert_string_equal(f->ofd->file->path, "/etc/hosts");
	assert_int_equal(f->ofd->file_id, 7);
	assert_int_equal(engine_stats(eng)->bad_events, 0);

	/* a longer record from a newer writer: the tail is ignored */
	{
		unsigned char big[sizeof(struct ls_fd_close) + 16];
		struct ls_fd_close c = ev_close(100, 100, 1100, 3);

		memset(big, 0xee, sizeof(big));
		c.hdr.size = sizeof(big);
		memcpy(big, &c, sizeof(c));
		assert_int_equal(engine_apply(eng, big, sizeof(big)), 0);
	}
	assert_null(view_fd(eng, 100, 3));
}

static void test_time_span(void **state)
{
	struct ls_engine *eng = *state;

	assert_int_equal(ev_apply(eng, ev_open(100, 100, 500, 3, "/a", LS_RES_FILE, 1, 0)), 0);
	assert_int_equal(engine_first_ns(eng), 500);
	assert_int_equal(engine_last_ns(eng), 500);
	/* records from different CPUs arrive slightly out of order */
	assert_int_equal(ev_apply(eng, ev_close(100, 100, 300, 3)), 0);
	assert_int_equal(ev_apply(eng, ev_close(100, 100, 900, 4)), 0);
	assert_int_equal(ev_apply(eng, ev_close(100, 100, 800, 5)), 0);
	assert_int_equal(engine_first_ns(eng), 300);
	assert_int_equal(engine_last_ns(eng), 900);
	assert_int_equal(engine_stats(eng)->events, 4);
}

static int stop_at_second(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	int *seen = ctx;

	(void)p;
	seen[(*seen)++ + 1] = f->fd;
	return *seen == 2 ? 42 : 0;
}

static void test_visit_in_fd_order_and_stop(void **state)
{
	struct ls_engine *eng = *state;
	int seen[4] = { 0 };

	assert_int_equal(ev_apply(eng, ev_open(100, 100, 1, 7, "/a", LS_RES_FILE, 1, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(100, 100, 2, 2, "/b", LS_RES_FILE, 2, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_open(100, 100, 3, 5, "/c", LS_RES_FILE, 3, 0)), 0);
	assert_int_equal(engine_visit_open_fds(eng, engine_find_live(eng, 100), stop_at_second,
					       seen), 42);
	assert_int_equal(seen[0], 2);
	assert_int_equal(seen[1], 2);
	assert_int_equal(seen[2], 5);
	assert_int_equal(view_open_count(eng, 100), 3);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ls_res_type_name(LS_RES_SOCKET), "socket");
	assert_string_equal(ls_res_type_name(LS_RES_UNKNOWN), "unknown");
	assert_string_equal(ls_res_type_name(LS_RES_TYPE_MAX), "unknown");
	assert_string_equal(ls_syscall_name(LS_SYS_DUP3), "dup3");
	assert_string_equal(ls_syscall_name(LS_SYS_SNAPSHOT), "snapshot");
	assert_string_equal(ls_syscall_name(1000), "unknown");
	assert_string_equal(ls_release_name(LS_REL_DUP_OVER), "dup_over");
	assert_string_equal(ls_release_name(LS_REL_EXIT), "exit");
	assert_string_equal(ls_release_name((enum ls_release)77), "unknown");
	for (unsigned int i = 0; i < LS_RES_TYPE_MAX; i++)
		assert_non_null(ls_res_type_name(i));
	for (unsigned int i = 0; i < LS_SYS_MAX; i++)
		assert_non_null(ls_syscall_name(i));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_engine_is_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_records_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_types_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_and_attach_lengths_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_text_and_unaligned_records_accepted,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_time_span, setup, teardown),
		cmocka_unit_test_setup_teardown(test_visit_in_fd_order_and_stop, setup, teardown),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
