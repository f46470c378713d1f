// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One Dwfl per process (a few kept, least recently used evicted), rebuilt when
 * the process's executable mappings change (exec, dlopen). Modules are
 * reported with the load bias computed from the mapping and the ELF program
 * headers, so it works for a process that has exited by the time its events
 * are read: nothing here looks at /proc. A walk made before with the same
 * inputs is not made again (unwind_cache.h; unwind_regs.h says which inputs
 * count); its walks go with the Dwfl.
 */
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "perf_map.h"
#include "unwind.h"
#include "unwind_cache.h"
#include "unwind_regs.h"

#define CACHED_PROCS 16
#define PAGE_MASK (~4095ULL)

struct proc_dwfl {
	uint64_t serial;      /* 0: free slot */
	uint64_t signature;   /* of the executable mappings it was built from */
	uint64_t last_use;
	uint64_t gen;         /* this Dwfl's name in the walk cache */
	Dwfl *dwfl;
};

/* What the thread callbacks read while one stack is walked. */
struct walk {
	pid_t tid;
	Dwarf_Word regs[LS_STACK_REGS];
	struct unwind_stack stack;
	uint32_t frame;   /* the frame being unwound */
	bool ran_out;     /* a read past the copied stack ended the walk */
};

struct unwinder {
	struct proc_dwfl procs[CACHED_PROCS];
	uint64_t clock;
	uint64_t gens;        /* Dwfls built so far */
	struct walk walk;
	struct unwind_cache *cache;
	struct perf_maps *jit;
	char *debuginfo_path;
	Dwfl_Callbacks cbs;
};

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct unwinder *u = arg;

	(void)dwfl;
	if (*thread_argp)
		return 0;
	*thread_argp = u;
	return u->walk.tid;
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	struct unwinder *u = arg;

	(void)dwfl;
	if (tid != u->walk.tid)
		return false;
	*thread_argp = u;
	return true;
}

static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct unwinder *u = arg;
	struct walk *w = &u->walk;
	uint64_t word = 0;
	bool ok;

	(void)dwfl;
	ok = unwind_stack_word(&w->stack, addr, &word);
	unwind_cache_note_read(u->cache, w->frame, addr, ok, word);
	if (!ok) {
		if (addr >= w->stack.sp)
			w->ran_out = true;
		return false;
	}
	*result = word;
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct unwinder *u = arg;

	if (!dwfl_thread_state_registers(thread, 0, LS_STACK_REGS, u->walk.regs))
		return false;
	dwfl_thread_state_register_pc(thread, u->walk.regs[LS_DWARF_IP]);
	return true;
}

static const Dwfl_Thread_Callbacks thread_cbs = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

struct unwinder *unwinder_new(void)
{
	struct unwinder *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	elf_version(EV_CURRENT);
	u->cbs.find_elf = dwfl_build_id_find_elf;
	u->cbs.find_debuginfo = dwfl_standard_find_debuginfo;
	u->cbs.debuginfo_path = &u->debuginfo_path;
	u->jit = perf_maps_new();
	u->cache = unwind_cache_new();
	if (!u->jit || !u->cache) {
		perf_maps_free(u->jit);
		unwind_cache_free(u->cache);
		free(u);
		return NULL;
	}
	return u;
}

void unwinder_free(struct unwinder *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < CACHED_PROCS; i++)
		if (u->procs[i].dwfl)
			dwfl_end(u->procs[i].dwfl);
	perf_maps_free(u->jit);
	unwind_cache_free(u->cache);
	free(u);
}

/* The walks made with a Dwfl go with it. */
static void end_dwfl(struct unwinder *u, struct proc_dwfl *slot)
{
	if (slot->dwfl)
		dwfl_end(slot->dwfl);
	unwind_cache_forget(u->cache, slot->gen);
	slot->dwfl = NULL;
	slot->gen = 0;
}

void unwinder_forget(struct unwinder *u, uint64_t serial)
{
	for (size_t i = 0; i < CACHED_PROCS; i++)
		if (u->procs[i].serial == serial && serial) {
			end_dwfl(u, &u->procs[i]);
			memset(&u->procs[i], 0, sizeof(u->procs[i]));
		}
}

struct unwind_cache_stats unwinder_cache_stats(const struct unwinder *u)
{
	return unwind_cache_stats(u->cache);
}

static bool image_vma(const struct ls_vma *v)
{
	return v->path && v->path[0] == '/' && (v->prot & LS_PROT_EXEC);
}

static uint64_t vma_signature(const struct ls_vma_set *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < s->len; i++) {
		const struct ls_vma *v = &s->v[i];

		if (!image_vma(v))
			continue;
		h = (h ^ v->start) * 0x100000001b3ULL;
		h = (h ^ v->offset) * 0x100000001b3ULL;
		h = (h ^ v->ino) * 0x100000001b3ULL;
	}
	return h;
}

/*
 * The load bias of the ELF file mapped at v: its PT_LOAD segment that holds
 * v's file offset was placed at v->start. Returns 0 or -errno.
 */
static int load_bias(const struct ls_vma *v, uint64_t *bias)
{
	size_t nph;
	int fd, err = -ENOENT;
	Elf *elf;

	fd = open(v->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getphdrnum(elf, &nph)) {
		err = -ENOEXEC;
		goto out;
	}
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		uint64_t seg_off;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		seg_off = ph.p_offset & PAGE_MASK;
		if (v->offset < seg_off || v->offset >= ph.p_offset + ph.p_filesz)
			continue;
		*bias = v->start - (v->offset - seg_off) - (ph.p_vaddr & PAGE_MASK);
		err = 0;
		break;
	}
out:
	if (elf)
		elf_end(elf);
	close(fd);
	return err;
}

static Dwfl *build_dwfl(struct unwinder *u, const struct ls_process *p)
{
	Dwfl *dwfl = dwfl_begin(&u->cbs);
	size_t nmod = 0;

	if (!dwfl)
		return NULL;
	dwfl_report_begin(dwfl);
	for (size_t i = 0; i < p->vmas.len; i++) {
		const struct ls_vma *v = &p->vmas.v[i];
		uint64_t bias = 0;

		/* a module spans all the segments of its file, each a mapping of
		 * its own: the first one reported covers the others */
		if (!image_vma(v) || (nmod && dwfl_addrmodule(dwfl, v->start)) ||
		    load_bias(v, &bias))
			continue;
		if (dwfl_report_elf(dwfl, v->path, v->path, -1, bias, true))
			nmod++;
	}
	dwfl_report_end(dwfl, NULL, NULL);
	if (!nmod || !dwfl_attach_state(dwfl, NULL, (pid_t)p->pid, &thread_cbs, u)) {
		dwfl_end(dwfl);
		return NULL;
	}
	return dwfl;
}

/* The Dwfl for p's current mappings: cached, or built in the LRU slot. */
static struct proc_dwfl *dwfl_for(struct unwinder *u, const struct ls_process *p)
{
	uint64_t sig = vma_signature(&p->vmas);
	struct proc_dwfl *slot = &u->procs[0];

	for (size_t i = 0; i < CACHED_PROCS; i++) {
		struct proc_dwfl *c = &u->procs[i];

		if (c->serial == p->serial) {
			slot = c;
			break;
		}
		if (c->last_use < slot->last_use)
			slot = c;
	}
	slot->last_use = ++u->clock;
	if (slot->serial == p->serial && slot->signature == sig && slot->dwfl)
		return slot;
	end_dwfl(u, slot);
	slot->serial = p->serial;
	slot->signature = sig;
	slot->dwfl = build_dwfl(u, p);
	slot->gen = slot->dwfl ? ++u->gens : 0;
	return slot->dwfl ? slot : NULL;
}

struct frames {
	Dwfl *dwfl;
	struct unwinder *u;
	uint32_t pid;
	struct stack_frame *v;
	size_t len;
	struct walk_frame *seen;  /* every frame handed over, for unwind_regs.h */
	size_t nseen;
	bool full;
	bool jit;       /* a frame named from a perf map, which may change */
};

/* Only module and offset here: naming is left to report time (symbolize.h),
 * for the few stacks a report shows. */
static int on_frame(Dwfl_Frame *state, void *arg)
{
	struct frames *fr = arg;
	struct stack_frame *f;
	Dwfl_Module *mod;
	Dwarf_Addr pc, bias = 0;
	bool activation;

	/* the reads from here on unwind this frame: dwfl_frame_pc may do it */
	fr->u->walk.frame = (uint32_t)fr->nseen;
	if (!dwfl_frame_pc(state, &pc, &activation))
		return DWARF_CB_ABORT;
	/* at most STACK_MAX_FRAMES + 1 calls: the last one is cut below */
	if (fr->nseen <= STACK_MAX_FRAMES) {
		struct walk_frame *w = &fr->seen[fr->nseen++];

		w->pc = pc;
		w->activation = activation;
		w->defined = 0;
		for (unsigned int r = 0; r < LS_STACK_REGS; r++)
			if (!dwfl_frame_reg(state, r, &w->regs[r]))
				w->defined |= 1u << r;
	}
	if (fr->len == STACK_MAX_FRAMES) {
		fr->full = true;
		return DWARF_CB_ABORT;
	}
	f = &fr->v[fr->len++];
	memset(f, 0, sizeof(*f));
	f->pc = pc;
	mod = dwfl_addrmodule(fr->dwfl, activation ? pc : pc - 1);
	if (mod && dwfl_module_getelf(mod, &bias)) {
		f->module = (char *)dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
		f->offset = pc - bias;
	} else if (!mod) {
		/* code no ELF file holds: a JIT's, named by its perf map */
		f->function = (char *)perf_map_name(fr->u->jit, fr->pid, pc);
		fr->jit = true;
	}
	return DWARF_CB_OK;
}

uint32_t unwinder_resolve(struct unwinder *u, const struct ls_process *p,
			  const struct ls_user_stack *e, size_t size, struct stack_table *t)
{
	struct stack_frame frames[STACK_MAX_FRAMES];
	struct walk_frame seen[STACK_MAX_FRAMES + 1];
	struct frames fr = { .v = frames, .seen = seen, .u = u, .pid = p ? p->pid : 0 };
	struct unwind_read *reads;
	struct proc_dwfl *slot;
	size_t nreads;
	enum stack_end end;
	uint32_t id = 0;
	int rc;

	if (!p || size < sizeof(*e) || e->len > size - sizeof(*e))
		return 0;
	slot = dwfl_for(u, p);
	if (!slot)
		return 0;
	fr.dwfl = slot->dwfl;
	u->walk.tid = (pid_t)e->hdr.tid;
	memcpy(u->walk.regs, e->regs, sizeof(u->walk.regs));
	u->walk.stack.data = e->data;
	u->walk.stack.sp = e->regs[LS_DWARF_SP];
	u->walk.stack.len = e->len;
	u->walk.ran_out = false;
	u->walk.frame = 0;
	if (unwind_cache_lookup(u->cache, slot->gen, u->walk.regs, &u->walk.stack, &id))
		return id;
	unwind_cache_begin(u->cache);
	perf_maps_next_walk(u->jit);
	rc = dwfl_getthread_frames(fr.dwfl, u->walk.tid, on_frame, &fr);
	if (fr.len) {
		if (fr.full || u->walk.ran_out)
			end = STACK_END_CUT;
		else
			end = rc ? STACK_END_ERROR : STACK_END_CLEAN;
		id = stack_table_intern(t, frames, fr.len, end);
		if (!id)
			return 0;   /* out of memory: nothing worth remembering */
	}
	/* a failed store only costs the next walk of this site a walk */
	reads = unwind_cache_reads(u->cache, &nreads);
	if (!fr.jit)
		unwind_cache_store(u->cache, slot->gen,
				   unwind_walk_regs(fr.dwfl, seen, fr.nseen, reads, nreads),
				   u->walk.regs, id);
	return id;
}
