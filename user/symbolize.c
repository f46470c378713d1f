// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize.h"

/* A DIE's name, following DW_AT_abstract_origin as inlined copies need. */
static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;

	if (!dwarf_attr_integrate(die, DW_AT_name, &attr))
		return NULL;
	return dwarf_formstring(&attr);
}

static const char *call_file(Dwarf_Die *cu, Dwarf_Die *inl)
{
	Dwarf_Attribute attr;
	Dwarf_Files *files;
	Dwarf_Word idx;
	size_t nfiles;

	if (!dwarf_attr(inl, DW_AT_call_file, &attr) || dwarf_formudata(&attr, &idx) ||
	    dwarf_getsrcfiles(cu, &files, &nfiles) || idx >= nfiles)
		return NULL;
	return dwarf_filesrc(files, idx, NULL, NULL);
}

static uint32_t call_line(Dwarf_Die *inl)
{
	Dwarf_Attribute attr;
	Dwarf_Word line;

	if (!dwarf_attr(inl, DW_AT_call_line, &attr) || dwarf_formudata(&attr, &line))
		return 0;
	return (uint32_t)line;
}

/*
 * The innermost scopes first: each inlined subroutine is a frame at the
 * current location, whose caller is at its DW_AT_call_file:call_line; the
 * enclosing subprogram is the last frame.
 */
static size_t inline_frames(Dwfl_Module *mod, Dwarf_Addr pc, struct stack_frame *base,
			    struct stack_frame *out, size_t max)
{
	Dwarf_Die *scopes = NULL, *cu, inner;
	Dwarf_Addr bias;
	size_t n = 0;
	int nscopes;

	cu = dwfl_module_addrdie(mod, pc, &bias);
	if (!cu)
		return 0;
	/* the scopes at pc lead from an inlined body into its abstract
	 * definition; the scopes *around* the innermost one lead to its callers */
	nscopes = dwarf_getscopes(cu, pc - bias, &scopes);
	if (nscopes <= 0) {
		free(scopes);
		return 0;
	}
	inner = scopes[0];
	free(scopes);
	scopes = NULL;
	nscopes = dwarf_getscopes_die(&inner, &scopes);
	for (int i = 0; i < nscopes && n < max; i++) {
		int tag = dwarf_tag(&scopes[i]);
		const char *name;

		if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
			continue;
		name = die_name(&scopes[i]);
		out[n] = *base;
		if (name)
			out[n].function = (char *)name;
		if (tag == DW_TAG_subprogram) {
			n++;
			break;
		}
		out[n].inlined = true;
		n++;
		base->file = (char *)call_file(cu, &scopes[i]);
		base->line = call_line(&scopes[i]);
	}
	free(scopes);
	return n;
}

size_t symbolize_pc(Dwfl *dwfl, Dwarf_Addr pc, bool activation, struct stack_frame *out,
		    size_t max)
{
	/* a return address is past the call: look the call itself up */
	Dwarf_Addr lookup = activation ? pc : pc - 1;
	struct stack_frame base = { .pc = pc };
	Dwfl_Module *mod;
	Dwfl_Line *line;
	Dwarf_Addr bias = 0;
	GElf_Off off;
	GElf_Sym sym;
	const char *modname;
	size_t n;
	int lineno;

	if (!max)
		return 0;
	mod = dwfl_addrmodule(dwfl, lookup);
	if (!mod) {
		out[0] = base;
		return 1;
	}
	modname = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
	base.module = (char *)modname;
	dwfl_module_getelf(mod, &bias);
	base.offset = pc - bias;
	base.function = (char *)dwfl_module_addrinfo(mod, lookup, &off, &sym, NULL, NULL, NULL);
	line = dwfl_module_getsrc(mod, lookup);
	if (line) {
		const char *src = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);

		if (src && lineno > 0) {
			base.file = (char *)src;
			base.line = (uint32_t)lineno;
		}
	}
	n = inline_frames(mod, lookup, &base, out, max);
	if (n)
		return n;
	out[0] = base;
	return 1;
}
