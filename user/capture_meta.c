// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>

#include "capture_meta.h"

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

void capture_header_fill(struct capture_header *h, const struct report_meta *m,
			 const struct options *o)
{
	size_t len = 0;

	memset(h, 0, sizeof(*h));
	memcpy(h->magic, CAPTURE_MAGIC, sizeof(h->magic));
	h->version = CAPTURE_VERSION;
	h->header_size = sizeof(*h);
	h->abi = LS_ABI_VERSION;
	h->flags = m->track_inherited ? 1 : 0;
	h->start_ns = m->start_ns;
	h->realtime_offset_ns = m->realtime_offset_ns;
	copy(h->version_str, sizeof(h->version_str), m->version);
	copy(h->kernel, sizeof(h->kernel), m->kernel);
	copy(h->host, sizeof(h->host), m->host);
	copy(h->mode, sizeof(h->mode), m->mode);
	h->close_wait_ms = o->close_wait_ms;
	h->min_age_ms = o->min_age_ms;
	h->idle_ms = o->idle_ms;
	h->growth_window_ms = o->growth_window_ms;
	h->growth_min = o->growth_min;
	for (char *const *a = m->command; a && *a; a++) {
		size_t n = strlen(*a) + 1;

		if (len + n > sizeof(h->args))
			break;
		memcpy(h->args + len, *a, n);
		len += n;
	}
	h->args_len = (uint32_t)len;
}

void capture_header_apply(const struct capture_header *h, struct report_meta *m,
			  struct options *o, char **argv)
{
	size_t n = 0, start = 0;

	m->version = h->version_str;
	m->kernel = h->kernel;
	m->host = h->host;
	m->mode = h->mode;
	m->start_ns = h->start_ns;
	m->realtime_offset_ns = h->realtime_offset_ns;
	m->track_inherited = h->flags & 1;
	o->track_inherited = m->track_inherited;
	o->close_wait_ms = h->close_wait_ms;
	o->min_age_ms = h->min_age_ms;
	o->idle_ms = h->idle_ms;
	o->growth_window_ms = h->growth_window_ms;
	o->growth_min = h->growth_min;
	/* argv as written: NUL-separated; a last one without its NUL is cut */
	for (size_t i = 0; i < h->args_len && n + 1 < CAPTURE_ARGV_MAX; i++) {
		if (h->args[i])
			continue;
		argv[n++] = (char *)h->args + start;
		start = i + 1;
	}
	argv[n] = NULL;
	m->command = argv;
}
