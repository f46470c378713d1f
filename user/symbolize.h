/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Names for code addresses: function, source file and line from DWARF, with
 * the functions inlined at that address as frames of their own (what
 * addr2line -i prints); the ELF symbol table where there is no DWARF.
 */
#ifndef LEAKSCOPE_SYMBOLIZE_H
#define LEAKSCOPE_SYMBOLIZE_H

#include <elfutils/libdwfl.h>
#include <stddef.h>

#include "stack_table.h"

/*
 * Fill out[0..max) for the code at pc (a return address unless activation:
 * then the instruction itself). The strings are libdw's, valid while dwfl
 * is. Returns the frames filled, at least 1 when max > 0.
 */
size_t symbolize_pc(Dwfl *dwfl, Dwarf_Addr pc, bool activation, struct stack_frame *out,
		    size_t max);

#endif /* LEAKSCOPE_SYMBOLIZE_H */
