// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Which findings the JSON report lists, and which it only counts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "engine.h"
#include "findings.h"
#include "report.h"
#include "report_json_internal.h"

/* Past REPORT_MAX_FINDINGS_PER_SITE fd findings of one kind, type, syscall
 * and site, the rest are counted; other groups and findings without an fd
 * are listed whatever their number. */
static void test_findings_listed_per_site(void **state)
{
	size_t n = REPORT_MAX_FINDINGS_PER_SITE + 10;
	struct ls_ofd file = { .res_type = LS_RES_FILE }, sock = { .res_type = LS_RES_SOCKET };
	struct ls_fd dup_fd = { .ofd = &file, .syscall = LS_SYS_DUP, .stack_id = 4 };
	struct ls_fd other_site = { .ofd = &file, .syscall = LS_SYS_DUP, .stack_id = 5 };
	struct ls_fd a_socket = { .ofd = &sock, .syscall = LS_SYS_DUP, .stack_id = 4 };
	struct findings fs = { 0 };
	bool *listed;
	size_t shown = 0;

	(void)state;
	fs.v = calloc(n + 3, sizeof(*fs.v));
	assert_non_null(fs.v);
	for (size_t i = 0; i < n; i++)
		fs.v[fs.len++] = (struct finding){ .kind = FINDING_RELEASED_AT_EXIT, .fd = &dup_fd };
	fs.v[fs.len++] = (struct finding){ .kind = FINDING_RELEASED_AT_EXIT, .fd = &other_site };
	fs.v[fs.len++] = (struct finding){ .kind = FINDING_RELEASED_AT_EXIT, .fd = &a_socket };
	fs.v[fs.len++] = (struct finding){ .kind = FINDING_ZOMBIE };
	assert_int_equal(findings_listed(&fs, &listed), 10);
	for (size_t i = 0; i < fs.len; i++)
		shown += listed[i];
	assert_int_equal(shown, fs.len - 10);
	/* the first ones of the group */
	assert_true(listed[REPORT_MAX_FINDINGS_PER_SITE - 1]);
	assert_false(listed[REPORT_MAX_FINDINGS_PER_SITE]);
	assert_true(listed[n] && listed[n + 1] && listed[n + 2]);
	free(listed);
	free(fs.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_findings_listed_per_site),
	};

	return cmocka_run_group_tests_name("report_listed", tests, NULL, NULL);
}
