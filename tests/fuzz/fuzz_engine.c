// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target: the engine fed arbitrary event streams, then everything that
 * reads its state.
 *
 * Input (engine_input.h): an options byte, then records, each behind a
 * 2-byte length of the harness's own, so the fuzzer also makes headers that
 * claim more or less than there is. Each record is copied into a buffer of
 * exactly its length, so AddressSanitizer sees any read past it, as it would
 * past a record at the end of a capture.
 *
 * The options byte picks report options and, with OPT_FAIL_ALLOCS, makes
 * one allocation in every 1 to 32 fail while a record is applied: the
 * engine must then drop what it could not keep, and nothing else.
 *
 * After every record the engine's invariants are checked (engine_check.c),
 * whether or not memory ran out. At the end the detectors, the suppressions
 * and both exporters run on whatever state resulted (redacted, with a key,
 * for inputs of an odd size), and the JSON report must be valid JSON in
 * UTF-8.
 * tools/fuzz/gen_seeds.c writes the seeds in this format.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_fail.h"
#include "engine.h"
#include "engine_check.h"
#include "engine_input.h"
#include "findings.h"
#include "json_check.h"
#include "redact.h"
#include "report.h"
#include "stack_table.h"
#include "suppress.h"


static struct stack_table *stacks;
static struct suppressions supp;
static FILE *devnull;
static struct redactor *redactor; /* --redact, keyed: the reports of odd-sized inputs */

/* A few stacks so that LS_EV_STACK_REF ids 1..3 name something: a named
 * one with a libc frame, one only module+offset, one cut short. */
static void make_stacks(void)
{
	struct stack_frame named[] = {
		{ .pc = 0x7f0000001000, .offset = 0x1000, .module = "/usr/lib/libc.so.6",
		  .function = "__libc_open64", .file = "open64.c", .line = 41 },
		{ .pc = 0x5500000013c4, .offset = 0x13c4, .module = "/srv/app",
		  .function = "open_in_dir", .file = "app.c", .line = 51 },
		{ .pc = 0x550000001400, .offset = 0x1400, .module = "/srv/app",
		  .function = "vendor_open", .file = NULL, .line = 0, .inlined = true },
	};
	struct stack_frame raw[] = {
		{ .pc = 0x7f0000002000, .offset = 0x2000, .module = "/usr/lib/libc.so.6" },
		{ .pc = 0x13, .offset = 0x13, .module = NULL },
	};

	stacks = stack_table_new();
	if (!stacks || stack_table_intern(stacks, named, 3, STACK_END_CLEAN) != 1 ||
	    stack_table_name(stacks, 1, named, 3, false) ||
	    stack_table_intern(stacks, raw, 2, STACK_END_ERROR) != 2 ||
	    stack_table_intern(stacks, named, 1, STACK_END_CUT) != 3 ||
	    stack_table_name(stacks, 3, named, 1, true)) {
		fputs("fuzz_engine: cannot build the stack table\n", stderr);
		abort();
	}
}

static const char supp_text[] =
	"# one of each key, so matching runs on every finding\n"
	"logs       kind=released-at-exit type=file path=*.log\n"
	"sup-comm   comm=sup*\n"
	"vendor     function=vendor_*\n"
	"infos      severity=info type=pipe\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];

	(void)argc;
	(void)argv;
	make_stacks();
	if (suppressions_parse(&supp, supp_text, sizeof(supp_text) - 1, err, sizeof(err))) {
		fprintf(stderr, "fuzz_engine: suppressions: %s\n", err);
		abort();
	}
	redactor = redactor_new("fuzz", 4);
	if (!redactor) {
		fputs("fuzz_engine: libcrypto cannot hash\n", stderr);
		abort();
	}
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

/* Detectors, suppressions and both reports, on whatever state there is. */
static void report(const struct ls_engine *eng, uint8_t opts, bool redact)
{
	static char *const command[] = { "fuzzed", "--flag", NULL };
	uint64_t t = opts & OPT_SHORT_TIMES ? 1 : 60000000000ULL;
	struct detect_opts d = {
		.track_inherited = opts & OPT_TRACK_INHERITED,
		.close_wait_ns = t, .min_age_ns = t, .idle_ns = t,
		.now_ns = engine_last_ns(eng),
	};
	struct report_meta m = {
		.version = "0.1.0", .kernel = "6.1.0-fuzz", .host = "fuzz", .mode = "command",
		.command = command, .start_ns = engine_first_ns(eng), .end_ns = engine_last_ns(eng),
		.realtime_offset_ns = 1795392000LL * 1000000000LL,
		.events_received = engine_stats(eng)->events,
		.track_inherited = d.track_inherited, .stacks = stacks, .suppressions = &supp,
		.redact = redact ? redactor : NULL,
	};
	struct findings fs = { 0 };
	const char *why;
	char *json = NULL;
	size_t json_len = 0, found, at;
	FILE *out;

	if (detect_all(eng, &d, &fs)) {
		fputs("fuzz_engine: detect_all ran out of memory\n", stderr);
		abort();
	}
	for (size_t i = 0; i < supp.len; i++)
		supp.v[i].hits = 0;
	found = fs.len;
	m.suppressed = suppressions_apply(&supp, &fs, stacks);
	if (m.suppressed + fs.len != found) {
		fprintf(stderr, "fuzz_engine: %zu findings, %zu dropped, %zu kept\n", found,
			(size_t)m.suppressed, fs.len);
		abort();
	}

	out = open_memstream(&json, &json_len);
	if (!out)
		abort();
	if (report_write_json(out, eng, &fs, &m)) {
		fputs("fuzz_engine: report_write_json failed on a stream that cannot fail\n", stderr);
		abort();
	}
	if (fclose(out))
		abort();
	why = json_check(json, json_len, &at);
	if (why) {
		fprintf(stderr, "fuzz_engine: the JSON report is invalid at byte %zu of %zu: %s\n",
			at, json_len, why);
		fwrite(json, 1, json_len, stderr);
		abort();
	}
	free(json);
	report_write_text(devnull, eng, &fs, &m);
	findings_free(&fs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine_check check;
	struct ls_engine *eng;
	unsigned int period;
	bool redact = size & 1; /* the options byte has no bit left */
	uint8_t opts;

	if (!size)
		return 0;
	opts = data[0];
	period = opts & OPT_FAIL_ALLOCS ? OPT_FAIL_PERIOD(opts) : 0;
	data++;
	size--;
	eng = engine_new();
	if (!eng)
		abort();
	engine_check_init(&check, eng);
	while (size) {
		size_t len = size;
		unsigned long failed;
		uint8_t *rec;
		int ret;

		if (size >= 2) {
			len = (size_t)data[0] | (size_t)data[1] << 8;
			data += 2;
			size -= 2;
			if (len > size)
				len = size;
		}
		rec = malloc(len ? len : 1);
		if (!rec)
			abort();
		memcpy(rec, data, len);
		/* every fd number the engine accepts (0..INT_MAX): the fd table is
		 * sparse and its walks follow open fds, not the range */
		alloc_fail_every(period);
		ret = engine_apply(eng, rec, len);
		failed = alloc_fail_count();
		alloc_fail_every(0);
		if (ret == -ENOMEM && !failed) {
			fputs("fuzz_engine: ENOMEM with every allocation granted\n", stderr);
			abort();
		}
		engine_check_applied(&check, rec, len, ret);
		engine_check_state(&check, eng);
		free(rec);
		data += len;
		size -= len;
	}
	report(eng, opts, redact);
	engine_check_fini(&check);
	engine_free(eng);
	return 0;
}
