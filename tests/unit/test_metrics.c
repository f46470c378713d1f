// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The Prometheus exposition: format, escaping, top-N and "other", findings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "events_build.h"
#include "findings.h"
#include "metrics.h"

#define SEC 1000000000ULL
#define TCP_ESTABLISHED 1
#define TCP_CLOSE_WAIT 8
#define FFFD "\xef\xbf\xbd"

static const struct metrics_observer observer = {
	.version = "0.1.0",
	.events_received = 42,
	.kernel_stats = { [LS_STAT_EVENTS] = 45, [LS_STAT_LOST] = 3, [LS_STAT_PATH_BUSY] = 2 },
	.cpu_seconds = 1.5,
	.resident_bytes = 8388608,
	.now_unix_s = 1795392000.25,
};

/* pid attached with comm and n files open from fd 3 (ids unique per pid) */
static void add_process(struct ls_engine *eng, uint32_t pid, const char *comm, int n)
{
	assert_int_equal(ev_apply(eng, ev_attach(pid, SEC, 1, comm, NULL, 0, 0)), 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(ev_apply(eng, ev_open(pid, pid, SEC + 1, 3 + i, "/var/log/x",
						       LS_RES_FILE,
						       ((uint64_t)pid << 16) + (uint64_t)i, 0)),
				 0);
}

static char *render(const struct ls_engine *eng, const struct findings *fs, size_t top)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(metrics_render(f, eng, fs, &observer, top), 0);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void assert_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return;
	fail_msg("line not found: %s\n--- in:\n%s", line, text);
}

static void assert_no_line_starting(const char *text, const char *prefix)
{
	for (const char *p = text; (p = strstr(p, prefix)); p++)
		if (p == text || p[-1] == '\n')
			fail_msg("unexpected line starting with %s", prefix);
}

static size_t count_lines_starting(const char *text, const char *prefix)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, prefix)); p++)
		n += p == text || p[-1] == '\n';
	return n;
}

/*
 * The text format's rules that a scraper enforces: every line ends in \n;
 * each family has one HELP and one TYPE, before its samples, and its samples
 * are together; a sample is NAME[{labels}] VALUE with a parseable value.
 */
static void check_format(const char *text)
{
	char family[128] = "", seen[64][128];
	size_t nseen = 0;

	assert_true(strlen(text) > 0 && text[strlen(text) - 1] == '\n');
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		char line[1024], name[128], type[32], *val, *end;
		size_t n = (size_t)(nl - p);

		assert_non_null(nl);
		assert_true(n < sizeof(line));
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl + 1;
		if (!strncmp(line, "# HELP ", 7)) {
			assert_int_equal(sscanf(line + 7, "%127s", name), 1);
			for (size_t i = 0; i < nseen; i++)
				assert_string_not_equal(seen[i], name);
			assert_true(nseen < 64);
			strcpy(seen[nseen++], name);
			strcpy(family, name);
			continue;
		}
		if (!strncmp(line, "# TYPE ", 7)) {
			assert_int_equal(sscanf(line + 7, "%127s %31s", name, type), 2);
			assert_string_equal(name, family);
			assert_true(!strcmp(type, "gauge") || !strcmp(type, "counter"));
			if (!strcmp(type, "counter"))
				assert_non_null(strstr(name, "_total"));
			continue;
		}
		assert_true(line[0] != '#');
		n = strcspn(line, "{ ");
		assert_int_equal(n, strlen(family));
		assert_memory_equal(line, family, n);
		val = strrchr(line, ' ');
		assert_non_null(val);
		if (strcmp(val + 1, "+Inf") && strcmp(val + 1, "NaN")) {
			strtod(val + 1, &end);
			assert_true(end > val + 1 && *end == '\0');
		}
		if (line[n] == '{')
			assert_int_equal(val[-1], '}');
	}
}

static void test_format(void **state)
{
	struct ls_engine *eng = engine_new();
	struct findings fs = { 0 };
	char *text;

	(void)state;
	assert_non_null(eng);
	add_process(eng, 100, "srv", 3);
	assert_int_equal(ev_apply(eng, ev_socket(100, SEC + 2, 6, 2, 0xf5, 0x5005, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_limits(100, SEC, 1024, 4096, LS_SYS_SNAPSHOT, 0)), 0);
	text = render(eng, &fs, METRICS_DEFAULT_TOP);
	check_format(text);
	assert_line(text, "# HELP leakscope_process_open_fds Open file descriptors of a traced "
		    "live process, by type.");
	assert_line(text, "# TYPE leakscope_process_open_fds gauge");
	assert_line(text, "leakscope_process_open_fds{pid=\"100\",comm=\"srv\",type=\"file\"} 3");
	assert_line(text, "leakscope_process_open_fds{pid=\"100\",comm=\"srv\",type=\"socket\"} 1");
	assert_line(text, "leakscope_process_rlimit_nofile{pid=\"100\",comm=\"srv\"} 1024");
	assert_line(text, "leakscope_process_close_wait_sockets{pid=\"100\",comm=\"srv\"} 0");
	/* no other processes: no "other" series */
	assert_no_line_starting(text, "leakscope_process_open_fds{pid=\"other\"");
	assert_no_line_starting(text, "leakscope_process_close_wait_sockets{pid=\"other\"");
	assert_line(text, "leakscope_live_processes{bucket=\"top\"} 1");
	assert_line(text, "leakscope_live_processes{bucket=\"other\"} 0");
	/* observer counters */
	assert_line(text, "# TYPE leakscope_events_received_total counter");
	assert_line(text, "leakscope_events_received_total 42");
	assert_line(text, "leakscope_events_submitted_total 45");
	assert_line(text, "leakscope_events_lost_total 3");
	assert_line(text, "leakscope_events_incomplete_total{reason=\"path_busy\"} 2");
	assert_line(text, "leakscope_events_incomplete_total{reason=\"unjoined\"} 0");
	assert_line(text, "leakscope_observer_complete 0");
	assert_line(text, "leakscope_observer_cpu_seconds_total 1.500000");
	assert_line(text, "leakscope_observer_resident_memory_bytes 8388608");
	assert_line(text, "leakscope_metrics_refresh_timestamp_seconds 1795392000.250");
	assert_line(text, "leakscope_build_info{version=\"0.1.0\"} 1");
	/* no growth: the families are declared, without samples */
	assert_line(text, "# TYPE leakscope_process_exhaustion_seconds gauge");
	assert_no_line_starting(text, "leakscope_process_exhaustion_seconds{");
	free(text);
	engine_free(eng);
}

static char *label(const char *s, size_t len)
{
	char *text = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);

	assert_non_null(f);
	metrics_label_value(f, s, len);
	assert_int_equal(fclose(f), 0);
	return text;
}

#define LABEL(in, want) do { \
	char *got = label(in, sizeof(in) - 1); \
	assert_string_equal(got, want); \
	free(got); \
} while (0)

static void test_label_escaping(void **state)
{
	(void)state;
	LABEL("plain", "plain");
	LABEL("a\"b", "a\\\"b");
	LABEL("a\\b", "a\\\\b");
	LABEL("a\nb", "a\\nb");
	/* the format escapes nothing else: tab and others pass as they are */
	LABEL("a\tb{}=,", "a\tb{}=,");
	/* valid UTF-8 passes, invalid bytes become U+FFFD one each */
	LABEL("caf\xc3\xa9", "caf\xc3\xa9");
	LABEL("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");
	LABEL("a\xff" "b", "a" FFFD "b");
	LABEL("\xe2\x82", FFFD FFFD);
	LABEL("\xc0\xaf", FFFD FFFD);       /* overlong '/' */
	LABEL("\xed\xa0\x80", FFFD FFFD FFFD); /* a surrogate */
	LABEL("", "");
}

/* A comm of any bytes comes out escaped and valid, in every family. */
static void test_comm_escaped_in_output(void **state)
{
	struct ls_engine *eng = engine_new();
	struct findings fs = { 0 };
	char *text;

	(void)state;
	assert_non_null(eng);
	add_process(eng, 300, "a\"b\\c\nd\xff", 2);
	text = render(eng, &fs, METRICS_DEFAULT_TOP);
	check_format(text);
	assert_line(text, "leakscope_process_open_fds{pid=\"300\",comm=\"a\\\"b\\\\c\\nd" FFFD
		    "\",type=\"file\"} 2");
	assert_line(text, "leakscope_process_close_wait_sockets{pid=\"300\",comm=\"a\\\"b\\\\c"
		    "\\nd" FFFD "\"} 0");
	free(text);
	engine_free(eng);
}

/* Five processes holding 1..5 files and two exited ones; top 2 and the rest summed. */
static void test_top_and_other(void **state)
{
	struct ls_engine *eng = engine_new();
	struct findings fs = { 0 };
	char *text;

	(void)state;
	assert_non_null(eng);
	for (uint32_t i = 1; i <= 5; i++)
		add_process(eng, 100 + i, "w", (int)i);
	add_process(eng, 200, "gone", 50);
	assert_int_equal(ev_apply(eng, ev_exit(200, 200, 2 * SEC, 0, 1)), 0);
	/* a CLOSE_WAIT socket in a process that is not listed counts in "other" */
	assert_int_equal(ev_apply(eng, ev_socket(101, 2 * SEC, 20, 2, 0xf5, 0x5005, 0)), 0);
	assert_int_equal(ev_apply(eng, ev_tcp_state(2 * SEC, 0x5005, 3, TCP_ESTABLISHED, 80,
						    4000)), 0);
	assert_int_equal(ev_apply(eng, ev_tcp_state(3 * SEC, 0x5005, TCP_ESTABLISHED,
						    TCP_CLOSE_WAIT, 80, 4000)), 0);
	text = render(eng, &fs, 2);
	check_format(text);
	assert_line(text, "leakscope_process_open_fds{pid=\"105\",comm=\"w\",type=\"file\"} 5");
	assert_line(text, "leakscope_process_open_fds{pid=\"104\",comm=\"w\",type=\"file\"} 4");
	assert_line(text, "leakscope_process_open_fds{pid=\"other\",comm=\"\",type=\"file\"} 6");
	assert_line(text, "leakscope_process_open_fds{pid=\"other\",comm=\"\",type=\"socket\"} 1");
	assert_line(text, "leakscope_process_close_wait_sockets{pid=\"other\",comm=\"\"} 1");
	assert_line(text, "leakscope_process_close_wait_sockets{pid=\"105\",comm=\"w\"} 0");
	for (uint32_t pid = 101; pid <= 103; pid++) {
		char prefix[64];

		snprintf(prefix, sizeof(prefix), "leakscope_process_open_fds{pid=\"%u\"", pid);
		assert_no_line_starting(text, prefix);
	}
	/* exited processes have no series of their own */
	assert_no_line_starting(text, "leakscope_process_open_fds{pid=\"200\"");
	assert_int_equal(count_lines_starting(text, "leakscope_process_open_fds{"), 4);
	assert_int_equal(count_lines_starting(text, "leakscope_process_close_wait_sockets{"), 3);
	assert_line(text, "leakscope_live_processes{bucket=\"top\"} 2");
	assert_line(text, "leakscope_live_processes{bucket=\"other\"} 3");
	free(text);
	engine_free(eng);
}

static void add_growth(struct findings *fs, const struct ls_process *p, enum ls_growth_class c,
		       double slope, double exhaustion_s, enum severity sev)
{
	struct growth_detail *g = calloc(1, sizeof(*g));
	struct finding fi = { .kind = FINDING_GROWTH, .severity = sev, .proc = p };

	assert_non_null(g);
	g->cls = c;
	g->slope_per_s = slope;
	g->exhaustion_s = exhaustion_s;
	fi.growth = g;
	assert_int_equal(findings_add(fs, &fi), 0);
}

/*
 * A process about to run out of fds is listed even when it holds few: what
 * an alert needs most is never folded into "other". One without a known
 * limit shows its slope, not a time.
 */
static void test_growth_ranks_first(void **state)
{
	struct ls_engine *eng = engine_new();
	struct findings fs = { 0 };
	char *text;

	(void)state;
	assert_non_null(eng);
	add_process(eng, 101, "big", 40);
	add_process(eng, 102, "leaky", 3);
	add_process(eng, 103, "nolimit", 2);
	add_growth(&fs, engine_find_live(eng, 102), LS_CLASS_FDS, 2.5, 92.25, SEVERITY_ERROR);
	add_growth(&fs, engine_find_live(eng, 103), LS_CLASS_THREADS, 0.5, -1, SEVERITY_WARNING);
	text = render(eng, &fs, 1);
	check_format(text);
	assert_line(text, "leakscope_process_open_fds{pid=\"102\",comm=\"leaky\",type=\"file\"} 3");
	assert_line(text, "leakscope_process_exhaustion_seconds{pid=\"102\",comm=\"leaky\","
		    "resource=\"fds\"} 92.25");
	assert_line(text, "leakscope_process_growth_per_second{pid=\"102\",comm=\"leaky\","
		    "resource=\"fds\"} 2.5");
	assert_line(text, "leakscope_process_open_fds{pid=\"other\",comm=\"\",type=\"file\"} 42");
	assert_no_line_starting(text, "leakscope_process_open_fds{pid=\"101\"");
	free(text);
	/* with room for all: the one without a limit has a slope and no time */
	text = render(eng, &fs, 3);
	check_format(text);
	assert_line(text, "leakscope_process_growth_per_second{pid=\"103\",comm=\"nolimit\","
		    "resource=\"threads\"} 0.5");
	assert_int_equal(count_lines_starting(text, "leakscope_process_exhaustion_seconds{"), 1);
	assert_line(text, "leakscope_findings{kind=\"growth\",severity=\"error\"} 1");
	assert_line(text, "leakscope_findings{kind=\"growth\",severity=\"warning\"} 1");
	free(text);
	findings_free(&fs);
	engine_free(eng);
}

/* Every kind and severity has a series, zeros included, so that an alert
 * on a kind sees 0 rather than nothing. */
static void test_findings_counts(void **state)
{
	static const struct {
		enum finding_kind kind;
		enum severity sev;
	} given[] = {
		{ FINDING_RELEASED_AT_EXIT, SEVERITY_WARNING },
		{ FINDING_RELEASED_AT_EXIT, SEVERITY_WARNING },
		{ FINDING_CLOSE_WAIT, SEVERITY_WARNING },
		{ FINDING_FD_MISUSE, SEVERITY_ERROR },
		{ FINDING_FD_MISUSE, SEVERITY_INFO },
		{ FINDING_OLD_IDLE, SEVERITY_INFO },
	};
	struct ls_engine *eng = engine_new();
	struct findings fs = { 0 };
	char *text;

	(void)state;
	assert_non_null(eng);
	add_process(eng, 100, "srv", 1);
	for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++) {
		struct finding fi = { .kind = given[i].kind, .severity = given[i].sev,
				      .proc = engine_find_live(eng, 100) };

		assert_int_equal(findings_add(&fs, &fi), 0);
	}
	text = render(eng, &fs, METRICS_DEFAULT_TOP);
	check_format(text);
	assert_int_equal(count_lines_starting(text, "leakscope_findings{"),
			 FINDING_KIND_MAX * SEVERITY_MAX);
	assert_line(text, "leakscope_findings{kind=\"released-at-exit\",severity=\"warning\"} 2");
	assert_line(text, "leakscope_findings{kind=\"released-at-exit\",severity=\"error\"} 0");
	assert_line(text, "leakscope_findings{kind=\"close-wait\",severity=\"warning\"} 1");
	assert_line(text, "leakscope_findings{kind=\"fd-misuse\",severity=\"error\"} 1");
	assert_line(text, "leakscope_findings{kind=\"fd-misuse\",severity=\"info\"} 1");
	assert_line(text, "leakscope_findings{kind=\"old-and-idle\",severity=\"info\"} 1");
	assert_line(text, "leakscope_findings{kind=\"cycle\",severity=\"warning\"} 0");
	free(text);
	findings_free(&fs);
	engine_free(eng);
}

static void test_rlimit_values(void **state)
{
	struct ls_engine *eng = engine_new();
	struct findings fs = { 0 };
	char *text;

	(void)state;
	assert_non_null(eng);
	add_process(eng, 100, "unl", 2);
	add_process(eng, 101, "unknown", 1);
	assert_int_equal(ev_apply(eng, ev_limits(100, SEC, LS_RLIM_INFINITY, LS_RLIM_INFINITY,
						 LS_SYS_SNAPSHOT, 0)), 0);
	text = render(eng, &fs, METRICS_DEFAULT_TOP);
	check_format(text);
	assert_line(text, "leakscope_process_rlimit_nofile{pid=\"100\",comm=\"unl\"} +Inf");
	assert_no_line_starting(text, "leakscope_process_rlimit_nofile{pid=\"101\"");
	free(text);
	engine_free(eng);
}

/* Nothing traced yet: the text is still whole and valid. */
static void test_empty_engine(void **state)
{
	struct ls_engine *eng = engine_new();
	struct findings fs = { 0 };
	char *text;

	(void)state;
	assert_non_null(eng);
	text = render(eng, &fs, METRICS_DEFAULT_TOP);
	check_format(text);
	assert_line(text, "leakscope_live_processes{bucket=\"top\"} 0");
	assert_no_line_starting(text, "leakscope_process_open_fds{");
	free(text);
	engine_free(eng);
}

static void test_write_error(void **state)
{
	struct ls_engine *eng = engine_new();
	struct findings fs = { 0 };
	FILE *f = fopen("/dev/null", "r");

	(void)state;
	assert_non_null(eng);
	assert_non_null(f);
	add_process(eng, 100, "srv", 1);
	assert_int_equal(metrics_render(f, eng, &fs, &observer, 5), -EIO);
	fclose(f);
	engine_free(eng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_comm_escaped_in_output),
		cmocka_unit_test(test_top_and_other),
		cmocka_unit_test(test_growth_ranks_first),
		cmocka_unit_test(test_findings_counts),
		cmocka_unit_test(test_rlimit_values),
		cmocka_unit_test(test_empty_engine),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
