// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The capture reader. A capture may come from anywhere (a bug report, a
 * crashed run): every length is checked before it is used, and what is wrong
 * is said in one line with the file offset.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "capture.h"

struct capture_reader {
	FILE *f;
	unsigned long long offset;     /* of the next block in the file */
	unsigned long long block_at;   /* of the block being read */
	unsigned char *comp;
	unsigned char *raw;
	size_t len;                    /* inflated bytes of the current block */
	size_t pos;                    /* the next record in it */
};

static int fail(char *err, size_t errlen, const char *fmt, unsigned long long at,
		const char *what)
{
	snprintf(err, errlen, fmt, what, at);
	return -EINVAL;
}

int capture_reader_open(struct capture_reader **out, FILE *f, struct capture_header *h,
			char *err, size_t errlen)
{
	struct capture_reader *r;
	size_t n = fread(h, 1, sizeof(*h), f);

	if (n < sizeof(h->magic) || memcmp(h->magic, CAPTURE_MAGIC, sizeof(h->magic)))
		return fail(err, errlen, "%s (offset %llu)", 0, "not a leakscope capture");
	if (n < offsetof(struct capture_header, header_size) + sizeof(h->header_size))
		return fail(err, errlen, "%s at offset %llu", n, "truncated header");
	if (h->version > CAPTURE_VERSION) {
		snprintf(err, errlen, "capture format version %u is newer than this leakscope's "
			 "(%u): upgrade leakscope to replay it (offset 8)", h->version,
			 CAPTURE_VERSION);
		return -EPROTONOSUPPORT;
	}
	if (n < sizeof(*h) || h->header_size != sizeof(*h))
		return fail(err, errlen, "%s at offset %llu", n, "truncated or damaged header");
	if (h->abi != LS_ABI_VERSION || h->args_len > CAPTURE_ARGS_MAX) {
		snprintf(err, errlen, "capture header damaged (event ABI %u, argv %u bytes) at "
			 "offset 16", h->abi, h->args_len);
		return -EINVAL;
	}
	/* strings from the file: make sure they end */
	h->version_str[sizeof(h->version_str) - 1] = '\0';
	h->kernel[sizeof(h->kernel) - 1] = '\0';
	h->host[sizeof(h->host) - 1] = '\0';
	h->mode[sizeof(h->mode) - 1] = '\0';
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->comp = malloc(compressBound(CAPTURE_BLOCK_MAX));
	r->raw = malloc(CAPTURE_BLOCK_MAX);
	if (!r->comp || !r->raw) {
		capture_reader_free(r);
		return -ENOMEM;
	}
	r->f = f;
	r->offset = sizeof(*h);
	*out = r;
	return 0;
}

void capture_reader_free(struct capture_reader *r)
{
	if (!r)
		return;
	free(r->comp);
	free(r->raw);
	free(r);
}

/* 1: a block is loaded, 0: the file ends cleanly, -EINVAL: err says why. */
static int next_block(struct capture_reader *r, char *err, size_t errlen)
{
	struct capture_block b;
	uLongf raw_len = CAPTURE_BLOCK_MAX;
	size_t n = fread(&b, 1, sizeof(b), r->f);

	r->block_at = r->offset;
	if (n == 0 && feof(r->f))
		return 0;
	if (n < sizeof(b))
		return fail(err, errlen, "%s at offset %llu", r->block_at, "truncated block header");
	if (b.magic != CAPTURE_BLOCK_MAGIC)
		return fail(err, errlen, "%s at offset %llu", r->block_at, "damaged block header");
	if (!b.raw_len || b.raw_len > CAPTURE_BLOCK_MAX || b.comp_len > compressBound(b.raw_len))
		return fail(err, errlen, "%s at offset %llu", r->block_at, "impossible block sizes");
	if (fread(r->comp, 1, b.comp_len, r->f) != b.comp_len)
		return fail(err, errlen, "%s at offset %llu", r->block_at,
			    "truncated block (the run stopped while writing it)");
	if (uncompress(r->raw, &raw_len, r->comp, b.comp_len) != Z_OK || raw_len != b.raw_len ||
	    crc32(0, r->raw, (uInt)raw_len) != b.crc)
		return fail(err, errlen, "%s at offset %llu", r->block_at,
			    "corrupt block (does not inflate to what its checksum says)");
	r->offset += sizeof(b) + b.comp_len;
	r->len = raw_len;
	r->pos = 0;
	return 1;
}

int capture_next(struct capture_reader *r, const void **rec, size_t *size, char *err,
		 size_t errlen)
{
	struct ls_event_header h;
	int ret;

	while (r->pos == r->len) {
		ret = next_block(r, err, errlen);
		if (ret <= 0)
			return ret;
	}
	if (r->len - r->pos < sizeof(h))
		return fail(err, errlen, "%s in the block at offset %llu", r->block_at,
			    "a record cut short");
	memcpy(&h, r->raw + r->pos, sizeof(h));
	if (h.size < sizeof(h) || h.size > r->len - r->pos)
		return fail(err, errlen, "%s in the block at offset %llu", r->block_at,
			    "a record with an impossible size");
	*rec = r->raw + r->pos;
	*size = h.size;
	r->pos += CAPTURE_ALIGN(h.size) < r->len - r->pos ? CAPTURE_ALIGN(h.size) : r->len - r->pos;
	return 1;
}

int capture_stack_frames(const void *rec, size_t size, struct stack_frame *frames,
			 size_t max, size_t *nframes, char *strings, size_t strings_len)
{
	const unsigned char *p = rec;
	struct capture_stack h;
	size_t at, used = 0;

	if (size < sizeof(h))
		return -EINVAL;
	memcpy(&h, rec, sizeof(h));
	if (h.nframes > max || h.end > STACK_END_CUT)
		return -EINVAL;
	at = sizeof(h);
	for (size_t i = 0; i < h.nframes; i++) {
		uint16_t ml, fl;

		if (size - at < 20)
			return -EINVAL;
		memset(&frames[i], 0, sizeof(frames[i]));
		memcpy(&frames[i].pc, p + at, 8);
		memcpy(&frames[i].offset, p + at + 8, 8);
		memcpy(&ml, p + at + 16, 2);
		memcpy(&fl, p + at + 18, 2);
		at += 20;
		if (size - at < (size_t)ml + fl || strings_len - used < (size_t)ml + fl + 2)
			return -EINVAL;
		if (ml) {
			frames[i].module = strings + used;
			memcpy(strings + used, p + at, ml);
			strings[used + ml] = '\0';
			used += ml + 1;
		}
		at += ml;
		if (fl) {
			frames[i].function = strings + used;
			memcpy(strings + used, p + at, fl);
			strings[used + fl] = '\0';
			used += fl + 1;
		}
		at += fl;
	}
	*nframes = h.nframes;
	return 0;
}
