// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The sentence about a finding that a person reads, with the numbers behind
 * it: the same words in the JSON report's "reasons" and the HTML findings
 * table.
 */
#include <stdio.h>

#include "report.h"

static double ns_to_s(uint64_t ns)
{
	return (double)ns / 1e9;
}

uint64_t report_fd_lifetime(const struct finding *fi, const struct report_meta *m)
{
	const struct ls_fd *f = fi->fd;
	uint64_t until = f->release == LS_REL_OPEN ? m->end_ns : f->released_ns;

	return until > f->created_ns ? until - f->created_ns : 0;
}

static void fd_reason(const struct finding *fi, const struct report_meta *m, char *buf,
		      size_t len)
{
	const struct ls_fd *f = fi->fd;
	char name[LS_PATH_MAX + 64], what[LS_PATH_MAX + 96], ep[64] = "";
	uint64_t lifetime = report_fd_lifetime(fi, m);

	report_resource_name(f, m->redact, name, sizeof(name));
	snprintf(what, sizeof(what), "fd %d (%s%s%s) created by %s", f->fd,
		 ls_res_type_name(f->ofd->res_type), name[0] ? " " : "", name,
		 ls_syscall_name(f->syscall));
	switch (fi->kind) {
	case FINDING_CLOSE_WAIT:
		report_endpoint(&ls_ofd_ext(f->ofd)->remote, m->redact, ep, sizeof(ep));
		snprintf(buf, len, "%s: the peer%s%s closed the connection %.3f s ago and pid %u "
			 "has not closed its end (CLOSE_WAIT)", what, ep[0] ? " " : "", ep,
			 ns_to_s(fi->duration_ns), fi->proc->pid);
		break;
	case FINDING_DELETED_OPEN:
		snprintf(buf, len, "%s: the file was unlinked but pid %u still holds it open, "
			 "keeping %llu bytes allocated that du cannot see", what, fi->proc->pid,
			 (unsigned long long)ls_ofd_state(f->ofd)->size);
		break;
	case FINDING_OLD_IDLE:
		snprintf(buf, len, "%s has been open %s%.1f s and unused for the last %.1f s "
			 "(%llu uses%s)", what, f->before_attach ? "at least " : "",
			 ns_to_s(lifetime), ns_to_s(fi->duration_ns),
			 (unsigned long long)ls_fd_accesses(f->use), f->before_attach ? " since attach" : "");
		break;
	default:
		snprintf(buf, len, "%s was never closed; released only when pid %u exited, "
			 "%.3f s later", what, fi->proc->pid, ns_to_s(lifetime));
		break;
	}
}

static void zombie_reason(const struct finding *fi, char *buf, size_t len)
{
	const struct ls_process *c = fi->child;

	if (fi->proc != c)
		snprintf(buf, len, "child pid %u (%s) exited %.3f s ago and pid %u "
			 "has not waited for it: it holds a pid and a process-table slot",
			 c->pid, c->comm, ns_to_s(fi->duration_ns), fi->proc->pid);
	else
		snprintf(buf, len, "pid %u exited %.3f s ago and its parent (pid %u, "
			 "not observed) has not waited for it", c->pid, ns_to_s(fi->duration_ns),
			 c->ppid);
}

static void misuse_reason(const struct finding *fi, char *buf, size_t len)
{
	const struct ls_misuse *u = fi->misuse;
	char when[96] = "";

	if (u->closed_ns && u->first_ns >= u->closed_ns)
		snprintf(when, sizeof(when), ", %.3f s after it was closed",
			 ns_to_s(u->first_ns - u->closed_ns));
	switch (u->kind) {
	case LS_MISUSE_DOUBLE_CLOSE:
		snprintf(buf, len, "fd %d was closed twice%s (EBADF)%s: with threads, "
			 "the second close can close another thread's new file", u->fd, when,
			 u->count > 1 ? ", repeatedly" : "");
		break;
	case LS_MISUSE_USE_AFTER_CLOSE:
		snprintf(buf, len, "%s on fd %d%s failed with EBADF: a use after close",
			 ls_syscall_name(u->syscall), u->fd, when);
		break;
	case LS_MISUSE_USE_UNOPENED:
		snprintf(buf, len, "%s on fd %d, which was not open, failed with EBADF "
			 "(%llu times)", ls_syscall_name(u->syscall), u->fd,
			 (unsigned long long)u->count);
		break;
	default:
		snprintf(buf, len, "close of fd %d, which was not open, failed with "
			 "EBADF (%llu times from this place)", u->fd, (unsigned long long)u->count);
		break;
	}
}

static void growth_reason(const struct growth_detail *g, char *buf, size_t len)
{
	static const char *const what[LS_CLASS_MAX] = {
		[LS_CLASS_FDS] = "open fds",
		[LS_CLASS_THREADS] = "threads",
		[LS_CLASS_MAPPINGS] = "mappings (VMAs, as the kernel counts them)",
	};
	int n;

	n = snprintf(buf, len, "%s rose from %u to %u over the last %.1f s (%.3g per s: the "
		     "median slope between %zu points, rank correlation %.2f), %u now", what[g->cls],
		     g->first, g->last, ns_to_s(g->window_ns), g->slope_per_s, g->points, g->tau,
		     g->open_now);
	if (n < 0 || (size_t)n >= len)
		return;
	if (g->exhaustion_s < 0)
		snprintf(buf + n, len - n, "; %s is not known, so neither is when they run out",
			 g->limit_name);
	else
		snprintf(buf + n, len - n, "; at that rate they reach the %s of %llu%s in %.0f s",
			 g->limit_name, (unsigned long long)g->limit,
			 g->cls == LS_CLASS_THREADS ? " (shared by every process: at the latest)" : "",
			 g->exhaustion_s);
}

void report_finding_reason(const struct findings *fs, const struct finding *fi,
			   const struct report_meta *m, char *buf, size_t len)
{
	if (!len)
		return;
	buf[0] = '\0';
	if (fi->fd)
		fd_reason(fi, m, buf, len);
	else if (fi->kind == FINDING_ZOMBIE)
		zombie_reason(fi, buf, len);
	else if (fi->kind == FINDING_FD_MISUSE)
		misuse_reason(fi, buf, len);
	else if (fi->kind == FINDING_CYCLE)
		report_cycle_reason(&fs->cycles.v[fi->cycle], buf, len);
	else if (fi->kind == FINDING_GROWTH)
		growth_reason(fi->growth, buf, len);
}
