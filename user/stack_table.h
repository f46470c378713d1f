/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Allocation stacks, symbolized and interned: the same call site gives the
 * same id in every process and every run (addresses differ with ASLR, names
 * and lines do not), which is what lets findings be grouped by site. The
 * engine only keeps ids; reports look the frames up here.
 */
#ifndef LEAKSCOPE_STACK_TABLE_H
#define LEAKSCOPE_STACK_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STACK_MAX_FRAMES 64

struct stack_frame {
	uint64_t pc;       /* as unwound, in the first process seen with this stack */
	uint64_t offset;   /* pc minus its module's load bias: what addr2line takes */
	char *module;      /* file path of the ELF it is in; NULL: none known */
	char *function;   /* NULL: no symbol */
	char *file;       /* source file; NULL: no line info */
	uint32_t line;
	bool inlined;      /* function was inlined into the frame below it */
};

/* How an unwind ended: it is judged truncated or not once frames have names. */
enum stack_end {
	STACK_END_CLEAN = 0, /* the unwinder found no caller: the outermost frame */
	STACK_END_ERROR,     /* it could not go on: fine only past an entry point */
	STACK_END_CUT,       /* the copied stack or the frame limit ran out */
};

struct stack {
	uint32_t id;       /* from 1 */
	uint32_t nframes;
	enum stack_end end;
	bool symbolized;   /* frames have names (symbolize.h); until then module+offset */
	bool truncated;    /* the walk ended before the outermost frame */
	struct stack_frame *frames; /* innermost first */
};

struct stack_table;

struct stack_table *stack_table_new(void);
void stack_table_free(struct stack_table *t);
/*
 * The id of this stack, added if new (strings are copied). The unwinder adds
 * frames with module and offset only, which is what identifies a call site.
 * Returns 0 when it could not be stored (out of memory).
 */
uint32_t stack_table_intern(struct stack_table *t, const struct stack_frame *frames,
			    size_t nframes, enum stack_end end);
/* Give stack id its named frames (copied; inlined calls may add frames). */
int stack_table_name(struct stack_table *t, uint32_t id, const struct stack_frame *frames,
		     size_t nframes, bool truncated);
/* NULL for 0 or an unknown id. */
const struct stack *stack_table_get(const struct stack_table *t, uint32_t id);
size_t stack_table_count(const struct stack_table *t);
/* The first frame worth naming to a person: the caller of the allocating
 * library function, not the libc wrapper. NULL if the stack has no frame. */
const struct stack_frame *stack_site_frame(const struct stack *s);

#endif /* LEAKSCOPE_STACK_TABLE_H */
