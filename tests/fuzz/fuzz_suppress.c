// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target: the suppressions file parser, and matching what it parsed.
 *
 * Input: the raw bytes of a suppressions file.
 *
 * Checked: a result is 0 or -EINVAL with a one-line message that names a
 * line of the input; every suppression parsed (also those before a bad line,
 * which stay in the set) has a name and at least one condition, each a known
 * key with a non-empty value without white space, and kind, type and
 * severity values that exist; parsing adds to what the set had. Then the
 * suppressions are applied to one finding of every kind: each finding is
 * kept or dropped once, and the hits add up to the drops. Last, the text is
 * parsed again with allocations failing.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_fail.h"
#include "engine.h"
#include "events_build.h"
#include "findings.h"
#include "stack_table.h"
#include "suppress.h"

#define ERR_LEN 256
#define LIVE 300
#define DEAD 100
#define CHILD 200
#define S 1000000000ULL

static struct ls_engine *eng;
static struct stack_table *stacks;
static struct findings all;

static _Noreturn void violated(const char *what, const char *err)
{
	fprintf(stderr, "suppressions invariant violated: %s (message: '%s')\n", what, err);
	abort();
}

#define CHECK(cond, what)                     \
	do {                                  \
		if (!(cond))                  \
			violated((what), err); \
	} while (0)

static void apply_or_die(int ret)
{
	if (ret) {
		fprintf(stderr, "fuzz_suppress: the fixed scene did not apply: %d\n", ret);
		abort();
	}
}

/*
 * One finding of each kind, with and without stacks: a dead "srv" that
 * leaked a log file (opened at a named stack), a pipe and a socket, closed an
 * fd twice and left a zombie; a live "sup-live" holding a deleted file, an
 * idle one and a socket in CLOSE_WAIT.
 */
static void build_scene(void)
{
	struct stack_frame named[] = {
		{ .offset = 0x10, .module = "/usr/lib/libc.so.6", .function = "__close" },
		{ .offset = 0x20, .module = "/srv/app", .function = "vendor_open", .file = "v.c",
		  .line = 7 },
	};
	struct stack_frame raw = { .offset = 0x30, .module = "/srv/app" };
	struct ls_fd_create sock;
	struct detect_opts d = { .close_wait_ns = S, .min_age_ns = S, .idle_ns = S,
				 .now_ns = 100 * S };

	eng = engine_new();
	stacks = stack_table_new();
	if (!eng || !stacks || stack_table_intern(stacks, named, 2, STACK_END_CLEAN) != 1 ||
	    stack_table_name(stacks, 1, named, 2, false) ||
	    stack_table_intern(stacks, &raw, 1, STACK_END_CUT) != 2)
		abort();
	apply_or_die(ev_apply(eng, ev_attach(DEAD, 1, 1, "srv", "srv\0-v\0", 7, 1)));
	apply_or_die(ev_apply(eng, ev_stack_ref(DEAD, DEAD, 2, LS_SYS_OPENAT, 1, 1)));
	apply_or_die(ev_apply(eng, ev_open(DEAD, DEAD, 2, 3, "/var/log/app.log", LS_RES_FILE, 1, 0)));
	apply_or_die(ev_apply(eng, ev_fd_create(DEAD, DEAD, 3, LS_SYS_PIPE2, 4, -1, LS_RES_PIPE, 2, 0)));
	apply_or_die(ev_apply(eng, ev_socket(DEAD, 4, 5, 2, 3, 0xabc, 0)));
	apply_or_die(ev_apply(eng, ev_open(DEAD, DEAD, 5, 6, "/data/b", LS_RES_FILE, 4, 0)));
	apply_or_die(ev_apply(eng, ev_stack_ref(DEAD, DEAD, 6, LS_SYS_CLOSE, 1, 2)));
	apply_or_die(ev_apply(eng, ev_close(DEAD, DEAD, 6, 6)));
	apply_or_die(ev_apply(eng, ev_stack_ref(DEAD, DEAD, 7, LS_SYS_CLOSE, 1, 1)));
	apply_or_die(ev_apply(eng, ev_misuse(DEAD, 7, 6, LS_SYS_CLOSE)));
	apply_or_die(ev_apply(eng, ev_misuse(DEAD, 8, -1, LS_SYS_READ)));
	apply_or_die(ev_apply(eng, ev_fork(DEAD, DEAD, 9, CHILD, CHILD, 0, 0, "worker")));
	apply_or_die(ev_apply(eng, ev_exit(CHILD, CHILD, 10, 0, 1)));
	apply_or_die(ev_apply(eng, ev_exit(DEAD, DEAD, 11, 0, 1)));

	apply_or_die(ev_apply(eng, ev_attach(LIVE, 12, 1, "sup-live", "sup-live\0", 9, 0)));
	apply_or_die(ev_apply(eng, ev_open(LIVE, LIVE, 13, 3, "/tmp/gone", LS_RES_FILE, 10, 0)));
	apply_or_die(ev_apply(eng, ev_open(LIVE, LIVE, 14, 4, "/etc/idle.conf", LS_RES_FILE, 11, 0)));
	sock = ev_socket(LIVE, 15, 5, 10, 12, 0xdef, 0);
	sock.sock_protocol = 6;
	apply_or_die(ev_apply(eng, sock));
	apply_or_die(ev_apply(eng, ev_tcp_state(16, 0xdef, 1, 8, 8080, 40000)));
	apply_or_die(ev_apply(eng, ev_file_state(LIVE, 17, 3, 0, 4096)));
	apply_or_die(ev_apply(eng, ev_access(LIVE, 18, 4, 3, 14)));
	/* two socketpairs holding each other in flight, every fd closed: a cycle */
	apply_or_die(ev_apply(eng, ev_socket(LIVE, 19, 6, 1, 0xa6, 0x56, 0x57)));
	apply_or_die(ev_apply(eng, ev_socket(LIVE, 19, 7, 1, 0xa7, 0x57, 0x56)));
	apply_or_die(ev_apply(eng, ev_socket(LIVE, 19, 8, 1, 0xa8, 0x58, 0x59)));
	apply_or_die(ev_apply(eng, ev_socket(LIVE, 19, 9, 1, 0xa9, 0x59, 0x58)));
	apply_or_die(ev_apply(eng, ev_scm_send1(LIVE, 20, 9, 0x59, 0x58, 6, 0xa6)));
	apply_or_die(ev_apply(eng, ev_scm_send1(LIVE, 21, 7, 0x57, 0x56, 8, 0xa8)));
	for (int fd = 6; fd <= 9; fd++)
		apply_or_die(ev_apply(eng, ev_close(LIVE, LIVE, 22, fd)));
	if (detect_all(eng, &d, &all))
		abort();
	for (unsigned int k = 0; k < FINDING_KIND_MAX; k++) {
		/* a growth needs minutes of counts: the scene has none */
		if (k == FINDING_GROWTH)
			continue;
		if (!findings_count_kind(&all, k)) {
			fprintf(stderr, "fuzz_suppress: the scene has no %s finding\n",
				finding_kind_name(k));
			abort();
		}
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	build_scene();
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0';
}

static bool known(int key, const char *v)
{
	unsigned int n = key == SUPP_KIND ? FINDING_KIND_MAX :
			 key == SUPP_TYPE ? LS_RES_TYPE_MAX : SEVERITY_MAX;

	if (key != SUPP_KIND && key != SUPP_TYPE && key != SUPP_SEVERITY)
		return true;
	for (unsigned int i = 0; i < n; i++) {
		const char *name = key == SUPP_KIND ? finding_kind_name(i) :
				   key == SUPP_TYPE ? ls_res_type_name(i) : severity_name(i);

		if (!strcmp(v, name))
			return true;
	}
	return false;
}

static void check_suppression(const struct suppression *p, unsigned int lines, const char *err)
{
	int conditions = 0;

	CHECK(p->name && p->name[0] && p->name[0] != '#', "a suppression without a name");
	for (const char *c = p->name; *c; c++)
		CHECK(!blank(*c), "white space in a name");
	CHECK(p->line >= 1 && p->line <= lines, "a line number outside the input");
	for (int k = 0; k < SUPP_KEY_MAX; k++) {
		if (!p->want[k])
			continue;
		conditions++;
		CHECK(p->want[k][0], "an empty condition");
		for (const char *c = p->want[k]; *c; c++)
			CHECK(!blank(*c), "white space in a condition");
		CHECK(known(k, p->want[k]), "a kind, type or severity that does not exist");
	}
	CHECK(conditions > 0, "a suppression without a condition");
}

/* Matching: every finding kept or dropped once, hits adding up to drops. */
static void check_apply(struct suppressions *s, const char *err)
{
	struct findings fs = { 0 };
	uint64_t hits = 0;
	size_t dropped;

	for (size_t i = 0; i < s->len; i++)
		s->v[i].hits = 0;
	for (size_t i = 0; i < all.len; i++)
		if (findings_add(&fs, &all.v[i]))
			abort();
	dropped = suppressions_apply(s, &fs, stacks);
	for (size_t i = 0; i < s->len; i++)
		hits += s->v[i].hits;
	CHECK(dropped + fs.len == all.len, "findings lost or made up by matching");
	CHECK(hits == dropped, "hits do not add up to the findings dropped");
	/* what is kept stays in order: a subsequence of what was found */
	for (size_t i = 0, j = 0; i < fs.len; i++, j++) {
		while (j < all.len && memcmp(&all.v[j], &fs.v[i], sizeof(fs.v[i])))
			j++;
		CHECK(j < all.len, "a kept finding out of order");
	}
	findings_free(&fs);
}

/*
 * The same text again with allocations failing, one in every 1 to 8 (from
 * its length): a failure must come out as -ENOMEM, and what was parsed
 * before it must still be freed (LeakSanitizer says if not).
 */
static void check_out_of_memory(const char *text, size_t size, int want)
{
	struct suppressions s = { 0 };
	unsigned long failed;
	char err[ERR_LEN];
	int ret;

	err[0] = '\0';
	alloc_fail_every(size % 8 + 1);
	ret = suppressions_parse(&s, text, size, err, sizeof(err));
	failed = alloc_fail_count();
	alloc_fail_every(0);
	CHECK(failed ? ret == -ENOMEM : ret == want, "out of memory, not -ENOMEM (or the reverse)");
	suppressions_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char base_text[] = "base kind=zombie\n";
	struct suppressions s = { 0 };
	const char *text = (const char *)data;
	unsigned int lines = 1;
	char err[ERR_LEN];
	char *buf;
	int ret;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	/* exactly size bytes: a read past the text is AddressSanitizer's */
	buf = malloc(size ? size : 1);
	if (!buf)
		abort();
	memcpy(buf, text, size);
	memset(err, 0x5a, sizeof(err));
	err[0] = '\0';
	if (suppressions_parse(&s, base_text, sizeof(base_text) - 1, err, sizeof(err)) || s.len != 1)
		abort();
	ret = suppressions_parse(&s, buf, size, err, sizeof(err));
	CHECK(ret == 0 || ret == -EINVAL, "neither 0 nor -EINVAL");
	CHECK(memchr(err, '\0', sizeof(err)), "message not terminated");
	if (ret) {
		unsigned int line = 0;

		CHECK(sscanf(err, "line %u:", &line) == 1 && line >= 1 && line <= lines,
		      "an error that names no line of the input");
		CHECK(!strchr(err, '\n'), "a message of more than one line");
	} else {
		CHECK(err[0] == '\0', "a message without an error");
	}
	CHECK(s.len >= 1 && !strcmp(s.v[0].name, "base"), "parsing lost what the set had");
	for (size_t i = 1; i < s.len; i++) {
		check_suppression(&s.v[i], lines, err);
		CHECK(i == 1 || s.v[i].line > s.v[i - 1].line, "suppressions out of line order");
	}
	check_apply(&s, err);
	suppressions_free(&s);
	check_out_of_memory(buf, size, ret);
	free(buf);
	return 0;
}
