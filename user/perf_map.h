/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * /tmp/perf-PID.map: JIT runtimes (V8, the JVM with perf-map-agent, LuaJIT,
 * Python 3.12 -X perf, ...) write one "START SIZE NAME" line (hex) per
 * function they compile, which is how perf names code no ELF file holds. The
 * process writes the file, and we run as root: it is opened without
 * following symlinks, must be a regular file owned by the process's owner,
 * and is read with bounds.
 */
#ifndef LEAKSCOPE_PERF_MAP_H
#define LEAKSCOPE_PERF_MAP_H

#include <stdint.h>

struct perf_maps;

struct perf_maps *perf_maps_new(void);
void perf_maps_free(struct perf_maps *m);
/* A new stack walk begins: files may be read again (when they changed). */
void perf_maps_next_walk(struct perf_maps *m);
/* The name of the JIT function holding pc in process pid, or NULL. Valid
 * until the next walk. */
const char *perf_map_name(struct perf_maps *m, uint32_t pid, uint64_t pc);

#endif /* LEAKSCOPE_PERF_MAP_H */
