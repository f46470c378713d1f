/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Allocation failure injection for the fuzz targets: the code under test
 * handles ENOMEM on every allocation (the engine counts it and drops the
 * event), and those paths run nowhere else. The targets are linked with
 * --wrap for malloc, calloc, realloc, strdup and strndup, so every call the
 * linked objects make comes here first; allocations inside libc and the
 * sanitizer and fuzzer runtimes are not affected.
 */
#ifndef LEAKSCOPE_ALLOC_FAIL_H
#define LEAKSCOPE_ALLOC_FAIL_H

/* From now on, in this thread, fail one allocation in every period
 * (1: all of them); 0 stops failing. */
void alloc_fail_every(unsigned int period);
/* Allocations failed since the last alloc_fail_every(). */
unsigned long alloc_fail_count(void);

#endif /* LEAKSCOPE_ALLOC_FAIL_H */
