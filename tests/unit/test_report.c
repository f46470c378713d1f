// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Exporters: naming helpers, the JSON report and the human summary. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "findings.h"
#include "report.h"
#include "events_build.h"

#define PID 100
#define CHILD 200
/* CLOCK_REALTIME - CLOCK_MONOTONIC such that mono 0 is 2026-11-23T00:00:00Z */
#define OFFSET_NS (1795392000LL * 1000000000LL)
#define WEIRD_PATH "/tmp/a\xff\"b\\c\nd\x01" "e"

static char *const command[] = { "srv", "--port", "8080", NULL };

static const struct report_meta meta = {
	.version = "0.1.0", .kernel = "6.1.0-test", .host = "box", .mode = "command",
	.command = command, .start_ns = 5, .end_ns = 2000000005,
	.realtime_offset_ns = OFFSET_NS, .events_received = 42,
	.kernel_stats = { [LS_STAT_EVENTS] = 42, [LS_STAT_LOST] = 0 },
};

/* report_resource_name of a resource outside any engine, into a buffer of
 * len bytes (of 16, the rest must stay untouched): want (want_len bytes) and
 * its NUL. */
static void check_name(uint16_t type, const char *path, size_t path_len, uint64_t ino,
		       size_t len, const char *want, size_t want_len)
{
	struct ls_file *file = calloc(1, sizeof(*file) + path_len + 1);
	struct ls_ofd o = { .res_type = (uint8_t)type, .file = file };
	struct ls_fd f = { .ofd = &o };
	char buf[32];

	assert_non_null(file);
	memcpy(file->path, path, path_len);
	file->path_len = (uint16_t)path_len;
	file->ino = ino;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(report_resource_name(&f, NULL, buf, len), want_len);
	free(file);
	if (!len) {
		assert_int_equal(buf[0], 'x');
		return;
	}
	assert_memory_equal(buf, want, want_len);
	assert_int_equal(buf[want_len], '\0');
	for (size_t i = len; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 'x');
}

#define NAME(type, path, ino, len, want) \
	check_name(type, path, sizeof(path) - 1, ino, len, want, sizeof(want) - 1)

static void test_resource_name(void **state)
{
	(void)state;
	NAME(LS_RES_FILE, "/etc/passwd", 5, 32, "/etc/passwd");
	NAME(LS_RES_PIPE, "", 12345, 32, "pipe:[12345]");
	NAME(LS_RES_SOCKET, "", 777, 32, "socket:[777]");
	NAME(LS_RES_EVENTFD, "anon_inode:[eventfd]", 9, 32, "anon_inode:[eventfd]");
	NAME(LS_RES_FILE, "", 1, 32, "");
	/* a path is bytes: an embedded NUL is kept and counted */
	NAME(LS_RES_FILE, "ab\0cd", 1, 32, "ab\0cd");
	/* a buffer too small: cut, always terminated, nothing written past len */
	NAME(LS_RES_FILE, "/etc/passwd", 5, 5, "/etc");
	NAME(LS_RES_FILE, "/etc/passwd", 5, 1, "");
	NAME(LS_RES_FILE, "/etc/passwd", 5, 0, "");
	NAME(LS_RES_PIPE, "", 12345, 6, "pipe:");
	NAME(LS_RES_PIPE, "", 12345, 1, "");
	NAME(LS_RES_SOCKET, "", 777, 8, "socket:");
}

static void check_flags(uint32_t file_flags, uint32_t fd_flags, size_t len, const char *want)
{
	struct ls_ofd o = { .file_flags = file_flags };
	struct ls_fd f = { .ofd = &o, .fd_flags = fd_flags };
	char buf[160];

	memset(buf, 'x', sizeof(buf));
	report_flags(&f, buf, len);
	assert_string_equal(buf, want);
	if (len < sizeof(buf))
		assert_int_equal(buf[len], 'x');
}

static void test_flags(void **state)
{
	(void)state;
	check_flags(O_RDONLY, 0, 160, "O_RDONLY");
	check_flags(O_WRONLY | O_APPEND | O_NONBLOCK, 0, 160, "O_WRONLY|O_APPEND|O_NONBLOCK");
	check_flags(O_RDWR, LS_FD_CLOEXEC, 160, "O_RDWR|O_CLOEXEC");
	check_flags(O_RDONLY | O_NOATIME | O_DIRECT, LS_FD_CLOEXEC, 160,
		    "O_RDONLY|O_DIRECT|O_NOATIME|O_CLOEXEC");
	check_flags(O_PATH, 0, 160, "O_PATH");
	/* the access mode alone says nothing about close-on-exec */
	check_flags(O_RDONLY | O_CLOEXEC, 0, 160, "O_RDONLY");
	/* too small: cut, terminated, nothing past len */
	check_flags(O_RDWR | O_APPEND, LS_FD_CLOEXEC, 9, "O_RDWR|O");
	check_flags(O_RDWR, 0, 1, "");
}

static void check_time(int64_t offset, uint64_t mono, size_t len, const char *want)
{
	struct report_meta m = meta;
	char buf[40];

	m.realtime_offset_ns = offset;
	report_time(&m, mono, buf, len);
	assert_string_equal(buf, want);
}

static void test_time(void **state)
{
	(void)state;
	check_time(OFFSET_NS, 0, 40, "2026-11-23T00:00:00.000Z");
	/* milliseconds are cut, not rounded */
	check_time(OFFSET_NS, 1999999999, 40, "2026-11-23T00:00:01.999Z");
	check_time(OFFSET_NS, 86399000999999ULL, 40, "2026-11-23T23:59:59.000Z");
	check_time(OFFSET_NS, 38 * 86400000000000ULL + 1000000, 40, "2026-12-31T00:00:00.001Z");
	check_time(OFFSET_NS, 0, 11, "2026-11-23");
	/* before the epoch */
	check_time(-5, 4, 40, "unknown");
	check_time(-5, 5, 40, "1970-01-01T00:00:00.000Z");
	/* garbage timestamps (a corrupt capture) overflow nothing */
	check_time(OFFSET_NS, INT64_MAX, 40, "unknown");
	check_time(OFFSET_NS, UINT64_MAX, 40, "unknown");
}

static bool name_is(const char *got, const char *want)
{
	return want ? got && strcmp(got, want) == 0 : !got;
}

static void test_socket_names(void **state)
{
	static const char *const fam[64] = { [1] = "AF_UNIX", [2] = "AF_INET", [10] = "AF_INET6",
					     [16] = "AF_NETLINK", [17] = "AF_PACKET",
					     [40] = "AF_VSOCK" };
	static const char *const type[64] = { [1] = "SOCK_STREAM", [2] = "SOCK_DGRAM",
					      [3] = "SOCK_RAW", [4] = "SOCK_RDM",
					      [5] = "SOCK_SEQPACKET", [10] = "SOCK_PACKET" };

	(void)state;
	for (unsigned int i = 0; i < 64; i++) {
		assert_true(name_is(report_family_name(i), fam[i]));
		assert_true(name_is(report_socktype_name(i), type[i]));
	}
	assert_null(report_family_name(0x10000 + 2));
}

struct run {
	struct ls_engine *eng;
	struct findings fs;
	char *out;
	size_t len;
};

static void apply_create(struct ls_engine *eng, struct ls_fd_create e, uint32_t file_flags,
			 uint64_t ino)
{
	e.file_flags = file_flags;
	e.ino = ino;
	e.dev = (8U << 20) | 1;
	assert_int_equal(engine_apply(eng, &e, sizeof(e)), 0);
}

/* srv (pid 100, exits 3) leaks a file, a pipe, a socket, an eventfd and a
 * file with an unprintable name; its child (200) is killed by SIGKILL with
 * one inherited fd and one of its own open. */
static int run_setup(void **state)
{
	struct run *r = calloc(1, sizeof(*r));
	struct ls_fd_create e;
	struct detect_opts o = { .track_inherited = false };

	if (!r || !(r->eng = engine_new()))
		return -1;
	assert_int_equal(ev_apply(r->eng, ev_attach(PID, 5, 1, "srv",
						    "srv\0--port\0" "8080\0", 16, 1)), 0);
	apply_create(r->eng, ev_open(PID, PID, 1000000, 3, "/etc/passwd", LS_RES_FILE, 0xa3, 0),
		     O_RDONLY, 11);
	e = ev_fd_create(PID, PID, 2000000, LS_SYS_PIPE2, 4, -1, LS_RES_PIPE, 0xa4, 0);
	apply_create(r->eng, e, O_RDONLY, 12345);
	e = ev_fd_create(PID, PID, 3000000, LS_SYS_SOCKET, 5, -1, LS_RES_SOCKET, 0xa5,
			 LS_FD_CLOEXEC);
	e.sock_family = 10, e.sock_type = 1, e.sock_protocol = 6;
	apply_create(r->eng, e, O_RDWR | O_NONBLOCK, 777);
	e = ev_with_path(ev_fd_create(PID, PID, 4000000, LS_SYS_EVENTFD2, 6, -1,
				      LS_RES_EVENTFD, 0xa6, 0), "anon_inode:[eventfd]");
	apply_create(r->eng, e, O_RDWR, 9);
	apply_create(r->eng, ev_open(PID, PID, 5000000, 7, WEIRD_PATH, LS_RES_FILE, 0xa7, 0),
		     O_WRONLY | O_APPEND, 13);
	apply_create(r->eng, ev_open(PID, PID, 6000000, 8, "/tmp/closed", LS_RES_FILE, 0xa8, 0),
		     O_RDONLY, 14);
	assert_int_equal(ev_apply(r->eng, ev_fork(PID, PID, 7000000, CHILD, CHILD, 0, 0, "kid")), 0);
	apply_create(r->eng, ev_open(CHILD, CHILD, 8000000, 9, "/tmp/kid", LS_RES_FILE, 0xb9, 0),
		     O_RDONLY, 15);
	assert_int_equal(ev_apply(r->eng, ev_exit(CHILD, CHILD, 9000000, 9, 1)), 0);
	assert_int_equal(ev_apply(r->eng, ev_close(PID, PID, 10000000, 8)), 0);
	assert_int_equal(ev_apply(r->eng, ev_exit(PID, PID, 1500000000, 3 << 8, 1)), 0);
	assert_int_equal(detect_released_at_exit(r->eng, &o, &r->fs), 0);
	assert_int_equal(r->fs.len, 6);
	*state = r;
	return 0;
}

static int run_teardown(void **state)
{
	struct run *r = *state;

	free(r->out);
	findings_free(&r->fs);
	engine_free(r->eng);
	free(r);
	return 0;
}

static size_t count(const char *hay, size_t len, const char *needle)
{
	size_t n = 0, nl = strlen(needle);

	for (size_t i = 0; i + nl <= len; i++)
		n += memcmp(hay + i, needle, nl) == 0;
	return n;
}

#define assert_contains(r, s) \
	do { \
		if (!count((r)->out, (r)->len, (s))) \
			fail_msg("missing: %s", (s)); \
	} while (0)

/* Length of the well-formed UTF-8 sequence at p (ASCII included), or 0. */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
	size_t n = p[0] < 0x80 ? 1 : p[0] < 0xc2 ? 0 : p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 :
		   p[0] < 0xf5 ? 4 : 0;

	if (!n || n > avail)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* Valid UTF-8, no raw control byte inside a string, only JSON escapes, and
 * brackets that nest and close: what a JSON parser would need of the bytes. */
static void assert_json_shape(const char *s, size_t len)
{
	char stack[64];
	int depth = 0;
	bool in_str = false;

	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		size_t n = utf8_len((const unsigned char *)s + i, len - i);

		if (!n)
			fail_msg("invalid UTF-8 at byte %zu", i);
		if (in_str) {
			if (c < 0x20)
				fail_msg("raw control byte 0x%02x in a string at %zu", c, i);
			if (c == '"')
				in_str = false;
			if (c == '\\') {
				assert_true(i + 1 < len && s[i + 1]);
				assert_non_null(strchr("\"\\/bfnrtu", s[i + 1]));
				n = s[i + 1] == 'u' ? 6 : 2;
			}
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			assert_true(depth < (int)sizeof(stack));
			stack[depth++] = (char)c;
		} else if (c == '}' || c == ']') {
			assert_true(depth > 0);
			assert_int_equal(stack[--depth], c == '}' ? '{' : '[');
		}
		i += n;
	}
	assert_false(in_str);
	assert_int_equal(depth, 0);
}

static void render(struct run *r, bool json)
{
	FILE *f = open_memstream(&r->out, &r->len);

	assert_non_null(f);
	if (json)
		assert_int_equal(report_write_json(f, r->eng, &r->fs, &meta), 0);
	else
		report_write_text(f, r->eng, &r->fs, &meta);
	assert_int_equal(fclose(f), 0);
}

static void test_json_report(void **state)
{
	struct run *r = *state;

	render(r, true);
	assert_json_shape(r->out, r->len);
	assert_int_equal(strncmp(r->out, "{\n  \"schema\": \"leakscope.report/v1\",\n", 37), 0);
	assert_int_equal(r->out[r->len - 1], '\n');
	assert_contains(r, "\"command\": [\n      \"srv\",\n      \"--port\",\n      \"8080\"\n    ]");
	assert_contains(r, "\"start\": \"2026-11-23T00:00:00.000Z\",\n    \"end\": "
			   "\"2026-11-23T00:00:02.000Z\",\n    \"duration_s\": 2,");
	assert_contains(r, "\"received\": 42,");
	assert_contains(r, "\"complete\": true");

	assert_int_equal(count(r->out, r->len, "\"findings\": ["), 1);
	assert_int_equal(count(r->out, r->len, "\"kind\": \"released-at-exit\""), 6);
	assert_int_equal(count(r->out, r->len, "\"severity\": \"warning\""), 6);
	assert_contains(r, "\"id\": 6,");

	/* processes: argv split at its NULs, exit status or signal */
	assert_contains(r, "\"argv\": [\n        \"srv\",\n        \"--port\",\n        \"8080\"\n      ]");
	assert_contains(r, "\"exit\": \"2026-11-23T00:00:01.500Z\",\n      \"lifetime_s\": 1.499999995,"
			   "\n      \"exit_code\": 3,\n      \"exit_signal\": null,\n"
			   "      \"reaped\": false,\n"
			   "      \"started_by_leakscope\": true,");
	assert_contains(r, "\"comm\": \"kid\",\n      \"argv\": [\n        \"srv\",");
	assert_contains(r, "\"exit_code\": null,\n      \"exit_signal\": 9,");
	assert_int_equal(count(r->out, r->len, "\"exit_code\": "), 2);
	assert_contains(r, "\"counts\": {\n        \"file\": {\n          \"created\": 3,\n"
			   "          \"released\": 1,\n          \"released_at_exit\": 2,\n"
			   "          \"open\": 0\n        },");

	/* resources */
	assert_contains(r, "\"path\": \"/etc/passwd\"");
	assert_contains(r, "\"path\": \"pipe:[12345]\",\n        \"path_truncated\": false,\n"
			   "        \"flags\": \"O_RDONLY\",\n        \"syscall\": \"pipe2\",\n"
			   "        \"dev\": \"8:1\",\n        \"inode\": 12345,\n"
			   "        \"description\": 2,\n        \"inherited\": false,");
	assert_contains(r, "\"path\": \"socket:[777]\"");
	assert_contains(r, "\"path\": \"anon_inode:[eventfd]\"");
	assert_contains(r, "\"flags\": \"O_RDWR|O_NONBLOCK|O_CLOEXEC\"");
	assert_contains(r, "\"flags\": \"O_WRONLY|O_APPEND\"");
	assert_contains(r, "\"family\": \"AF_INET6\",\n          \"type\": \"SOCK_STREAM\",\n"
			   "          \"protocol\": 6");
	assert_contains(r, "\"created\": \"2026-11-23T00:00:00.001Z\"");
	assert_contains(r, "\"released\": \"2026-11-23T00:00:01.500Z\"");
	assert_contains(r, "\"fd 3 (file /etc/passwd) created by openat was never closed; "
			   "released only when pid 100 exited, 1.499 s later\"");
	assert_int_equal(count(r->out, r->len, "/tmp/closed"), 0);
	assert_int_equal(count(r->out, r->len, "\"inherited\": true"), 0);

	/* \xff is U+FFFD as UTF-8, the rest JSON escapes */
	assert_contains(r, "\"path\": \"/tmp/a\xef\xbf\xbd\\\"b\\\\c\\nd\\u0001e\"");

	assert_contains(r, "\"summary\": {\n    \"processes\": 2,\n    \"findings\": 6,\n"
			   "    \"suppressed\": 0,\n    \"suppressions\": [],\n"
			   "    \"by_kind\": {\n      \"released-at-exit\": 6,\n"
			   "      \"close-wait\": 0,\n      \"deleted-but-open\": 0,\n      \"zombie\": 0,\n"
			   "      \"old-and-idle\": 0,\n      \"fd-misuse\": 0,\n      \"cycle\": 0,\n      \"growth\": 0\n    },\n"
			   "    \"by_type\": {\n      \"file\": 3,\n      \"pipe\": 1,\n"
			   "      \"socket\": 1,\n      \"eventfd\": 1\n    },\n"
			   "    \"links\": {\n      \"scm_rights\": 0,\n      \"in_flight\": 0,\n"
			   "      \"pipe_peer\": 0,\n      \"unix_peer\": 0,\n      \"tcp_peer\": 0,\n"
			   "      \"epoll_watch\": 0,\n      \"dup\": 0,\n      \"inherited\": 5,\n"
			   "      \"maps_file\": 0,\n      \"thread_of\": 0\n    },\n"
			   "    \"cycles\": 0,\n    \"forgotten\": {\n      \"processes\": 0,\n"
			   "      \"by_type\": {},\n      \"misuses\": 0\n    }\n  }\n}\n");

	/* ids: the same on the things listed and in the links */
	assert_contains(r, "\"id\": \"proc:100.1\",\n      \"pid\": 100,");
	assert_contains(r, "\"id\": \"proc:200.2\",\n      \"pid\": 200,");
	assert_contains(r, "\"resource\": {\n        \"id\": \"fd:100.1:3:0\",\n"
			   "        \"type\": \"file\",");
	assert_contains(r, "\"id\": \"fd:200.2:9:0\"");
	/* the child's inherited fds came from the parent's, both exit records
	 * now; its 8 too, but the parent closed its own */
	assert_int_equal(count(r->out, r->len, "\"kind\": \"inherited\""), 5);
	assert_contains(r, "{\n      \"from\": \"fd:100.1:3:0\",\n      \"to\": \"fd:200.2:3:0\",\n"
			   "      \"kind\": \"inherited\"\n    }");
	assert_int_equal(count(r->out, r->len, "\"from\": \"fd:100.1:8:0\""), 0);
	assert_contains(r, "\"links_omitted\": 0,\n  \"cycles\": [],");
	assert_contains(r, "\"scm_unfollowed\": 0");
}

static void test_text_report(void **state)
{
	struct run *r = *state;

	render(r, false);
	assert_int_equal(strlen(r->out), r->len);
	assert_contains(r, "leakscope: 2 processes traced, 42 events, 0 lost\n");
	assert_contains(r, "leakscope: pid 100 (srv) exited with status 3 after 1.500 s: "
			   "5 fds never closed\n");
	assert_contains(r, "leakscope: pid 200 (kid) killed by signal 9 after 0.002 s: "
			   "1 fd never closed\n");
	assert_contains(r, "leakscope:    fd 3    file     /etc/passwd  [O_RDONLY] by openat\n");
	assert_contains(r, "socket:[777] AF_INET6 SOCK_STREAM  [O_RDWR|O_NONBLOCK|O_CLOEXEC]");
	assert_contains(r, "/tmp/a\\xff\"b\\\\c\\x0ad\\x01e  [O_WRONLY|O_APPEND] by openat\n");
	assert_contains(r, "leakscope: LEAK SUMMARY: 6 fds never closed "
			   "(3 file, 1 pipe, 1 socket, 1 eventfd) in 2 processes\n");
	assert_int_equal(count(r->out, r->len, "WARNING"), 0);
	for (size_t i = 0; i < r->len; i++)
		if (r->out[i] != '\n' && (r->out[i] < 0x20 || r->out[i] > 0x7e))
			fail_msg("unprintable byte 0x%02x at %zu", (unsigned char)r->out[i], i);
}

/* nothing leaked: an empty findings array, and one line for people */
static void test_reports_without_findings(void **state)
{
	struct run *r = *state;

	findings_free(&r->fs);
	render(r, true);
	assert_json_shape(r->out, r->len);
	assert_contains(r, "\"findings\": [],");
	assert_contains(r, "\"by_type\": {}");
	assert_int_equal(count(r->out, r->len, "released-at-exit\": 0"), 1);
	free(r->out);
	r->out = NULL;
	render(r, false);
	assert_contains(r, "leakscope: no leaks");
	assert_int_equal(count(r->out, r->len, "LEAK SUMMARY"), 0);
	assert_int_equal(count(r->out, r->len, "pid 100"), 0);
}

/* Two socketpairs that hold each other in flight, every fd closed: the
 * links, the cycle and its finding, in both reports. */
static void test_cycle_in_reports(void **state)
{
	struct run r = { 0 };
	struct detect_opts o = { .now_ns = meta.end_ns };

	(void)state;
	r.eng = engine_new();
	assert_non_null(r.eng);
	assert_int_equal(ev_apply(r.eng, ev_attach(PID, 5, 1, "cyc", "cyc\0", 4, 1)), 0);
	assert_int_equal(ev_apply(r.eng, ev_socket(PID, 6, 3, 1, 0xa3, 0x53, 0x54)), 0);
	assert_int_equal(ev_apply(r.eng, ev_socket(PID, 6, 4, 1, 0xa4, 0x54, 0x53)), 0);
	assert_int_equal(ev_apply(r.eng, ev_socket(PID, 6, 5, 1, 0xa5, 0x55, 0x56)), 0);
	assert_int_equal(ev_apply(r.eng, ev_socket(PID, 6, 6, 1, 0xa6, 0x56, 0x55)), 0);
	assert_int_equal(ev_apply(r.eng, ev_scm_send1(PID, 1000000, 6, 0x56, 0x55, 3, 0xa3)), 0);
	assert_int_equal(ev_apply(r.eng, ev_scm_send1(PID, 2000000, 4, 0x54, 0x53, 5, 0xa5)), 0);
	for (int fd = 3; fd <= 6; fd++)
		assert_int_equal(ev_apply(r.eng, ev_close(PID, PID, 3000000, fd)), 0);
	assert_int_equal(detect_all(r.eng, &o, &r.fs), 0);
	assert_int_equal(r.fs.len, 1);

	render(&r, true);
	assert_json_shape(r.out, r.len);
	/* desc 1 is 3's description, desc 3 is 5's */
	assert_contains(&r, "\"links\": [\n    {\n      \"from\": \"desc:1\",\n"
			    "      \"to\": \"desc:3\",\n      \"kind\": \"in_flight\",\n"
			    "      \"count\": 1,\n      \"sent_by\": \"fd:100.1:5:0\",\n"
			    "      \"sent\": \"2026-11-23T00:00:00.002Z\"\n    },");
	assert_contains(&r, "\"from\": \"desc:3\",\n      \"to\": \"desc:1\",\n"
			    "      \"kind\": \"in_flight\",");
	assert_int_equal(count(r.out, r.len, "\"kind\": \"in_flight\""), 4); /* links, cycle */
	assert_contains(&r, "\"cycles\": [\n    {\n      \"id\": 1,\n      \"resources\": [\n"
			    "        \"desc:1\",\n        \"desc:3\"\n      ],\n"
			    "      \"kinds\": [\n        \"in_flight\"\n      ],");
	assert_contains(&r, "\"held_by_fds\": 0\n    }\n  ],");
	assert_contains(&r, "\"kind\": \"cycle\",\n      \"severity\": \"warning\",\n"
			    "      \"pid\": 100,\n      \"comm\": \"cyc\",\n      \"cycle\": 1,");
	assert_contains(&r, "\"2 descriptions (desc:1 desc:3) keep each other alive in flight "
			    "(SCM_RIGHTS) and no fd holds any of them: nothing can receive them and "
			    "only the kernel's unix garbage collector can free them; the last send "
			    "was by pid 100\"");
	assert_contains(&r, "\"cycle\": 1,\n      \"growth\": 0\n    },");
	assert_contains(&r, "\"cycles\": 1,\n    \"forgotten\": {");
	free(r.out);
	r.out = NULL;

	render(&r, false);
	assert_contains(&r, "leakscope: pid 100 (cyc) still running: 0 fds never closed, "
			    "1 other finding\n");
	assert_contains(&r, "leakscope:    cycle: 2 descriptions (desc:1 desc:3) keep each "
			    "other alive");
	assert_contains(&r, "leakscope: cycle: 1\n");
	free(r.out);
	findings_free(&r.fs);
	engine_free(r.eng);
}

#define SEC 1000000000ULL
#define GROWING 300 /* RLIMIT_NOFILE 1024 known */
#define GROWING_UNKNOWN 301 /* no limit known */

/* Two processes open an fd every 100 ms for 10 s, from 1 s to 11 s; the
 * report is at 12 s. */
static int growth_setup(void **state)
{
	struct run *r = calloc(1, sizeof(*r));
	struct detect_opts o = { .now_ns = 12 * SEC, .growth_window_ns = 300 * SEC,
				 .growth_min_increase = 10 };
	uint32_t pids[] = { GROWING, GROWING_UNKNOWN };

	if (!r || !(r->eng = engine_new()))
		return -1;
	assert_int_equal(ev_apply(r->eng, ev_host_limits(5, 192730, 65530, 1048576)), 0);
	for (int p = 0; p < 2; p++) {
		assert_int_equal(ev_apply(r->eng, ev_attach(pids[p], 5, 1, "grow", "grow\0", 5, 0)), 0);
		for (int fd = 0; fd < 3; fd++)
			assert_int_equal(ev_apply(r->eng, ev_snapshot_fd(pids[p], 5, fd, "/dev/null",
									 LS_RES_CHR, 0x10 + fd, 0)), 0);
	}
	assert_int_equal(ev_apply(r->eng, ev_limits(GROWING, 5, 1024, 4096, LS_SYS_SNAPSHOT, 0)), 0);
	for (int i = 0; i < 100; i++)
		for (int p = 0; p < 2; p++)
			assert_int_equal(ev_apply(r->eng, ev_open(pids[p], pids[p],
								  SEC + i * SEC / 10 + p, 3 + i, "/var/x",
								  LS_RES_FILE, 0x100 + i, 0)), 0);
	assert_int_equal(detect_growth(r->eng, &o, &r->fs), 0);
	assert_int_equal(r->fs.len, 2);
	*state = r;
	return 0;
}

static void test_growth_reports(void **state)
{
	struct report_meta m = meta;
	struct run *r = *state;
	FILE *f;

	m.end_ns = 12 * SEC;
	f = open_memstream(&r->out, &r->len);
	assert_non_null(f);
	assert_int_equal(report_write_json(f, r->eng, &r->fs, &m), 0);
	assert_int_equal(fclose(f), 0);
	assert_json_shape(r->out, r->len);
	assert_contains(r, "\"host_limits\": {\n      \"threads_max\": 192730,\n"
			   "      \"max_map_count\": 65530,\n      \"nr_open\": 1048576\n    },");
	assert_contains(r, "\"rlimit_nofile\": {\n        \"soft\": 1024,\n        \"hard\": 4096,\n"
			   "        \"from\": \"snapshot\",\n        \"set_by\": null\n      },");
	assert_contains(r, "\"rlimit_nofile\": null,");
	assert_contains(r, "\"kind\": \"growth\",\n      \"severity\": \"error\",\n"
			   "      \"pid\": 300,\n      \"comm\": \"grow\",\n      \"class\": \"fds\",\n"
			   "      \"open_now\": 103,\n      \"net_increase\": ");
	assert_contains(r, "\"limit_name\": \"RLIMIT_NOFILE (soft)\",\n      \"limit\": 1024,\n"
			   "      \"exhaustion_s\": 92.8");
	assert_contains(r, "\"exhaustion_at\": \"2026-11-23T00:01:44.");
	assert_contains(r, "\"by_type\": [\n        {\n          \"type\": \"file\",\n"
			   "          \"open_now\": 100,\n          \"net_increase\": ");
	assert_contains(r, "\"reasons\": [\n        \"open fds rose from 3 to ");
	assert_contains(r, "at that rate they reach the RLIMIT_NOFILE (soft) of 1024 in 93 s\"");
	/* no limit: a warning, and no time */
	assert_contains(r, "\"kind\": \"growth\",\n      \"severity\": \"warning\",\n"
			   "      \"pid\": 301,");
	assert_contains(r, "\"limit\": null,\n      \"exhaustion_s\": null,\n"
			   "      \"exhaustion_at\": null,");
	assert_contains(r, "RLIMIT_NOFILE (soft) is not known, so neither is when they run out\"");
	assert_contains(r, "\"growth\": 2\n    },");
	free(r->out);
	r->out = NULL;
	f = open_memstream(&r->out, &r->len);
	report_write_text(f, r->eng, &r->fs, &m);
	assert_int_equal(fclose(f), 0);
	assert_contains(r, "leakscope: pid 300 (grow) still running: 0 fds never closed, 1 other finding\n"
			   "leakscope:    growth: fds 3 -> ");
	assert_contains(r, "103 now; RLIMIT_NOFILE (soft) 1024 reached in 93 s (error: within the hour)\n");
	assert_contains(r, "103 now; RLIMIT_NOFILE (soft) not known\n");
	assert_contains(r, "leakscope: growth: 2\n");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, run_setup, run_teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resource_name),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_socket_names),
		T(test_json_report),
		T(test_text_report),
		T(test_reports_without_findings),
		cmocka_unit_test(test_cycle_in_reports),
		cmocka_unit_test_setup_teardown(test_growth_reports, growth_setup, run_teardown),
	};
#undef T

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
