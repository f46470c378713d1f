// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Write-to-temp-then-rename. The temporary file lives next to the target so
 * rename(2) stays within one filesystem and is atomic; a reader sees the old
 * report or the complete new one, never a prefix.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"

struct atomic_file {
	FILE *f;
	int fd;		/* owned here, not by the stream, so close errors are seen */
	int write_err;	/* first failed write(2), as -errno */
	char *path;	/* the target */
	char *tmp;	/* <dir>/.<base>.XXXXXX */
	char *dir;	/* fsynced after the rename so the new name is durable */
};

static void af_free(struct atomic_file *af)
{
	free(af->path);
	free(af->tmp);
	free(af->dir);
	free(af);
}

/*
 * Refuse what rename would silently replace: a symlink (the user may have
 * meant its target), a directory or a device. This is advisory only — a
 * link swapped in later is replaced by rename, never followed, so the
 * check cannot be raced into writing somewhere else.
 */
static int check_target(const char *path)
{
	struct stat st;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	return 0;
}

static int split_path(struct atomic_file *af, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dir_len = slash ? (int)(slash - path) : 0;

	/* "dir/" names no file we could create */
	if (!*base)
		return -EISDIR;
	if (!slash)
		af->dir = strdup(".");
	else if (!dir_len)
		af->dir = strdup("/");
	else
		af->dir = strndup(path, (size_t)dir_len);
	if (!af->dir)
		return -ENOMEM;
	if (asprintf(&af->tmp, "%.*s.%s.XXXXXX", slash ? dir_len + 1 : 0,
		     path, base) < 0) {
		af->tmp = NULL;
		return -ENOMEM;
	}
	return 0;
}

/*
 * stdio forgets why a buffered write failed by the time fflush reports it, so
 * the stream writes through this hook and remembers the first errno: a full
 * disk is then reported as ENOSPC rather than a bare EIO.
 */
static ssize_t af_write(void *cookie, const char *buf, size_t len)
{
	struct atomic_file *af = cookie;
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(af->fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!af->write_err)
				af->write_err = n < 0 ? -errno : -EIO;
			return done ? (ssize_t)done : -1;
		}
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static const cookie_io_functions_t af_io = { .write = af_write };

int atomic_file_check(const char *path)
{
	struct atomic_file af = { 0 };
	int err = check_target(path);

	if (!err)
		err = split_path(&af, path);
	if (!err && access(af.dir, W_OK))
		err = -errno;
	free(af.dir);
	free(af.tmp);
	return err;
}

struct atomic_file *atomic_file_open(const char *path)
{
	struct atomic_file *af;
	int err;

	if (!path || !*path) {
		errno = EINVAL;
		return NULL;
	}
	err = check_target(path);
	if (err) {
		errno = -err;
		return NULL;
	}
	af = calloc(1, sizeof(*af));
	if (!af)
		return NULL;
	af->path = strdup(path);
	err = af->path ? split_path(af, path) : -ENOMEM;
	if (err)
		goto err_free;

	af->fd = mkostemp(af->tmp, O_CLOEXEC);
	if (af->fd < 0) {
		err = -errno;
		goto err_free;
	}
	/* mkostemp's mode is filtered by umask; reports must be 0600 regardless */
	if (fchmod(af->fd, 0600)) {
		err = -errno;
		goto err_close;
	}
	af->f = fopencookie(af, "w", af_io);
	if (!af->f) {
		err = -errno;
		goto err_close;
	}
	return af;

err_close:
	close(af->fd);
	unlink(af->tmp);
err_free:
	af_free(af);
	errno = -err;
	return NULL;
}

FILE *atomic_file_stream(struct atomic_file *af)
{
	return af ? af->f : NULL;
}

/* Without this the rename itself may not survive a crash. */
static int sync_dir(const char *dir)
{
	int fd, err = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* some filesystems cannot sync a directory; there is nothing more to do */
	if (fsync(fd) && errno != EINVAL)
		err = -errno;
	close(fd);
	return err;
}

int atomic_file_commit(struct atomic_file *af)
{
	int err = 0;

	if (!af)
		return -EINVAL;
	if (fflush(af->f) == EOF || ferror(af->f))
		err = af->write_err ? af->write_err : -EIO;
	if (fclose(af->f) == EOF && !err)
		err = af->write_err ? af->write_err : -EIO;
	af->f = NULL;
	if (!err && fsync(af->fd))
		err = -errno;
	/* ENOSPC or EIO may surface only at close (NFS, quota) */
	if (close(af->fd) && !err)
		err = -errno;
	if (!err && rename(af->tmp, af->path))
		err = -errno;
	if (err) {
		unlink(af->tmp);
		af_free(af);
		return err;
	}
	/*
	 * The new content is already in place here; a failure only means it
	 * may not be durable yet, which the caller should still hear about.
	 */
	err = sync_dir(af->dir);
	af_free(af);
	return err;
}

void atomic_file_abort(struct atomic_file *af)
{
	if (!af)
		return;
	/* nothing buffered is worth writing to a file about to be removed */
	__fpurge(af->f);
	fclose(af->f);
	close(af->fd);
	unlink(af->tmp);
	af_free(af);
}
