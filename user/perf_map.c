// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perf_map.h"

#define CACHED 8
#define MAX_BYTES (64 << 20)

struct jit_sym {
	uint64_t start;
	uint64_t end;
	char *name;
};

struct pid_map {
	uint32_t pid;       /* 0: free */
	off_t size;         /* of the file when read */
	uint64_t checked;   /* the walk it was last looked at in */
	uint64_t last_use;
	struct jit_sym *v;  /* sorted by start */
	size_t len;
};

struct perf_maps {
	struct pid_map maps[CACHED];
	uint64_t clock;
	uint64_t walk;
};

void perf_maps_next_walk(struct perf_maps *m)
{
	m->walk++;
}

struct perf_maps *perf_maps_new(void)
{
	return calloc(1, sizeof(struct perf_maps));
}

static void clear(struct pid_map *pm)
{
	for (size_t i = 0; i < pm->len; i++)
		free(pm->v[i].name);
	free(pm->v);
	pm->v = NULL;
	pm->len = 0;
}

void perf_maps_free(struct perf_maps *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < CACHED; i++)
		clear(&m->maps[i]);
	free(m);
}

static int by_start(const void *a, const void *b)
{
	const struct jit_sym *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* "7f3a10001000 40 LazyCompile:~foo app.js:3" */
static int parse(struct pid_map *pm, FILE *f)
{
	char line[1024];
	size_t cap = 0;

	while (fgets(line, sizeof(line), f)) {
		unsigned long long start, size;
		struct jit_sym *s;
		int name_at = 0;
		size_t n;

		if (sscanf(line, "%llx %llx %n", &start, &size, &name_at) < 2 || !name_at || !size)
			continue;
		n = strcspn(line + name_at, "\n");
		if (!n || start + size < start)
			continue;
		if (pm->len == cap) {
			size_t c = cap ? cap * 2 : 64;
			struct jit_sym *v = realloc(pm->v, c * sizeof(*v));

			if (!v)
				return -ENOMEM;
			pm->v = v;
			cap = c;
		}
		s = &pm->v[pm->len];
		s->start = start;
		s->end = start + size;
		s->name = strndup(line + name_at, n);
		if (!s->name)
			return -ENOMEM;
		pm->len++;
	}
	qsort(pm->v, pm->len, sizeof(*pm->v), by_start);
	return 0;
}

/* Read it again if it changed size; the process may have exited: keep what we had. */
static void refresh(struct pid_map *pm, uint32_t pid)
{
	char path[64];
	struct stat st, owner;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/perf-%u.map", pid);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return;
	snprintf(path, sizeof(path), "/proc/%u", pid);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > MAX_BYTES ||
	    st.st_size == pm->size || (stat(path, &owner) == 0 && owner.st_uid != st.st_uid)) {
		close(fd);
		return;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return;
	}
	clear(pm);
	pm->size = st.st_size;
	if (parse(pm, f))
		clear(pm);
	fclose(f);
}

const char *perf_map_name(struct perf_maps *m, uint32_t pid, uint64_t pc)
{
	struct pid_map *pm = NULL, *lru = &m->maps[0];
	size_t lo = 0, hi;

	for (size_t i = 0; i < CACHED; i++) {
		if (m->maps[i].pid == pid) {
			pm = &m->maps[i];
			break;
		}
		if (m->maps[i].last_use < lru->last_use)
			lru = &m->maps[i];
	}
	if (!pm) {
		pm = lru;
		clear(pm);
		pm->pid = pid;
		pm->size = -1;
		pm->checked = m->walk - 1;
	}
	pm->last_use = ++m->clock;
	/* once per walk: the names it already gave out stay valid during it */
	if (pm->checked != m->walk) {
		pm->checked = m->walk;
		refresh(pm, pid);
	}
	hi = pm->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pm->v[mid].end <= pc)
			lo = mid + 1;
		else if (pm->v[mid].start > pc)
			hi = mid;
		else
			return pm->v[mid].name;
	}
	return NULL;
}
