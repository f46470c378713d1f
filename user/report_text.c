// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The summary for people: per process, the fds it never closed. */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>
#include <stdio.h>

#include "report.h"

#define MAX_LISTED 20 /* per process; the JSON report has them all */

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

static void print_finding(FILE *out, const struct finding *fi)
{
	char name[LS_PATH_MAX + 64], flags[160];
	size_t n;

	if (!fi->fd) {
		if (fi->kind == FINDING_ZOMBIE)
			print_zombie(out, fi);
		else if (fi->kind == FINDING_GROWTH)
			print_growth(out, fi);
		return;
	}
	n = report_resource_name(fi->fd, name, sizeof(name));

	report_flags(fi->fd, flags, sizeof(flags));
	if (fi->kind != FINDING_RELEASED_AT_EXIT)
		fprintf(out, "leakscope:    %s:\n", finding_kind_name(fi->kind));
	fprintf(out, "leakscope:    fd %-4d %-8s ", fi->fd->fd, ls_res_type_name(fi->fd->ofd->res_type));
	print_escaped(out, name, n);
	if (fi->fd->ofd->res_type == LS_RES_SOCKET) {
		const char *fam = report_family_name(fi->fd->ofd->sock_family);
		const char *type = report_socktype_name(fi->fd->ofd->sock_type);

		const struct ls_ofd *o = fi->fd->ofd;
		char ep[64];

		fprintf(out, " %s %s", fam ? fam : "family?", type ? type : "type?");
		if (report_endpoint(&o->local, ep, sizeof(ep)))
			fprintf(out, " %s", ep);
		if (o->remote.port && report_endpoint(&o->remote, ep, sizeof(ep)))
			fprintf(out, "->%s", ep);
		if (o->tcp_state)
			fprintf(out, " %s", ls_tcp_state_name(o->tcp_state));
	}
	fprintf(out, "  [%s] by %s", flags, ls_syscall_name(fi->fd->syscall));
	if (fi->kind == FINDING_CLOSE_WAIT)
		fprintf(out, ", in CLOSE_WAIT for %.1f s", (double)fi->duration_ns / 1e9);
	else if (fi->kind == FINDING_DELETED_OPEN)
		fprintf(out, ", deleted, holding %llu bytes", (unsigned long long)fi->fd->ofd->size);
	fputc('\n', out);
}

static void print_process(FILE *out, const struct ls_process *p, const struct findings *fs)
{
	size_t total = 0, listed = 0, leaks = 0;

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
	for (size_t i = 0; i < fs->len && listed < MAX_LISTED; i++) {
		if (fs->v[i].proc != p)
			continue;
		print_finding(out, &fs->v[i]);
		listed++;
	}
	if (total > listed)
		fprintf(out, "leakscope:    ... and %zu more (see the JSON report)\n", total - listed);
}

void report_write_text(FILE *out, const struct ls_engine *eng, const struct findings *fs,
		       const struct report_meta *m)
{
	size_t nproc = engine_process_count(eng), with_leaks = 0, leaks;
	uint64_t by_type[LS_RES_TYPE_MAX] = { 0 };
	const char *sep = "";

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
		print_process(out, p, fs);
	}
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
	if (m->kernel_stats[LS_STAT_LOST])
		fprintf(out, "leakscope: WARNING: %" PRIu64 " events were lost (ring buffer full): "
			"counts may be incomplete; try a larger --ring-size\n",
			m->kernel_stats[LS_STAT_LOST]);
}
