// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* One finding of the JSON report, by kind, with its stacks. */
#include <stdio.h>
#include <string.h>

#include "report_json_internal.h"

/* A stack: innermost frame first. null: none was taken. */
static void write_stack_value(struct json_writer *w, const struct report_meta *m, uint32_t id)
{
	const struct stack *st = stack_table_get(m->stacks, id);
	char buf[32], path[REDACT_VALUE_MAX];

	if (!st) {
		jw_null(w);
		return;
	}
	jw_start_object(w);
	jw_kv_uint(w, "id", st->id);
	jw_kv_bool(w, "truncated", st->truncated);
	jw_key(w, "frames");
	jw_start_array(w);
	for (uint32_t i = 0; i < st->nframes; i++) {
		const struct stack_frame *f = &st->frames[i];

		jw_start_object(w);
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)f->pc);
		jw_kv_string(w, "pc", buf);
		jw_kv_string(w, "function", f->function);
		jw_kv_string(w, "file", report_path(m->redact, f->file, path, sizeof(path)));
		if (f->file)
			jw_kv_uint(w, "line", f->line);
		else {
			jw_key(w, "line");
			jw_null(w);
		}
		jw_kv_bool(w, "inlined", f->inlined);
		jw_kv_string(w, "module", report_path(m->redact, f->module, path, sizeof(path)));
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)f->offset);
		jw_kv_string(w, "module_offset", buf);
		jw_end_object(w);
	}
	jw_end_array(w);
	jw_end_object(w);
}

static void write_stack(struct json_writer *w, const struct report_meta *m, uint32_t id)
{
	jw_key(w, "stack");
	write_stack_value(w, m, id);
}

static void write_fd_finding(struct json_writer *w, const struct ls_engine *eng,
			     const struct finding *fi, const struct report_meta *m)
{
	const struct ls_fd *f = fi->fd;
	bool open = f->release == LS_REL_OPEN;
	char reason[REPORT_REASON_MAX];

	jw_kv_uint(w, "tid", f->tid);
	write_resource(w, eng, fi->proc, f, m);
	kv_time(w, "created", m, f->created_ns);
	if (open) {
		jw_key(w, "released");
		jw_null(w); /* still open when the report was written */
	} else {
		kv_time(w, "released", m, f->released_ns);
	}
	jw_kv_double(w, "lifetime_s", ns_to_s(report_fd_lifetime(fi, m)));
	if (fi->kind == FINDING_CLOSE_WAIT)
		jw_kv_double(w, "close_wait_s", ns_to_s(fi->duration_ns));
	if (fi->kind == FINDING_OLD_IDLE)
		jw_kv_double(w, "idle_s", ns_to_s(fi->duration_ns));
	jw_key(w, "reasons");
	jw_start_array(w);
	report_finding_reason(NULL, fi, m, reason, sizeof(reason));
	jw_string(w, reason);
	jw_end_array(w);
	write_stack(w, m, f->stack_id);
}

static void write_zombie_finding(struct json_writer *w, const struct finding *fi,
				 const struct report_meta *m)
{
	const struct ls_process *c = fi->child;
	char reason[REPORT_REASON_MAX];

	jw_key(w, "child");
	jw_start_object(w);
	jw_kv_uint(w, "pid", c->pid);
	jw_kv_string(w, "comm", c->comm);
	kv_time(w, "exit", m, c->exit_ns);
	jw_end_object(w);
	jw_kv_double(w, "unreaped_s", ns_to_s(fi->duration_ns));
	report_finding_reason(NULL, fi, m, reason, sizeof(reason));
	jw_key(w, "reasons");
	jw_start_array(w);
	jw_string(w, reason);
	jw_end_array(w);
}

static void write_misuse_finding(struct json_writer *w, const struct finding *fi,
				 const struct report_meta *m)
{
	const struct ls_misuse *u = fi->misuse;
	char reason[REPORT_REASON_MAX];

	jw_kv_string(w, "misuse", ls_misuse_name(u->kind));
	jw_kv_uint(w, "tid", u->tid);
	jw_kv_int(w, "fd", u->fd);
	jw_kv_string(w, "syscall", ls_syscall_name(u->syscall));
	jw_kv_uint(w, "count", u->count);
	kv_time(w, "first", m, u->first_ns);
	kv_time(w, "last", m, u->last_ns);
	if (u->closed_ns) {
		kv_time(w, "closed", m, u->closed_ns);
	} else {
		jw_key(w, "closed");
		jw_null(w);
	}
	report_finding_reason(NULL, fi, m, reason, sizeof(reason));
	jw_key(w, "reasons");
	jw_start_array(w);
	jw_string(w, reason);
	jw_end_array(w);
	write_stack(w, m, u->stack_id);
	jw_key(w, "close_stack");
	if (u->close_stack_id)
		write_stack_value(w, m, u->close_stack_id);
	else
		jw_null(w);
}

/* growth: the class, the trend, the limit and when it is reached */
static void write_growth_finding(struct json_writer *w, const struct finding *fi,
				 const struct report_meta *m)
{
	const struct growth_detail *g = fi->growth;
	char reason[REPORT_REASON_MAX];

	jw_kv_string(w, "class", ls_growth_class_name(g->cls));
	jw_kv_uint(w, "open_now", g->open_now);
	jw_kv_int(w, "net_increase", (int64_t)g->last - (int64_t)g->first);
	jw_kv_double(w, "slope_per_s", g->slope_per_s);
	jw_kv_double(w, "window_s", ns_to_s(g->window_ns));
	jw_kv_uint(w, "points", g->points);
	jw_kv_double(w, "rank_correlation", g->tau);
	jw_kv_string(w, "limit_name", g->limit_name);
	jw_key(w, "limit");
	if (g->limit)
		jw_uint(w, g->limit);
	else
		jw_null(w);
	jw_key(w, "exhaustion_s");
	if (g->exhaustion_s >= 0)
		jw_double(w, g->exhaustion_s);
	else
		jw_null(w);
	jw_key(w, "exhaustion_at");
	if (g->exhaustion_s >= 0 && g->exhaustion_s < 1e9)
		kv_time_value(w, m, m->end_ns + (uint64_t)(g->exhaustion_s * 1e9));
	else
		jw_null(w);
	if (g->cls == LS_CLASS_FDS) {
		jw_key(w, "by_type");
		jw_start_array(w);
		for (size_t i = 0; i < g->ntypes; i++) {
			jw_start_object(w);
			jw_kv_string(w, "type", ls_res_type_name(g->by_type[i].type));
			jw_kv_uint(w, "open_now", g->by_type[i].open_now);
			jw_kv_int(w, "net_increase", g->by_type[i].increase);
			jw_kv_double(w, "slope_per_s", g->by_type[i].slope_per_s);
			jw_end_object(w);
		}
		jw_end_array(w);
	}
	report_finding_reason(NULL, fi, m, reason, sizeof(reason));
	jw_key(w, "reasons");
	jw_start_array(w);
	jw_string(w, reason);
	jw_end_array(w);
}

void write_finding(struct json_writer *w, const struct ls_engine *eng,
			  const struct findings *fs, size_t id, const struct finding *fi,
			  const struct report_meta *m)
{
	jw_start_object(w);
	jw_kv_uint(w, "id", id);
	jw_kv_string(w, "kind", finding_kind_name(fi->kind));
	jw_kv_string(w, "severity", severity_name(fi->severity));
	jw_kv_uint(w, "pid", fi->proc->pid);
	jw_kv_string(w, "comm", fi->proc->comm);
	if (fi->fd)
		write_fd_finding(w, eng, fi, m);
	else if (fi->kind == FINDING_ZOMBIE)
		write_zombie_finding(w, fi, m);
	else if (fi->kind == FINDING_FD_MISUSE)
		write_misuse_finding(w, fi, m);
	else if (fi->kind == FINDING_CYCLE)
		report_json_cycle_finding(w, fs, fi);
	else if (fi->kind == FINDING_GROWTH)
		write_growth_finding(w, fi, m);
	jw_end_object(w);
}
