// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The engine on one core, without the kernel: how many events per second it
 * applies, and how many bytes of user memory a live fd costs. The rate is
 * given per second of wall time and per second of the process's CPU time:
 * on a shared machine the wall clock also counts the time others had the
 * core.
 *
 *   engine_bench [EVENTS] [LIVE_FDS]   (defaults 20000000 and 1000000)
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"

#define NPROC 100

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void attach(struct ls_engine *eng, uint32_t pid)
{
	struct ls_proc_attach a;

	memset(&a, 0, sizeof(a));
	a.hdr.type = LS_EV_PROC_ATTACH;
	a.hdr.size = sizeof(a);
	a.hdr.tgid = a.hdr.tid = pid;
	a.ppid = 1;
	memcpy(a.comm, "bench", 6);
	engine_apply(eng, &a, sizeof(a));
}

/* An open of "/var/log/app.log" as the kernel side sends it. */
static void fill_open(struct ls_fd_create *e, uint32_t pid, int fd, uint64_t file_id, uint64_t ts)
{
	static const char path[] = "/var/log/app.log";

	memset(e, 0, offsetof(struct ls_fd_create, path));
	e->hdr.type = LS_EV_FD_CREATE;
	e->hdr.size = sizeof(*e);
	e->hdr.ts_ns = ts;
	e->hdr.tgid = e->hdr.tid = pid;
	e->fd = fd;
	e->src_fd = e->peer_fd = -1;
	e->syscall = LS_SYS_OPENAT;
	e->res_type = LS_RES_FILE;
	e->file_id = file_id;
	e->path_len = sizeof(path) - 1;
	memcpy(e->path, path, sizeof(path) - 1);
}

int main(int argc, char **argv)
{
	long events = argc > 1 ? strtol(argv[1], NULL, 10) : 20000000;
	long live = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000;
	struct ls_fd_create open_ev;
	struct ls_fd_close close_ev;
	struct ls_engine *eng;
	struct mallinfo2 before, after;
	uint64_t t0, c0, dt, dc;
	long applied = 0;

	if (events < 2 || live < 1) {
		fprintf(stderr, "engine_bench: EVENTS >= 2, LIVE_FDS >= 1\n");
		return 2;
	}
	/* 1. throughput: open/close pairs spread over NPROC processes */
	eng = engine_new();
	if (!eng)
		return 1;
	for (uint32_t p = 0; p < NPROC; p++)
		attach(eng, 1000 + p);
	memset(&close_ev, 0, sizeof(close_ev));
	close_ev.hdr.type = LS_EV_FD_CLOSE;
	close_ev.hdr.size = sizeof(close_ev);
	close_ev.syscall = LS_SYS_CLOSE;
	t0 = now_ns(CLOCK_MONOTONIC);
	c0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	for (long i = 0; applied < events; i++) {
		uint32_t pid = 1000 + (uint32_t)(i % NPROC);
		int fd = 3 + (int)(i / NPROC % 64);

		fill_open(&open_ev, pid, fd, 0x10000 + (uint64_t)i, (uint64_t)i);
		engine_apply(eng, &open_ev, sizeof(open_ev));
		close_ev.hdr.tgid = close_ev.hdr.tid = pid;
		close_ev.hdr.ts_ns = (uint64_t)i;
		close_ev.fd = fd;
		engine_apply(eng, &close_ev, sizeof(close_ev));
		applied += 2;
	}
	dc = now_ns(CLOCK_PROCESS_CPUTIME_ID) - c0;
	dt = now_ns(CLOCK_MONOTONIC) - t0;
	printf("engine_events_per_s %.0f\n", applied / (dt / 1e9));
	printf("engine_events_per_cpu_s %.0f\n", applied / (dc / 1e9));
	printf("engine_ns_per_event %.1f\n", (double)dc / applied);
	engine_free(eng);

	/* 2. memory: LIVE_FDS open fds across NPROC processes, all kept */
	eng = engine_new();
	if (!eng)
		return 1;
	for (uint32_t p = 0; p < NPROC; p++)
		attach(eng, 1000 + p);
	before = mallinfo2();
	for (long i = 0; i < live; i++) {
		fill_open(&open_ev, 1000 + (uint32_t)(i % NPROC), 3 + (int)(i / NPROC),
			  0x100000000ULL + (uint64_t)i, (uint64_t)i);
		engine_apply(eng, &open_ev, sizeof(open_ev));
	}
	after = mallinfo2();
	printf("live_fds %ld\n", live);
	/* big blocks are mmapped by malloc and counted apart (hblkhd): both */
	printf("bytes_per_live_fd %.1f\n",
	       ((double)after.uordblks + after.hblkhd - before.uordblks - before.hblkhd) / live);
	engine_free(eng);
	return 0;
}
