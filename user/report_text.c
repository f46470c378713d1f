// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The summary for people: per process, the fds it never closed. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* The JSON report has everything; the summary keeps to what a person reads. */
#define MAX_SITES 20    /* per process */
#define MAX_PER_SITE 5  /* resources listed per site */
#define MAX_FRAMES 12

/* Paths are bytes: print the unprintable as \xNN, the way strace does. */
static void print_escaped(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '\\')
			fputs("\\\\", out);
		else if (isprint(c))
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
}

static void print_status(FILE *out, const struct ls_process *p)
{
	if (!p->exited)
		fputs("still running", out);
	else if (p->exit_code & 0x7f)
		fprintf(out, "killed by signal %u after %.3f s", p->exit_code & 0x7f,
			(double)(p->exit_ns - p->start_ns) / 1e9);
	else
		fprintf(out, "exited with status %u after %.3f s", (p->exit_code >> 8) & 0xff,
			(double)(p->exit_ns - p->start_ns) / 1e9);
}

static void print_zombie(FILE *out, const struct finding *fi)
{
	fprintf(out, "leakscope:    zombie: child pid %u (", fi->child->pid);
	print_escaped(out, fi->child->comm, strnlen(fi->child->comm, sizeof(fi->child->comm)));
	fprintf(out, ") exited %.1f s ago, never waited for\n", (double)fi->duration_ns / 1e9);
}

static void print_stack(FILE *out, const struct stack *st, const struct redactor *r);

static void print_misuse(FILE *out, const struct finding *fi, const struct report_meta *m)
{
	const struct ls_misuse *u = fi->misuse;
	const struct stack *use = stack_table_get(m->stacks, u->stack_id);
	const struct stack *closed = stack_table_get(m->stacks, u->close_stack_id);

	fprintf(out, "leakscope:    %s: %s of fd %d failed with EBADF", ls_misuse_name(u->kind),
		ls_syscall_name(u->syscall), u->fd);
	if (u->count > 1)
		fprintf(out, " (%llu times)", (unsigned long long)u->count);
	if (u->closed_ns && u->first_ns >= u->closed_ns)
		fprintf(out, ", %.3f s after it was closed", (double)(u->first_ns - u->closed_ns) / 1e9);
	fputc('\n', out);
	if (use)
		print_stack(out, use, m->redact);
	if (closed) {
		fputs("leakscope:       it was closed:\n", out);
		print_stack(out, closed, m->redact);
	}
}

static void print_cycle(FILE *out, const struct findings *fs, const struct finding *fi)
{
	char reason[1024];

	report_cycle_reason(&fs->cycles.v[fi->cycle], reason, sizeof(reason));
	fprintf(out, "leakscope:    cycle: %s\n", reason);
}

static void print_growth(FILE *out, const struct finding *fi)
{
	const struct growth_detail *g = fi->growth;

	fprintf(out, "leakscope:    growth: %s %u -> %u over %.1f s (%+.3g/s), %u now; ",
		ls_growth_class_name(g->cls), g->first, g->last, (double)g->window_ns / 1e9,
		g->slope_per_s, g->open_now);
	if (g->exhaustion_s < 0)
		fprintf(out, "%s not known\n", g->limit_name);
	else
		fprintf(out, "%s %llu reached in %.0f s%s\n", g->limit_name,
			(unsigned long long)g->limit, g->exhaustion_s,
			fi->severity == SEVERITY_ERROR ? " (error: within the hour)" : "");
}

static void print_finding(FILE *out, const struct findings *fs, const struct finding *fi,
			  const struct report_meta *m)
{
	char name[LS_PATH_MAX + 64], flags[160];
	size_t n;

	if (!fi->fd) {
		if (fi->kind == FINDING_ZOMBIE)
			print_zombie(out, fi);
		else if (fi->kind == FINDING_FD_MISUSE)
			print_misuse(out, fi, m);
		else if (fi->kind == FINDING_CYCLE)
			print_cycle(out, fs, fi);
		else if (fi->kind == FINDING_GROWTH)
			print_growth(out, fi);
		return;
	}
	n = report_resource_name(fi->fd, m->redact, name, sizeof(name));

	report_flags(fi->fd, flags, sizeof(flags));
	if (fi->kind != FINDING_RELEASED_AT_EXIT)
		fprintf(out, "leakscope:    %s:\n", finding_kind_name(fi->kind));
	fprintf(out, "leakscope:    fd %-4d %-8s ", fi->fd->fd, ls_res_type_name(fi->fd->ofd->res_type));
	print_escaped(out, name, n);
	if (fi->fd->ofd->res_type == LS_RES_SOCKET) {
		const struct ls_ofd_ext *x = ls_ofd_ext(fi->fd->ofd);
		const char *fam = report_family_name(x->sock_family);
		const char *type = report_socktype_name(x->sock_type);
		char ep[64];

		fprintf(out, " %s %s", fam ? fam : "family?", type ? type : "type?");
		if (report_endpoint(&x->local, m->redact, ep, sizeof(ep)))
			fprintf(out, " %s", ep);
		if (x->remote.port && report_endpoint(&x->remote, m->redact, ep, sizeof(ep)))
			fprintf(out, "->%s", ep);
		if (x->tcp_state)
			fprintf(out, " %s", ls_tcp_state_name(x->tcp_state));
	}
	fprintf(out, "  [%s] by %s", flags, ls_syscall_name(fi->fd->syscall));
	if (fi->kind == FINDING_CLOSE_WAIT)
		fprintf(out, ", in CLOSE_WAIT for %.1f s", (double)fi->duration_ns / 1e9);
	else if (fi->kind == FINDING_DELETED_OPEN)
		fprintf(out, ", deleted, holding %llu bytes",
			(unsigned long long)ls_ofd_state(fi->fd->ofd)->size);
	else if (fi->kind == FINDING_OLD_IDLE)
		fprintf(out, ", unused for %.1f s (%llu uses)", (double)fi->duration_ns / 1e9,
			(unsigned long long)ls_fd_accesses(fi->fd->use));
	fputc('\n', out);
}

/* "open_in_dir (leaky.c:51)", "open64 (libc.so.6+0x1234)", "0x7f12..." */
static void print_frame(FILE *out, const struct stack_frame *f, const struct redactor *r)
{
	char fbuf[REDACT_VALUE_MAX], mbuf[REDACT_VALUE_MAX];
	const char *file = report_frame_file(r, f, fbuf, sizeof(fbuf));
	const char *mod = report_frame_module(r, f, mbuf, sizeof(mbuf));

	fputs(f->function ? f->function : "???", out);
	if (file) {
		fprintf(out, " (%s:%u)", file, f->line);
	} else if (mod) {
		fprintf(out, " (%s+0x%llx)", mod, (unsigned long long)f->offset);
	} else {
		fprintf(out, " (0x%llx)", (unsigned long long)f->pc);
	}
	if (f->inlined)
		fputs(" [inlined]", out);
}

/* valgrind's layout: "at" the innermost frame, "by" each caller. */
static void print_stack(FILE *out, const struct stack *st, const struct redactor *r)
{
	for (uint32_t i = 0; i < st->nframes && i < MAX_FRAMES; i++) {
		fputs(i ? "leakscope:         by " : "leakscope:         at ", out);
		print_frame(out, &st->frames[i], r);
		fputc('\n', out);
	}
	if (st->truncated || st->nframes > MAX_FRAMES)
		fputs("leakscope:         ... (stack truncated)\n", out);
}

/* Findings that share a kind, a resource type and an allocation stack. */
static bool same_site(const struct finding *a, const struct finding *b)
{
	return a->proc == b->proc && a->kind == b->kind && a->fd && b->fd &&
	       a->fd->stack_id && a->fd->stack_id == b->fd->stack_id &&
	       a->fd->ofd->res_type == b->fd->ofd->res_type;
}

/* One site: "5 fds (file) created at ..." then the first few, then the stack. */
static size_t print_site(FILE *out, const struct findings *fs, size_t first, bool *done,
			 const struct report_meta *m)
{
	const struct finding *fi = &fs->v[first];
	const struct stack *st = stack_table_get(m->stacks, fi->fd ? fi->fd->stack_id : 0);
	size_t n = 0, listed = 0;

	for (size_t i = first; i < fs->len; i++)
		n += !done[i] && (i == first || same_site(fi, &fs->v[i]));
	if (n > 1)
		fprintf(out, "leakscope:    %zu %s fds, %s, created at the same place:\n", n,
			ls_res_type_name(fi->fd->ofd->res_type), finding_kind_name(fi->kind));
	for (size_t i = first; i < fs->len; i++) {
		if (done[i] || (i != first && !same_site(fi, &fs->v[i])))
			continue;
		done[i] = true;
		if (listed++ < MAX_PER_SITE)
			print_finding(out, fs, &fs->v[i], m);
	}
	if (listed > MAX_PER_SITE)
		fprintf(out, "leakscope:    ... and %zu more from there\n", listed - MAX_PER_SITE);
	if (st)
		print_stack(out, st, m->redact);
	return n;
}

static void print_process(FILE *out, const struct ls_process *p, const struct findings *fs,
			  bool *done, const struct report_meta *m)
{
	size_t total = 0, leaks = 0, sites = 0;

	for (size_t i = 0; i < fs->len; i++) {
		total += fs->v[i].proc == p;
		leaks += fs->v[i].proc == p && fs->v[i].kind == FINDING_RELEASED_AT_EXIT;
	}
	if (!total)
		return;
	fprintf(out, "leakscope: pid %u (", p->pid);
	print_escaped(out, p->comm, strnlen(p->comm, sizeof(p->comm)));
	fputs(") ", out);
	print_status(out, p);
	fprintf(out, ": %zu fd%s never closed", leaks, leaks == 1 ? "" : "s");
	if (total > leaks)
		fprintf(out, ", %zu other finding%s", total - leaks, total - leaks == 1 ? "" : "s");
	fputc('\n', out);
	/* by severity, worst first; within it, in the order they were found */
	for (int sev = SEVERITY_MAX - 1; sev >= 0; sev--) {
		for (size_t i = 0; i < fs->len; i++) {
			if (done[i] || fs->v[i].proc != p || (int)fs->v[i].severity != sev)
				continue;
			if (sites++ == MAX_SITES) {
				fputs("leakscope:    ... more (see the JSON report)\n", out);
				return;
			}
			print_site(out, fs, i, done, m);
		}
	}
}

void report_write_text(FILE *out, const struct ls_engine *eng, const struct findings *fs,
		       const struct report_meta *m)
{
	size_t nproc = engine_process_count(eng), with_leaks = 0, leaks;
	uint64_t by_type[LS_RES_TYPE_MAX] = { 0 };
	bool *done = calloc(fs->len ? fs->len : 1, sizeof(*done));
	const char *sep = "";

	if (!done) {
		fputs("leakscope: out of memory while writing the summary\n", out);
		return;
	}

	fprintf(out, "leakscope: %zu process%s traced, %" PRIu64 " events, %" PRIu64 " lost\n",
		nproc, nproc == 1 ? "" : "es", m->events_received, m->kernel_stats[LS_STAT_LOST]);
	for (size_t i = 0; i < nproc; i++) {
		const struct ls_process *p = engine_process_at(eng, i);

		for (size_t j = 0; j < fs->len; j++) {
			if (fs->v[j].proc == p) {
				with_leaks++;
				break;
			}
		}
		print_process(out, p, fs, done, m);
	}
	free(done);
	for (unsigned int k = 0; k < FINDING_KIND_MAX; k++) {
		size_t n = findings_count_kind(fs, k);

		if (k != FINDING_RELEASED_AT_EXIT && n)
			fprintf(out, "leakscope: %s: %zu\n", finding_kind_name(k), n);
	}
	leaks = findings_count_kind(fs, FINDING_RELEASED_AT_EXIT);
	if (!leaks) {
		fputs("leakscope: no leaks: every fd created was closed before its process exited\n", out);
		goto lost;
	}
	for (size_t i = 0; i < fs->len; i++) {
		unsigned int t;

		if (fs->v[i].kind != FINDING_RELEASED_AT_EXIT)
			continue;
		t = fs->v[i].fd->ofd->res_type;
		by_type[t < LS_RES_TYPE_MAX ? t : LS_RES_UNKNOWN]++;
	}
	fprintf(out, "leakscope: LEAK SUMMARY: %zu fd%s never closed (", leaks,
		leaks == 1 ? "" : "s");
	for (unsigned int t = 0; t < LS_RES_TYPE_MAX; t++) {
		if (!by_type[t])
			continue;
		fprintf(out, "%s%" PRIu64 " %s", sep, by_type[t], ls_res_type_name(t));
		sep = ", ";
	}
	fprintf(out, ") in %zu process%s\n", with_leaks, with_leaks == 1 ? "" : "es");
lost:
	if (engine_forgotten(eng)->processes)
		fprintf(out, "leakscope: %" PRIu64 " exited process%s forgotten (--max-exited): "
			"counted in the JSON report, not listed\n", engine_forgotten(eng)->processes,
			engine_forgotten(eng)->processes == 1 ? "" : "es");
	if (m->suppressed)
		fprintf(out, "leakscope: %" PRIu64 " finding%s suppressed (--suppressions)\n",
			m->suppressed, m->suppressed == 1 ? "" : "s");
	if (m->kernel_stats[LS_STAT_LOST])
		fprintf(out, "leakscope: WARNING: %" PRIu64 " events were lost (ring buffer full): "
			"counts may be incomplete; try a larger --ring-size\n",
			m->kernel_stats[LS_STAT_LOST]);
}
