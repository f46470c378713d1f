// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Processes: the live ones by pid, their birth (fork, attach, or first sight),
 * exec and exit, and which fd table each one uses.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

struct ls_process *eng_find_live(const struct ls_engine *eng, uint32_t pid)
{
	struct u64_map_node *n = u64_map_find(&eng->live, pid);
	struct proc_entry *pe;

	if (!n)
		return NULL;
	pe = (struct proc_entry *)((char *)n - offsetof(struct proc_entry, node));
	return &pe->proc;
}

/* Kernel text is not NUL-terminated: keep a terminated copy. */
static int copy_text(char **dst, const char *src, size_t len)
{
	char *s = malloc(len + 1);

	if (!s)
		return -ENOMEM;
	memcpy(s, src, len);
	s[len] = '\0';
	*dst = s;
	return 0;
}

static void set_comm(struct ls_process *p, const char *comm)
{
	memset(p->comm, 0, sizeof(p->comm));
	memcpy(p->comm, comm, strnlen(comm, LS_COMM_LEN));
}

/*
 * The kernel gives a pid again only once its last process was reaped, so a
 * zombie with the pid of a new process was reaped by then (no later than ts).
 * Its own reap event may come later than the new process, or never: the
 * kernel side announces a task's free an RCU grace period late, and not at
 * all once a newer process with the pid has exited.
 */
static void eng_reaped_by_reuse(struct ls_engine *eng, uint32_t pid, uint64_t ts)
{
	struct u64_map_node *n = u64_map_find(&eng->unreaped, pid);
	struct proc_entry *old;

	if (!n)
		return;
	old = (struct proc_entry *)((char *)n - offsetof(struct proc_entry, unreaped_node));
	u64_map_remove(&eng->unreaped, n);
	old->in_unreaped = false;
	old->proc.reaped = true;
	old->proc.reap_ns = ts;
}

/*
 * A new live process. t NULL: it gets a new empty table; else it becomes one
 * more user of t, and on failure t is left as it was.
 */
static struct ls_process *eng_process_new(struct ls_engine *eng, uint32_t pid, uint64_t ts,
					  struct ls_fdtable *t, int *err)
{
	struct ls_fdtable *own = NULL;
	struct proc_entry *pe = NULL;
	struct ls_process *p;

	if (eng->nprocs == eng->procs_cap) {
		size_t cap = eng->procs_cap ? eng->procs_cap * 2 : 64;
		struct proc_entry **procs = realloc(eng->procs, cap * sizeof(*procs));

		if (!procs)
			goto nomem;
		eng->procs = procs;
		eng->procs_cap = cap;
	}
	pe = calloc(1, sizeof(*pe));
	if (!pe)
		goto nomem;
	if (!t) {
		own = t = fdtable_new();
		if (!t)
			goto nomem;
	}
	p = &pe->proc;
	if (fdtable_add_user(t, p))
		goto nomem;
	p->serial = ++eng->last_serial;
	p->pid = pid;
	p->start_ns = ts;
	p->threads_live = 1;
	p->fdt = t;
	eng->procs[eng->nprocs++] = pe;
	u64_map_insert(&eng->live, &pe->node, pid);
	eng_reaped_by_reuse(eng, pid, ts);
	return p;
nomem:
	fdtable_free(own);
	free(pe);
	*err = -ENOMEM;
	return NULL;
}

struct ls_process *eng_process_of(struct ls_engine *eng, const struct ls_event_header *h,
				  int *err)
{
	struct ls_process *p = eng_find_live(eng, h->tgid);

	if (!p) {
		p = eng_process_new(eng, h->tgid, h->ts_ns, NULL, err);
		if (p)
			eng->stats.unknown_process++;
	}
	eng->last_proc = p;
	return p;
}

int eng_unshare_files(struct ls_engine *eng, struct ls_process *p)
{
	struct ls_fdtable *old = p->fdt, *t;

	if (old->nusers < 2)
		return 0;
	t = fdtable_copy_for_unshare(old, &eng->fds);
	if (!t)
		return -ENOMEM;
	if (fdtable_add_user(t, p)) {
		eng_fdtable_destroy(eng, t);
		return -ENOMEM;
	}
	fdtable_remove_user(old, p);
	p->fdt = t;
	return 0;
}

/*
 * The last user of t exited: what is still open is released by the exit and
 * moved, in fd order, into p->exit_fds for the reports.
 */
static int eng_release_at_exit(struct ls_engine *eng, struct ls_process *p,
			       struct ls_fdtable *t, uint64_t ts)
{
	size_t n = 0, open = t->open;
	struct ls_fd **kept = NULL, *f;

	if (open) {
		kept = malloc(open * sizeof(*kept));
		/* without room for the records the fds are still released and
		 * counted: only the details are lost */
	}
	for (uint32_t fd = 0; (f = fdtable_next(t, &fd)); fd++) {
		fdtable_take(t, (int)fd);
		f->release = LS_REL_EXIT;
		f->released_ns = ts;
		p->counts[f->ofd->res_type].at_exit++;
		eng_report_release(eng, p, f);
		if (!kept) {
			ofd_release(&eng->ofds, f->ofd);
			eng_fd_free(eng, f);
			continue;
		}
		ofd_release_to_exit_record(&eng->ofds, f->ofd);
		kept[n++] = f;
	}
	p->exit_fds = kept;
	p->exit_fds_len = n;
	p->exit_fds_cap = n;
	return open && !kept ? -ENOMEM : 0;
}

/* A zombie until its reap event. One entry per pid: an older process with
 * the pid was reaped when the pid was given to this one (eng_process_new). */
static void eng_mark_unreaped(struct ls_engine *eng, struct ls_process *p, uint64_t ts)
{
	struct proc_entry *pe = proc_entry_of(p);

	eng_reaped_by_reuse(eng, p->pid, ts);
	u64_map_insert(&eng->unreaped, &pe->unreaped_node, p->pid);
	pe->in_unreaped = true;
}

int eng_on_reap(struct ls_engine *eng, const struct ls_proc_reap *e)
{
	struct u64_map_node *n = u64_map_find(&eng->unreaped, e->hdr.tgid);
	struct proc_entry *pe;

	if (!n)
		return 0; /* exited before we looked, or reaped twice: nothing to do */
	pe = (struct proc_entry *)((char *)n - offsetof(struct proc_entry, unreaped_node));
	u64_map_remove(&eng->unreaped, n);
	pe->in_unreaped = false;
	pe->proc.reaped = true;
	eng->nreaped++;
	pe->proc.reap_ns = e->hdr.ts_ns;
	return 0;
}

static int eng_process_exit(struct ls_engine *eng, struct ls_process *p, uint64_t ts,
			    uint32_t exit_code)
{
	struct ls_fdtable *t = p->fdt;
	size_t i;
	int err;

	p->exited = true;
	p->exit_ns = ts;
	p->exit_code = exit_code;
	p->threads_live = 0;
	/* mappings are not leaks at exit: keep what they were, free them */
	p->maps_at_exit = p->vmas.len;
	vma_bytes(&p->vmas, &p->anon_bytes_at_exit, &p->file_bytes_at_exit);
	vma_clear(&p->vmas);
	eng_growth_release(p);
	u64_map_remove(&eng->live, &proc_entry_of(p)->node);
	eng_mark_unreaped(eng, p, ts);
	p->fdt = NULL;
	for (i = 0; i < LS_RES_TYPE_MAX; i++)
		p->counts[i].open = 0;
	fdtable_remove_user(t, p);
	if (t->nusers)
		return 0; /* a CLONE_FILES sibling still holds every fd */
	err = eng_release_at_exit(eng, p, t, ts);
	fdtable_free(t);
	return err;
}

void eng_process_free(struct ls_engine *eng, struct proc_entry *pe)
{
	struct ls_process *p = &pe->proc;
	size_t i;

	if (eng->last_proc == p)
		eng->last_proc = NULL;
	if (p->fdt) {
		fdtable_remove_user(p->fdt, p);
		if (!p->fdt->nusers)
			eng_fdtable_destroy(eng, p->fdt);
		p->fdt = NULL;
	}
	for (i = 0; i < p->exit_fds_len; i++) {
		ofd_drop_exit_record(&eng->ofds, p->exit_fds[i]->ofd);
		eng_fd_free(eng, p->exit_fds[i]);
	}
	free(p->exit_fds);
	free(p->misuses);
	vma_clear(&p->vmas);
	eng_growth_release(p);
	free(p->args);
	free(p->exe);
	free(pe);
}

static int eng_on_thread_fork(struct ls_engine *eng, const struct ls_proc_fork *e)
{
	struct ls_process *p;
	int err = 0;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	p->threads_live++;
	p->threads_created++;
	return 0;
}

/*
 * A parent the engine never saw is not created here: it would be an empty
 * shell, and the child is just as well off with an empty table and ppid.
 */
int eng_on_fork(struct ls_engine *eng, const struct ls_proc_fork *e)
{
	struct ls_process *parent, *stale, *child;
	struct ls_fdtable *t = NULL;
	char *args = NULL, *exe = NULL;
	bool own_table = false;
	int err = 0, ret = 0;

	if (e->is_thread)
		return eng_on_thread_fork(eng, e);
	if (e->child_tgid == e->hdr.tgid)
		return -EINVAL;

	/* pid reuse: the previous owner of the pid is gone, its exit was lost */
	stale = eng_find_live(eng, e->child_tgid);
	if (stale)
		ret = eng_process_exit(eng, stale, e->hdr.ts_ns, 0);

	parent = eng_find_live(eng, e->hdr.tgid);
	if (parent) {
		/* the child runs the parent's program until it execs */
		if (parent->args && copy_text(&args, parent->args, parent->args_len))
			goto nomem;
		if (parent->exe && copy_text(&exe, parent->exe, strlen(parent->exe)))
			goto nomem;
		if (e->shares_files) {
			t = parent->fdt;
		} else {
			t = fdtable_copy_for_fork(parent->fdt, &eng->fds, e->hdr.ts_ns,
						  e->child_tid);
			if (!t)
				goto nomem;
			own_table = true;
		}
	}
	child = eng_process_new(eng, e->child_tgid, e->hdr.ts_ns, t, &err);
	if (!child)
		goto nomem;
	child->ppid = e->hdr.tgid;
	child->parent_serial = parent ? parent->serial : 0;
	set_comm(child, e->comm);
	if (parent) {
		child->args = args;
		child->args_len = parent->args_len;
		child->args_truncated = parent->args_truncated;
		child->exe = exe;
		/* fork copies the address space, and the limits */
		child->brk_first = child->brk_now = parent->brk_now;
		child->nofile = parent->nofile;
		if (vma_copy(&child->vmas, &parent->vmas))
			eng->stats.oom++;
	}
	return ret;
nomem:
	if (own_table)
		eng_fdtable_destroy(eng, t);
	free(args);
	free(exe);
	return -ENOMEM;
}

int eng_on_exec(struct ls_engine *eng, const struct ls_proc_exec *e)
{
	struct ls_process *p;
	char *exe = NULL, *args = NULL;
	struct ls_fd *f;
	int err = 0;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	if (copy_text(&exe, e->filename, e->filename_len) ||
	    copy_text(&args, e->args, e->args_len))
		goto nomem;
	/* exec unshares the fd table (unshare_files): a CLONE_FILES sibling
	 * keeps its cloexec fds */
	if (eng_unshare_files(eng, p))
		goto nomem;

	free(p->exe);
	p->exe = exe;
	free(p->args);
	p->args = args;
	p->args_len = e->args_len;
	p->args_truncated = e->args_truncated;
	set_comm(p, e->comm);
	p->execs++;
	p->threads_live = 1; /* exec ends every other thread */
	vma_clear(&p->vmas); /* a new address space */
	p->brk_first = p->brk_now = 0;
	for (uint32_t fd = 0; (f = fdtable_next(p->fdt, &fd)); fd++)
		if (f->fd_flags & LS_FD_CLOEXEC)
			eng_fd_release(eng, p, f->fd, LS_REL_EXEC, e->hdr.ts_ns);
	return 0;
nomem:
	free(exe);
	free(args);
	return -ENOMEM;
}

int eng_on_exit(struct ls_engine *eng, const struct ls_proc_exit *e)
{
	struct ls_process *p;
	int err = 0;

	p = eng_process_of(eng, &e->hdr, &err);
	if (!p)
		return err;
	if (!e->group_dead) {
		/* the main thread lives as long as the process */
		if (p->threads_live > 1)
			p->threads_live--;
		return 0;
	}
	return eng_process_exit(eng, p, e->hdr.ts_ns, e->exit_code);
}

int eng_on_attach(struct ls_engine *eng, const struct ls_proc_attach *e)
{
	struct ls_process *p, *parent;
	char *args = NULL, *exe = NULL;
	int err = 0;

	if (copy_text(&args, e->args, e->args_len))
		return -ENOMEM;
	if (e->exe_len && copy_text(&exe, e->exe, e->exe_len)) {
		free(args);
		return -ENOMEM;
	}
	p = eng_find_live(eng, e->hdr.tgid);
	if (!p) {
		p = eng_process_new(eng, e->hdr.tgid, e->hdr.ts_ns, NULL, &err);
		if (!p) {
			free(args);
			free(exe);
			return err;
		}
	}
	if (exe) {
		free(p->exe);
		p->exe = exe;
	}
	if (e->threads)
		p->threads_live = e->threads;
	if (p->ppid != e->ppid || !p->parent_serial) {
		parent = e->ppid != p->pid ? eng_find_live(eng, e->ppid) : NULL;
		p->parent_serial = parent ? parent->serial : 0;
	}
	p->ppid = e->ppid;
	set_comm(p, e->comm);
	free(p->args);
	p->args = args;
	p->args_len = e->args_len;
	p->args_truncated = e->args_truncated;
	p->started_by_us = e->started_by_us;
	return 0;
}
