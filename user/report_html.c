// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --html: one self-contained page for people: what was watched, open fds
 * over time, the findings with their allocation stacks, and the link graph.
 * Nothing is fetched: the style is inline, the pictures are inline SVG,
 * there is no script, and a Content-Security-Policy forbids every fetch
 * besides. Every name from the kernel goes through escape.h.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "report_graph.h"
#include "report_html.h"

#define HTML_MAX_FINDINGS 2000 /* rows; the JSON report has them all */
#define HTML_MAX_FRAMES 32

static const char style[] =
	"body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1400px;padding:0 16px;"
	"color:#212121;background:#fafafa}\n"
	"h1{font-size:22px;margin:18px 0 8px}h2{font-size:17px;margin:26px 0 8px;"
	"border-bottom:1px solid #cfd8dc}\n"
	"table{border-collapse:collapse;background:#fff}th,td{border:1px solid #e0e0e0;"
	"padding:4px 8px;text-align:left;vertical-align:top}\n"
	"table.facts th{background:#eceff1;font-weight:600}\n"
	"table.findings th{background:#eceff1;position:sticky;top:0}\n"
	"tr.sev-error td.severity{color:#b71c1c;font-weight:700}\n"
	"tr.sev-warning td.severity{color:#e65100;font-weight:700}\n"
	"tr.sev-info td.severity{color:#1565c0}\n"
	"code,.frames{font-family:ui-monospace,monospace;font-size:12px}\n"
	"ol.frames{margin:4px 0;padding-left:28px}.frames .fn{font-weight:600}"
	".frames .where{color:#546e7a}\n"
	"svg{background:#fff;border:1px solid #e0e0e0;max-width:100%;height:auto}\n"
	"svg text{font:11px ui-monospace,monospace;fill:#37474f}\n"
	"svg .axes line{stroke:#90a4ae}svg .axes line.grid{stroke:#eceff1}\n"
	"svg path.series{fill:none;stroke-width:2}svg path.edge{fill:none}\n"
	"svg text.column{font-weight:700;font-size:12px}svg text.head{font-weight:700}\n"
	"ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px 18px}\n"
	".swatch{display:inline-block;width:14px;height:10px;margin-right:6px}\n"
	".key{display:inline-block;width:28px;margin-right:6px;vertical-align:middle}\n"
	".note{color:#b71c1c}.empty{color:#546e7a}\n";

static double ns_to_s(uint64_t ns)
{
	return (double)ns / 1e9;
}

static void fact(FILE *out, const char *name, const char *value)
{
	fprintf(out, "<tr><th>%s</th><td>", name);
	esc_puts(out, ESC_HTML, value ? value : "unknown");
	fputs("</td></tr>\n", out);
}

static void facts(FILE *out, const struct ls_engine *eng, const struct findings *fs,
		  const struct report_meta *m)
{
	const uint64_t *k = m->kernel_stats;
	const struct ls_engine_stats *st = engine_stats(eng);
	size_t errors = findings_count_at_least(fs, SEVERITY_ERROR);
	size_t warnings = findings_count_at_least(fs, SEVERITY_WARNING) - errors;
	char when[40], host[REDACT_VALUE_MAX];

	fputs("<table class=\"facts\">\n<tr><th>command</th><td><code>", out);
	for (char *const *a = m->command; a && *a; a++) {
		char arg[REDACT_VALUE_MAX];

		if (m->redact)
			redact_value(m->redact, REDACT_ARG, *a, strlen(*a), arg, sizeof(arg));
		esc_puts(out, ESC_HTML, m->redact ? arg : *a);
		fputs(a[1] ? " " : "", out);
	}
	fputs("</code></td></tr>\n", out);
	fact(out, "mode", m->mode);
	fact(out, "host", report_host(m, host, sizeof(host)));
	fact(out, "kernel", m->kernel);
	fact(out, "leakscope", m->version);
	report_time(m, m->start_ns, when, sizeof(when));
	fact(out, "start", when);
	report_time(m, m->end_ns, when, sizeof(when));
	fact(out, "end", when);
	fprintf(out, "<tr><th>duration</th><td>%.3f s</td></tr>\n", ns_to_s(m->end_ns - m->start_ns));
	fprintf(out, "<tr><th>processes</th><td>%zu</td></tr>\n", engine_process_count(eng));
	fprintf(out, "<tr><th>events</th><td>%llu received, %llu lost</td></tr>\n",
		(unsigned long long)m->events_received, (unsigned long long)k[LS_STAT_LOST]);
	fprintf(out, "<tr><th>complete</th><td>%s</td></tr>\n",
		!k[LS_STAT_LOST] && !k[LS_STAT_JOIN_FULL] && !k[LS_STAT_FILTER_FULL] && !st->oom &&
		!st->bad_events ? "yes: every event the kernel saw reached the engine" :
		"no: some events were lost (the JSON report's observer says which)");
	fprintf(out, "<tr><th>findings</th><td>%zu (%zu errors, %zu warnings, %zu info); %llu "
		"suppressed</td></tr>\n</table>\n", fs->len, errors, warnings,
		fs->len - errors - warnings, (unsigned long long)m->suppressed);
}

/* "open_in_dir leaky.c:51 (leaky+0x13c4)", as the text summary names a frame */
static void frame(FILE *out, const struct stack_frame *f, const struct redactor *r)
{
	char fbuf[REDACT_VALUE_MAX], mbuf[REDACT_VALUE_MAX];
	const char *file = report_frame_file(r, f, fbuf, sizeof(fbuf));
	const char *mod = report_frame_module(r, f, mbuf, sizeof(mbuf));

	fputs("<li><span class=\"fn\">", out);
	esc_puts(out, ESC_HTML, f->function ? f->function : "???");
	fputs("</span> <span class=\"where\">", out);
	if (file) {
		esc_puts(out, ESC_HTML, file);
		fprintf(out, ":%u ", f->line);
	}
	if (mod) {
		fputc('(', out);
		esc_puts(out, ESC_HTML, mod);
		fprintf(out, "+0x%llx)", (unsigned long long)f->offset);
	} else {
		fprintf(out, "(0x%llx)", (unsigned long long)f->pc);
	}
	fprintf(out, "%s</span></li>\n", f->inlined ? " [inlined]" : "");
}

static void stack(FILE *out, const struct report_meta *m, uint32_t id, const char *what)
{
	const struct stack *st = stack_table_get(m->stacks, id);

	if (!st) {
		fprintf(out, "<p class=\"empty\">no %s stack</p>\n", what);
		return;
	}
	fprintf(out, "<details class=\"stack\" open><summary>%s stack (%u frame%s%s)</summary>"
		"<ol class=\"frames\">\n", what, st->nframes, st->nframes == 1 ? "" : "s",
		st->truncated ? ", truncated" : "");
	for (uint32_t i = 0; i < st->nframes && i < HTML_MAX_FRAMES; i++)
		frame(out, &st->frames[i], m->redact);
	fputs("</ol></details>\n", out);
}

/* What a finding is about, lsof-style for an fd (the graph's labels). */
static void resource(FILE *out, const struct findings *fs, const struct finding *fi,
		     const struct redactor *r)
{
	char head[128], name[LS_PATH_MAX + 128], id[LINK_ID_MAX];
	struct graph_node n = { .proc = fi->proc, .fd = fi->fd };
	const struct ls_cycle *c;

	if (fi->fd) {
		n.id = link_end_fd(fi->proc, fi->fd);
		n.ofd = fi->fd->ofd;
		graph_node_head(&n, head, sizeof(head));
		link_end_format(&n.id, id, sizeof(id));
		fprintf(out, "<code>%s</code><br>%s ", id, head);
		esc_write(out, ESC_HTML, name, graph_node_name(&n, r, name, sizeof(name)));
		return;
	}
	switch (fi->kind) {
	case FINDING_ZOMBIE:
		fprintf(out, "child pid %u ", fi->child->pid);
		esc_write(out, ESC_HTML, fi->child->comm, strnlen(fi->child->comm, LS_COMM_LEN));
		break;
	case FINDING_FD_MISUSE:
		fprintf(out, "fd %d (%s)", fi->misuse->fd, ls_misuse_name(fi->misuse->kind));
		break;
	case FINDING_GROWTH:
		fprintf(out, "%s: %u now", ls_growth_class_name(fi->growth->cls),
			fi->growth->open_now);
		break;
	case FINDING_CYCLE:
		c = &fs->cycles.v[fi->cycle];
		for (size_t i = 0; i < c->nmembers; i++) {
			link_end_format(&c->members[i], id, sizeof(id));
			fprintf(out, "%s<code>%s</code>", i ? " " : "", id);
		}
		break;
	default:
		break;
	}
}

static void finding_rows(FILE *out, const struct findings *fs, size_t i,
			 const struct report_meta *m)
{
	const struct finding *fi = &fs->v[i];
	char reason[REPORT_REASON_MAX];
	const char *sev = severity_name(fi->severity);

	fprintf(out, "<tr class=\"finding sev-%s\" id=\"finding-%zu\"><td>%zu</td>"
		"<td class=\"kind\">%s</td><td class=\"severity\">%s</td><td>%u ", sev, i + 1, i + 1,
		finding_kind_name(fi->kind), sev, fi->proc->pid);
	esc_write(out, ESC_HTML, fi->proc->comm, strnlen(fi->proc->comm, LS_COMM_LEN));
	fputs("</td><td class=\"resource\">", out);
	resource(out, fs, fi, m->redact);
	report_finding_reason(fs, fi, m, reason, sizeof(reason));
	fputs("</td><td class=\"reason\">", out);
	esc_puts(out, ESC_HTML, reason);
	fputs("</td></tr>\n", out);
	if (fi->fd) {
		fputs("<tr class=\"stack-row\"><td></td><td colspan=\"5\">", out);
		stack(out, m, fi->fd->stack_id, "allocation");
		fputs("</td></tr>\n", out);
	} else if (fi->kind == FINDING_FD_MISUSE) {
		fputs("<tr class=\"stack-row\"><td></td><td colspan=\"5\">", out);
		stack(out, m, fi->misuse->stack_id, "misuse");
		if (fi->misuse->close_stack_id)
			stack(out, m, fi->misuse->close_stack_id, "close");
		fputs("</td></tr>\n", out);
	}
}

static void findings_table(FILE *out, const struct findings *fs, const struct report_meta *m)
{
	size_t shown = fs->len < HTML_MAX_FINDINGS ? fs->len : HTML_MAX_FINDINGS;

	fprintf(out, "<h2 id=\"findings\">Findings (%zu)</h2>\n", fs->len);
	if (!fs->len) {
		fputs("<p class=\"empty\">No findings: nothing leaked.</p>\n", out);
		return;
	}
	if (shown < fs->len)
		fprintf(out, "<p class=\"note\">The first %zu of %zu findings; the JSON report has "
			"them all.</p>\n", shown, fs->len);
	fputs("<table class=\"findings\">\n<thead><tr><th>#</th><th>kind</th><th>severity</th>"
	      "<th>pid, comm</th><th>resource</th><th>why</th></tr></thead>\n<tbody>\n", out);
	for (size_t i = 0; i < shown; i++)
		finding_rows(out, fs, i, m);
	fputs("</tbody>\n</table>\n", out);
}

int report_write_html(FILE *out, const struct ls_engine *eng, const struct findings *fs,
		      const struct report_meta *m)
{
	char host[REDACT_VALUE_MAX];
	int err;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>leakscope report", out);
	if (m->host) {
		fputs(": ", out);
		esc_puts(out, ESC_HTML, report_host(m, host, sizeof(host)));
	}
	fprintf(out, ", %zu finding%s</title>\n<style>\n%s</style>\n</head>\n<body>\n"
		"<header>\n<h1>leakscope report</h1>\n", fs->len, fs->len == 1 ? "" : "s", style);
	facts(out, eng, fs, m);
	fputs("</header>\n<main>\n<h2 id=\"chart\">Open fds over time</h2>\n"
	      "<p>The processes that held the most, in steps of the engine's series: each step "
	      "is the lowest count in its interval, as the growth finding sees it.</p>\n", out);
	html_chart(out, eng, m);
	findings_table(out, fs, m);
	fputs("<h2 id=\"graph\">Links between resources</h2>\n<p>Each process is a column of "
	      "what it holds (open fds, or what it held at its exit); descriptions, which "
	      "processes share, have their own. A red border marks what a finding is about.</p>\n",
	      out);
	err = html_graph(out, eng, fs, m->redact);
	fputs("</main>\n<footer><p>leakscope ", out);
	esc_puts(out, ESC_HTML, m->version);
	fputs("; the JSON report (--json) has every field.</p></footer>\n</body>\n</html>\n", out);
	if (err)
		return err;
	return ferror(out) ? -EIO : 0;
}
