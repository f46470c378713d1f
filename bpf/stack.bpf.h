// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * User stacks of the syscalls that create resources, for DWARF unwinding in
 * userspace. Frame pointers are no use here: glibc is built without them, so
 * a frame-pointer walk stops in the syscall wrapper, above the caller that
 * leaked. The unwinder needs the registers at the syscall, a copy of the
 * stack, and where the program and its interpreter were mapped (execve maps
 * them without an mmap syscall, so they are reported from the exec hook).
 */
#ifndef LEAKSCOPE_STACK_BPF_H
#define LEAKSCOPE_STACK_BPF_H

/* 0: no stacks. A multiple of STACK_CHUNK, at most LS_STACK_MAX. */
const volatile __u32 stack_bytes = 8192;

#define STACK_CHUNK 512
#define AT_BASE 7     /* auxv: where the ELF interpreter was loaded */

/*
 * Emit LS_EV_USER_STACK for the current thread's syscall, whose next records
 * (how many: pipe makes two fds) it belongs to. The copy stops at
 * the first unreadable chunk (the top of the stack is near): the unwinder is
 * told how much it got and marks a walk that runs past it as truncated.
 */
__noinline int emit_user_stack(int syscall, int records)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct ls_user_stack *e;
	struct pt_regs *regs;
	__u32 size = sizeof(*e) + stack_bytes;
	__u64 sp;

	if (!stack_bytes || stack_bytes > LS_STACK_MAX)
		return 0;
	/* a stack is worth less than the lifecycle records behind it: past
	 * half full (twice the wakeup mark), they get the room */
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > 2 * wakeup_bytes) {
		stat_inc(LS_STAT_STACK_SKIPPED);
		return 0;
	}
	e = event_reserve(size, LS_EV_USER_STACK);
	if (!e)
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	e->syscall = syscall;
	e->records = records;
	e->regs[0] = regs->ax;
	e->regs[1] = regs->dx;
	e->regs[2] = regs->cx;
	e->regs[3] = regs->bx;
	e->regs[4] = regs->si;
	e->regs[5] = regs->di;
	e->regs[6] = regs->bp;
	e->regs[7] = regs->sp;
	e->regs[8] = regs->r8;
	e->regs[9] = regs->r9;
	e->regs[10] = regs->r10;
	e->regs[11] = regs->r11;
	e->regs[12] = regs->r12;
	e->regs[13] = regs->r13;
	e->regs[14] = regs->r14;
	e->regs[15] = regs->r15;
	e->regs[16] = regs->ip;
	sp = regs->sp;
	e->len = 0;
	if (!bpf_probe_read_user(e->data, stack_bytes, (void *)sp)) {
		e->len = stack_bytes;
	} else {
		for (__u32 i = 0; i < LS_STACK_MAX / STACK_CHUNK; i++) {
			__u32 off = i * STACK_CHUNK;

			if (off + STACK_CHUNK > stack_bytes ||
			    bpf_probe_read_user(e->data + off, STACK_CHUNK, (void *)(sp + off)))
				break;
			e->len = off + STACK_CHUNK;
		}
	}
	event_submit(e);
	return 0;
}

struct vma_found {
	__u64 start;
	__u64 end;
	__u64 pgoff;
	struct file *file;
};

static long on_found_vma(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	struct vma_found *v = data;

	v->start = vma->vm_start;
	v->end = vma->vm_end;
	v->pgoff = vma->vm_pgoff;
	v->file = vma->vm_file;
	return 0;
}

/* The file mapping that holds addr, as an LS_EV_MMAP marked LS_MMAP_EXEC_IMAGE. */
static __always_inline void emit_image_mapping(struct task_struct *task, __u64 addr)
{
	struct vma_found v = {};
	struct ls_mmap *e;

	if (!addr || bpf_find_vma(task, addr, on_found_vma, &v, 0) || !v.file)
		return;
	e = event_reserve(sizeof(*e), LS_EV_MMAP);
	if (!e)
		return;
	__builtin_memset((char *)e + sizeof(e->hdr), 0,
			 offsetof(struct ls_mmap, path) - sizeof(e->hdr));
	e->addr = v.start;
	e->len = v.end - v.start;
	e->offset = v.pgoff << 12;
	e->prot = LS_PROT_READ | LS_PROT_EXEC;
	e->flags = LS_MAP_PRIVATE;
	e->fd = -1;
	e->snapshot = LS_MMAP_EXEC_IMAGE;
	{
		struct file_identity id = read_file_identity(v.file);

		e->file_id = (__u64)v.file;
		e->ino = id.ino;
		e->dev = id.dev;
	}
	read_path(e->path, &e->path_len, &e->path_truncated, v.file);
	event_submit(e);
}

/* After execve: the new program's text and its interpreter's. */
static __always_inline void emit_exec_images(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;
	__u64 interp = 0;

	if (!stack_bytes || !mm)
		return;
	emit_image_mapping(task, mm->start_code);
	for (__u32 i = 0; i < sizeof(mm->saved_auxv) / (2 * sizeof(mm->saved_auxv[0])); i++) {
		__u64 type = mm->saved_auxv[2 * i];

		if (!type)
			break;
		if (type == AT_BASE) {
			interp = mm->saved_auxv[2 * i + 1];
			break;
		}
	}
	emit_image_mapping(task, interp);
}

#endif /* LEAKSCOPE_STACK_BPF_H */
