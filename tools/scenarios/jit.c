// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * jit DIR: what a JIT runtime does, small: it writes machine code into an
 * anonymous executable mapping (no ELF file holds it), names it in
 * /tmp/perf-PID.map as perf expects, and calls it; the generated code calls
 * back into jit_target(), which leaks an fd. The generated code keeps a frame
 * pointer, as JITs that want to be profiled do, so the walk can go on past it.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char *dir;

int __attribute__((noinline)) jit_target(void)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/jitted", dir);
	fd = open(path, O_RDWR | O_CREAT, 0600); /* LEAK:jit */
	return fd < 0 ? fd : 0;
}

int main(int argc, char **argv)
{
	/* push rbp; mov rbp,rsp; movabs rax,imm64; call rax; pop rbp; ret */
	unsigned char code[] = { 0x55, 0x48, 0x89, 0xe5, 0x48, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
				 0xff, 0xd0, 0x5d, 0xc3 };
	uintptr_t target = (uintptr_t)jit_target;
	char map_path[64];
	int (*fn)(void);
	FILE *map;
	void *mem;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: jit DIR\n");
		return 2;
	}
	dir = argv[1];
	memcpy(code + 6, &target, sizeof(target));
	mem = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memcpy(mem, code, sizeof(code));
	snprintf(map_path, sizeof(map_path), "/tmp/perf-%d.map", getpid());
	map = fopen(map_path, "w");
	if (!map) {
		perror(map_path);
		return 1;
	}
	fprintf(map, "%lx %zx JIT:generated_trampoline\n", (unsigned long)(uintptr_t)mem, sizeof(code));
	if (fclose(map)) {
		perror(map_path);
		return 1;
	}
	fn = (int (*)(void))mem;
	ret = fn();
	printf("%s\n", map_path);
	return ret ? 1 : 0;
}
