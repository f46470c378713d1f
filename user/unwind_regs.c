// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A backward liveness pass over the frames of a walk, following how libdw
 * unwinds a frame (frame_unwind.c in elfutils 0.188): it sets all
 * LS_STACK_REGS in the first frame; to unwind frame k it evaluates the CFA
 * rule of k's CFI and then every register rule, each from frame k's
 * registers, the CFA and memory, giving frame k + 1's registers (same_value
 * copies k's; undefined leaves it unknown). A register of frame k is live
 * when something the walk computes may read it: frame k's pc (it is the
 * outcome), its CFA rule, any rule's expression (each computes an address
 * the walk reads, and a failed read ends the walk), a same_value rule whose
 * register is live in frame k + 1, and rbp and rsp, which libdw's
 * frame-pointer fallback reads when a frame's CFI fails. What is live in the
 * first frame is the cache key. Past the last frame libdw handed over, only
 * the pc of the frame it tried to unwind to counts: whether it found one
 * decides how the walk ended, and nothing reads that frame's registers.
 *
 * Conservative where libdw has a choice: .eh_frame, then .debug_frame, then
 * the fallback, so every frame counts the rules of both CFIs; a frame that is
 * an activation (a signal frame) counts its CFI at pc and at pc - 1.
 *
 * The words: unwinding frame k with an offset(N) rule reads CFA + N and the
 * word becomes that register of frame k + 1. When that register is dead,
 * the word cannot change the walk (whether the read succeeded still can).
 * This is only concluded for a frame whose rules libdw certainly used: an
 * .eh_frame FDE whose CFA is register + offset with that register known in
 * frame k (so libdw's CFA evaluation succeeded and it went no further). Why
 * this matters: nginx keeps per-connection pointers in callee-saved
 * registers, pushed on the stack by the functions it calls; comparing those
 * words would make every request a miss. rax, the syscall's result, is the
 * same: libdw's x86_64 defaults make it same_value, yet no CFI reads it.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdlib.h>

#include "unwind_regs.h"

#define REG_BP 6
#define ALL_REGS ((1u << LS_STACK_REGS) - 1)

/* Registers that DWARF ops name (DW_OP_reg*, DW_OP_breg*), and whether they
 * use the CFA or read memory on their own. */
static uint32_t ops_regs(const Dwarf_Op *ops, size_t nops, bool *cfa, bool *deref)
{
	uint32_t mask = 0;

	for (size_t i = 0; i < nops; i++) {
		uint8_t a = ops[i].atom;
		uint64_t r = LS_STACK_REGS;

		if (a >= DW_OP_reg0 && a <= DW_OP_reg31)
			r = a - DW_OP_reg0;
		else if (a >= DW_OP_breg0 && a <= DW_OP_breg31)
			r = a - DW_OP_breg0;
		else if (a == DW_OP_regx || a == DW_OP_bregx)
			r = ops[i].number;
		else if (a == DW_OP_call_frame_cfa)
			*cfa = true;
		else if (a == DW_OP_deref || a == DW_OP_deref_size || a == DW_OP_xderef ||
			 a == DW_OP_xderef_size)
			*deref = true;
		if (r < LS_STACK_REGS)
			mask |= 1u << r;
	}
	return mask;
}

/* CFA + *off when ops are offset(N): a location, so libdw reads the word. */
static bool offset_rule(const Dwarf_Op *ops, size_t nops, int64_t *off)
{
	if (!nops || ops[0].atom != DW_OP_call_frame_cfa)
		return false;
	if (nops == 1) {
		*off = 0;
		return true;
	}
	if (nops == 2 && ops[1].atom == DW_OP_plus_uconst) {
		*off = (int64_t)ops[1].number;
		return true;
	}
	if (nops == 3 && ops[1].atom == DW_OP_consts && ops[2].atom == DW_OP_plus) {
		*off = (int64_t)ops[1].number;
		return true;
	}
	return false;
}

/* The live registers of a frame with this CFI at pc, given the caller's. */
static uint32_t cfi_live(Dwarf_CFI *cfi, Dwarf_Addr pc, uint32_t live_next)
{
	Dwarf_Frame *frame;
	Dwarf_Op *ops, mem[3];
	size_t nops;
	uint32_t live, cfa;
	bool uses_cfa = false, deref = false;

	if (!cfi || dwarf_cfi_addrframe(cfi, pc, &frame))
		return 0;
	if (dwarf_frame_cfa(frame, &ops, &nops)) {
		free(frame);
		return ALL_REGS;
	}
	cfa = ops_regs(ops, nops, &uses_cfa, &deref);
	live = cfa;
	for (int r = 0; r < LS_STACK_REGS; r++) {
		uses_cfa = false;
		if (dwarf_frame_register(frame, r, mem, &ops, &nops)) {
			live = ALL_REGS;
			continue;
		}
		if (!nops && !ops) {   /* same_value */
			live |= live_next & (1u << r);
			continue;
		}
		live |= ops_regs(ops, nops, &uses_cfa, &deref);
		if (uses_cfa)
			live |= cfa;
	}
	free(frame);
	return live;
}

static uint32_t frame_live(Dwfl *dwfl, const struct walk_frame *f, bool first, uint32_t live_next)
{
	uint32_t live = 1u << LS_DWARF_IP | 1u << REG_BP | 1u << LS_DWARF_SP;

	for (int j = 0; j < (f->activation && !first ? 2 : 1); j++) {
		Dwarf_Addr pc = f->pc - (first || (f->activation && !j) ? 0 : 1), bias;
		Dwfl_Module *mod = dwfl_addrmodule(dwfl, pc);

		if (!mod)
			continue;
		live |= cfi_live(dwfl_module_eh_cfi(mod, &bias), pc - bias, live_next);
		live |= cfi_live(dwfl_module_dwarf_cfi(mod, &bias), pc - bias, live_next);
	}
	return live;
}

/*
 * Whether libdw certainly unwound frame f with the .eh_frame rules at
 * *rel_pc of *cfi: an FDE is there, and its CFA is a register known in f
 * plus an offset, so libdw's CFA evaluation succeeded and it went no further
 * (no .debug_frame, no fallback). *cfa: the CFA's value.
 */
static bool eh_certain(Dwfl *dwfl, const struct walk_frame *f, bool first, Dwarf_CFI **cfi,
		       Dwarf_Addr *rel_pc, uint64_t *cfa)
{
	Dwarf_Addr pc = f->pc - (first ? 0 : 1), bias;
	Dwfl_Module *mod;
	Dwarf_Frame *frame;
	Dwarf_Op *ops;
	size_t nops;
	uint32_t reg = LS_STACK_REGS;
	uint64_t off = 0;

	if (f->activation && !first)
		return false;
	mod = dwfl_addrmodule(dwfl, pc);
	*cfi = mod ? dwfl_module_eh_cfi(mod, &bias) : NULL;
	if (!*cfi || dwarf_cfi_addrframe(*cfi, pc - bias, &frame))
		return false;
	*rel_pc = pc - bias;
	if (!dwarf_frame_cfa(frame, &ops, &nops) && nops == 1) {
		if (ops[0].atom == DW_OP_bregx) {
			reg = (uint32_t)ops[0].number;
			off = ops[0].number2;
		} else if (ops[0].atom >= DW_OP_breg0 && ops[0].atom <= DW_OP_breg31) {
			reg = ops[0].atom - DW_OP_breg0;
			off = ops[0].number;
		}
	}
	free(frame);
	if (reg >= LS_STACK_REGS || !(f->defined & (1u << reg)))
		return false;
	*cfa = f->regs[reg] + off;
	return true;
}

/* Clear .matters of frame k's reads that only fill a register dead in the
 * caller (offset rules at CFA + N), libdw having used these rules. */
static void dead_words(Dwarf_CFI *cfi, Dwarf_Addr rel_pc, uint64_t cfa, uint32_t k,
		       uint32_t live_next, struct unwind_read *reads, size_t nreads)
{
	uint64_t dead[LS_STACK_REGS], kept[LS_STACK_REGS];
	size_t ndead = 0, nkept = 0;
	Dwarf_Frame *frame;
	Dwarf_Op *ops, mem[3];
	size_t nops;

	if (dwarf_cfi_addrframe(cfi, rel_pc, &frame))
		return;
	for (int r = 0; r < LS_STACK_REGS; r++) {
		bool uses_cfa = false, deref = false;
		int64_t off;

		if (dwarf_frame_register(frame, r, mem, &ops, &nops))
			goto out;
		if (!nops)
			continue;
		ops_regs(ops, nops, &uses_cfa, &deref);
		if (deref)
			goto out;   /* an expression reads memory of its own */
		if (!offset_rule(ops, nops, &off))
			continue;
		if (live_next & (1u << r))
			kept[nkept++] = cfa + (uint64_t)off;
		else
			dead[ndead++] = cfa + (uint64_t)off;
	}
	for (size_t i = 0; i < nreads; i++) {
		bool d = false;

		if (reads[i].frame != k)
			continue;
		for (size_t j = 0; j < ndead; j++)
			d |= reads[i].addr == dead[j];
		for (size_t j = 0; j < nkept; j++)
			d &= reads[i].addr != kept[j];
		if (d)
			reads[i].matters = false;
	}
out:
	free(frame);
}

uint32_t unwind_walk_regs(Dwfl *dwfl, const struct walk_frame *frames, size_t n,
			  struct unwind_read *reads, size_t nreads)
{
	/* past the last frame handed over only whether a pc was found counts */
	uint32_t live = 1u << LS_DWARF_IP;

	/* no frame handed over: libdw stopped before any rule; take no chance */
	if (!n)
		return ALL_REGS;
	for (size_t k = n; k-- > 0;) {
		uint32_t live_next = live;

		Dwarf_CFI *cfi;
		Dwarf_Addr rel_pc;
		uint64_t cfa;

		if (eh_certain(dwfl, &frames[k], k == 0, &cfi, &rel_pc, &cfa)) {
			live = 1u << LS_DWARF_IP | cfi_live(cfi, rel_pc, live_next);
			dead_words(cfi, rel_pc, cfa, (uint32_t)k, live_next, reads, nreads);
		} else {
			live = frame_live(dwfl, &frames[k], k == 0, live_next);
		}
	}
	return (live | 1u << LS_DWARF_IP | 1u << LS_DWARF_SP) & ALL_REGS;
}
