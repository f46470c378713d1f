// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The links and cycles of the JSON report, and what a cycle finding says. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json_writer.h"
#include "links.h"
#include "report.h"

static void kv_end(struct json_writer *w, const char *key, const struct link_end *e)
{
	char id[LINK_ID_MAX];

	link_end_format(e, id, sizeof(id));
	jw_kv_string(w, key, id);
}

static void write_link(struct json_writer *w, const struct ls_link *l, const struct report_meta *m)
{
	char when[40];

	jw_start_object(w);
	kv_end(w, "from", &l->from);
	kv_end(w, "to", &l->to);
	jw_kv_string(w, "kind", link_kind_name(l->kind));
	switch (l->kind) {
	case LINK_SCM_RIGHTS:
		if (l->socket)
			kv_end(w, "socket", &(struct link_end){ .type = LINK_END_DESC,
								.desc = l->socket });
		break;
	case LINK_IN_FLIGHT:
		jw_kv_uint(w, "count", l->count);
		kv_end(w, "sent_by", &l->sender);
		report_time(m, l->ns, when, sizeof(when));
		jw_kv_string(w, "sent", when);
		break;
	case LINK_THREAD_OF:
		jw_kv_uint(w, "count", l->count);
		jw_kv_uint(w, "created", l->created);
		break;
	default:
		break;
	}
	jw_end_object(w);
}

void report_json_links(struct json_writer *w, const struct link_set *s,
		       const struct report_meta *m)
{
	jw_key(w, "links");
	jw_start_array(w);
	for (size_t i = 0; i < s->len; i++)
		write_link(w, &s->v[i], m);
	jw_end_array(w);
	jw_kv_uint(w, "links_omitted", s->omitted);
}

static void write_members(struct json_writer *w, const struct ls_cycle *c)
{
	jw_key(w, "resources");
	jw_start_array(w);
	for (size_t i = 0; i < c->nmembers; i++) {
		char id[LINK_ID_MAX];

		link_end_format(&c->members[i], id, sizeof(id));
		jw_string(w, id);
	}
	jw_end_array(w);
}

void report_json_cycles(struct json_writer *w, const struct findings *fs,
			const struct report_meta *m)
{
	jw_key(w, "cycles");
	jw_start_array(w);
	for (size_t i = 0; i < fs->cycles.len; i++) {
		const struct ls_cycle *c = &fs->cycles.v[i];
		bool seen[LINK_KIND_MAX] = { false };

		jw_start_object(w);
		jw_kv_uint(w, "id", i + 1);
		write_members(w, c);
		for (size_t j = 0; j < c->nlinks; j++)
			seen[c->links[j].kind] = true;
		jw_key(w, "kinds");
		jw_start_array(w);
		for (unsigned int k = 0; k < LINK_KIND_MAX; k++)
			if (seen[k])
				jw_string(w, link_kind_name(k));
		jw_end_array(w);
		jw_key(w, "links");
		jw_start_array(w);
		for (size_t j = 0; j < c->nlinks; j++)
			write_link(w, &c->links[j], m);
		jw_end_array(w);
		jw_kv_uint(w, "held_by_fds", c->held_by_fds);
		jw_end_object(w);
	}
	jw_end_array(w);
}

#define REASON_IDS 8 /* members named in a sentence; the cycle lists them all */

size_t report_cycle_reason(const struct ls_cycle *c, char *buf, size_t len)
{
	char ids[REASON_IDS * LINK_ID_MAX + 16] = "";
	size_t used = 0;
	int n;

	for (size_t i = 0; i < c->nmembers && i < REASON_IDS; i++) {
		used += link_end_format(&c->members[i], ids + used, sizeof(ids) - used);
		if (i + 1 < c->nmembers && used + 1 < sizeof(ids))
			ids[used++] = ' ';
		ids[used] = '\0';
	}
	if (c->nmembers > REASON_IDS)
		snprintf(ids + used, sizeof(ids) - used, "...");
	if (c->held_by_fds)
		n = snprintf(buf, len, "%zu description%s (%s) keep%s each other alive in flight "
			     "(SCM_RIGHTS), still held by %" PRIu64 " fd%s: once %s closed, only "
			     "the kernel's unix garbage collector can free them; the last send "
			     "was by pid %u", c->nmembers, c->nmembers == 1 ? "" : "s", ids,
			     c->nmembers == 1 ? "s" : "", c->held_by_fds,
			     c->held_by_fds == 1 ? "" : "s", c->held_by_fds == 1 ? "it is" : "they are",
			     c->closed_by ? c->closed_by->pid : 0);
	else
		n = snprintf(buf, len, "%zu description%s (%s) keep%s each other alive in flight "
			     "(SCM_RIGHTS) and no fd holds any of them: nothing can receive them "
			     "and only the kernel's unix garbage collector can free them; the last "
			     "send was by pid %u", c->nmembers, c->nmembers == 1 ? "" : "s", ids,
			     c->nmembers == 1 ? "s" : "", c->closed_by ? c->closed_by->pid : 0);
	if (n < 0 || !len)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

void report_json_cycle_finding(struct json_writer *w, const struct findings *fs,
			       const struct finding *fi)
{
	const struct ls_cycle *c = &fs->cycles.v[fi->cycle];
	char reason[REASON_IDS * LINK_ID_MAX + 512];

	jw_kv_uint(w, "cycle", fi->cycle + 1);
	write_members(w, c);
	jw_kv_uint(w, "held_by_fds", c->held_by_fds);
	report_cycle_reason(c, reason, sizeof(reason));
	jw_key(w, "reasons");
	jw_start_array(w);
	jw_string(w, reason);
	jw_end_array(w);
}
