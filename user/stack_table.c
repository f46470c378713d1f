// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stack_table.h"
#include "u64_map.h"

struct stack_entry {
	struct stack s;
	struct stack_frame *raw; /* as unwound: what identifies the stack */
	uint32_t nraw;
	uint64_t hash;
	struct u64_map_node node;
};

struct stack_table {
	struct stack_entry **v; /* by id - 1 */
	size_t len;
	size_t cap;
	struct u64_map by_hash;
};

/* FNV-1a over what names a frame: addresses vary with ASLR, names do not. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
	return s ? mix(h, s, strlen(s) + 1) : mix(h, "", 1);
}

static uint64_t frame_hash(uint64_t h, const struct stack_frame *f)
{
	h = mix_str(h, f->module);
	h = mix_str(h, f->function);
	h = mix_str(h, f->file);
	h = mix(h, &f->line, sizeof(f->line));
	/* without a symbol, the offset in the module is all there is */
	if (!f->function)
		h = mix(h, &f->offset, sizeof(f->offset));
	return h;
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool frame_eq(const struct stack_frame *a, const struct stack_frame *b)
{
	return str_eq(a->module, b->module) && str_eq(a->function, b->function) &&
	       str_eq(a->file, b->file) && a->line == b->line && a->inlined == b->inlined &&
	       (a->function || a->offset == b->offset);
}

static bool stack_eq(const struct stack_entry *e, const struct stack_frame *frames, size_t n,
		     enum stack_end end)
{
	if (e->nraw != n || e->s.end != end)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!frame_eq(&e->raw[i], &frames[i]))
			return false;
	return true;
}

struct stack_table *stack_table_new(void)
{
	struct stack_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (u64_map_init(&t->by_hash)) {
		free(t);
		return NULL;
	}
	return t;
}

static void frames_free(struct stack_frame *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].module);
		free(f[i].function);
		free(f[i].file);
	}
	free(f);
}

void stack_table_free(struct stack_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->len; i++) {
		struct stack_entry *e = t->v[i];

		if (e->s.frames != e->raw)
			frames_free(e->s.frames, e->s.nframes);
		frames_free(e->raw, e->nraw);
		free(e);
	}
	free(t->v);
	u64_map_fini(&t->by_hash);
	free(t);
}

static int dup_str(char **dst, const char *src)
{
	*dst = NULL;
	if (!src)
		return 0;
	*dst = strdup(src);
	return *dst ? 0 : -ENOMEM;
}

static struct stack_frame *frames_copy(const struct stack_frame *src, size_t n)
{
	struct stack_frame *f = calloc(n ? n : 1, sizeof(*f));

	if (!f)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		f[i] = src[i];
		if (dup_str(&f[i].module, src[i].module) ||
		    dup_str(&f[i].function, src[i].function) ||
		    dup_str(&f[i].file, src[i].file)) {
			frames_free(f, i + 1);
			return NULL;
		}
	}
	return f;
}

uint32_t stack_table_intern(struct stack_table *t, const struct stack_frame *frames,
			    size_t nframes, enum stack_end end)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	struct stack_entry *e;

	if (nframes > STACK_MAX_FRAMES) {
		nframes = STACK_MAX_FRAMES;
		end = STACK_END_CUT;
	}
	for (size_t i = 0; i < nframes; i++)
		h = frame_hash(h, &frames[i]);
	h = mix(h, &end, sizeof(end));
	/* the map returns the newest node of a key: walk the chain for collisions */
	for (struct u64_map_node *n = u64_map_find(&t->by_hash, h); n; n = n->next) {
		e = (struct stack_entry *)((char *)n - offsetof(struct stack_entry, node));
		if (n->key == h && stack_eq(e, frames, nframes, end))
			return e->s.id;
	}
	if (t->len == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct stack_entry **v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return 0;
		t->v = v;
		t->cap = cap;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return 0;
	e->raw = frames_copy(frames, nframes);
	if (!e->raw) {
		free(e);
		return 0;
	}
	e->nraw = nframes;
	e->s.frames = e->raw;
	e->s.nframes = nframes;
	e->s.end = end;
	e->s.truncated = end != STACK_END_CLEAN;
	e->s.id = (uint32_t)t->len + 1;
	e->hash = h;
	t->v[t->len++] = e;
	u64_map_insert(&t->by_hash, &e->node, h);
	return e->s.id;
}

/* Naming happens after interning (at report time): the raw frames stay the
 * stack's identity. */
int stack_table_name(struct stack_table *t, uint32_t id, const struct stack_frame *frames,
		     size_t nframes, bool truncated)
{
	struct stack_frame *copy;
	struct stack_entry *e;

	if (!id || id > t->len)
		return -ENOENT;
	if (nframes > STACK_MAX_FRAMES) {
		nframes = STACK_MAX_FRAMES;
		truncated = true;
	}
	copy = frames_copy(frames, nframes);
	if (!copy)
		return -ENOMEM;
	e = t->v[id - 1];
	if (e->s.frames != e->raw)
		frames_free(e->s.frames, e->s.nframes);
	e->s.frames = copy;
	e->s.nframes = nframes;
	e->s.truncated = truncated;
	e->s.symbolized = true;
	return 0;
}

const struct stack *stack_table_get(const struct stack_table *t, uint32_t id)
{
	if (!t || !id || id > t->len)
		return NULL;
	return &t->v[id - 1]->s;
}

size_t stack_table_count(const struct stack_table *t)
{
	return t ? t->len : 0;
}

/* Frames in the C library are the wrapper (open, fopen, socket...), not the
 * code that leaked: the site is the first frame outside it. */
static bool in_libc(const struct stack_frame *f)
{
	const char *base;

	if (!f->module)
		return false;
	base = strrchr(f->module, '/');
	base = base ? base + 1 : f->module;
	return !strncmp(base, "libc.so", 7) || !strncmp(base, "libc-", 5) ||
	       !strncmp(base, "libpthread", 10) || !strncmp(base, "ld-linux", 8);
}

const struct stack_frame *stack_site_frame(const struct stack *s)
{
	if (!s || !s->nframes)
		return NULL;
	for (uint32_t i = 0; i < s->nframes; i++)
		if (!in_libc(&s->frames[i]))
			return &s->frames[i];
	return &s->frames[0];
}
