// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * mappings DIR MODE - memory mappings that outlive their fds, split, move, grow.
 *
 * 1. Creates DIR/mapped.bin, 1 MiB (ftruncate), maps it MAP_SHARED PROT_READ
 *    and closes the fd: only the mapping keeps the file in use.
 * 2. Maps 16 anonymous pages, munmaps pages 7-8 (two pieces: 7 and 7 pages)
 *    and mremaps the first piece to 12 pages with MREMAP_MAYMOVE (the 2-page
 *    hole is too small, so it moves).
 * 3. Prints "file START-END", "anon1 START-END", "anon2 START-END" (hex, as
 *    /proc/PID/maps writes them) and "ready", and waits until DIR/go exists.
 * 4. Grows the heap with sbrk(1 MiB), prints "grown", waits until DIR/go2.
 * 5. MODE unmap: munmaps the file mapping and both pieces; MODE keep: leaves
 *    them mapped. Exits 0.
 *
 * Only munmaps of whole mappings in step 5 release mappings: the munmap in
 * step 2 splits one. Every wait polls every 10 ms and gives up after 30 s
 * with exit status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define POLL_NS (10 * 1000 * 1000)
#define MAX_POLLS 3000 /* 30 s */
#define FILE_BYTES (1024 * 1024)
#define HEAP_BYTES (1024 * 1024)

static void path_in(char *buf, size_t len, const char *dir, const char *name)
{
	if (snprintf(buf, len, "%s/%s", dir, name) >= (int)len) {
		fprintf(stderr, "mappings: directory name too long\n");
		exit(1);
	}
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Waits until path exists; exits 1 after 30 s. stat() creates no fd. */
static void wait_for(const char *path)
{
	struct timespec ts = { 0, POLL_NS };
	struct stat st;

	for (int i = 0; i < MAX_POLLS; i++) {
		if (stat(path, &st) == 0)
			return;
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "mappings: %s did not appear within 30 s\n", path);
	exit(1);
}

static void say_range(const char *name, const void *start, size_t len)
{
	printf("%s %lx-%lx\n", name, (unsigned long)(uintptr_t)start,
	       (unsigned long)((uintptr_t)start + len));
}

static void say(const char *line)
{
	if (puts(line) < 0 || fflush(stdout))
		die("mappings: stdout");
}

int main(int argc, char **argv)
{
	char path[4096], go[4096], go2[4096];
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t piece1 = 7 * page, piece2 = 7 * page, grown = 12 * page;
	char *file, *anon, *anon1, *anon2;
	int fd, keep;

	if (argc != 3 || (strcmp(argv[2], "keep") && strcmp(argv[2], "unmap"))) {
		fprintf(stderr, "usage: %s DIR keep|unmap\n", argv[0]);
		return 2;
	}
	keep = !strcmp(argv[2], "keep");
	path_in(path, sizeof(path), argv[1], "mapped.bin");
	path_in(go, sizeof(go), argv[1], "go");
	path_in(go2, sizeof(go2), argv[1], "go2");

	fd = open(path, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		die("mappings: open mapped.bin");
	if (ftruncate(fd, FILE_BYTES))
		die("mappings: ftruncate");
	file = mmap(NULL, FILE_BYTES, PROT_READ, MAP_SHARED, fd, 0);
	if (file == MAP_FAILED)
		die("mappings: mmap mapped.bin");
	if (close(fd))
		die("mappings: close mapped.bin");

	anon = mmap(NULL, 16 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED)
		die("mappings: mmap anonymous");
	if (munmap(anon + 7 * page, 2 * page))
		die("mappings: munmap the middle");
	anon2 = anon + 9 * page;
	anon1 = mremap(anon, piece1, grown, MREMAP_MAYMOVE);
	if (anon1 == MAP_FAILED)
		die("mappings: mremap");

	say_range("file", file, FILE_BYTES);
	say_range("anon1", anon1, grown);
	say_range("anon2", anon2, piece2);
	say("ready");

	wait_for(go);
	if (sbrk(HEAP_BYTES) == (void *)-1)
		die("mappings: sbrk");
	say("grown");
	wait_for(go2);

	if (!keep && (munmap(file, FILE_BYTES) || munmap(anon1, grown) || munmap(anon2, piece2)))
		die("mappings: munmap");
	return 0;
}
