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
#include <inttypes.h>
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
#include "caps.h"
#include "capture.h"
#include "capture_meta.h"
#include "interval.h"
#include "cli.h"
#include "engine.h"
#include "facts.h"
#include "feed.h"
#include "findings.h"
#include "launch.h"
#include "redact_key.h"
#include "metrics_export.h"
#include "report.h"
#include "replay.h"
#include "report_files.h"
#include "snapshot.h"
#include "stack_table.h"
#include "suppress.h"
#include "symbolize.h"
#include "trace.h"
#include "unwind.h"

#define DRAIN_PERIOD_MS 10

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t stop_count;


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

static int exit_status_of(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return LS_EXIT_ERROR;
}

/* The suppressions' hit counts are the final report's: a refresh leaves them. */
static void suppress_uncounted(struct session *s, struct findings *fs)
{
	uint64_t *hits = malloc((s->supp.len ? s->supp.len : 1) * sizeof(*hits));

	if (!hits) {
		fprintf(stderr, "leakscope: out of memory: the metrics count suppressed findings\n");
		return;
	}
	for (size_t i = 0; i < s->supp.len; i++)
		hits[i] = s->supp.v[i].hits;
	suppressions_apply(&s->supp, fs, s->stacks);
	for (size_t i = 0; i < s->supp.len; i++)
		s->supp.v[i].hits = hits[i];
	free(hits);
}

/*
 * Every --metrics-interval, in this thread (the only one that touches the
 * engine): the facts the detectors need, a detection of the state as it is,
 * and the text for the server and the file.
 */
static void refresh_metrics(struct session *s, struct trace *t, const struct options *o)
{
	uint64_t now = clock_ns(CLOCK_MONOTONIC), stats[LS_STAT_MAX] = { 0 };
	struct detect_opts dopts = report_files_detect_opts(o, now);
	struct findings fs = { 0 };
	struct symbolizer *sym;

	if (!s->metrics || now < s->metrics_due_ns)
		return;
	s->metrics_due_ns = now + o->metrics_interval_ms * 1000000ULL;
	facts_file_states(s->eng, feed_fact, s);
	if (o->track_access)
		facts_fd_access(s->eng, t, feed_fact, s);
	/* function= suppressions match names: name what is new */
	if (s->supp.len) {
		sym = symbolizer_new();
		if (!sym || symbolize_stacks(sym, s->stacks))
			fprintf(stderr, "leakscope: out of memory naming the stacks\n");
		symbolizer_free(sym);
	}
	if (detect_all(s->eng, &dopts, &fs)) {
		fprintf(stderr, "leakscope: out of memory: the metrics were not refreshed\n");
		findings_free(&fs);
		return;
	}
	suppress_uncounted(s, &fs);
	if (trace_read_stats(t, stats))
		fprintf(stderr, "leakscope: cannot read the kernel-side counters\n");
	metrics_export_publish(s->metrics, s->eng, &fs, s->received, stats);
	findings_free(&fs);
}

/*
 * What the kernel and /proc say now, handed over as facts; then the
 * detectors and the reports ro asks for. Returns as report_files_write.
 */
static int report_now(struct session *s, struct trace *t, const struct options *o,
		      const struct options *ro, struct report_meta *meta)
{
	trace_drain(t);
	facts_losses(s->eng, t, &s->lost_seen, feed_fact, s);
	facts_file_states(s->eng, feed_fact, s);
	if (o->track_access)
		facts_fd_access(s->eng, t, feed_fact, s);
	meta->end_ns = clock_ns(CLOCK_MONOTONIC);
	meta->events_received = s->received;
	if (trace_read_stats(t, meta->kernel_stats))
		fprintf(stderr, "leakscope: cannot read the kernel-side counters\n");
	return report_files_write(s->eng, s->stacks, &s->supp, ro, meta);
}

/* One --interval report into --report-dir, and the oldest past --keep removed. */
static int interval_report(struct session *s, struct trace *t, const struct options *o,
			   struct report_meta *meta)
{
	struct options ro = *o;
	char path[4096];
	int err;

	err = interval_report_path(path, sizeof(path), o->report_dir,
				   (int64_t)clock_ns(CLOCK_REALTIME));
	if (err) {
		fprintf(stderr, "leakscope: --report-dir %s: name too long\n", o->report_dir);
		return err;
	}
	ro.json_path = path;
	ro.text_path = NULL;
	ro.quiet = true;
	err = report_now(s, t, o, &ro, meta);
	s->reports++;
	if (err < 0)
		return err;
	err = interval_rotate(o->report_dir, o->keep);
	if (err < 0)
		fprintf(stderr, "leakscope: --report-dir %s: cannot remove old reports: %s\n",
			o->report_dir, strerror(-err));
	return 0;
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
			pid_t child, const struct pid_list *roots, int *status,
			struct report_meta *meta)
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
		facts_identify_new(s->eng, &s->identified, feed_fact, s);
		if (clock_ns(CLOCK_MONOTONIC) - s->last_flush_ns >= 1000000000ULL) {
			s->last_flush_ns = clock_ns(CLOCK_MONOTONIC);
			/* a crash loses at most the last second of the capture */
			err = s->capture ? capture_flush(s->capture) : 0;
			if (err)
				feed_stop_capture(s, err);
			/* a host watched for weeks: exited processes folded into counts */
			facts_forget(s->eng, o->max_exited, feed_fact, s);
			facts_losses(s->eng, t, &s->lost_seen, feed_fact, s);
		}
		refresh_metrics(s, t, o);
		if (child > 0) {
			r = waitpid(child, status, WNOHANG);
			if (r == child)
				return 0;
			if (r < 0 && errno != EINTR) {
				fprintf(stderr, "leakscope: waitpid: %s\n", strerror(errno));
				return -errno;
			}
		}
		if (o->interval_ms && clock_ns(CLOCK_MONOTONIC) >= s->next_report_ns) {
			s->next_report_ns += o->interval_ms * 1000000ULL;
			if (interval_report(s, t, o, meta))
				return -EIO;
			if (o->count && s->reports >= o->count)
				return 2;
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
	facts_command(l->pid, o->cmd, now, feed_fact, s);
	/* held at the gate: what it inherited from us, until it sets its own */
	facts_limits(l->pid, now, feed_fact, s);
	err = snapshot_fds(l->pid, now, skip, 2, feed_fact, s);
	if (err < 0)
		fprintf(stderr, "leakscope: cannot list the fds %s inherits: %s\n", o->cmd[0],
			strerror(-err));
	return 0;
}

/* The end record carries what the report says of the run. 0 or -errno. */
static int finish_capture(struct session *s, const struct report_meta *m)
{
	struct capture_end end = { 0 };
	int err;

	if (!s->capture)
		return s->capture_failed ? -EIO : 0;
	end.hdr.type = CAPTURE_REC_END;
	end.hdr.size = sizeof(end);
	end.hdr.ts_ns = m->end_ns;
	end.events_received = m->events_received;
	memcpy(end.kernel_stats, m->kernel_stats, sizeof(end.kernel_stats));
	err = capture_close(s->capture, &end);
	s->capture = NULL;
	if (err)
		fprintf(stderr, "leakscope: capture %s: %s\n", s->capture_path, strerror(-err));
	return err;
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

	if (argc > 1 && !strcmp(argv[1], "replay"))
		return replay_main(argc - 1, argv + 1);
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
	if (caps_check(err_msg, sizeof(err_msg))) {
		fprintf(stderr, "leakscope: missing %s: run as root, or give leakscope CAP_BPF and "
			"CAP_PERFMON (or CAP_SYS_ADMIN)\n", err_msg);
		return LS_EXIT_ERROR;
	}
	if (report_files_load_suppressions(&o, &s.supp)) {
		suppressions_free(&s.supp);
		return LS_EXIT_USAGE;
	}
	if (report_files_check(&o) || interval_check_dir(o.report_dir) ||
	    (o.metrics_path && report_files_check_path("metrics", o.metrics_path)))
		return LS_EXIT_ERROR;
	err = redact_setup(&o, &s.redact);
	if (err) {
		suppressions_free(&s.supp);
		return err;
	}
	fill_meta(&meta, &uts, &o);
	meta.redact = s.redact;
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
	/* after the fork of CMD: its child must not inherit the socket or the thread */
	err = metrics_export_start(&o, &s.metrics);
	if (err)
		goto abort_child;
	topts.ring_bytes = o.ring_bytes;
	topts.stack_bytes = o.stack_bytes;
	topts.track_access = o.track_access;
	topts.verbose = o.verbose;
	attach_filter(&o, &cg, &topts);
	err = trace_start(&t, &topts, feed_record, &s);
	if (err)
		goto abort_child;
	err = install_signals();
	if (err) {
		fprintf(stderr, "leakscope: cannot install signal handlers: %s\n", strerror(-err));
		goto abort_child;
	}
	meta.start_ns = clock_ns(CLOCK_MONOTONIC);
	if (o.capture_path) {
		struct capture_header h;

		capture_header_fill(&h, &meta, &o);
		err = capture_open(&s.capture, o.capture_path, &h);
		if (err) {
			fprintf(stderr, "leakscope: cannot write the capture %s: %s\n", o.capture_path,
				err == -ELOOP ? "it is a symbolic link (refused)" : strerror(-err));
			goto abort_child;
		}
		s.capture_path = o.capture_path;
	}
	s.last_flush_ns = meta.start_ns;
	facts_host_limits(meta.start_ns, feed_fact, &s);
	if (o.mode == MODE_COMMAND)
		err = start_command(&s, t, &l, &o, meta.start_ns);
	else
		err = attach_targets(&o, &cg, t, meta.start_ns, feed_fact, &s, &roots);
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
	s.next_report_ns = meta.start_ns + o.interval_ms * 1000000ULL;
	err = wait_for_end(t, &s, &o, l.pid, &roots, &status, &meta);
	if (err < 0 && err != -EINTR)
		goto cleanup;
	if (o.mode == MODE_COMMAND && !err)
		facts_reaped(l.pid, clock_ns(CLOCK_MONOTONIC), feed_fact, &s);
	if (o.mode != MODE_COMMAND || err == 1 || err == 2)
		ret = 0;
	else if (err)
		/* stopped by a second signal: the command still runs; report what was seen */
		ret = 128 + stop_signal;
	else
		ret = exit_status_of(status);
	if (o.mode == MODE_COMMAND && err)
		fprintf(stderr, "leakscope: %s; pid %d is still running\n",
			err == 1 ? "duration over" : err == 2 ? "--count reached" : "interrupted",
			l.pid);
	/* the last interval report is the final one; else one more at the end */
	if (o.interval_ms && err != 2 && interval_report(&s, t, &o, &meta)) {
		ret = LS_EXIT_ERROR;
		goto cleanup;
	}
	err = report_now(&s, t, &o, &o, &meta);
	if (o.verbose && s.unwinder) {
		struct unwind_cache_stats cs = unwinder_cache_stats(s.unwinder);

		fprintf(stderr, "leakscope: stack walks: %" PRIu64 " cache hits, %" PRIu64 " misses "
			"(%" PRIu64 " kept, %" PRIu64 " evicted, %" PRIu64 " too long to keep)\n",
			cs.hits, cs.misses, cs.stored, cs.evicted, cs.too_long);
	}
	if (finish_capture(&s, &meta) && ret == 0)
		ret = LS_EXIT_ERROR;
	/* the textfile and the endpoint keep the final state */
	if (s.metrics) {
		s.metrics_due_ns = 0;
		refresh_metrics(&s, t, &o);
	}
	if (err < 0)
		ret = LS_EXIT_ERROR;
	else if ((err > 0 || meta.kernel_stats[LS_STAT_LOST]) && o.error_exitcode)
		/* valgrind's --error-exitcode: a CI job fails on a leak, and on a
		 * report that cannot be trusted (records lost) */
		ret = o.error_exitcode;
	goto cleanup;

abort_child:
	if (l.pid > 0)
		launch_abort(&l);
cleanup:
	pid_list_free(&roots);
	if (s.capture)
		capture_close(s.capture, NULL);
	/* before trace_stop, which forks the detaching child: no server thread then */
	metrics_export_free(s.metrics);
	trace_stop(t);
	engine_free(s.eng);
	unwinder_free(s.unwinder);
	stack_table_free(s.stacks);
	suppressions_free(&s.supp);
	redactor_free(s.redact);
	return ret;
}
