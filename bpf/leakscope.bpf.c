// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel side of leakscope: the syscalls that create and release fds, the
 * lifecycle of the tasks that own them, and the limits they run into.
 *
 * Filter first, then do the least work: syscalls whose result is the new fd
 * need only their exit hook (the file is read from the fd table there); the
 * others save their arguments per thread at enter and are joined at exit, so a
 * failed call produces nothing.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "events.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* One compilation unit, one job per header; the order is the dependency order. */
#include "common.bpf.h"
#include "path.bpf.h"
#include "sock_read.bpf.h"
#include "fd_create.bpf.h"
#include "stack.bpf.h"
#include "access_probes.bpf.h"
#include "fd_probes.bpf.h"
#include "scm_probes.bpf.h"
#include "sock_probes.bpf.h"
#include "mm_probes.bpf.h"
#include "task_probes.bpf.h"
#include "limit_probes.bpf.h"
