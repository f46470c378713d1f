// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * leakscope replay FILE [OPTIONS]: feed a capture to the same engine and
 * write the same reports as the run that made it (they differ only in
 * observer.replayed). The thresholds the run judged with come from the
 * capture; report options (--json, --text, --suppressions, --fail-on,
 * --error-exitcode, -q, -v) from the command line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "capture_meta.h"
#include "redact_key.h"
#include "replay.h"
#include "report_files.h"

/* a stack record is at most 64 KiB: its names, with a NUL each, fit in this */
#define STRINGS_MAX (UINT16_MAX + 2 * STACK_MAX_FRAMES + 1)

struct replay {
	struct ls_engine *eng;
	struct stack_table *stacks;
	struct suppressions supp;
	struct capture_reader *reader;
	struct redactor *redact; /* NULL: no --redact */
	char *strings;           /* a stack record's names, unpacked */
	bool ended;              /* the capture's end record was read */
};

static int usage(const char *msg)
{
	fprintf(stderr, "leakscope: replay: %s (see --help)\n", msg);
	return LS_EXIT_USAGE;
}

/*
 * argv: "replay" FILE OPTIONS... Only report options make sense: what to
 * trace was decided by the run.
 */
static int parse(int argc, char **argv, struct options *o, const char **file)
{
	char err[256];
	int ret;

	if (argc < 2 || argv[1][0] == '-')
		return usage("want: leakscope replay FILE [--json FILE] [--text FILE] ...");
	*file = argv[1];
	argv[1] = argv[0]; /* the options after FILE, as if FILE were not there */
	ret = cli_parse(argc - 1, argv + 1, o, err, sizeof(err));
	argv[1] = (char *)*file;
	if (ret)
		return usage(err);
	if (o->cmd)
		return usage("one capture at a time: want leakscope replay FILE [OPTIONS]");
	if (o->npids || o->cgroup || o->duration_ms || o->capture_path)
		return usage("-p, --cgroup, -d and --capture choose what a run traces: not for replay");
	return 0;
}

static int add_stack(struct replay *r, const void *rec, size_t size, char *err, size_t errlen)
{
	struct stack_frame frames[STACK_MAX_FRAMES];
	struct capture_stack h;
	size_t n;

	memcpy(&h, rec, sizeof(h));
	if (capture_stack_frames(rec, size, frames, STACK_MAX_FRAMES, &n, r->strings,
				 STRINGS_MAX)) {
		snprintf(err, errlen, "a damaged stack record (id %u)", h.id);
		return -EINVAL;
	}
	/* ids are given in order: the table rebuilds the same ones */
	if (stack_table_intern(r->stacks, frames, n, (enum stack_end)h.end) != h.id) {
		snprintf(err, errlen, "stack %u out of order or repeated", h.id);
		return -EINVAL;
	}
	return 0;
}

static int feed(struct replay *r, struct report_meta *m, char *err, size_t errlen)
{
	const void *rec;
	size_t size;
	int ret;

	while ((ret = capture_next(r->reader, &rec, &size, err, errlen)) == 1) {
		const struct ls_event_header *h = rec;

		if (h->type == CAPTURE_REC_STACK) {
			if (size < sizeof(struct capture_stack))
				return -EINVAL;
			ret = add_stack(r, rec, size, err, errlen);
			if (ret)
				return ret;
		} else if (h->type == CAPTURE_REC_END && size >= sizeof(struct capture_end)) {
			const struct capture_end *e = rec;

			m->end_ns = e->hdr.ts_ns;
			m->events_received = e->events_received;
			memcpy(m->kernel_stats, e->kernel_stats, sizeof(m->kernel_stats));
			r->ended = true;
		} else {
			/* what the engine refuses it counts, as it did live */
			engine_apply(r->eng, rec, size);
		}
	}
	return ret;
}

int replay_main(int argc, char **argv)
{
	struct replay r = { 0 };
	struct capture_header *h = NULL;
	struct report_meta meta = { 0 };
	struct options o;
	char **cmd = NULL, err[320];
	const char *file = NULL;
	int ret = LS_EXIT_ERROR, n;
	FILE *f;

	n = parse(argc, argv, &o, &file);
	if (n)
		return n;
	if (o.help) {
		cli_print_help("leakscope");
		return 0;
	}
	if (report_files_load_suppressions(&o, &r.supp)) {
		suppressions_free(&r.supp);
		return LS_EXIT_USAGE;
	}
	if (report_files_check(&o)) {
		suppressions_free(&r.supp);
		return LS_EXIT_ERROR;
	}
	n = redact_setup(&o, &r.redact);
	if (n) {
		suppressions_free(&r.supp);
		return n;
	}
	f = fopen(file, "re");
	if (!f) {
		fprintf(stderr, "leakscope: replay: %s: %s\n", file, strerror(errno));
		suppressions_free(&r.supp);
		redactor_free(r.redact);
		return LS_EXIT_ERROR;
	}
	h = malloc(sizeof(*h));
	cmd = calloc(CAPTURE_ARGV_MAX, sizeof(*cmd));
	r.strings = malloc(STRINGS_MAX);
	r.eng = engine_new();
	r.stacks = stack_table_new();
	if (!h || !cmd || !r.strings || !r.eng || !r.stacks) {
		fprintf(stderr, "leakscope: replay: out of memory\n");
		goto out;
	}
	if (capture_reader_open(&r.reader, f, h, err, sizeof(err))) {
		fprintf(stderr, "leakscope: replay: %s: %s\n", file, err);
		goto out;
	}
	capture_header_apply(h, &meta, &o, cmd);
	meta.stacks = r.stacks;
	meta.replayed = true;
	meta.redact = r.redact;
	engine_set_series_span(r.eng, o.growth_window_ms * 1000000ULL);
	if (feed(&r, &meta, err, sizeof(err))) {
		fprintf(stderr, "leakscope: replay: %s: %s\n", file, err);
		goto out;
	}
	if (!r.ended) {
		/* a run that was killed: what it saw, up to its last record */
		meta.end_ns = engine_last_ns(r.eng);
		fprintf(stderr, "leakscope: replay: %s has no end record (the run did not finish): "
			"reporting up to its last event\n", file);
	}
	n = report_files_write(r.eng, r.stacks, &r.supp, &o, &meta);
	if (n < 0)
		ret = LS_EXIT_ERROR;
	else if (n > 0 && o.error_exitcode)
		ret = o.error_exitcode;
	else
		ret = 0;
out:
	capture_reader_free(r.reader);
	fclose(f);
	engine_free(r.eng);
	stack_table_free(r.stacks);
	suppressions_free(&r.supp);
	redactor_free(r.redact);
	free(r.strings);
	free(cmd);
	free(h);
	return ret;
}
