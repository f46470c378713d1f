/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The capture file (--capture FILE, leakscope replay FILE): what the engine
 * was fed, in order, so that a replay rebuilds the same state and writes the
 * same report.
 *
 *   header    struct capture_header, uncompressed, fixed size
 *   blocks    struct capture_block + zlib data; each inflates to whole
 *             records (bpf/events.h records, and the capture's own below),
 *             each padded to a multiple of 8 bytes
 *
 * A block is written whole with one write(2), so a crash loses at most the
 * records not yet in a block. Little-endian, fixed-width fields: the format
 * of the machine that wrote it (x86_64 and arm64 agree).
 */
#ifndef LEAKSCOPE_CAPTURE_FORMAT_H
#define LEAKSCOPE_CAPTURE_FORMAT_H

#include <stdint.h>

#include "../bpf/events.h"

#define CAPTURE_MAGIC "LSCAPTUR"
#define CAPTURE_VERSION 1
#define CAPTURE_BLOCK_MAGIC 0x4b4c4253u /* "SBLK" */
#define CAPTURE_BLOCK_MAX (1u << 20)    /* raw bytes in one block */
#define CAPTURE_ARGS_MAX 4096
/* Records start at multiples of 8 in a block: readers may use them in place. */
#define CAPTURE_ALIGN(n) (((n) + 7) & ~(size_t)7)

/* Records only a capture holds (never fed to the engine). */
enum capture_record_type {
	CAPTURE_REC_STACK = 0x8001, /* a stack of the stack table, as unwound */
	CAPTURE_REC_END,            /* the run ended: the report's facts */
};

struct capture_header {
	char magic[8];           /* CAPTURE_MAGIC, no NUL */
	uint32_t version;        /* CAPTURE_VERSION */
	uint32_t header_size;    /* sizeof(struct capture_header) */
	uint32_t abi;            /* LS_ABI_VERSION of the records */
	uint32_t flags;          /* 1: track_inherited */
	uint64_t start_ns;       /* CLOCK_MONOTONIC, as event timestamps */
	int64_t realtime_offset_ns;
	char version_str[32];    /* leakscope's, NUL-terminated */
	char kernel[65];
	char host[65];
	char mode[16];
	uint8_t pad[6];
	/* the thresholds the detectors ran with, so a replay judges alike */
	uint64_t close_wait_ms;
	uint64_t min_age_ms;
	uint64_t idle_ms;
	uint64_t growth_window_ms;
	uint32_t growth_min;
	uint32_t args_len;       /* bytes used in args: argv, each NUL-terminated */
	char args[CAPTURE_ARGS_MAX];
};

struct capture_block {
	uint32_t magic;          /* CAPTURE_BLOCK_MAGIC */
	uint32_t raw_len;        /* bytes once inflated, at most CAPTURE_BLOCK_MAX */
	uint32_t comp_len;       /* bytes that follow */
	uint32_t crc;            /* crc32 of the inflated bytes */
};

/* A stack as interned (stack_table.h): frames are (pc, offset) and the
 * module's path or the JIT function's name, strings in the tail. */
struct capture_stack {
	struct ls_event_header hdr;  /* type CAPTURE_REC_STACK */
	uint32_t id;
	uint16_t nframes;
	uint8_t end;                 /* enum stack_end */
	uint8_t pad;
	/* then nframes x { u64 pc; u64 offset; u16 module_len; u16 function_len;
	 * module bytes; function bytes } */
};

struct capture_end {
	struct ls_event_header hdr;  /* type CAPTURE_REC_END; ts_ns: the report's end */
	uint64_t events_received;
	uint64_t kernel_stats[LS_STAT_MAX];
};

#endif /* LEAKSCOPE_CAPTURE_FORMAT_H */
