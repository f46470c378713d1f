// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "interval.h"

int interval_report_path(char *buf, size_t len, const char *dir, int64_t realtime_ns)
{
	time_t secs = (time_t)(realtime_ns / 1000000000);
	unsigned int ms = (unsigned int)((realtime_ns % 1000000000) / 1000000);
	struct tm tm;
	char stamp[32];
	int n;

	if (!gmtime_r(&secs, &tm) || !strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm))
		return -EINVAL;
	n = snprintf(buf, len, "%s/" INTERVAL_PREFIX "%s.%03uZ" INTERVAL_SUFFIX, dir, stamp, ms);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* Ours: the prefix, 8+1+6 digits, '.', 3 digits, 'Z', the suffix. */
static int is_report(const struct dirent *d)
{
	const char *n = d->d_name;
	size_t len = strlen(n), pre = strlen(INTERVAL_PREFIX), suf = strlen(INTERVAL_SUFFIX);

	return len == pre + 20 + suf && !strncmp(n, INTERVAL_PREFIX, pre) &&
	       !strcmp(n + len - suf, INTERVAL_SUFFIX) && n[pre + 8] == 'T' && n[pre + 19] == 'Z';
}

int interval_rotate(const char *dir, unsigned int keep)
{
	struct dirent **names;
	char path[4096];
	int n, removed = 0, err = 0;

	if (!keep)
		return 0;
	n = scandir(dir, &names, is_report, alphasort);
	if (n < 0)
		return -errno;
	for (int i = 0; i < n; i++) {
		if ((unsigned int)(n - i) > keep && !err) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			if (unlink(path) && errno != ENOENT)
				err = -errno;
			else
				removed++;
		}
		free(names[i]);
	}
	free(names);
	return err ? err : removed;
}

int interval_check_dir(const char *dir)
{
	char path[4096];
	int err;

	if (!dir)
		return 0;
	err = interval_report_path(path, sizeof(path), dir, 0);
	if (!err)
		err = atomic_file_check(path);
	if (err)
		fprintf(stderr, "leakscope: --report-dir %s: %s\n", dir,
			err == -ENAMETOOLONG ? "name too long" : strerror(-err));
	return err;
}
