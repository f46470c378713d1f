// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "suppress.h"

static const char *const key_names[SUPP_KEY_MAX] = {
	[SUPP_KIND] = "kind", [SUPP_TYPE] = "type", [SUPP_SEVERITY] = "severity",
	[SUPP_PATH] = "path", [SUPP_COMM] = "comm", [SUPP_FUNCTION] = "function",
};

static int key_of(const char *k, size_t n)
{
	for (int i = 0; i < SUPP_KEY_MAX; i++)
		if (strlen(key_names[i]) == n && !strncmp(key_names[i], k, n))
			return i;
	return -1;
}

static bool known_value(int key, const char *v)
{
	switch (key) {
	case SUPP_KIND:
		for (unsigned int k = 0; k < FINDING_KIND_MAX; k++)
			if (!strcmp(v, finding_kind_name(k)))
				return true;
		return false;
	case SUPP_TYPE:
		for (unsigned int t = 0; t < LS_RES_TYPE_MAX; t++)
			if (!strcmp(v, ls_res_type_name(t)))
				return true;
		return false;
	case SUPP_SEVERITY:
		for (unsigned int s = 0; s < SEVERITY_MAX; s++)
			if (!strcmp(v, severity_name(s)))
				return true;
		return false;
	default:
		return true;
	}
}

static void suppression_free(struct suppression *p)
{
	free(p->name);
	for (int k = 0; k < SUPP_KEY_MAX; k++)
		free(p->want[k]);
}

void suppressions_free(struct suppressions *s)
{
	for (size_t i = 0; i < s->len; i++)
		suppression_free(&s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* The next whitespace-separated word of line, or NULL at its end. */
static const char *next_word(const char **pos, const char *end, size_t *n)
{
	const char *p = *pos, *w;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (p == end)
		return NULL;
	w = p;
	while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
		p++;
	*n = (size_t)(p - w);
	*pos = p;
	return w;
}

static int parse_line(struct suppression *p, const char *line, const char *end,
		      unsigned int lineno, char *err, size_t errlen)
{
	const char *pos = line, *w;
	size_t n, conditions = 0;

	w = next_word(&pos, end, &n);
	p->line = lineno;
	p->name = strndup(w, n);
	if (!p->name)
		return -ENOMEM;
	while ((w = next_word(&pos, end, &n)) != NULL) {
		const char *eq = memchr(w, '=', n);
		int key = eq ? key_of(w, (size_t)(eq - w)) : -1;

		if (*w == '#') /* a comment to the end of the line */
			break;
		if (key < 0) {
			snprintf(err, errlen, "line %u: '%.*s': want KEY=VALUE with KEY one of kind, "
				 "type, severity, path, comm, function", lineno, (int)n, w);
			return -EINVAL;
		}
		if (p->want[key] || eq + 1 == w + n) {
			snprintf(err, errlen, "line %u: %s given twice or empty", lineno,
				 key_names[key]);
			return -EINVAL;
		}
		p->want[key] = strndup(eq + 1, (size_t)(w + n - eq - 1));
		if (!p->want[key])
			return -ENOMEM;
		if (!known_value(key, p->want[key])) {
			snprintf(err, errlen, "line %u: unknown %s '%s'", lineno, key_names[key],
				 p->want[key]);
			return -EINVAL;
		}
		conditions++;
	}
	if (!conditions) {
		/* a bare name would silence everything */
		snprintf(err, errlen, "line %u: suppression '%s' has no condition", lineno, p->name);
		return -EINVAL;
	}
	return 0;
}

int suppressions_parse(struct suppressions *s, const char *text, size_t len, char *err,
		       size_t errlen)
{
	const char *p = text, *end = text + len;
	unsigned int lineno = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol ? eol : end, *q = p, *first;
		size_t n;
		int ret;

		lineno++;
		if (memchr(p, '\0', (size_t)(line_end - p))) {
			snprintf(err, errlen, "line %u: a NUL byte: not a text file", lineno);
			return -EINVAL;
		}
		first = next_word(&q, line_end, &n);
		if (first && *first != '#') {
			struct suppression *sp;

			if (s->len == s->cap) {
				size_t cap = s->cap ? s->cap * 2 : 8;
				struct suppression *v = realloc(s->v, cap * sizeof(*v));

				if (!v)
					return -ENOMEM;
				s->v = v;
				s->cap = cap;
			}
			sp = &s->v[s->len];
			memset(sp, 0, sizeof(*sp));
			ret = parse_line(sp, p, line_end, lineno, err, errlen);
			if (ret) {
				suppression_free(sp);
				return ret;
			}
			s->len++;
		}
		p = eol ? eol + 1 : end;
	}
	return 0;
}

static bool glob(const char *pattern, const char *s)
{
	return s && !fnmatch(pattern, s, 0);
}

static bool stack_has(const struct stack *st, const char *pattern)
{
	for (uint32_t i = 0; st && i < st->nframes; i++)
		if (glob(pattern, st->frames[i].function))
			return true;
	return false;
}

static bool matches(const struct suppression *p, const struct finding *fi,
		    const struct stack_table *stacks)
{
	const char *const *w = (const char *const *)p->want;
	uint32_t stack_id = fi->fd ? fi->fd->stack_id : fi->misuse ? fi->misuse->stack_id : 0;
	char name[LS_PATH_MAX + 64];

	if (w[SUPP_KIND] && strcmp(w[SUPP_KIND], finding_kind_name(fi->kind)))
		return false;
	if (w[SUPP_SEVERITY] && strcmp(w[SUPP_SEVERITY], severity_name(fi->severity)))
		return false;
	if (w[SUPP_TYPE] && (!fi->fd || strcmp(w[SUPP_TYPE], ls_res_type_name(fi->fd->ofd->res_type))))
		return false;
	if (w[SUPP_PATH]) {
		if (!fi->fd)
			return false;
		name[report_resource_name(fi->fd, NULL, name, sizeof(name) - 1)] = '\0';
		if (!glob(w[SUPP_PATH], name))
			return false;
	}
	if (w[SUPP_COMM] && !glob(w[SUPP_COMM], fi->proc->comm))
		return false;
	if (w[SUPP_FUNCTION] && !stack_has(stack_table_get(stacks, stack_id), w[SUPP_FUNCTION]) &&
	    !(fi->misuse && stack_has(stack_table_get(stacks, fi->misuse->close_stack_id),
				      w[SUPP_FUNCTION])))
		return false;
	return true;
}

size_t suppressions_apply(struct suppressions *s, struct findings *fs,
			  const struct stack_table *stacks)
{
	size_t kept = 0, dropped = 0;

	for (size_t i = 0; i < fs->len; i++) {
		bool drop = false;

		for (size_t j = 0; j < s->len && !drop; j++) {
			if (matches(&s->v[j], &fs->v[i], stacks)) {
				s->v[j].hits++;
				drop = true;
			}
		}
		if (drop) {
			/* the list owns a growth's detail: dropping it frees it */
			free(fs->v[i].growth);
			dropped++;
		} else
			fs->v[kept++] = fs->v[i];
	}
	fs->len = kept;
	return dropped;
}
