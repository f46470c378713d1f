// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Captures: a round trip, stacks, and every way a file can be bad, with offsets. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "capture.h"
#include "capture_meta.h"
#include "events_build.h"

static char path[64];

static void header(struct capture_header *h)
{
	char *cmd[] = { "prog", "arg one", NULL };
	struct report_meta m = { .version = "0.1", .kernel = "6.18", .host = "vm", .mode = "command",
				 .command = cmd, .start_ns = 5, .realtime_offset_ns = -7,
				 .track_inherited = true };
	struct options o = { .close_wait_ms = 1, .min_age_ms = 2, .idle_ms = 3,
			     .growth_window_ms = 4, .growth_min = 5 };

	capture_header_fill(h, &m, &o);
}

/* 1000 open records, a stack, an end; blocks of 1 MiB hold them all. */
static void write_capture(void)
{
	struct capture_header h;
	struct capture *c;
	struct stack_frame f[2] = { { .pc = 1, .offset = 2, .module = "/lib/x.so" },
				    { .pc = 3, .function = "JIT:f" } };
	struct stack s = { .id = 1, .nframes = 2, .end = STACK_END_ERROR, .frames = f };
	struct capture_end end = { .hdr = { .type = CAPTURE_REC_END, .size = sizeof(end),
					    .ts_ns = 99 },
				   .events_received = 1000 };
	struct stat st;

	header(&h);
	snprintf(path, sizeof(path), "/tmp/leakscope-capture-test.%d", getpid());
	unlink(path);
	assert_int_equal(capture_open(&c, path, &h), 0);
	assert_int_equal(capture_add_stack(c, &s), 0);
	for (int i = 0; i < 1000; i++) {
		struct ls_fd_create e = ev_open(7, 7, 10 + i, 3 + i, "/tmp/f", LS_RES_FILE, i, 0);

		assert_int_equal(capture_add(c, &e, sizeof(e)), 0);
		if (i == 500)
			assert_int_equal(capture_flush(c), 0);
	}
	assert_int_equal(capture_close(c, &end), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static int read_all(const char *p, size_t *records, char *err)
{
	struct capture_header h;
	struct capture_reader *r;
	const void *rec;
	size_t size;
	int ret;
	FILE *f = fopen(p, "r");

	assert_non_null(f);
	*records = 0;
	ret = capture_reader_open(&r, f, &h, err, 256);
	if (ret) {
		fclose(f);
		return ret;
	}
	while ((ret = capture_next(r, &rec, &size, err, 256)) == 1)
		(*records)++;
	capture_reader_free(r);
	fclose(f);
	return ret;
}

static void test_round_trip(void **state)
{
	struct capture_header h;
	struct capture_reader *r;
	struct report_meta m = { 0 };
	struct options o = { 0 };
	struct stack_frame frames[4];
	char *argv[CAPTURE_ARGV_MAX], err[256], strings[256];
	const void *rec;
	size_t size, n;
	FILE *f;

	(void)state;
	write_capture();
	f = fopen(path, "r");
	assert_int_equal(capture_reader_open(&r, f, &h, err, sizeof(err)), 0);
	capture_header_apply(&h, &m, &o, argv);
	assert_string_equal(m.host, "vm");
	assert_string_equal(argv[1], "arg one");
	assert_null(argv[2]);
	assert_true(m.track_inherited);
	assert_int_equal(m.realtime_offset_ns, -7);
	assert_int_equal(o.growth_min, 5);
	assert_int_equal(o.idle_ms, 3);
	assert_int_equal(capture_next(r, &rec, &size, err, sizeof(err)), 1);
	assert_int_equal(((const struct ls_event_header *)rec)->type, CAPTURE_REC_STACK);
	assert_int_equal(capture_stack_frames(rec, size, frames, 4, &n, strings, sizeof(strings)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(frames[0].module, "/lib/x.so");
	assert_null(frames[0].function);
	assert_string_equal(frames[1].function, "JIT:f");
	assert_int_equal(frames[1].pc, 3);
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(capture_next(r, &rec, &size, err, sizeof(err)), 1);
		assert_int_equal(((const struct ls_fd_create *)rec)->fd, 3 + i);
	}
	assert_int_equal(capture_next(r, &rec, &size, err, sizeof(err)), 1);
	assert_int_equal(((const struct capture_end *)rec)->events_received, 1000);
	assert_int_equal(capture_next(r, &rec, &size, err, sizeof(err)), 0);
	capture_reader_free(r);
	fclose(f);
	unlink(path);
}

static void damage(long at, const void *bytes, size_t n)
{
	FILE *f = fopen(path, "r+");

	assert_non_null(f);
	assert_int_equal(fseek(f, at, SEEK_SET), 0);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void test_bad_files_say_where(void **state)
{
	struct stat st;
	size_t records;
	char err[256];
	uint32_t v = CAPTURE_VERSION + 1;

	(void)state;
	/* cut in the middle of the last block */
	write_capture();
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(truncate(path, st.st_size - 10), 0);
	assert_int_equal(read_all(path, &records, err), -EINVAL);
	assert_non_null(strstr(err, "truncated block"));
	assert_non_null(strstr(err, "at offset "));
	assert_int_equal(records, 502); /* the stack and the first flushed block */
	/* a flipped byte inside a block */
	write_capture();
	damage(sizeof(struct capture_header) + sizeof(struct capture_block) + 40, "\xff\xff", 2);
	assert_int_equal(read_all(path, &records, err), -EINVAL);
	assert_non_null(strstr(err, "corrupt block"));
	{
		char at[48];

		/* the first block starts right after the header */
		snprintf(at, sizeof(at), "offset %zu", sizeof(struct capture_header));
		assert_non_null(strstr(err, at));
	}
	/* not a capture at all */
	damage(0, "NOTACAPT", 8);
	assert_int_equal(read_all(path, &records, err), -EINVAL);
	assert_non_null(strstr(err, "not a leakscope capture"));
	/* from a newer leakscope */
	write_capture();
	damage(8, &v, sizeof(v));
	assert_int_equal(read_all(path, &records, err), -EPROTONOSUPPORT);
	assert_non_null(strstr(err, "is newer than this leakscope's"));
	/* a header cut short */
	assert_int_equal(truncate(path, 100), 0);
	v = CAPTURE_VERSION;
	damage(8, &v, sizeof(v));
	assert_int_equal(read_all(path, &records, err), -EINVAL);
	assert_non_null(strstr(err, "truncated or damaged header"));
	unlink(path);
}

static void test_refuses_symlink(void **state)
{
	struct capture_header h;
	struct capture *c = NULL;
	char target[80];

	(void)state;
	header(&h);
	snprintf(path, sizeof(path), "/tmp/leakscope-capture-link.%d", getpid());
	snprintf(target, sizeof(target), "%s.target", path);
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(capture_open(&c, path, &h), -ELOOP);
	assert_null(c);
	assert_int_equal(access(target, F_OK), -1);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_files_say_where),
		cmocka_unit_test(test_refuses_symlink),
	};

	return cmocka_run_group_tests_name("capture", tests, NULL, NULL);
}
