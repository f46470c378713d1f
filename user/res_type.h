/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef LEAKSCOPE_RES_TYPE_H
#define LEAKSCOPE_RES_TYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../bpf/events.h"

/* The precise type of a resource, from the kernel side's inode type, its
 * filesystem and its name ("anon_inode:[eventpoll]" is an epoll instance). */
uint16_t res_type_refine(uint16_t type, uint32_t fs_magic, const char *path, size_t len);

#endif /* LEAKSCOPE_RES_TYPE_H */
