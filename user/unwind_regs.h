/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a libdw stack walk depended on, found from the CFI of the frames it
 * went through: the initial registers it could have read, and which of the
 * words it read could have changed it. That is the key of its entry in the
 * walk cache (unwind_cache.h).
 */
#ifndef LEAKSCOPE_UNWIND_REGS_H
#define LEAKSCOPE_UNWIND_REGS_H

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "unwind_cache.h"

/* A frame of the walk as libdw handed it over (dwfl_frame_pc, _reg). */
struct walk_frame {
	uint64_t pc;
	bool activation;     /* libdw looks its CFI up at pc, else at pc - 1 */
	uint32_t defined;    /* registers libdw knows in this frame */
	uint64_t regs[LS_STACK_REGS];
};

/*
 * frames: the n frames libdw handed over, innermost (the initial registers')
 * first; it tried to unwind each. Clears .matters of the reads whose word
 * cannot change the walk. Returns the mask (bit = DWARF number, below
 * LS_STACK_REGS) of the initial registers the walk may depend on.
 */
uint32_t unwind_walk_regs(Dwfl *dwfl, const struct walk_frame *frames, size_t n,
			  struct unwind_read *reads, size_t nreads);

#endif /* LEAKSCOPE_UNWIND_REGS_H */
