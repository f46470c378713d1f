// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * leakscope -- CMD: trace every fd CMD and its children create and release,
 * and report the ones never closed.
 *
 * open → configure → load → attach → run → drain → report, with one cleanup
 * path. The engine sees only events; what this file learns outside the ring
 * buffer (the command it started, the fds it inherited) is handed over as
 * events too.
 */
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "attach.h"
#include "cli.h"
#include "engine.h"
#include "findings.h"
#include "launch.h"
#include "report.h"
#include "snapshot.h"
#include "stack_table.h"
#include "suppress.h"
#include "symbolize.h"
#include "trace.h"
#include "unwind.h"

#define DRAIN_PERIOD_MS 10
#define SUPPRESSIONS_MAX_BYTES (1 << 20)

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t stop_count;

struct session {
	struct ls_engine *eng;
	struct unwinder *unwinder;  /* NULL: --stack-bytes 0 */
	struct stack_table *stacks;
	struct suppressions supp;
	uint64_t received;
	size_t identified; /* processes before this index have been looked at */
};

static void on_stop_signal(int sig)
{
	stop_signal = sig;
	stop_count++;
}

/* Only there to interrupt the wait for events when the child exits. */
static void on_sigchld(int sig)
{
	(void)sig;
}

static int install_signals(void)
{
	struct sigaction sa = { 0 };

	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop_signal;
	if (sigaction(SIGINT, &sa, NULL) || sigaction(SIGTERM, &sa, NULL) ||
	    sigaction(SIGHUP, &sa, NULL))
		return -errno;
	sa.sa_handler = on_sigchld;
	if (sigaction(SIGCHLD, &sa, NULL))
		return -errno;
	return 0;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * A creating syscall's stack, unwound now, while the engine's view of the
 * process's mappings is the one it had when the syscall ran. The outcome is
 * a fact for the engine, like any other.
 */
static void resolve_stack(struct session *s, const struct ls_user_stack *e, size_t size)
{
	struct ls_stack_ref ref = { 0 };

	ref.hdr = e->hdr;
	ref.hdr.type = LS_EV_STACK_REF;
	ref.hdr.size = sizeof(ref);
	ref.syscall = e->syscall;
	ref.records = e->records;
	ref.stack_id = unwinder_resolve(s->unwinder, engine_find_live(s->eng, e->hdr.tgid), e,
					size, s->stacks);
	engine_apply(s->eng, &ref, sizeof(ref));
}

/* Records from the ring buffer. */
static int feed_engine(void *ctx, const void *rec, size_t size)
{
	struct session *s = ctx;
	const struct ls_event_header *h = rec;

	s->received++;
	/* a malformed record is counted by the engine; keep draining */
	engine_apply(s->eng, rec, size);
	if (size >= sizeof(struct ls_user_stack) && h->type == LS_EV_USER_STACK && s->unwinder)
		resolve_stack(s, rec, size);
	return 0;
}

/* Facts learned outside the ring buffer (/proc, the command we started). */
static int inject_fact(void *ctx, const void *rec, size_t size)
{
	struct session *s = ctx;

	engine_apply(s->eng, rec, size);
	return 0;
}

/* The command enters observation as an event, like any other fact. */
static void emit_attach(struct session *s, pid_t pid, char *const *cmd, uint64_t now)
{
	struct ls_proc_attach a = { 0 };
	char *name, *copy;
	size_t len = 0;

	a.hdr.type = LS_EV_PROC_ATTACH;
	a.hdr.size = sizeof(a);
	a.hdr.ts_ns = now;
	a.hdr.tgid = pid;
	a.hdr.tid = pid;
	a.ppid = getpid();
	a.started_by_us = 1;
	copy = strdup(cmd[0]);
	name = copy ? basename(copy) : cmd[0];
	snprintf(a.comm, sizeof(a.comm), "%s", name);
	free(copy);
	for (char *const *arg = cmd; *arg; arg++) {
		size_t n = strlen(*arg) + 1;

		if (len + n > sizeof(a.args)) {
			a.args_truncated = 1;
			break;
		}
		memcpy(a.args + len, *arg, n);
		len += n;
	}
	a.args_len = len;
	inject_fact(s, &a, sizeof(a));
}

/* RLIMIT_NOFILE as /proc says now; later changes come from the kernel side. */
static void emit_limits(struct session *s, uint32_t pid, uint64_t now)
{
	struct ls_proc_limits e;

	if (!procfs_read_limits(pid, now, &e))
		inject_fact(s, &e, sizeof(e));
}

/* What growth is measured against besides RLIMIT_NOFILE: read once. */
static void emit_host_limits(struct session *s, uint64_t now)
{
	struct ls_host_limits e;

	procfs_read_host_limits(now, &e);
	inject_fact(s, &e, sizeof(e));
}

/* We waited for the command ourselves: no need to wait for the kernel's word. */
static void emit_reaped(struct session *s, pid_t pid, uint64_t now)
{
	struct ls_proc_reap r = { 0 };

	r.hdr.type = LS_EV_PROC_REAP;
	r.hdr.size = sizeof(r);
	r.hdr.ts_ns = now;
	r.hdr.tgid = pid;
	r.hdr.tid = pid;
	inject_fact(s, &r, sizeof(r));
}

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

/* Fail before running anything if the report could not be written at the end. */
static int check_report_path(const char *path)
{
	int err = atomic_file_check(path);

	if (err)
		fprintf(stderr, "leakscope: cannot write the report %s: %s\n", path,
			err == -ELOOP ? "it is a symbolic link (refused)" : strerror(-err));
	return err;
}

static int exit_status_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return LS_EXIT_ERROR;
}

/*
 * A process first seen by one of its syscalls (it joined the cgroup, or the
 * system-wide view caught it before its fork event could) has no name yet:
 * read it, and what it holds, from /proc, as at attach. New processes are
 * appended, so each is looked at once.
 */
static void identify_new_processes(struct session *s)
{
	size_t n = engine_process_count(s->eng);
	struct ls_proc_attach a;

	for (; s->identified < n; s->identified++) {
		const struct ls_process *p = engine_process_at(s->eng, s->identified);

		if (p->exited || p->ppid || p->args)
			continue;
		if (procfs_read_attach(p->pid, engine_last_ns(s->eng), &a))
			continue;
		inject_fact(s, &a, sizeof(a));
		emit_limits(s, p->pid, engine_last_ns(s->eng));
		snapshot_fds(p->pid, engine_last_ns(s->eng), NULL, 0, inject_fact, s);
		snapshot_maps(p->pid, engine_last_ns(s->eng), inject_fact, s);
	}
}


static int collect_file(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	struct pid_list *l = ctx;
	unsigned int t = f->ofd->res_type;

	if (t != LS_RES_FILE && t != LS_RES_MEMFD)
		return 0;
	if (pid_list_add(l, p->pid) || pid_list_add(l, (uint32_t)f->fd))
		return 1;
	return 0;
}

/*
 * Before a report: which open files were unlinked (the disk space du cannot
 * find), and how big they are. Asked of /proc now, handed over as facts.
 */
static void refresh_file_states(struct session *s)
{
	size_t n = engine_process_count(s->eng);
	struct pid_list l = { 0 };
	struct ls_file_state e;
	uint64_t now = engine_last_ns(s->eng);

	for (size_t i = 0; i < n; i++) {
		const struct ls_process *p = engine_process_at(s->eng, i);

		if (!p->exited)
			engine_visit_open_fds(s->eng, p, collect_file, &l);
	}
	for (size_t i = 0; i + 1 < l.len; i += 2)
		if (!procfs_file_state(l.v[i], (int)l.v[i + 1], now, &e))
			inject_fact(s, &e, sizeof(e));
	pid_list_free(&l);
}

/* The kernel's use counters of open fds, gathered while visiting the engine
 * (which must not change meanwhile), then handed over as facts. */
struct access_facts {
	struct trace *t;
	uint64_t now;
	struct ls_fd_access *v;
	size_t len;
	size_t cap;
};

static int gather_access(const struct ls_process *p, const struct ls_fd *f, void *ctx)
{
	struct access_facts *c = ctx;
	struct ls_fd_access *e;
	uint64_t count, last;

	if (c->len == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct ls_fd_access *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return 1;
		c->v = v;
		c->cap = cap;
	}
	e = &c->v[c->len];
	memset(e, 0, sizeof(*e));
	if (trace_fd_use(c->t, p->pid, f->fd, &count, &last))
		return 0;
	e->count = count;
	e->last_ns = last;
	e->hdr.type = LS_EV_FD_ACCESS;
	e->hdr.size = sizeof(*e);
	e->hdr.ts_ns = c->now;
	e->hdr.tgid = p->pid;
	e->hdr.tid = p->pid;
	e->fd = f->fd;
	c->len++;
	return 0;
}

static void refresh_fd_access(struct session *s, struct trace *t)
{
	struct access_facts c = { .t = t, .now = engine_last_ns(s->eng) };
	size_t n = engine_process_count(s->eng);

	for (size_t i = 0; i < n; i++) {
		const struct ls_process *p = engine_process_at(s->eng, i);

		if (!p->exited && engine_visit_open_fds(s->eng, p, gather_access, &c))
			fprintf(stderr, "leakscope: out of memory reading the fd use counters\n");
	}
	for (size_t i = 0; i < c.len; i++)
		inject_fact(s, &c.v[i], sizeof(c.v[i]));
	free(c.v);
}

static bool all_gone(const struct ls_engine *eng, const struct pid_list *pids)
{
	for (size_t i = 0; i < pids->len; i++)
		if (engine_find_live(eng, pids->v[i]))
			return false;
	return true;
}

/*
 * Drain events until the end: the command exited and was reaped (-- CMD),
 * the attached processes are gone (-p), the duration ran out, or a signal.
 * With a command, the first signal is passed on to it and a second one stops
 * waiting (-EINTR); otherwise the first one stops. Returns 1 when the
 * duration ran out.
 */
static int wait_for_end(struct trace *t, struct session *s, const struct options *o,
			pid_t child, const struct pid_list *roots, int *status)
{
	uint64_t deadline = o->duration_ms ? clock_ns(CLOCK_MONOTONIC) + o->duration_ms * 1000000 : 0;
	bool forwarded = false;
	pid_t r;
	int err;

	for (;;) {
		err = trace_poll(t, DRAIN_PERIOD_MS);
		if (err < 0) {
			fprintf(stderr, "leakscope: reading events failed: %s\n", strerror(-err));
			return err;
		}
		identify_new_processes(s);
		if (child > 0) {
			r = waitpid(child, status, WNOHANG);
			if (r == child)
				return 0;
			if (r < 0 && errno != EINTR) {
				fprintf(stderr, "leakscope: waitpid: %s\n", strerror(errno));
				return -errno;
			}
		}
		if (o->mode == MODE_PID && all_gone(s->eng, roots))
			return 0;
		if (deadline && clock_ns(CLOCK_MONOTONIC) >= deadline)
			return 1;
		if (stop_count && (child <= 0 || stop_count > 1))
			return child > 0 ? -EINTR : 0;
		if (child > 0 && stop_signal && !forwarded) {
			kill(child, stop_signal);
			forwarded = true;
		}
	}
}

static void fill_meta(struct report_meta *m, struct utsname *uts, const struct options *o)
{
	memset(m, 0, sizeof(*m));
	m->version = LEAKSCOPE_VERSION;
	if (uname(uts) == 0) {
		m->kernel = uts->release;
		m->host = uts->nodename;
	}
	m->mode = cli_mode_name(o->mode);
	m->command = o->cmd;
	m->track_inherited = o->track_inherited;
	m->realtime_offset_ns = (int64_t)(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC));
}

/* -- CMD: fork it held at the gate, so its pid is filtered before it runs. */
static int start_command(struct session *s, struct trace *t, struct launch *l,
			 const struct options *o, uint64_t now)
{
	int skip[] = { l->gate_rd, l->error_wr };
	int err;

	err = trace_add_tgid(t, l->pid);
	if (err)
		return err;
	emit_attach(s, l->pid, o->cmd, now);
	/* held at the gate: what it inherited from us, until it sets its own */
	emit_limits(s, l->pid, now);
	err = snapshot_fds(l->pid, now, skip, 2, inject_fact, s);
	if (err < 0)
		fprintf(stderr, "leakscope: cannot list the fds %s inherits: %s\n", o->cmd[0],
			strerror(-err));
	return 0;
}

/*
 * Detect, then write what was asked for. Returns -errno if a report could
 * not be written, else how many findings reach --fail-on.
 */
static int write_reports(struct session *s, const struct options *o, struct report_meta *meta)
{
	struct detect_opts dopts = {
		.track_inherited = o->track_inherited,
		.close_wait_ns = o->close_wait_ms * 1000000ULL,
		.min_age_ns = o->min_age_ms * 1000000ULL,
		.idle_ns = o->idle_ms * 1000000ULL,
		.now_ns = meta->end_ns,
		.growth_window_ns = o->growth_window_ms * 1000000ULL,
		.growth_min_increase = o->growth_min,
	};
	struct findings fs = { 0 };
	struct symbolizer *sym;
	int err = 0;

	/* names for the stacks, now that they are needed (see symbolize.h) */
	sym = symbolizer_new();
	if (!sym || symbolize_stacks(sym, s->stacks))
		fprintf(stderr, "leakscope: out of memory naming the stacks: some show as addresses\n");
	symbolizer_free(sym);

	if (detect_all(s->eng, &dopts, &fs)) {
		fprintf(stderr, "leakscope: out of memory while building the report\n");
		findings_free(&fs);
		return -ENOMEM;
	}
	meta->suppressed = suppressions_apply(&s->supp, &fs, s->stacks);
	meta->suppressions = &s->supp;
	for (size_t i = 0; o->verbose && i < s->supp.len; i++)
		if (!s->supp.v[i].hits)
			fprintf(stderr, "leakscope: suppression '%s' (line %u) matched nothing\n",
				s->supp.v[i].name, s->supp.v[i].line);
	if (o->text_path)
		err = write_report(o->text_path, "summary", text_report, s->eng, &fs, meta);
	else if (!o->quiet)
		report_write_text(stderr, s->eng, &fs, meta);
	if (!err && o->json_path) {
		err = write_report(o->json_path, "report", report_write_json, s->eng, &fs, meta);
		if (!err && !o->quiet)
			fprintf(stderr, "leakscope: JSON report written to %s\n", o->json_path);
	}
	if (!err && o->dot_path) {
		err = write_report(o->dot_path, "graph", report_write_dot, s->eng, &fs, meta);
		if (!err && !o->quiet)
			fprintf(stderr, "leakscope: DOT graph written to %s\n", o->dot_path);
	}
	if (!err && o->html_path) {
		err = write_report(o->html_path, "HTML report", report_write_html, s->eng, &fs, meta);
		if (!err && !o->quiet)
			fprintf(stderr, "leakscope: HTML report written to %s\n", o->html_path);
	}
	if (!err)
		err = (int)findings_count_at_least(&fs, o->fail_on);
	findings_free(&fs);
	return err;
}

/* Every --suppressions file, read before anything runs: a bad one is a usage error. */
static int load_suppressions(const struct options *o, struct suppressions *out)
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

int main(int argc, char **argv)
{
	struct trace_opts topts = { 0 };
	struct session s = { 0 };
	struct launch l = { .pid = -1 };
	struct pid_list roots = { 0 };
	struct cgroup_target cg = { 0 };
	struct trace *t = NULL;
	struct report_meta meta;
	struct options o;
	struct utsname uts;
	char err_msg[256];
	int err, status = 0, ret = LS_EXIT_ERROR;

	if (cli_parse(argc, argv, &o, err_msg, sizeof(err_msg))) {
		fprintf(stderr, "leakscope: %s (see --help)\n", err_msg);
		return LS_EXIT_USAGE;
	}
	if (o.help) {
		cli_print_help("leakscope");
		return 0;
	}
	if (o.version) {
		printf("leakscope %s (event ABI %d)\n", LEAKSCOPE_VERSION, LS_ABI_VERSION);
		return 0;
	}
	if (attach_check(&o, &cg))
		return LS_EXIT_USAGE;
	if (load_suppressions(&o, &s.supp)) {
		suppressions_free(&s.supp);
		return LS_EXIT_USAGE;
	}
	if ((o.json_path && check_report_path(o.json_path)) ||
	    (o.text_path && check_report_path(o.text_path)) ||
	    (o.dot_path && check_report_path(o.dot_path)) ||
	    (o.html_path && check_report_path(o.html_path)))
		return LS_EXIT_ERROR;
	fill_meta(&meta, &uts, &o);
	s.eng = engine_new();
	s.stacks = stack_table_new();
	if (o.stack_bytes)
		s.unwinder = unwinder_new();
	meta.stacks = s.stacks;
	if (!s.eng || !s.stacks || (o.stack_bytes && !s.unwinder)) {
		fprintf(stderr, "leakscope: out of memory\n");
		return LS_EXIT_ERROR;
	}
	/* the series keep what the growth window looks at */
	engine_set_series_span(s.eng, o.growth_window_ms * 1000000ULL);
	if (o.mode == MODE_COMMAND) {
		err = launch_prepare(&l, o.cmd);
		if (err) {
			fprintf(stderr, "leakscope: cannot start '%s': %s\n", o.cmd[0], strerror(-err));
			goto cleanup;
		}
	}
	topts.ring_bytes = o.ring_bytes;
	topts.stack_bytes = o.stack_bytes;
	topts.track_access = o.track_access;
	topts.verbose = o.verbose;
	attach_filter(&o, &cg, &topts);
	err = trace_start(&t, &topts, feed_engine, &s);
	if (err)
		goto abort_child;
	err = install_signals();
	if (err) {
		fprintf(stderr, "leakscope: cannot install signal handlers: %s\n", strerror(-err));
		goto abort_child;
	}
	meta.start_ns = clock_ns(CLOCK_MONOTONIC);
	emit_host_limits(&s, meta.start_ns);
	if (o.mode == MODE_COMMAND)
		err = start_command(&s, t, &l, &o, meta.start_ns);
	else
		err = attach_targets(&o, &cg, t, meta.start_ns, inject_fact, &s, &roots);
	if (err)
		goto abort_child;
	if (o.mode == MODE_COMMAND) {
		err = launch_release(&l);
		if (err) {
			fprintf(stderr, "leakscope: cannot run '%s': %s\n", o.cmd[0], strerror(-err));
			waitpid(l.pid, &status, 0);
			ret = err == -ENOENT ? 127 : 126;
			goto cleanup;
		}
	}
	err = wait_for_end(t, &s, &o, l.pid, &roots, &status);
	if (err < 0 && err != -EINTR)
		goto cleanup;
	if (o.mode == MODE_COMMAND && !err)
		emit_reaped(&s, l.pid, clock_ns(CLOCK_MONOTONIC));
	if (o.mode != MODE_COMMAND || err == 1)
		ret = 0;
	else if (err)
		/* stopped by a second signal: the command still runs; report what was seen */
		ret = 128 + stop_signal;
	else
		ret = exit_status_of(status);
	if (o.mode == MODE_COMMAND && err)
		fprintf(stderr, "leakscope: %s; pid %d is still running\n",
			err == 1 ? "duration over" : "interrupted", l.pid);
	trace_drain(t);
	refresh_file_states(&s);
	if (o.track_access)
		refresh_fd_access(&s, t);
	meta.end_ns = clock_ns(CLOCK_MONOTONIC);
	meta.events_received = s.received;
	if (trace_read_stats(t, meta.kernel_stats))
		fprintf(stderr, "leakscope: cannot read the kernel-side counters\n");
	err = write_reports(&s, &o, &meta);
	if (err < 0)
		ret = LS_EXIT_ERROR;
	else if (err > 0 && o.error_exitcode)
		ret = o.error_exitcode; /* valgrind's --error-exitcode: a CI job fails on a leak */
	goto cleanup;

abort_child:
	if (l.pid > 0)
		launch_abort(&l);
cleanup:
	pid_list_free(&roots);
	trace_stop(t);
	engine_free(s.eng);
	unwinder_free(s.unwinder);
	stack_table_free(s.stacks);
	suppressions_free(&s.supp);
	return ret;
}
