// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "findings.h"
#include "report_files.h"
#include "symbolize.h"

#define SUPPRESSIONS_MAX_BYTES (1 << 20)

typedef int (*report_fn)(FILE *out, const struct ls_engine *eng, const struct findings *fs,
			 const struct report_meta *m);

/* One report file, whole or not at all (atomic_file.h); what names it in messages. */
static int write_report(const char *path, const char *what, report_fn fn,
			const struct ls_engine *eng, const struct findings *fs,
			const struct report_meta *m)
{
	struct atomic_file *af = atomic_file_open(path);
	int err;

	if (!af) {
		err = -errno;
		fprintf(stderr, "leakscope: cannot write the %s %s: %s\n", what, path, strerror(-err));
		return err;
	}
	err = fn(atomic_file_stream(af), eng, fs, m);
	/* a write error is the file's: the commit says which (ENOSPC, EIO) */
	if (err && err != -EIO) {
		atomic_file_abort(af);
		fprintf(stderr, "leakscope: cannot write the %s %s: %s\n", what, path, strerror(-err));
		return err;
	}
	err = atomic_file_commit(af);
	if (err)
		fprintf(stderr, "leakscope: cannot write the %s %s: %s\n", what, path, strerror(-err));
	return err;
}

static int text_report(FILE *out, const struct ls_engine *eng, const struct findings *fs,
		       const struct report_meta *m)
{
	report_write_text(out, eng, fs, m);
	return ferror(out) ? -EIO : 0;
}

int report_files_check_path(const char *what, const char *path)
{
	int err = atomic_file_check(path);

	if (err)
		fprintf(stderr, "leakscope: cannot write the %s %s: %s\n", what, path,
			err == -ELOOP ? "it is a symbolic link (refused)" : strerror(-err));
	return err;
}

static int check_report_path(const char *path)
{
	return report_files_check_path("report", path);
}

int report_files_write(struct ls_engine *eng, struct stack_table *stacks,
		       struct suppressions *supp, const struct options *o,
		       struct report_meta *meta)
{
	struct detect_opts dopts = report_files_detect_opts(o, meta->end_ns);
	struct findings fs = { 0 };
	struct symbolizer *sym;
	int err = 0;

	/* names for the stacks, now that they are needed (see symbolize.h) */
	sym = symbolizer_new();
	if (!sym || symbolize_stacks(sym, stacks))
		fprintf(stderr, "leakscope: out of memory naming the stacks: some show as addresses\n");
	symbolizer_free(sym);

	if (detect_all(eng, &dopts, &fs)) {
		fprintf(stderr, "leakscope: out of memory while building the report\n");
		findings_free(&fs);
		return -ENOMEM;
	}
	/* hits are per report: an interval report counts its own */
	for (size_t i = 0; i < supp->len; i++)
		supp->v[i].hits = 0;
	meta->suppressed = suppressions_apply(supp, &fs, stacks);
	meta->suppressions = supp;
	for (size_t i = 0; o->verbose && i < supp->len; i++)
		if (!supp->v[i].hits)
			fprintf(stderr, "leakscope: suppression '%s' (line %u) matched nothing\n",
				supp->v[i].name, supp->v[i].line);
	if (o->text_path)
		err = write_report(o->text_path, "summary", text_report, eng, &fs, meta);
	else if (!o->quiet)
		report_write_text(stderr, eng, &fs, meta);
	if (!err && o->json_path) {
		err = write_report(o->json_path, "report", report_write_json, eng, &fs, meta);
		if (!err && !o->quiet)
			fprintf(stderr, "leakscope: JSON report written to %s\n", o->json_path);
	}
	if (!err && o->dot_path) {
		err = write_report(o->dot_path, "graph", report_write_dot, eng, &fs, meta);
		if (!err && !o->quiet)
			fprintf(stderr, "leakscope: DOT graph written to %s\n", o->dot_path);
	}
	if (!err && o->html_path) {
		err = write_report(o->html_path, "HTML report", report_write_html, eng, &fs, meta);
		if (!err && !o->quiet)
			fprintf(stderr, "leakscope: HTML report written to %s\n", o->html_path);
	}
	if (!err)
		err = (int)findings_count_at_least(&fs, o->fail_on);
	findings_free(&fs);
	return err;
}

int report_files_load_suppressions(const struct options *o, struct suppressions *out)
{
	char err[256], *text = NULL;
	size_t len = 0;
	int ret = 0;

	for (int i = 0; i < o->nsuppressions && !ret; i++) {
		FILE *f = fopen(o->suppressions[i], "re");

		if (!f) {
			fprintf(stderr, "leakscope: --suppressions %s: %s\n", o->suppressions[i],
				strerror(errno));
			return -errno;
		}
		text = malloc(SUPPRESSIONS_MAX_BYTES + 1);
		len = text ? fread(text, 1, SUPPRESSIONS_MAX_BYTES + 1, f) : 0;
		if (!text || ferror(f)) {
			fprintf(stderr, "leakscope: --suppressions %s: cannot read it\n",
				o->suppressions[i]);
			ret = -EIO;
		} else if (len > SUPPRESSIONS_MAX_BYTES) {
			fprintf(stderr, "leakscope: --suppressions %s: larger than %d bytes\n",
				o->suppressions[i], SUPPRESSIONS_MAX_BYTES);
			ret = -EFBIG;
		} else {
			ret = suppressions_parse(out, text, len, err, sizeof(err));
			if (ret)
				fprintf(stderr, "leakscope: --suppressions %s: %s\n", o->suppressions[i],
					ret == -ENOMEM ? "out of memory" : err);
		}
		free(text);
		fclose(f);
	}
	return ret;
}

struct detect_opts report_files_detect_opts(const struct options *o, uint64_t now_ns)
{
	return (struct detect_opts){
		.track_inherited = o->track_inherited,
		.close_wait_ns = o->close_wait_ms * 1000000ULL,
		.min_age_ns = o->min_age_ms * 1000000ULL,
		.idle_ns = o->idle_ms * 1000000ULL,
		.now_ns = now_ns,
		.growth_window_ns = o->growth_window_ms * 1000000ULL,
		.growth_min_increase = o->growth_min,
	};
}

int report_files_check(const struct options *o)
{
	if (o->json_path && check_report_path(o->json_path))
		return -EINVAL;
	if (o->text_path && check_report_path(o->text_path))
		return -EINVAL;
	if (o->dot_path && check_report_path(o->dot_path))
		return -EINVAL;
	if (o->html_path && check_report_path(o->html_path))
		return -EINVAL;
	return 0;
}
