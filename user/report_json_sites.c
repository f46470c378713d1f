// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The JSON report's "sites": findings grouped by allocation stack. */
#include <errno.h>
#include <stdlib.h>

#include "report_json_internal.h"

static uint32_t finding_stack(const struct finding *fi)
{
	return fi->fd ? fi->fd->stack_id : 0;
}

static int by_site(const void *a, const void *b, void *ctx)
{
	const struct findings *fs = ctx;
	const struct finding *x = &fs->v[*(const size_t *)a], *y = &fs->v[*(const size_t *)b];
	uint32_t sx = finding_stack(x), sy = finding_stack(y);

	if (sx != sy)
		return sx < sy ? -1 : 1;
	if (x->proc->pid != y->proc->pid)
		return x->proc->pid < y->proc->pid ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* One site: idx[0..n) are its findings, sorted by pid. */
static void write_site(struct json_writer *w, const struct findings *fs, const size_t *idx,
		       size_t n, const struct report_meta *m)
{
	uint32_t id = finding_stack(&fs->v[idx[0]]);
	const struct stack_frame *f = stack_site_frame(stack_table_get(m->stacks, id));
	uint64_t by_kind[FINDING_KIND_MAX] = { 0 }, by_type[LS_RES_TYPE_MAX] = { 0 };
	char path[REDACT_VALUE_MAX];

	jw_start_object(w);
	jw_kv_uint(w, "stack_id", id);
	jw_kv_string(w, "function", f ? f->function : NULL);
	jw_kv_string(w, "file", f ? report_path(m->redact, f->file, path, sizeof(path)) : NULL);
	jw_key(w, "line");
	if (f && f->file)
		jw_uint(w, f->line);
	else
		jw_null(w);
	jw_key(w, "pids");
	jw_start_array(w);
	for (size_t i = 0; i < n; i++) {
		const struct finding *fi = &fs->v[idx[i]];
		unsigned int t = fi->fd->ofd->res_type;

		by_kind[fi->kind]++;
		by_type[t < LS_RES_TYPE_MAX ? t : LS_RES_UNKNOWN]++;
		if (!i || fs->v[idx[i - 1]].proc->pid != fi->proc->pid)
			jw_uint(w, fi->proc->pid);
	}
	jw_end_array(w);
	jw_kv_uint(w, "findings", n);
	write_by_kind(w, by_kind, false);
	write_by_type(w, by_type);
	jw_end_object(w);
}

/*
 * Findings grouped by allocation site, the way valgrind's leak summary is,
 * sites in order of their first finding. Returns 0 or -ENOMEM.
 */
int write_sites(struct json_writer *w, const struct findings *fs, const struct report_meta *m)
{
	size_t nstacks = stack_table_count(m->stacks), k = 0;
	size_t *idx = malloc((fs->len ? fs->len : 1) * sizeof(*idx));
	size_t *start = calloc(nstacks + 1, sizeof(*start)); /* by id: block start + 1 */

	if (!idx || !start) {
		free(idx);
		free(start);
		return -ENOMEM;
	}
	for (size_t i = 0; i < fs->len; i++) {
		uint32_t id = finding_stack(&fs->v[i]);

		if (id && id <= nstacks)
			idx[k++] = i;
	}
	qsort_r(idx, k, sizeof(*idx), by_site, (void *)fs);
	for (size_t i = k; i-- > 0;)
		start[finding_stack(&fs->v[idx[i]])] = i + 1;
	jw_key(w, "sites");
	jw_start_array(w);
	for (size_t i = 0; i < fs->len; i++) {
		uint32_t id = finding_stack(&fs->v[i]);
		size_t from, to;

		if (!id || id > nstacks || !start[id])
			continue;
		from = start[id] - 1;
		for (to = from; to < k && finding_stack(&fs->v[idx[to]]) == id; to++)
			;
		write_site(w, fs, idx + from, to - from, m);
		start[id] = 0; /* written */
	}
	jw_end_array(w);
	free(idx);
	free(start);
	return 0;
}

/* The group a finding about an fd is counted in. */
static bool by_group_same(const struct findings *fs, size_t a, size_t b)
{
	const struct finding *x = &fs->v[a], *y = &fs->v[b];

	return x->kind == y->kind && x->fd->ofd->res_type == y->fd->ofd->res_type &&
	       x->fd->syscall == y->fd->syscall && x->fd->stack_id == y->fd->stack_id;
}

static int by_group(const void *a, const void *b, void *ctx)
{
	const struct findings *fs = ctx;
	const struct finding *x = &fs->v[*(const size_t *)a], *y = &fs->v[*(const size_t *)b];

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->fd->ofd->res_type != y->fd->ofd->res_type)
		return x->fd->ofd->res_type < y->fd->ofd->res_type ? -1 : 1;
	if (x->fd->syscall != y->fd->syscall)
		return x->fd->syscall < y->fd->syscall ? -1 : 1;
	if (x->fd->stack_id != y->fd->stack_id)
		return x->fd->stack_id < y->fd->stack_id ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

long findings_listed(const struct findings *fs, bool **listed)
{
	size_t *idx = malloc((fs->len ? fs->len : 1) * sizeof(*idx)), k = 0;
	bool *out = malloc(fs->len ? fs->len : 1);
	long omitted = 0;

	*listed = NULL;
	if (!idx || !out) {
		free(idx);
		free(out);
		return -ENOMEM;
	}
	for (size_t i = 0; i < fs->len; i++) {
		out[i] = true;
		if (fs->v[i].fd)
			idx[k++] = i;
	}
	qsort_r(idx, k, sizeof(*idx), by_group, (void *)fs);
	/* within a group in finding order: the first ones are listed */
	for (size_t i = 0, run = 0; i < k; i++) {
		run = i && !by_group_same(fs, idx[i - 1], idx[i]) ? 0 : run;
		if (run++ >= REPORT_MAX_FINDINGS_PER_SITE) {
			out[idx[i]] = false;
			omitted++;
		}
	}
	free(idx);
	*listed = out;
	return omitted;
}
