// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>

#include "findings.h"

int findings_add(struct findings *f, const struct finding *item)
{
	if (f->len == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct finding *v = realloc(f->v, cap * sizeof(*v));

		if (!v) {
			free(item->growth);
			return -ENOMEM;
		}
		f->v = v;
		f->cap = cap;
	}
	f->v[f->len++] = *item;
	return 0;
}

void findings_free(struct findings *f)
{
	for (size_t i = 0; i < f->len; i++)
		free(f->v[i].growth);
	free(f->v);
	f->v = NULL;
	f->len = f->cap = 0;
	cycles_free(&f->cycles);
}

size_t findings_count_kind(const struct findings *f, enum finding_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < f->len; i++)
		n += f->v[i].kind == kind;
	return n;
}

const char *finding_kind_name(enum finding_kind k)
{
	switch (k) {
	case FINDING_RELEASED_AT_EXIT:
		return "released-at-exit";
	case FINDING_CLOSE_WAIT:
		return "close-wait";
	case FINDING_DELETED_OPEN:
		return "deleted-but-open";
	case FINDING_ZOMBIE:
		return "zombie";
	case FINDING_OLD_IDLE:
		return "old-and-idle";
	case FINDING_FD_MISUSE:
		return "fd-misuse";
	case FINDING_CYCLE:
		return "cycle";
	case FINDING_GROWTH:
		return "growth";
	case FINDING_KIND_MAX:
		break;
	}
	return "unknown";
}

const char *severity_name(enum severity s)
{
	static const char *const names[SEVERITY_MAX] = { "info", "warning", "error" };

	return (unsigned int)s < SEVERITY_MAX ? names[s] : "unknown";
}

size_t findings_count_at_least(const struct findings *f, enum severity s)
{
	size_t n = 0;

	for (size_t i = 0; i < f->len; i++)
		n += f->v[i].severity >= s;
	return n;
}

int detect_all(const struct ls_engine *eng, const struct detect_opts *o, struct findings *out)
{
	int err;

	err = detect_released_at_exit(eng, o, out);
	if (!err)
		err = detect_socket_and_file_states(eng, o, out);
	if (!err)
		err = detect_zombies(eng, o, out);
	if (!err)
		err = detect_idle(eng, o, out);
	if (!err)
		err = detect_misuse(eng, o, out);
	if (!err)
		err = detect_cycles(eng, o, out);
	if (!err)
		err = detect_growth(eng, o, out);
	return err;
}
