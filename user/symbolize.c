// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize.h"

struct module_dwfl {
	char *path;
	Dwfl *dwfl;   /* NULL: the file could not be opened */
};

struct symbolizer {
	struct module_dwfl *mods;
	size_t nmods;
	size_t cap;
	char *debuginfo_path;
	Dwfl_Callbacks cbs;
};

struct symbolizer *symbolizer_new(void)
{
	struct symbolizer *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->cbs.find_elf = dwfl_build_id_find_elf;
	s->cbs.find_debuginfo = dwfl_standard_find_debuginfo;
	s->cbs.section_address = dwfl_offline_section_address;
	s->cbs.debuginfo_path = &s->debuginfo_path;
	return s;
}

void symbolizer_free(struct symbolizer *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nmods; i++) {
		if (s->mods[i].dwfl)
			dwfl_end(s->mods[i].dwfl);
		free(s->mods[i].path);
	}
	free(s->mods);
	free(s);
}

/* The module at its link-time addresses (bias 0), opened once. */
static Dwfl *module_dwfl(struct symbolizer *s, const char *path)
{
	struct module_dwfl *m;

	for (size_t i = 0; i < s->nmods; i++)
		if (!strcmp(s->mods[i].path, path))
			return s->mods[i].dwfl;
	if (s->nmods == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct module_dwfl *v = realloc(s->mods, cap * sizeof(*v));

		if (!v)
			return NULL;
		s->mods = v;
		s->cap = cap;
	}
	m = &s->mods[s->nmods];
	m->path = strdup(path);
	if (!m->path)
		return NULL;
	s->nmods++;
	m->dwfl = dwfl_begin(&s->cbs);
	if (!m->dwfl)
		return NULL;
	dwfl_report_begin(m->dwfl);
	if (!dwfl_report_elf(m->dwfl, path, path, -1, 0, true)) {
		dwfl_end(m->dwfl);
		m->dwfl = NULL;
		return NULL;
	}
	dwfl_report_end(m->dwfl, NULL, NULL);
	return m->dwfl;
}

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
static size_t inline_frames(Dwfl_Module *mod, Dwarf_Addr addr, struct stack_frame *base,
			    struct stack_frame *out, size_t max)
{
	Dwarf_Die *scopes = NULL, *cu, inner;
	Dwarf_Addr bias;
	size_t n = 0;
	int nscopes;

	cu = dwfl_module_addrdie(mod, addr, &bias);
	if (!cu)
		return 0;
	/* the scopes at addr lead from an inlined body into its abstract
	 * definition; the scopes *around* the innermost one lead to its callers */
	nscopes = dwarf_getscopes(cu, addr - bias, &scopes);
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

/*
 * Fill out[0..max) for raw frame f (a return address unless activation: then
 * the instruction itself). The strings are libdw's. Returns the frames
 * filled, at least 1 when max > 0.
 */
static size_t name_frame(struct symbolizer *s, const struct stack_frame *f, bool activation,
			 struct stack_frame *out, size_t max)
{
	Dwarf_Addr addr = activation || !f->offset ? f->offset : f->offset - 1;
	struct stack_frame base = *f;
	Dwfl_Module *mod;
	Dwfl_Line *line;
	Dwfl *dwfl;
	GElf_Off off;
	GElf_Sym sym;
	size_t n;
	int lineno;

	if (!max)
		return 0;
	dwfl = f->module ? module_dwfl(s, f->module) : NULL;
	mod = dwfl ? dwfl_addrmodule(dwfl, addr) : NULL;
	if (!mod) {
		out[0] = base;
		return 1;
	}
	base.function = (char *)dwfl_module_addrinfo(mod, addr, &off, &sym, NULL, NULL, NULL);
	line = dwfl_module_getsrc(mod, addr);
	if (line) {
		const char *src = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL);

		if (src && lineno > 0) {
			base.file = (char *)src;
			base.line = (uint32_t)lineno;
		}
	}
	n = inline_frames(mod, addr, &base, out, max);
	if (n)
		return n;
	out[0] = base;
	return 1;
}

/* Where a walk may stop without having lost anything. */
static bool outermost(const struct stack_frame *f)
{
	static const char *const names[] = { "_start", "__libc_start_main", "__libc_start_call_main",
					     "start_thread", "clone", "clone3", "__clone3" };

	if (!f->function)
		return false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(f->function, names[i]))
			return true;
	return false;
}

int symbolize_stacks(struct symbolizer *s, struct stack_table *t)
{
	struct stack_frame out[STACK_MAX_FRAMES];
	size_t count = stack_table_count(t);

	for (uint32_t id = 1; id <= count; id++) {
		const struct stack *st = stack_table_get(t, id);
		bool truncated;
		size_t n = 0;
		int err;

		if (st->symbolized)
			continue;
		for (uint32_t i = 0; i < st->nframes && n < STACK_MAX_FRAMES; i++)
			n += name_frame(s, &st->frames[i], i == 0, out + n, STACK_MAX_FRAMES - n);
		truncated = st->end == STACK_END_CUT ||
			    (st->end == STACK_END_ERROR && (!n || !outermost(&out[n - 1])));
		err = stack_table_name(t, id, out, n, truncated);
		if (err)
			return err;
	}
	return 0;
}
