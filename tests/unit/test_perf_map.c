// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* JIT names from /tmp/perf-PID.map: lookups, a file that grows, a symlink refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "perf_map.h"

static char path[64];

static void write_map(const char *mode, const char *text)
{
	FILE *f = fopen(path, mode);

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void test_lookup_and_growth(void **state)
{
	struct perf_maps *m = perf_maps_new();
	uint32_t pid = (uint32_t)getpid();

	(void)state;
	snprintf(path, sizeof(path), "/tmp/perf-%u.map", pid);
	unlink(path);
	assert_null(perf_map_name(m, pid, 0x1000)); /* no file yet */
	write_map("w", "2000 100 LazyCompile:~b app.js:2\n1000 10 Builtin:a\nzz junk\n3000 0 empty\n");
	perf_maps_next_walk(m);
	assert_string_equal(perf_map_name(m, pid, 0x1000), "Builtin:a");
	assert_string_equal(perf_map_name(m, pid, 0x100f), "Builtin:a");
	assert_null(perf_map_name(m, pid, 0x1010));
	assert_string_equal(perf_map_name(m, pid, 0x20ff), "LazyCompile:~b app.js:2");
	assert_null(perf_map_name(m, pid, 0x3000));
	/* the runtime compiles more: read again at the next walk, not within one */
	write_map("a", "4000 20 Function:c\n");
	assert_null(perf_map_name(m, pid, 0x4000));
	perf_maps_next_walk(m);
	assert_string_equal(perf_map_name(m, pid, 0x4010), "Function:c");
	assert_string_equal(perf_map_name(m, pid, 0x1000), "Builtin:a");
	unlink(path);
	perf_maps_free(m);
}

static void test_symlink_refused(void **state)
{
	struct perf_maps *m = perf_maps_new();
	uint32_t pid = (uint32_t)getpid();
	char target[64];

	(void)state;
	snprintf(path, sizeof(path), "/tmp/perf-%u.map", pid);
	snprintf(target, sizeof(target), "/tmp/perf-%u.target", pid);
	unlink(path);
	{
		FILE *f = fopen(target, "w");

		assert_non_null(f);
		fputs("1000 10 secret\n", f);
		assert_int_equal(fclose(f), 0);
	}
	assert_int_equal(symlink(target, path), 0);
	perf_maps_next_walk(m);
	assert_null(perf_map_name(m, pid, 0x1000));
	unlink(path);
	unlink(target);
	perf_maps_free(m);
	perf_maps_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_and_growth),
		cmocka_unit_test(test_symlink_refused),
	};

	return cmocka_run_group_tests_name("perf_map", tests, NULL, NULL);
}
