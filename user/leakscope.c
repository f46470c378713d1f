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
#include "cli.h"
#include "engine.h"
#include "findings.h"
#include "launch.h"
#include "report.h"
#include "snapshot.h"
#include "trace.h"

#define DRAIN_PERIOD_MS 10

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t stop_count;

struct session {
	struct ls_engine *eng;
	uint64_t received;
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

static int feed_engine(void *ctx, const void *rec, size_t size)
{
	struct session *s = ctx;

	s->received++;
	/* a malformed record is counted by the engine; keep draining */
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
	feed_engine(s, &a, sizeof(a));
	s->received--; /* not from the kernel */
}

static int write_json(const char *path, const struct ls_engine *eng, const struct findings *fs,
		      const struct report_meta *m)
{
	struct atomic_file *af = atomic_file_open(path);
	int err;

	if (!af) {
		fprintf(stderr, "leakscope: cannot write the report %s: %s\n", path, strerror(errno));
		return -errno;
	}
	err = report_write_json(atomic_file_stream(af), eng, fs, m);
	if (err) {
		atomic_file_abort(af);
		fprintf(stderr, "leakscope: cannot write the report %s: %s\n", path, strerror(-err));
		return err;
	}
	err = atomic_file_commit(af);
	if (err)
		fprintf(stderr, "leakscope: cannot write the report %s: %s\n", path, strerror(-err));
	return err;
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

/* Drain events until the command has exited and been reaped. */
static int wait_for_command(struct trace *t, pid_t pid, int *status)
{
	bool forwarded = false;
	pid_t r;
	int err;

	for (;;) {
		err = trace_poll(t, DRAIN_PERIOD_MS);
		if (err < 0) {
			fprintf(stderr, "leakscope: reading events failed: %s\n", strerror(-err));
			return err;
		}
		r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR) {
			fprintf(stderr, "leakscope: waitpid: %s\n", strerror(errno));
			return -errno;
		}
		/* the first signal is passed on to the command; a second one stops waiting */
		if (stop_count > 1)
			return -EINTR;
		if (stop_signal && !forwarded) {
			kill(pid, stop_signal);
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
	m->mode = "command";
	m->command = o->cmd;
	m->track_inherited = o->track_inherited;
	m->realtime_offset_ns = (int64_t)(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC));
}

int main(int argc, char **argv)
{
	struct trace_opts topts = { .filter_tgids = true };
	struct session s = { 0 };
	struct findings fs = { 0 };
	struct detect_opts dopts = { 0 };
	struct launch l = { .pid = -1 };
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
	if (o.json_path && check_report_path(o.json_path))
		return LS_EXIT_ERROR;
	fill_meta(&meta, &uts, &o);
	s.eng = engine_new();
	if (!s.eng) {
		fprintf(stderr, "leakscope: out of memory\n");
		return LS_EXIT_ERROR;
	}

	err = launch_prepare(&l, o.cmd);
	if (err) {
		fprintf(stderr, "leakscope: cannot start '%s': %s\n", o.cmd[0], strerror(-err));
		goto cleanup;
	}
	topts.ring_bytes = o.ring_bytes;
	topts.verbose = o.verbose;
	err = trace_start(&t, &topts, feed_engine, &s);
	if (err)
		goto abort_child;
	err = trace_add_tgid(t, l.pid);
	if (err)
		goto abort_child;
	err = install_signals();
	if (err) {
		fprintf(stderr, "leakscope: cannot install signal handlers: %s\n", strerror(-err));
		goto abort_child;
	}
	meta.start_ns = clock_ns(CLOCK_MONOTONIC);
	emit_attach(&s, l.pid, o.cmd, meta.start_ns);
	{
		int skip[] = { l.gate_rd, l.error_wr };

		err = snapshot_fds(l.pid, meta.start_ns, skip, 2, feed_engine, &s);
		if (err < 0)
			fprintf(stderr, "leakscope: cannot list the fds %s inherits: %s\n", o.cmd[0],
				strerror(-err));
		else
			s.received -= err; /* from /proc, not from the kernel */
	}

	err = launch_release(&l);
	if (err) {
		fprintf(stderr, "leakscope: cannot run '%s': %s\n", o.cmd[0], strerror(-err));
		waitpid(l.pid, &status, 0);
		ret = err == -ENOENT ? 127 : 126;
		goto cleanup;
	}
	err = wait_for_command(t, l.pid, &status);
	if (err && err != -EINTR)
		goto cleanup;
	/* stopped by a second signal: the command still runs, report what was seen */
	ret = err ? 128 + stop_signal : exit_status_of(status);
	if (err)
		fprintf(stderr, "leakscope: interrupted; pid %d is still running\n", l.pid);
	trace_drain(t);
	meta.end_ns = clock_ns(CLOCK_MONOTONIC);
	meta.events_received = s.received;
	if (trace_read_stats(t, meta.kernel_stats))
		fprintf(stderr, "leakscope: cannot read the kernel-side counters\n");

	dopts.track_inherited = o.track_inherited;
	if (detect_released_at_exit(s.eng, &dopts, &fs)) {
		fprintf(stderr, "leakscope: out of memory while building the report\n");
		ret = LS_EXIT_ERROR;
		goto cleanup;
	}
	if (!o.quiet)
		report_write_text(stderr, s.eng, &fs, &meta);
	if (o.json_path) {
		if (write_json(o.json_path, s.eng, &fs, &meta))
			ret = LS_EXIT_ERROR;
		else if (!o.quiet)
			fprintf(stderr, "leakscope: JSON report written to %s\n", o.json_path);
	}
	goto cleanup;

abort_child:
	launch_abort(&l);
cleanup:
	findings_free(&fs);
	trace_stop(t);
	engine_free(s.eng);
	return ret;
}
