/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Whether this process may load and attach leakscope's BPF programs, told
 * before trying: the verifier's EPERM says nothing about which capability is
 * missing.
 */
#ifndef LEAKSCOPE_CAPS_H
#define LEAKSCOPE_CAPS_H

#include <stddef.h>

/* 0, or -EPERM with the missing capabilities named in buf ("CAP_BPF, CAP_PERFMON"). */
int caps_check(char *buf, size_t len);

#endif /* LEAKSCOPE_CAPS_H */
