// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reads the --redact-key file and makes the redactor from it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "redact_key.h"

static int key_error(const char *path, const char *why)
{
	/* a path is quoted: no newline or escape of it reaches the terminal */
	fputs("leakscope: --redact-key ", stderr);
	for (const char *p = path; *p; p++)
		fputc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p, stderr);
	fprintf(stderr, ": %s\n", why);
	return LS_EXIT_USAGE;
}

/* The whole file into key; 0 or the exit status. */
static int read_key(const char *path, unsigned char *key, size_t *len)
{
	struct stat st;
	ssize_t n;
	int fd, ret = 0;

	*len = 0;
	/* a link could point the key at a file someone else controls */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return key_error(path, errno == ELOOP ? "a symbolic link (refused)" : strerror(errno));
	if (fstat(fd, &st)) {
		ret = key_error(path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = key_error(path, "not a regular file");
		goto out;
	}
	while (*len <= REDACT_KEY_MAX) {
		n = read(fd, key + *len, REDACT_KEY_MAX + 1 - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = key_error(path, strerror(errno));
			goto out;
		}
		if (!n)
			break;
		*len += (size_t)n;
	}
	if (!*len)
		ret = key_error(path, "empty: a key needs at least one byte (e.g. head -c 32 "
			       "/dev/urandom > FILE)");
	else if (*len > REDACT_KEY_MAX)
		ret = key_error(path, "larger than " REDACT_KEY_MAX_TEXT " bytes");
out:
	close(fd);
	return ret;
}

int redact_setup(const struct options *o, struct redactor **out)
{
	unsigned char key[REDACT_KEY_MAX + 1];
	size_t len = 0;
	int ret;

	*out = NULL;
	if (!o->redact)
		return 0;
	if (o->redact_key) {
		ret = read_key(o->redact_key, key, &len);
		if (ret) {
			OPENSSL_cleanse(key, sizeof(key));
			return ret;
		}
	}
	*out = redactor_new(len ? key : NULL, len);
	OPENSSL_cleanse(key, sizeof(key));
	if (!*out) {
		fprintf(stderr, "leakscope: --redact: libcrypto cannot compute %s\n",
			len ? "HMAC-SHA-256" : "SHA-256");
		return LS_EXIT_ERROR;
	}
	return 0;
}
