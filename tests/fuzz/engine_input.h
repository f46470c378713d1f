/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * fuzz_engine's input, shared with the seed generator (tools/fuzz/gen_seeds.c):
 *
 *   [options byte] { [length: 2 bytes, little-endian] [record: length bytes] }...
 *
 * Records are those of bpf/events.h. The length is the harness's, not the
 * header's size field, so a header may claim more or less than there is. A
 * length past the end takes what is left; a last single byte is a record of
 * its own.
 */
#ifndef LEAKSCOPE_FUZZ_ENGINE_INPUT_H
#define LEAKSCOPE_FUZZ_ENGINE_INPUT_H

#define OPT_TRACK_INHERITED 0x01 /* report inherited fds and 0-2 as well */
#define OPT_SHORT_TIMES 0x02     /* thresholds of 1 ns: every old or idle fd is a finding */
#define OPT_FAIL_ALLOCS 0x80     /* allocations in engine_apply fail, one in every... */
#define OPT_FAIL_PERIOD(o) ((((o) >> 2) & 0x1f) + 1) /* ...1 to 32 */
#define OPT_FAIL_PERIOD_BITS(n) ((((n) - 1) & 0x1f) << 2) /* the bits for period n */

#endif /* LEAKSCOPE_FUZZ_ENGINE_INPUT_H */
