// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The JSON report, schema leakscope.report/v1 (documented in README.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_writer.h"
#include "links.h"
#include "report.h"
#include "report_json_internal.h"

void kv_time_value(struct json_writer *w, const struct report_meta *m, uint64_t ns)
{
	char buf[40];

	report_time(m, ns, buf, sizeof(buf));
	jw_string(w, buf);
}

void kv_time(struct json_writer *w, const char *key, const struct report_meta *m,
		    uint64_t ns)
{
	jw_key(w, key);
	kv_time_value(w, m, ns);
}

/* argv bytes are NUL-separated; a truncated capture may end without one. */
/* One argument; redacted, each on its own, so the array keeps its length. */
static void write_arg(struct json_writer *w, const struct redactor *r, const char *arg,
		      size_t len)
{
	char buf[REDACT_VALUE_MAX];

	if (r)
		jw_string_len(w, buf, redact_value(r, REDACT_ARG, arg, len, buf, sizeof(buf)));
	else
		jw_string_len(w, arg, len);
}

static void write_argv(struct json_writer *w, const struct redactor *r, const char *args,
		       size_t len)
{
	size_t start = 0;

	jw_start_array(w);
	for (size_t i = 0; i < len; i++) {
		if (args[i])
			continue;
		write_arg(w, r, args + start, i - start);
		start = i + 1;
	}
	if (start < len)
		write_arg(w, r, args + start, len - start);
	jw_end_array(w);
}

/* A count or a limit; 0 is not known, LS_RLIM_INFINITY is none: both null. */
static void kv_limit(struct json_writer *w, const char *key, uint64_t v)
{
	if (!v || v == LS_RLIM_INFINITY) {
		jw_key(w, key);
		jw_null(w);
		return;
	}
	jw_kv_uint(w, key, v);
}

static void write_host_limits(struct json_writer *w, const struct ls_machine_limits *h)
{
	jw_key(w, "host_limits");
	if (!h->known) {
		jw_null(w);
		return;
	}
	jw_start_object(w);
	kv_limit(w, "threads_max", h->threads_max);
	kv_limit(w, "max_map_count", h->max_map_count);
	kv_limit(w, "nr_open", h->nr_open);
	jw_end_object(w);
}

static void write_observer(struct json_writer *w, const struct ls_engine *eng,
			   const struct report_meta *m)
{
	const struct ls_engine_stats *st = engine_stats(eng);
	const uint64_t *k = m->kernel_stats;
	char host[REDACT_VALUE_MAX];

	jw_key(w, "observer");
	jw_start_object(w);
	jw_kv_string(w, "version", m->version);
	jw_kv_string(w, "kernel", m->kernel);
	jw_kv_string(w, "host", report_host(m, host, sizeof(host)));
	jw_kv_string(w, "mode", m->mode);
	jw_kv_bool(w, "replayed", m->replayed);
	/* whether the paths, argv and endpoints below are hashes, and whose */
	jw_kv_bool(w, "redacted", m->redact != NULL);
	jw_kv_bool(w, "redaction_keyed", redactor_keyed(m->redact));
	jw_key(w, "command");
	jw_start_array(w);
	for (char *const *a = m->command; a && *a; a++)
		write_arg(w, m->redact, *a, strlen(*a));
	jw_end_array(w);
	kv_time(w, "start", m, m->start_ns);
	kv_time(w, "end", m, m->end_ns);
	jw_kv_double(w, "duration_s", ns_to_s(m->end_ns - m->start_ns));
	jw_kv_bool(w, "track_inherited", m->track_inherited);
	jw_key(w, "events");
	jw_start_object(w);
	jw_kv_uint(w, "received", m->events_received);
	jw_kv_uint(w, "submitted", k[LS_STAT_EVENTS]);
	jw_kv_uint(w, "lost", k[LS_STAT_LOST]);
	jw_kv_uint(w, "unjoined", k[LS_STAT_JOIN_FULL]);
	jw_kv_uint(w, "filter_full", k[LS_STAT_FILTER_FULL]);
	jw_kv_uint(w, "path_busy", k[LS_STAT_PATH_BUSY]);
	jw_kv_uint(w, "stacks_skipped", k[LS_STAT_STACK_SKIPPED]);
	jw_end_object(w);
	jw_key(w, "engine");
	jw_start_object(w);
	jw_kv_uint(w, "events", st->events);
	jw_kv_uint(w, "bad_events", st->bad_events);
	jw_kv_uint(w, "unknown_fd", st->unknown_fd);
	jw_kv_uint(w, "unknown_process", st->unknown_process);
	jw_kv_uint(w, "fd_replaced", st->fd_replaced);
	jw_kv_uint(w, "unknown_socket", st->unknown_socket);
	jw_kv_uint(w, "unknown_mapping", st->unknown_mapping);
	jw_kv_uint(w, "oom", st->oom);
	jw_kv_uint(w, "scm_unfollowed", st->scm_unfollowed);
	jw_end_object(w);
	write_host_limits(w, engine_host_limits(eng));
	/* complete: every event the kernel saw reached the engine intact */
	jw_kv_bool(w, "complete", !k[LS_STAT_LOST] && !k[LS_STAT_JOIN_FULL] &&
				  !k[LS_STAT_FILTER_FULL] && !st->oom && !st->bad_events);
	jw_end_object(w);
}

static void write_counts(struct json_writer *w, const struct ls_process *p)
{
	jw_key(w, "counts");
	jw_start_object(w);
	for (unsigned int t = 0; t < LS_RES_TYPE_MAX; t++) {
		const struct ls_type_counts *c = &p->counts[t];

		if (!c->created && !c->released && !c->at_exit && !c->open)
			continue;
		jw_key(w, ls_res_type_name(t));
		jw_start_object(w);
		jw_kv_uint(w, "created", c->created);
		jw_kv_uint(w, "released", c->released);
		jw_kv_uint(w, "released_at_exit", c->at_exit);
		jw_kv_uint(w, "open", c->open);
		jw_end_object(w);
	}
	jw_end_object(w);
}

/* Endpoints, TCP state and the unix peer's description, where known. */
static void write_socket_state(struct json_writer *w, const struct ls_engine *eng,
			       const struct ls_ofd *o, const struct redactor *r)
{
	const struct ls_ofd_ext *x = ls_ofd_ext(o);
	char ep[64];

	if (report_endpoint(&x->local, r, ep, sizeof(ep)))
		jw_kv_string(w, "local", ep);
	if (report_endpoint(&x->remote, r, ep, sizeof(ep)) && x->remote.port)
		jw_kv_string(w, "remote", ep);
	if (x->tcp_state)
		jw_kv_string(w, "state", ls_tcp_state_name(x->tcp_state));
	(void)eng;
	if (x->peer_id)
		jw_kv_uint(w, "peer_description", x->peer_id);
}

static void kv_id(struct json_writer *w, const struct link_end *e)
{
	char id[LINK_ID_MAX];

	link_end_format(e, id, sizeof(id));
	jw_kv_string(w, "id", id);
}

/* p: whose fd it is (for its id); created: also say when it was created (open
 * fds have no finding to say it) */
static void write_resource_object(struct json_writer *w, const struct ls_engine *eng,
				  const struct ls_process *p, const struct ls_fd *f,
				  const struct report_meta *m, bool created)
{
	const struct ls_ofd *o = f->ofd;
	const struct ls_ofd_ext *x = ls_ofd_ext(o);
	const struct ls_ofd_state *st = ls_ofd_state(o);
	char name[LS_PATH_MAX + 64], flags[160], dev[32];
	size_t n = report_resource_name(f, m->redact, name, sizeof(name));
	const char *s;

	jw_start_object(w);
	kv_id(w, &(struct link_end){ .type = LINK_END_FD, .pid = p->pid, .serial = p->serial,
				     .fd = f->fd, .generation = f->generation });
	jw_kv_string(w, "type", ls_res_type_name(o->res_type));
	jw_kv_int(w, "fd", f->fd);
	jw_kv_uint(w, "generation", f->generation);
	if (n)
		jw_kv_string_len(w, "path", name, n);
	else {
		jw_key(w, "path");
		jw_null(w);
	}
	jw_kv_bool(w, "path_truncated", o->file->path_truncated);
	report_flags(f, flags, sizeof(flags));
	jw_kv_string(w, "flags", flags);
	jw_kv_string(w, "syscall", ls_syscall_name(f->syscall));
	if (f->src_fd >= 0)
		jw_kv_int(w, "dup_of", f->src_fd);
	snprintf(dev, sizeof(dev), "%u:%u", o->file->dev >> 20, o->file->dev & 0xfffff);
	jw_kv_string(w, "dev", dev);
	jw_kv_uint(w, "inode", o->file->ino);
	jw_kv_uint(w, "description", o->id);
	if (o->res_type == LS_RES_SOCKET) {
		jw_key(w, "socket");
		jw_start_object(w);
		s = report_family_name(x->sock_family);
		if (s)
			jw_kv_string(w, "family", s);
		else
			jw_kv_uint(w, "family", x->sock_family);
		s = report_socktype_name(x->sock_type);
		if (s)
			jw_kv_string(w, "type", s);
		else
			jw_kv_uint(w, "type", x->sock_type);
		jw_kv_uint(w, "protocol", x->sock_protocol);
		write_socket_state(w, eng, o, m->redact);
		jw_end_object(w);
	}
	/* known only for files still open in a live process at report time */
	if (o->res_type == LS_RES_FILE || o->res_type == LS_RES_MEMFD) {
		jw_key(w, "deleted");
		if (st->state_known)
			jw_bool(w, st->deleted);
		else
			jw_null(w);
		if (st->state_known && st->deleted)
			jw_kv_uint(w, "deleted_bytes_held", st->size);
	}
	if (x->watches_cap) {
		jw_key(w, "epoll_watches");
		jw_start_array(w);
		for (size_t i = 0; i < x->nwatches; i++) {
			jw_start_object(w);
			jw_kv_int(w, "fd", x->watches[i].fd);
			jw_kv_uint(w, "description", x->watches[i].ofd_id);
			jw_end_object(w);
		}
		jw_end_array(w);
	}
	jw_kv_bool(w, "inherited", f->inherited);
	jw_kv_bool(w, "before_attach", f->before_attach);
	/* uses since it was created (or since attach), counted in the kernel */
	if (f->use) {
		jw_kv_uint(w, "accesses", f->use->accesses);
		if (f->use->last_access_ns) {
			kv_time(w, "last_access", m, f->use->last_access_ns);
		} else {
			jw_key(w, "last_access");
			jw_null(w);
		}
	}
	if (created)
		kv_time(w, "created", m, f->created_ns);
	jw_end_object(w);
}

void write_resource(struct json_writer *w, const struct ls_engine *eng,
			   const struct ls_process *p, const struct ls_fd *f,
			   const struct report_meta *m)
{
	jw_key(w, "resource");
	write_resource_object(w, eng, p, f, m, false);
}

struct open_fds_ctx {
	struct json_writer *w;
	const struct ls_engine *eng;
	const struct report_meta *m;
};

static int write_open_fd(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	struct open_fds_ctx *c = ctx;

	write_resource_object(c->w, c->eng, p, f, c->m, true);
	return 0;
}

#define MAX_LISTED_MAPPINGS 256

static void write_mappings(struct json_writer *w, const struct ls_process *p,
			   const struct report_meta *m)
{
	uint64_t anon, file;
	size_t listed = 0;
	char name[REDACT_VALUE_MAX];

	jw_key(w, "mappings");
	jw_start_object(w);
	jw_kv_uint(w, "created", p->maps_created);
	jw_kv_uint(w, "released", p->maps_released);
	if (p->exited) {
		jw_kv_uint(w, "released_at_exit", p->maps_at_exit);
		jw_kv_uint(w, "anon_bytes_at_exit", p->anon_bytes_at_exit);
		jw_kv_uint(w, "file_bytes_at_exit", p->file_bytes_at_exit);
	} else {
		vma_bytes(&p->vmas, &anon, &file);
		jw_kv_uint(w, "live", p->vmas.len);
		jw_kv_uint(w, "anon_bytes", anon);
		jw_kv_uint(w, "file_bytes", file);
	}
	if (p->brk_now >= p->brk_first)
		jw_kv_uint(w, "heap_growth_bytes", p->brk_now - p->brk_first);
	/* file mappings of a live process: what keeps files alive past their fds */
	if (!p->exited) {
		jw_key(w, "files");
		jw_start_array(w);
		for (size_t i = 0; i < p->vmas.len && listed < MAX_LISTED_MAPPINGS; i++) {
			const struct ls_vma *v = &p->vmas.v[i];
			char range[48], perm[5];

			if (!v->path)
				continue;
			listed++;
			snprintf(range, sizeof(range), "%llx-%llx", (unsigned long long)v->start,
				 (unsigned long long)v->end);
			snprintf(perm, sizeof(perm), "%c%c%c%c", v->prot & LS_PROT_READ ? 'r' : '-',
				 v->prot & LS_PROT_WRITE ? 'w' : '-', v->prot & LS_PROT_EXEC ? 'x' : '-',
				 v->flags & LS_MAP_SHARED ? 's' : 'p');
			jw_start_object(w);
			kv_id(w, &(struct link_end){ .type = LINK_END_MAP, .pid = p->pid,
						     .serial = p->serial, .addr = v->start });
			jw_kv_string(w, "range", range);
			jw_kv_uint(w, "bytes", v->end - v->start);
			jw_kv_string(w, "perms", perm);
			jw_kv_string(w, "path", report_path(m->redact, v->path, name,
							    sizeof(name)));
			jw_kv_uint(w, "inode", v->ino);
			jw_kv_bool(w, "before_attach", v->before_attach);
			kv_time(w, "created", m, v->created_ns);
			jw_end_object(w);
		}
		jw_end_array(w);
		jw_kv_bool(w, "files_truncated", listed == MAX_LISTED_MAPPINGS);
	}
	jw_end_object(w);
}

/* zombies: the (few) zombie processes, gathered once per report */
static void write_zombie_children(struct json_writer *w, const struct ls_process *p,
				  const struct ls_process *const *zombies, size_t nzombies)
{
	jw_key(w, "zombie_children");
	jw_start_array(w);
	for (size_t i = 0; i < nzombies; i++)
		if (zombies[i]->parent_serial == p->serial)
			jw_uint(w, zombies[i]->pid);
	jw_end_array(w);
}

static void write_rlimit_nofile(struct json_writer *w, const struct ls_rlimit *r)
{
	jw_key(w, "rlimit_nofile");
	if (!r->known) {
		jw_null(w);
		return;
	}
	jw_start_object(w);
	kv_limit(w, "soft", r->cur);
	kv_limit(w, "hard", r->max);
	jw_kv_string(w, "from", ls_syscall_name(r->syscall));
	jw_key(w, "set_by");
	if (r->setter)
		jw_uint(w, r->setter);
	else
		jw_null(w);
	jw_end_object(w);
}

static void write_process(struct json_writer *w, const struct ls_engine *eng,
			  const struct ls_process *p, const struct report_meta *m,
			  const struct ls_process *const *zombies, size_t nzombies)
{
	struct open_fds_ctx ofc = { .w = w, .eng = eng, .m = m };
	char name[REDACT_VALUE_MAX];

	jw_start_object(w);
	kv_id(w, &(struct link_end){ .type = LINK_END_PROC, .pid = p->pid, .serial = p->serial });
	jw_kv_uint(w, "pid", p->pid);
	jw_kv_uint(w, "ppid", p->ppid);
	jw_kv_string(w, "comm", p->comm);
	jw_key(w, "argv");
	if (p->args)
		write_argv(w, m->redact, p->args, p->args_len);
	else
		jw_null(w);
	jw_kv_bool(w, "argv_truncated", p->args_truncated);
	jw_kv_string(w, "exe", report_path(m->redact, p->exe, name, sizeof(name)));
	kv_time(w, "start", m, p->start_ns);
	jw_kv_bool(w, "exited", p->exited);
	if (p->exited) {
		kv_time(w, "exit", m, p->exit_ns);
		jw_kv_double(w, "lifetime_s", ns_to_s(p->exit_ns - p->start_ns));
		if (p->exit_code & 0x7f) {
			jw_key(w, "exit_code");
			jw_null(w);
			jw_kv_uint(w, "exit_signal", p->exit_code & 0x7f);
		} else {
			jw_kv_uint(w, "exit_code", (p->exit_code >> 8) & 0xff);
			jw_key(w, "exit_signal");
			jw_null(w);
		}
	}
	if (p->exited)
		jw_kv_bool(w, "reaped", p->reaped);
	jw_kv_bool(w, "started_by_leakscope", p->started_by_us);
	/* false: it ran while the kernel side lost records (ring full) */
	jw_kv_bool(w, "complete", !p->maybe_incomplete);
	jw_kv_uint(w, "threads_created", p->threads_created);
	jw_kv_uint(w, "threads_live", p->threads_live);
	write_zombie_children(w, p, zombies, nzombies);
	jw_kv_uint(w, "execs", p->execs);
	write_rlimit_nofile(w, &p->nofile);
	write_counts(w, p);
	write_mappings(w, p, m);
	/* what a live process holds now, lsof-style; before_attach marks the old */
	if (!p->exited) {
		jw_key(w, "open_fds");
		jw_start_array(w);
		engine_visit_open_fds(eng, p, write_open_fd, &ofc);
		jw_end_array(w);
	}
	jw_end_object(w);
}

/* "by_kind": {...}; all kinds, or only those seen */
void write_by_kind(struct json_writer *w, const uint64_t n[FINDING_KIND_MAX], bool all)
{
	jw_key(w, "by_kind");
	jw_start_object(w);
	for (unsigned int k = 0; k < FINDING_KIND_MAX; k++)
		if (all || n[k])
			jw_kv_uint(w, finding_kind_name(k), n[k]);
	jw_end_object(w);
}

/* "by_type": {...}, the types seen */
void write_by_type(struct json_writer *w, const uint64_t n[LS_RES_TYPE_MAX])
{
	jw_key(w, "by_type");
	jw_start_object(w);
	for (unsigned int t = 0; t < LS_RES_TYPE_MAX; t++)
		if (n[t])
			jw_kv_uint(w, ls_res_type_name(t), n[t]);
	jw_end_object(w);
}

/* Exited processes folded into counts (--max-exited): what they leave. */
static void write_forgotten(struct json_writer *w, const struct ls_forgotten *f)
{
	jw_key(w, "forgotten");
	jw_start_object(w);
	jw_kv_uint(w, "processes", f->processes);
	write_by_type(w, f->released_at_exit);
	jw_kv_uint(w, "misuses", f->misuses);
	jw_end_object(w);
}

static void write_summary(struct json_writer *w, const struct ls_engine *eng,
			  const struct findings *fs, const struct report_meta *m,
			  const struct link_set *links)
{
	uint64_t by_type[LS_RES_TYPE_MAX] = { 0 }, by_kind[FINDING_KIND_MAX] = { 0 };

	jw_key(w, "summary");
	jw_start_object(w);
	jw_kv_uint(w, "processes", engine_process_count(eng));
	jw_kv_uint(w, "findings", fs->len);
	jw_kv_uint(w, "suppressed", m->suppressed);
	jw_key(w, "suppressions");
	jw_start_array(w);
	for (size_t i = 0; m->suppressions && i < m->suppressions->len; i++) {
		const struct suppression *p = &m->suppressions->v[i];

		jw_start_object(w);
		jw_kv_string(w, "name", p->name);
		jw_kv_uint(w, "line", p->line);
		jw_kv_uint(w, "hits", p->hits);
		jw_end_object(w);
	}
	jw_end_array(w);
	for (size_t i = 0; i < fs->len; i++) {
		unsigned int t;

		by_kind[fs->v[i].kind]++;
		if (!fs->v[i].fd)
			continue;
		t = fs->v[i].fd->ofd->res_type;
		by_type[t < LS_RES_TYPE_MAX ? t : LS_RES_UNKNOWN]++;
	}
	write_by_kind(w, by_kind, true);
	write_by_type(w, by_type);
	/* links found, listed or not */
	jw_key(w, "links");
	jw_start_object(w);
	for (unsigned int k = 0; k < LINK_KIND_MAX; k++)
		jw_kv_uint(w, link_kind_name(k), links->by_kind[k]);
	jw_end_object(w);
	jw_kv_uint(w, "cycles", fs->cycles.len);
	write_forgotten(w, engine_forgotten(eng));
	jw_end_object(w);
}

int report_write_json(FILE *out, const struct ls_engine *eng, const struct findings *fs,
		      const struct report_meta *m)
{
	struct json_writer *w = jw_new(out, true);
	size_t nproc = engine_process_count(eng), nzombies = 0;
	const struct ls_process **zombies = calloc(nproc ? nproc : 1, sizeof(*zombies));
	struct links_opts lo = { .max = REPORT_MAX_LINKS };
	struct link_set links;
	bool *listed = NULL;
	long omitted = findings_listed(fs, &listed);
	int err;

	if (!w || !zombies || omitted < 0 || links_build(eng, &lo, &links)) {
		jw_free(w);
		free(zombies);
		free(listed);
		return -ENOMEM;
	}
	for (size_t i = 0; i < nproc; i++)
		if (finding_is_zombie(engine_process_at(eng, i), m->end_ns))
			zombies[nzombies++] = engine_process_at(eng, i);
	jw_start_object(w);
	jw_kv_string(w, "schema", REPORT_SCHEMA);
	write_observer(w, eng, m);
	jw_key(w, "processes");
	jw_start_array(w);
	for (size_t i = 0; i < nproc; i++)
		write_process(w, eng, engine_process_at(eng, i), m, zombies, nzombies);
	jw_end_array(w);
	jw_key(w, "findings");
	jw_start_array(w);
	for (size_t i = 0; i < fs->len; i++)
		if (listed[i])
			write_finding(w, eng, fs, i + 1, &fs->v[i], m);
	jw_end_array(w);
	jw_kv_uint(w, "findings_omitted", (uint64_t)omitted);
	free(listed);
	err = write_sites(w, fs, m);
	if (err) {
		jw_free(w);
		free(zombies);
		links_free(&links);
		return err;
	}
	report_json_links(w, &links, m);
	report_json_cycles(w, fs, m);
	write_summary(w, eng, fs, m, &links);
	jw_end_object(w);
	err = jw_finish(w);
	jw_free(w);
	free(zombies);
	links_free(&links);
	return err;
}
