// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loading tracing programs and reading kernel memory from them needs
 * CAP_BPF and CAP_PERFMON (Linux 5.8+), or CAP_SYS_ADMIN, which implies both;
 * mounting tracefs and reading other processes' /proc needs more, which root
 * has. The effective set is read from /proc/self/status (CapEff), which
 * needs no library.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "caps.h"

#define CAP_SYS_ADMIN 21
#define CAP_PERFMON 38
#define CAP_BPF 39

static int effective(uint64_t *caps)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %" SCNx64, caps) == 1) {
			err = 0;
			break;
		}
	fclose(f);
	return err;
}

int caps_check(char *buf, size_t len)
{
	uint64_t caps = 0;
	bool bpf, perfmon;

	buf[0] = '\0';
	/* cannot tell: let the kernel decide, it will say EPERM */
	if (effective(&caps))
		return 0;
	if (caps & (1ULL << CAP_SYS_ADMIN))
		return 0;
	bpf = caps & (1ULL << CAP_BPF);
	perfmon = caps & (1ULL << CAP_PERFMON);
	if (bpf && perfmon)
		return 0;
	snprintf(buf, len, "%s%s%s", bpf ? "" : "CAP_BPF", !bpf && !perfmon ? ", " : "",
		 perfmon ? "" : "CAP_PERFMON");
	return -EPERM;
}
