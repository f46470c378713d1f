// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Atomic report files: the target holds the old content or the complete new
 * content, with mode 0600, and no temporary file is ever left behind.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "atomic_file.h"

struct fixture {
	char dir[64];
	char path[128];	/* <dir>/report */
	char mnt[96];	/* a tmpfs mounted here, if any */
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	strcpy(fx->dir, "/tmp/leakscope-af.XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	snprintf(fx->path, sizeof(fx->path), "%s/report", fx->dir);
	*state = fx;
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	if (fx->mnt[0])
		umount2(fx->mnt, MNT_DETACH);
	nftw(fx->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	}
	closedir(d);
	return n;
}

static void write_file(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(content, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void expect_content(const char *path, const char *content)
{
	char buf[256] = "";
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	assert_int_equal(n, strlen(content));
	assert_string_equal(buf, content);
}

static void commit_string(const char *path, const char *content)
{
	struct atomic_file *af = atomic_file_open(path);

	assert_non_null(af);
	assert_int_equal(fputs(content, atomic_file_stream(af)) >= 0, 1);
	assert_int_equal(atomic_file_commit(af), 0);
}

/* Replaces an existing 0644 target with the complete new content, 0600. */
static void test_commit_complete(void **state)
{
	struct fixture *fx = *state;
	size_t len = 256 * 1024, i;
	struct atomic_file *af;
	char *data = malloc(len), *back = malloc(len + 1);
	struct stat st;
	FILE *f;

	assert_non_null(data);
	assert_non_null(back);
	write_file(fx->path, "old\n");
	assert_int_equal(chmod(fx->path, 0644), 0);
	for (i = 0; i < len; i++)
		data[i] = (char)('a' + i % 26);
	af = atomic_file_open(fx->path);
	assert_non_null(af);
	assert_int_equal(fwrite(data, 1, len, atomic_file_stream(af)), len);
	assert_int_equal(atomic_file_commit(af), 0);

	f = fopen(fx->path, "r");
	assert_non_null(f);
	assert_int_equal(fread(back, 1, len + 1, f), len);
	fclose(f);
	assert_memory_equal(back, data, len);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(count_entries(fx->dir), 1);
	free(data);
	free(back);
}

static void expect_mode_with_umask(struct fixture *fx, mode_t mask)
{
	mode_t old = umask(mask);
	struct atomic_file *af;
	struct stat st;
	int ret = -1;

	unlink(fx->path);
	af = atomic_file_open(fx->path);
	if (af)
		ret = atomic_file_commit(af);
	/* restored before asserting, so a failure does not leak into later tests */
	umask(old);
	assert_int_equal(ret, 0);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

static void test_mode_0600(void **state)
{
	expect_mode_with_umask(*state, 0);
	expect_mode_with_umask(*state, 0777);
	expect_mode_with_umask(*state, 0022);
}

static void test_relative_path(void **state)
{
	struct fixture *fx = *state;
	char cwd[4096];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(fx->dir), 0);
	commit_string("report", "rel\n");
	assert_int_equal(chdir(cwd), 0);
	expect_content(fx->path, "rel\n");
	assert_int_equal(count_entries(fx->dir), 1);
}

static void test_abort(void **state)
{
	struct fixture *fx = *state;
	struct atomic_file *af;

	write_file(fx->path, "old\n");
	af = atomic_file_open(fx->path);
	assert_non_null(af);
	fputs("half a rep", atomic_file_stream(af));
	fflush(atomic_file_stream(af));
	/* the temporary file is a hidden sibling of the target */
	assert_int_equal(count_entries(fx->dir), 2);
	atomic_file_abort(af);
	expect_content(fx->path, "old\n");
	assert_int_equal(count_entries(fx->dir), 1);

	unlink(fx->path);
	af = atomic_file_open(fx->path);
	assert_non_null(af);
	atomic_file_abort(af);
	assert_int_equal(count_entries(fx->dir), 0);
}

static void test_symlink_refused(void **state)
{
	struct fixture *fx = *state;
	char real[160], dangling[160];
	struct stat st;

	snprintf(real, sizeof(real), "%s/real", fx->dir);
	snprintf(dangling, sizeof(dangling), "%s/nowhere", fx->dir);
	write_file(real, "keep\n");
	assert_int_equal(symlink(real, fx->path), 0);
	errno = 0;
	assert_null(atomic_file_open(fx->path));
	assert_int_equal(errno, ELOOP);
	expect_content(real, "keep\n");
	assert_int_equal(lstat(fx->path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(count_entries(fx->dir), 2);

	/* a dangling link is refused too, and its target is not created */
	unlink(fx->path);
	assert_int_equal(symlink(dangling, fx->path), 0);
	errno = 0;
	assert_null(atomic_file_open(fx->path));
	assert_int_equal(errno, ELOOP);
	assert_int_equal(access(dangling, F_OK), -1);
	assert_int_equal(count_entries(fx->dir), 2);
}

static void test_non_regular_refused(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(mkdir(fx->path, 0700), 0);
	errno = 0;
	assert_null(atomic_file_open(fx->path));
	assert_int_equal(errno, EISDIR);
	assert_int_equal(rmdir(fx->path), 0);

	assert_int_equal(mkfifo(fx->path, 0600), 0);
	errno = 0;
	assert_null(atomic_file_open(fx->path));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(count_entries(fx->dir), 1);
}

static void test_missing_dir(void **state)
{
	struct fixture *fx = *state;
	char path[160];

	snprintf(path, sizeof(path), "%s/missing/report", fx->dir);
	errno = 0;
	assert_null(atomic_file_open(path));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(count_entries(fx->dir), 0);
}

/* A failing rename must still clean up: the target became a directory. */
static void test_rename_failure(void **state)
{
	struct fixture *fx = *state;
	struct atomic_file *af = atomic_file_open(fx->path);
	char inner[160];

	assert_non_null(af);
	fputs("data", atomic_file_stream(af));
	assert_int_equal(mkdir(fx->path, 0700), 0);
	snprintf(inner, sizeof(inner), "%s/x", fx->path);
	write_file(inner, "x");
	assert_int_equal(atomic_file_commit(af), -EISDIR);
	assert_int_equal(count_entries(fx->dir), 1);
	assert_int_equal(count_entries(fx->path), 1);
}

static void mount_small_tmpfs(struct fixture *fx)
{
	snprintf(fx->mnt, sizeof(fx->mnt), "%s/small", fx->dir);
	assert_int_equal(mkdir(fx->mnt, 0700), 0);
	if (mount("tmpfs", fx->mnt, "tmpfs", 0, "size=64k,mode=0700")) {
		int err = errno;

		fx->mnt[0] = '\0';
		fail_msg("ENOSPC test needs to mount a 64 KiB tmpfs (run as root): %s",
			 strerror(err));
	}
	snprintf(fx->path, sizeof(fx->path), "%s/report", fx->mnt);
}

/* The write that runs out of space happens inside fwrite's own flushing. */
static void test_enospc_large(void **state)
{
	struct fixture *fx = *state;
	static char chunk[1000];
	struct atomic_file *af;
	FILE *f;
	int i;

	mount_small_tmpfs(fx);
	write_file(fx->path, "old\n");
	af = atomic_file_open(fx->path);
	assert_non_null(af);
	f = atomic_file_stream(af);
	memset(chunk, 'x', sizeof(chunk));
	for (i = 0; i < 256; i++)
		fwrite(chunk, 1, sizeof(chunk), f);
	assert_int_equal(atomic_file_commit(af), -ENOSPC);
	expect_content(fx->path, "old\n");
	assert_int_equal(count_entries(fx->mnt), 1);
}

/* Everything fits the stdio buffer, so only commit's fflush sees ENOSPC. */
static void test_enospc_at_flush(void **state)
{
	struct fixture *fx = *state;
	static char block[4096];
	struct atomic_file *af;
	char filler[160];
	int fd;

	mount_small_tmpfs(fx);
	write_file(fx->path, "old\n");
	snprintf(filler, sizeof(filler), "%s/filler", fx->mnt);
	fd = open(filler, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	while (write(fd, block, sizeof(block)) > 0)
		;
	assert_int_equal(errno, ENOSPC);
	close(fd);

	af = atomic_file_open(fx->path);
	assert_non_null(af);
	assert_int_equal(fputs("new\n", atomic_file_stream(af)) >= 0, 1);
	assert_int_equal(atomic_file_commit(af), -ENOSPC);
	expect_content(fx->path, "old\n");
	assert_int_equal(count_entries(fx->mnt), 2);
}

static void test_null_args(void **state)
{
	(void)state;
	errno = 0;
	assert_null(atomic_file_open(NULL));
	assert_int_equal(errno, EINVAL);
	errno = 0;
	assert_null(atomic_file_open(""));
	assert_int_equal(errno, EINVAL);
	assert_null(atomic_file_stream(NULL));
	assert_int_equal(atomic_file_commit(NULL), -EINVAL);
	atomic_file_abort(NULL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_commit_complete),
		T(test_mode_0600),
		T(test_relative_path),
		T(test_abort),
		T(test_symlink_refused),
		T(test_non_regular_refused),
		T(test_missing_dir),
		T(test_rename_failure),
		T(test_enospc_large),
		T(test_enospc_at_flush),
		cmocka_unit_test(test_null_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
