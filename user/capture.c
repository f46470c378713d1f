// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The capture writer: records into blocks, blocks through zlib into the file. */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "capture.h"

struct capture {
	int fd;
	int err;               /* the first failure, sticky */
	unsigned long long offset;
	unsigned char *raw;    /* CAPTURE_BLOCK_MAX bytes being filled */
	size_t len;
	unsigned char *comp;   /* a compressed block and its header */
	size_t comp_cap;
};

static int write_all(struct capture *c, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(c->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
		c->offset += (unsigned long long)n;
	}
	return 0;
}

int capture_open(struct capture **out, const char *path, const struct capture_header *h)
{
	struct capture *c = calloc(1, sizeof(*c));
	int err = 0;

	if (!c)
		return -ENOMEM;
	c->comp_cap = sizeof(struct capture_block) + compressBound(CAPTURE_BLOCK_MAX);
	c->raw = malloc(CAPTURE_BLOCK_MAX);
	c->comp = malloc(c->comp_cap);
	if (!c->raw || !c->comp) {
		err = -ENOMEM;
		goto fail;
	}
	c->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (c->fd < 0) {
		err = -errno;
		goto fail;
	}
	/* an existing file keeps its mode through O_TRUNC: captures are private */
	if (fchmod(c->fd, 0600))
		err = -errno;
	else
		err = write_all(c, h, sizeof(*h));
	if (err) {
		close(c->fd);
		goto fail;
	}
	*out = c;
	return 0;
fail:
	free(c->raw);
	free(c->comp);
	free(c);
	return err;
}

int capture_flush(struct capture *c)
{
	struct capture_block *b = (struct capture_block *)c->comp;
	uLongf comp_len = compressBound(CAPTURE_BLOCK_MAX);

	if (c->err || !c->len)
		return c->err;
	/* speed over size: a capture runs beside the traced programs */
	if (compress2(c->comp + sizeof(*b), &comp_len, c->raw, c->len, 1) != Z_OK) {
		c->err = -EIO;
		return c->err;
	}
	b->magic = CAPTURE_BLOCK_MAGIC;
	b->raw_len = (uint32_t)c->len;
	b->comp_len = (uint32_t)comp_len;
	b->crc = (uint32_t)crc32(0, c->raw, (uInt)c->len);
	c->err = write_all(c, c->comp, sizeof(*b) + comp_len);
	c->len = 0;
	return c->err;
}

/* Without the unused tail of its text buffer: the engine reads only what
 * the record says it used (paths are mostly much shorter than 256 bytes). */
static size_t used_size(const void *rec, size_t size)
{
	const struct ls_event_header *h = rec;
	size_t used = size;

	if (size < sizeof(*h))
		return size;
	switch (h->type) {
	case LS_EV_FD_CREATE:
		if (size >= sizeof(struct ls_fd_create))
			used = offsetof(struct ls_fd_create, path) +
			       ((const struct ls_fd_create *)rec)->path_len;
		break;
	case LS_EV_MMAP:
		if (size >= sizeof(struct ls_mmap))
			used = offsetof(struct ls_mmap, path) + ((const struct ls_mmap *)rec)->path_len;
		break;
	case LS_EV_PROC_EXEC:
		if (size >= sizeof(struct ls_proc_exec))
			used = offsetof(struct ls_proc_exec, args) +
			       ((const struct ls_proc_exec *)rec)->args_len;
		break;
	case LS_EV_PROC_ATTACH:
		if (size >= sizeof(struct ls_proc_attach))
			used = offsetof(struct ls_proc_attach, args) +
			       ((const struct ls_proc_attach *)rec)->args_len;
		break;
	}
	return used < size ? used : size;
}

int capture_add(struct capture *c, const void *rec, size_t size)
{
	size_t padded;

	if (c->err)
		return c->err;
	size = used_size(rec, size);
	padded = CAPTURE_ALIGN(size);
	if (padded > CAPTURE_BLOCK_MAX)
		return -EINVAL;
	if (c->len + padded > CAPTURE_BLOCK_MAX && capture_flush(c))
		return c->err;
	memcpy(c->raw + c->len, rec, size);
	memset(c->raw + c->len + size, 0, padded - size);
	/* the record says how long it is now */
	if (size >= sizeof(struct ls_event_header))
		((struct ls_event_header *)(c->raw + c->len))->size = (uint16_t)size;
	c->len += padded;
	return 0;
}

static size_t str_len(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n > UINT16_MAX ? UINT16_MAX : n;
}

int capture_add_stack(struct capture *c, const struct stack *st)
{
	unsigned char buf[UINT16_MAX];
	struct capture_stack *h = (struct capture_stack *)buf;
	size_t len = sizeof(*h);

	memset(h, 0, sizeof(*h));
	for (uint32_t i = 0; i < st->nframes; i++) {
		const struct stack_frame *f = &st->frames[i];
		uint16_t ml = (uint16_t)str_len(f->module), fl = (uint16_t)str_len(f->function);

		if (len + 20 + ml + fl > sizeof(buf))
			break; /* absurdly long names: the rest of the stack is left out */
		memcpy(buf + len, &f->pc, 8);
		memcpy(buf + len + 8, &f->offset, 8);
		memcpy(buf + len + 16, &ml, 2);
		memcpy(buf + len + 18, &fl, 2);
		len += 20;
		memcpy(buf + len, f->module ? f->module : "", ml);
		len += ml;
		memcpy(buf + len, f->function ? f->function : "", fl);
		len += fl;
		h->nframes++;
	}
	h->hdr.type = CAPTURE_REC_STACK;
	h->hdr.size = (uint16_t)len;
	h->id = st->id;
	h->end = (uint8_t)st->end;
	return capture_add(c, buf, len);
}

unsigned long long capture_offset(const struct capture *c)
{
	return c->offset;
}

int capture_close(struct capture *c, const struct capture_end *end)
{
	int err;

	if (end)
		capture_add(c, end, sizeof(*end));
	capture_flush(c);
	if (!c->err && fsync(c->fd))
		c->err = -errno;
	if (close(c->fd) && !c->err)
		c->err = -errno;
	err = c->err;
	free(c->raw);
	free(c->comp);
	free(c);
	return err;
}
