// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "atomic_file.h"
#include "metrics.h"
#include "metrics_export.h"
#include "metrics_http.h"

struct metrics_export {
	struct metrics_http *http; /* NULL: not serving */
	const char *path;          /* NULL: no file */
	size_t top;
	bool file_failing;         /* the failure was said; quiet until a write works */
};

int metrics_export_start(const struct options *o, struct metrics_export **out)
{
	struct metrics_export *x;
	int err;

	*out = NULL;
	if (!o->metrics_listen && !o->metrics_path)
		return 0;
	x = calloc(1, sizeof(*x));
	if (!x) {
		fprintf(stderr, "leakscope: out of memory\n");
		return -ENOMEM;
	}
	x->path = o->metrics_path;
	x->top = o->metrics_top;
	if (o->metrics_listen) {
		err = metrics_http_start(&o->metrics_addr, &x->http);
		if (err) {
			free(x);
			return err;
		}
	}
	*out = x;
	return 0;
}

/* user + system time of every thread, the server's included */
static double cpu_seconds(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* resident pages, the second field of /proc/self/statm; 0 if unreadable */
static uint64_t resident_bytes(void)
{
	unsigned long long size, resident;
	FILE *f = fopen("/proc/self/statm", "re");
	int n;

	if (!f)
		return 0;
	n = fscanf(f, "%llu %llu", &size, &resident);
	fclose(f);
	return n == 2 ? resident * (uint64_t)sysconf(_SC_PAGESIZE) : 0;
}

static int write_file(struct metrics_export *x, const char *text, size_t len)
{
	struct atomic_file *af = atomic_file_open(x->path);
	int err;

	if (!af)
		return -errno;
	if (fwrite(text, 1, len, atomic_file_stream(af)) != len) {
		atomic_file_abort(af);
		return -EIO;
	}
	err = atomic_file_commit(af);
	return err;
}

static void publish_file(struct metrics_export *x, const char *text, size_t len)
{
	int err = write_file(x, text, len);

	if (err && !x->file_failing)
		fprintf(stderr, "leakscope: cannot write the metrics %s: %s (said once)\n", x->path,
			strerror(-err));
	else if (!err && x->file_failing)
		fprintf(stderr, "leakscope: the metrics %s are written again\n", x->path);
	x->file_failing = err != 0;
}

int metrics_export_publish(struct metrics_export *x, const struct ls_engine *eng,
			   const struct findings *fs, uint64_t events_received,
			   const uint64_t kernel_stats[LS_STAT_MAX])
{
	struct metrics_observer obs = { .version = LEAKSCOPE_VERSION };
	struct timespec now;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	obs.events_received = events_received;
	memcpy(obs.kernel_stats, kernel_stats, sizeof(obs.kernel_stats));
	obs.cpu_seconds = cpu_seconds();
	obs.resident_bytes = resident_bytes();
	clock_gettime(CLOCK_REALTIME, &now);
	obs.now_unix_s = (double)now.tv_sec + (double)now.tv_nsec / 1e9;
	f = open_memstream(&text, &len);
	if (!f) {
		fprintf(stderr, "leakscope: out of memory rendering the metrics\n");
		return -ENOMEM;
	}
	err = metrics_render(f, eng, fs, &obs, x->top);
	if (fclose(f) && !err)
		err = -ENOMEM;
	if (err) {
		fprintf(stderr, "leakscope: cannot render the metrics: %s\n", strerror(-err));
		free(text);
		return err;
	}
	if (x->http && metrics_http_publish(x->http, text, len))
		fprintf(stderr, "leakscope: out of memory: the metrics served are the previous ones\n");
	if (x->path)
		publish_file(x, text, len);
	free(text);
	return 0;
}

void metrics_export_free(struct metrics_export *x)
{
	if (!x)
		return;
	metrics_http_stop(x->http);
	free(x);
}
