// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The live event source: open → configure → load → attach the BPF programs,
 * then drain the ring buffer on a timer.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "leakscope.skel.h"
#include "trace.h"

#define TRACEFS "/sys/kernel/tracing"

struct trace {
	struct leakscope_bpf *skel;
	struct ring_buffer *rb;
	trace_record_fn fn;
	void *ctx;
};

static bool verbose_libbpf;
static bool quiet_libbpf; /* while a failure is expected and said in one line of ours */

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if ((level == LIBBPF_DEBUG || quiet_libbpf) && !verbose_libbpf)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/*
 * CO-RE needs the kernel's own type information; without it libbpf fails deep
 * in the load with a line per step. Look first (libbpf's own search: sysfs,
 * then the vmlinux files it knows) and say it once.
 */
static int check_kernel_btf(void)
{
	struct btf *btf;
	int err;

	quiet_libbpf = true;
	btf = btf__load_vmlinux_btf();
	quiet_libbpf = false;
	err = libbpf_get_error(btf);
	if (err) {
		fprintf(stderr, "leakscope: this kernel has no BTF type information "
			"(/sys/kernel/btf/vmlinux: %s); leakscope needs a kernel built with "
			"CONFIG_DEBUG_INFO_BTF=y\n",
			err == -ESRCH ? "missing or not valid" : strerror(-err));
		return err;
	}
	btf__free(btf);
	return 0;
}

/* Syscall tracepoints attach through tracefs, which a fresh machine may lack. */
static int ensure_tracefs(void)
{
	struct stat st;

	if (stat(TRACEFS "/events", &st) == 0)
		return 0;
	if (mount("nodev", TRACEFS, "tracefs", 0, NULL)) {
		int err = -errno;

		fprintf(stderr, "leakscope: tracefs is not mounted and mounting it on %s failed: %s\n",
			TRACEFS, strerror(errno));
		return err;
	}
	fprintf(stderr, "leakscope: mounted tracefs on %s (syscall tracepoints need it)\n", TRACEFS);
	return 0;
}

/* The use counters' hooks (access_probes.bpf.h: "use_*"): not loaded when off. */
static void skip_use_hooks(struct bpf_object *obj)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj)
		if (!strncmp(bpf_program__name(prog), "use_", 4))
			bpf_program__set_autoload(prog, false);
}

/* A syscall tracepoint that this kernel or architecture lacks is skipped, not fatal. */
static void skip_missing_tracepoints(struct bpf_object *obj, bool verbose)
{
	static const char prefix[] = "tracepoint/";
	struct bpf_program *prog;
	char path[256];

	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);

		if (strncmp(sec, prefix, sizeof(prefix) - 1) != 0)
			continue;
		snprintf(path, sizeof(path), TRACEFS "/events/%s", sec + sizeof(prefix) - 1);
		if (access(path, F_OK) == 0)
			continue;
		bpf_program__set_autoload(prog, false);
		if (verbose)
			fprintf(stderr, "leakscope: %s not available here, skipped\n", sec);
	}
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct trace *t = ctx;

	return t->fn(t->ctx, data, size);
}

int trace_start(struct trace **out, const struct trace_opts *opts, trace_record_fn fn, void *ctx)
{
	struct trace *t;
	int err;

	verbose_libbpf = opts->verbose;
	libbpf_set_print(print_libbpf);
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);

	err = check_kernel_btf();
	if (err)
		return err;
	err = ensure_tracefs();
	if (err)
		return err;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->fn = fn;
	t->ctx = ctx;

	t->skel = leakscope_bpf__open();
	if (!t->skel) {
		err = -errno;
		fprintf(stderr, "leakscope: cannot open the BPF object: %s\n", strerror(errno));
		goto fail;
	}
	t->skel->rodata->filter_mode = opts->filter;
	t->skel->rodata->follow_children = opts->follow_children;
	t->skel->rodata->filter_cgroup_id = opts->cgroup_id;
	t->skel->rodata->filter_cgroup_level = opts->cgroup_level;
	t->skel->rodata->self_tgid = getpid();
	t->skel->rodata->wakeup_bytes = opts->ring_bytes / 4;
	t->skel->rodata->stack_bytes = opts->stack_bytes;
	t->skel->rodata->track_access = opts->track_access;
	err = bpf_map__set_max_entries(t->skel->maps.events, opts->ring_bytes);
	if (err) {
		fprintf(stderr, "leakscope: ring buffer size %u refused: %s\n", opts->ring_bytes,
			strerror(-err));
		goto fail;
	}
	skip_missing_tracepoints(t->skel->obj, opts->verbose);
	if (!opts->track_access)
		skip_use_hooks(t->skel->obj);

	err = leakscope_bpf__load(t->skel);
	if (err) {
		fprintf(stderr, "leakscope: cannot load the BPF programs: %s "
			"(run as root on a kernel with BTF; -v shows the verifier log)\n", strerror(-err));
		goto fail;
	}
	err = leakscope_bpf__attach(t->skel);
	if (err) {
		fprintf(stderr, "leakscope: cannot attach the BPF programs: %s\n", strerror(-err));
		goto fail;
	}
	t->rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_record, t, NULL);
	if (!t->rb) {
		err = -errno;
		fprintf(stderr, "leakscope: cannot open the ring buffer: %s\n", strerror(errno));
		goto fail;
	}
	*out = t;
	return 0;
fail:
	trace_stop(t);
	return err;
}

int trace_fd_use(struct trace *t, uint32_t tgid, int fd, uint64_t *count, uint64_t *last_ns)
{
	struct {
		__u32 tgid;
		__s32 fd;
	} key = { tgid, fd };
	struct {
		__u64 count;
		__u64 last_ns;
	} val;
	int err;

	err = bpf_map__lookup_elem(t->skel->maps.fd_access, &key, sizeof(key), &val, sizeof(val), 0);
	if (err == -ENOENT) {
		*count = 0;
		*last_ns = 0;
		return 0;
	}
	if (err)
		return err;
	*count = val.count;
	*last_ns = val.last_ns;
	return 0;
}

int trace_add_tgid(struct trace *t, uint32_t tgid)
{
	__u8 one = 1;
	int err;

	err = bpf_map__update_elem(t->skel->maps.traced_tgids, &tgid, sizeof(tgid), &one,
				   sizeof(one), BPF_ANY);
	if (err)
		fprintf(stderr, "leakscope: cannot add pid %u to the filter: %s\n", tgid,
			strerror(-err));
	return err;
}

int trace_poll(struct trace *t, int timeout_ms)
{
	int n = ring_buffer__poll(t->rb, timeout_ms);

	if (n < 0 && n != -EINTR)
		return n;
	/* poll returns on a wakeup only; what was queued without one is drained here */
	return trace_drain(t);
}

int trace_drain(struct trace *t)
{
	int n = ring_buffer__consume(t->rb);

	return n == -EINTR ? 0 : n;
}

int trace_read_stats(struct trace *t, uint64_t out[LS_STAT_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals;
	int fd, err = 0;

	if (ncpu < 0)
		return ncpu;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	fd = bpf_map__fd(t->skel->maps.stats);
	for (uint32_t i = 0; i < LS_STAT_MAX; i++) {
		out[i] = 0;
		if (bpf_map_lookup_elem(fd, &i, vals)) {
			err = -errno;
			break;
		}
		for (int c = 0; c < ncpu; c++)
			out[i] += vals[c];
	}
	free(vals);
	return err;
}

static void *destroy_link(void *arg)
{
	bpf_link__destroy(arg);
	return NULL;
}

/*
 * Detaching a tracepoint waits for an RCU grace period (~70 ms here); one
 * after the other, 30 of them kept `leakscope -- /bin/true` waiting 2 s.
 * Detached concurrently, the waits share grace periods.
 */
static void detach_concurrently(struct leakscope_bpf *skel)
{
	struct bpf_object_skeleton *s = skel->skeleton;
	pthread_t tids[64];
	int n = 0;

	for (int i = 0; i < s->prog_cnt && n < 64; i++) {
		struct bpf_prog_skeleton *ps = (void *)((char *)s->progs + (size_t)i * s->prog_skel_sz);
		struct bpf_link *link = *ps->link;

		if (!link)
			continue;
		if (pthread_create(&tids[n], NULL, destroy_link, link)) {
			bpf_link__destroy(link);
		} else {
			n++;
		}
		*ps->link = NULL;
	}
	for (int i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
}

/* The background detacher keeps only BPF and perf objects (all anon inodes):
 * a pipe it kept open would hold up whoever reads leakscope's output. */
static void keep_only_anon_inodes(void)
{
	char path[64], target[64];
	struct dirent *de;
	DIR *dir;
	int null;

	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int fd = 0; fd <= 2; fd++)
		dup2(null, fd);
	dir = opendir("/proc/self/fd");
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		int fd = atoi(de->d_name);
		ssize_t n;

		if (fd <= 2 || fd == dirfd(dir))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0 || strncmp(target, "anon_inode:", 11) != 0)
			close(fd);
	}
	closedir(dir);
}

/*
 * Even concurrently, detaching takes ~1 s here, and the report is already
 * written: hand the links to a child that detaches them after we are gone,
 * so the user gets their prompt (and the traced command's status) at once.
 */
static bool detach_in_background(struct leakscope_bpf *skel)
{
	pid_t pid = fork();

	if (pid < 0)
		return false;
	if (pid == 0) {
		setsid();
		keep_only_anon_inodes();
		detach_concurrently(skel);
		_exit(0);
	}
	return true;
}

void trace_stop(struct trace *t)
{
	if (!t)
		return;
	ring_buffer__free(t->rb);
	/* our own copies of the links are then closed fast: the child holds them */
	if (t->skel && !detach_in_background(t->skel))
		detach_concurrently(t->skel);
	leakscope_bpf__destroy(t->skel);
	free(t);
}
