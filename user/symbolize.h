/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Names for the frames of unwound stacks, at report time: function, source
 * file and line from DWARF, with the functions inlined at an address as
 * frames of their own (what addr2line -i prints), the ELF symbol table where
 * there is no DWARF. A frame is a module path and an offset (the link-time
 * address), so the process need not exist any more; each module is opened
 * once, with its separate debug file if it has one.
 */
#ifndef LEAKSCOPE_SYMBOLIZE_H
#define LEAKSCOPE_SYMBOLIZE_H

#include "stack_table.h"

struct symbolizer;

struct symbolizer *symbolizer_new(void);
void symbolizer_free(struct symbolizer *s);
/* Name every stack of t not named yet. Returns 0 or -ENOMEM. */
int symbolize_stacks(struct symbolizer *s, struct stack_table *t);

#endif /* LEAKSCOPE_SYMBOLIZE_H */
