// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>

#include "ofd_registry.h"
#include "res_type.h"

struct ofd_entry {
	struct ls_ofd ofd;        /* first: fds point here */
	struct u64_map_node node; /* in live while in_map */
	uint32_t exit_records;
	bool in_map;
};

static struct ofd_entry *ofd_entry_of(struct ls_ofd *o)
{
	return (struct ofd_entry *)((char *)o - offsetof(struct ofd_entry, ofd));
}

int ofd_registry_init(struct ofd_registry *r)
{
	r->last_id = 0;
	return u64_map_init(&r->live);
}

void ofd_registry_fini(struct ofd_registry *r)
{
	u64_map_fini(&r->live);
}

static struct ofd_entry *ofd_entry_new(const struct ls_fd_create *e, uint64_t id)
{
	struct ofd_entry *oe = calloc(1, sizeof(*oe));
	struct ls_ofd *o;

	if (!oe)
		return NULL;
	o = &oe->ofd;
	o->path = malloc((size_t)e->path_len + 1);
	if (!o->path) {
		free(oe);
		return NULL;
	}
	memcpy(o->path, e->path, e->path_len);
	o->path[e->path_len] = '\0';
	o->path_len = e->path_len;
	o->path_truncated = e->path_truncated;
	o->id = id;
	o->file_id = e->file_id;
	/* clamped so that reports and counters can index by it */
	o->res_type = res_type_refine(e->res_type, e->fs_magic, e->path, e->path_len);
	o->sock_family = e->sock_family;
	o->sock_type = e->sock_type;
	o->sock_protocol = e->sock_protocol;
	o->file_flags = e->file_flags;
	o->mode = e->mode;
	o->dev = e->dev;
	o->ino = e->ino;
	return oe;
}

struct ls_ofd *ofd_acquire(struct ofd_registry *r, const struct ls_fd_create *e)
{
	struct ofd_entry *oe;

	if (e->file_id) {
		struct u64_map_node *n = u64_map_find(&r->live, e->file_id);

		if (n) {
			oe = (struct ofd_entry *)((char *)n - offsetof(struct ofd_entry, node));
			oe->ofd.refs++;
			return &oe->ofd;
		}
	}
	oe = ofd_entry_new(e, r->last_id + 1);
	if (!oe)
		return NULL;
	r->last_id++;
	oe->ofd.refs = 1;
	if (e->file_id) {
		u64_map_insert(&r->live, &oe->node, e->file_id);
		oe->in_map = true;
	}
	return &oe->ofd;
}

static void ofd_maybe_free(struct ofd_registry *r, struct ofd_entry *oe)
{
	if (oe->ofd.refs)
		return;
	if (oe->in_map) {
		u64_map_remove(&r->live, &oe->node);
		oe->in_map = false;
	}
	if (oe->exit_records)
		return;
	free(oe->ofd.path);
	free(oe);
}

void ofd_release(struct ofd_registry *r, struct ls_ofd *o)
{
	o->refs--;
	ofd_maybe_free(r, ofd_entry_of(o));
}

void ofd_release_to_exit_record(struct ofd_registry *r, struct ls_ofd *o)
{
	struct ofd_entry *oe = ofd_entry_of(o);

	oe->exit_records++;
	o->refs--;
	ofd_maybe_free(r, oe);
}

void ofd_drop_exit_record(struct ofd_registry *r, struct ls_ofd *o)
{
	struct ofd_entry *oe = ofd_entry_of(o);

	oe->exit_records--;
	ofd_maybe_free(r, oe);
}
