// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fuzz target: the capture reader (leakscope replay reads files from
 * anywhere: a bug report, a crashed run).
 *
 * Input: the bytes of a capture file. Seeds: the captures of tests/replay/.
 *
 * Checked: opening gives 0 or an error with a one-line message; every record
 * handed out lies inside the block it came from, is at least a header long
 * and has the size its header says; a stack record unpacks or is refused,
 * and what it unpacks to points inside the strings buffer; the reader ends
 * with 0 or an error with a message naming an offset. Records are then fed
 * to an engine, as a replay does.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "engine.h"

#define ERR_LEN 320
#define STRINGS (UINT16_MAX + 2 * STACK_MAX_FRAMES + 1)

static _Noreturn void violated(const char *what, const char *err)
{
	fprintf(stderr, "capture reader invariant violated: %s (message: '%s')\n", what, err);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char strings[STRINGS];
	struct stack_frame frames[STACK_MAX_FRAMES];
	struct capture_header h;
	struct capture_reader *r = NULL;
	struct ls_engine *eng;
	char err[ERR_LEN] = "";
	const void *rec;
	size_t rsize, n;
	FILE *f;
	int ret;

	f = fmemopen((void *)data, size ? size : 1, "r");
	if (!f)
		return 0;
	if (!size)
		fgetc(f); /* an empty file: fmemopen wants a byte */
	ret = capture_reader_open(&r, f, &h, err, sizeof(err));
	if (ret) {
		if (ret != -ENOMEM && (!err[0] || strchr(err, '\n')))
			violated("an open error without one line", err);
		fclose(f);
		return 0;
	}
	eng = engine_new();
	if (!eng)
		abort();
	while ((ret = capture_next(r, &rec, &rsize, err, sizeof(err))) == 1) {
		const struct ls_event_header *hdr = rec;

		if (rsize < sizeof(*hdr) || hdr->size != rsize)
			violated("a record whose size is not its header's", err);
		if (hdr->type == CAPTURE_REC_STACK) {
			if (!capture_stack_frames(rec, rsize, frames, STACK_MAX_FRAMES, &n, strings,
						  sizeof(strings))) {
				for (size_t i = 0; i < n; i++) {
					const char *m = frames[i].module, *fn = frames[i].function;

					if ((m && (m < strings || m >= strings + sizeof(strings))) ||
					    (fn && (fn < strings || fn >= strings + sizeof(strings))))
						violated("a frame name outside the strings", err);
				}
			}
			continue;
		}
		engine_apply(eng, rec, rsize);
	}
	if (ret && (!strstr(err, "offset") || strchr(err, '\n')))
		violated("a read error that names no offset", err);
	engine_free(eng);
	capture_reader_free(r);
	fclose(f);
	return 0;
}
