// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_RING_BYTES (8U << 20)
#define DEFAULT_STACK_BYTES 8192
#define STACK_BYTES_MAX 16384 /* LS_STACK_MAX */
#define STACK_BYTES_UNIT 512

enum {
	OPT_JSON = 256, OPT_RING_SIZE, OPT_TRACK_INHERITED, OPT_CGROUP, OPT_NO_CHILDREN,
	OPT_TEXT, OPT_ERROR_EXITCODE, OPT_FAIL_ON, OPT_CLOSE_WAIT, OPT_STACK_BYTES,
	OPT_MIN_AGE, OPT_IDLE, OPT_SUPPRESSIONS, OPT_GROWTH_WINDOW, OPT_GROWTH_MIN, OPT_CAPTURE,
	OPT_INTERVAL, OPT_REPORT_DIR, OPT_KEEP, OPT_COUNT, OPT_MAX_EXITED,
	OPT_METRICS_LISTEN, OPT_METRICS_FILE, OPT_METRICS_TOP, OPT_METRICS_INTERVAL,
	OPT_DOT, OPT_HTML, OPT_REDACT, OPT_REDACT_KEY,
};

#define DEFAULT_CLOSE_WAIT_MS 10000
#define DEFAULT_MIN_AGE_MS 60000
#define DEFAULT_IDLE_MS 60000
#define DEFAULT_GROWTH_WINDOW_MS 300000
#define DEFAULT_GROWTH_MIN 10
#define DEFAULT_METRICS_TOP 20 /* METRICS_DEFAULT_TOP */
#define METRICS_TOP_MAX 10000
#define DEFAULT_METRICS_INTERVAL_MS 1000
#define METRICS_INTERVAL_MIN_MS 100 /* a detection pass over the whole state each time */

static const struct option long_opts[] = {
	{ "json", required_argument, NULL, OPT_JSON },
	{ "dot", required_argument, NULL, OPT_DOT },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "redact", no_argument, NULL, OPT_REDACT },
	{ "redact-key", required_argument, NULL, OPT_REDACT_KEY },
	{ "ring-size", required_argument, NULL, OPT_RING_SIZE },
	{ "stack-bytes", required_argument, NULL, OPT_STACK_BYTES },
	{ "min-age", required_argument, NULL, OPT_MIN_AGE },
	{ "idle", required_argument, NULL, OPT_IDLE },
	{ "suppressions", required_argument, NULL, OPT_SUPPRESSIONS },
	{ "capture", required_argument, NULL, OPT_CAPTURE },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "report-dir", required_argument, NULL, OPT_REPORT_DIR },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "max-exited", required_argument, NULL, OPT_MAX_EXITED },
	{ "track-inherited", no_argument, NULL, OPT_TRACK_INHERITED },
	{ "text", required_argument, NULL, OPT_TEXT },
	{ "error-exitcode", required_argument, NULL, OPT_ERROR_EXITCODE },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "close-wait", required_argument, NULL, OPT_CLOSE_WAIT },
	{ "growth-window", required_argument, NULL, OPT_GROWTH_WINDOW },
	{ "growth-min", required_argument, NULL, OPT_GROWTH_MIN },
	{ "metrics-listen", required_argument, NULL, OPT_METRICS_LISTEN },
	{ "metrics-file", required_argument, NULL, OPT_METRICS_FILE },
	{ "metrics-top", required_argument, NULL, OPT_METRICS_TOP },
	{ "metrics-interval", required_argument, NULL, OPT_METRICS_INTERVAL },
	{ "pid", required_argument, NULL, 'p' },
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "no-children", no_argument, NULL, OPT_NO_CHILDREN },
	{ "duration", required_argument, NULL, 'd' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void cli_print_help(const char *prog)
{
	printf("Usage: %s [OPTIONS] [--] CMD [ARGS...]\n"
	       "       %s replay FILE [--json FILE] [--text FILE] [--suppressions FILE] ...\n"
	       "       %s [OPTIONS] -p PID[,PID...] | --cgroup PATH | (nothing: system-wide)\n"
	       "\n"
	       "Traces, with eBPF, every fd the processes create and release, and reports\n"
	       "the fds each process never closed (released only when it exited), and what\n"
	       "the live ones hold. Fds open before leakscope started are listed as such.\n"
	       "\n"
	       "What to trace:\n"
	       "  -p, --pid PID[,PID..]  running processes (and their descendants)\n"
	       "      --no-children      with -p: not the descendants\n"
	       "      --cgroup PATH      every process in a cgroup v2 directory and below\n"
	       "  -d, --duration SECS    stop after SECS seconds (default: until CMD or the\n"
	       "                         -p processes end, or SIGINT/SIGTERM)\n"
	       "\n"
	       "Options:\n"
	       "      --json FILE        write the JSON report to FILE (atomically, mode 0600)\n"
	       "      --text FILE        write the summary for people to FILE, not stderr\n"
	       "      --dot FILE         write the links between resources as a Graphviz\n"
	       "                         graph to FILE (dot -Tsvg FILE > graph.svg)\n"
	       "      --html FILE        write one self-contained HTML page to FILE: open fds\n"
	       "                         over time, the findings with their stacks, the links\n"
	       "      --redact           paths, argv and socket endpoints as hashes\n"
	       "                         (path:3f2a9c1b7d40e8a1) in every report and metric\n"
	       "      --redact-key FILE  the same, keyed (HMAC-SHA-256) with FILE's bytes\n"
	       "      --interval SECS    also write a JSON report every SECS into --report-dir\n"
	       "      --report-dir DIR   where: leakscope-<UTC time>.json, atomic, mode 0600\n"
	       "      --keep N           keep the N newest interval reports (default: all)\n"
	       "      --count N          stop after N intervals\n"
	       "      --max-exited N     exited processes kept in full (default 10000); older\n"
	       "                         ones are folded into counts, said in the report\n"
	       "      --capture FILE     record what the engine is fed (mode 0600, zlib blocks);\n"
	       "                         'leakscope replay FILE [--json F] ...' reports it again\n"
	       "      --suppressions FILE  findings not to report (format in README.md);\n"
	       "                         repeatable; -v lists the ones that matched nothing\n"
	       "      --track-inherited  also report fds a process inherited (fork, attach)\n"
	       "                         and the standard streams 0-2\n"
	       "      --error-exitcode N exit N (1-255) if there are findings of at least\n"
	       "                         --fail-on SEVERITY (info, warning, error; default warning)\n"
	       "      --close-wait SECS  a TCP socket in CLOSE_WAIT longer than this is a\n"
	       "                         finding (default 10)\n"
	       "      --min-age SECS     old-and-idle: an fd open at least this long...\n"
	       "      --idle SECS        ...and unused (no read, write, send, ...) this long\n"
	       "                         (defaults 60 and 60; uses are counted in the kernel,\n"
	       "                         with CMD or -p, or when one of these is given)\n"
	       "      --growth-window SECS\n"
	       "                         a live process's open fds, threads or mappings that\n"
	       "                         rose steadily over the last SECS (default 300) are a\n"
	       "                         growth finding, with the time left until the limit\n"
	       "      --growth-min N     the least rise over that window (default 10)\n"
	       "      --metrics-listen [ADDR:]PORT\n"
	       "                         serve Prometheus metrics at http://ADDR:PORT/metrics\n"
	       "                         (ADDR: numeric IPv4 or [IPv6]; default 127.0.0.1)\n"
	       "      --metrics-file FILE  write the same metrics to FILE (atomically, mode\n"
	       "                         0600) at each refresh, for a textfile collector\n"
	       "      --metrics-top N    processes with series of their own (default 20;\n"
	       "                         the others are summed under pid=\"other\")\n"
	       "      --metrics-interval SECS\n"
	       "                         detect and refresh the metrics this often (default 1)\n"
	       "      --ring-size SIZE   BPF ring buffer size, power of two (default 8M)\n"
	       "      --stack-bytes N    user stack copied at each creation, for the\n"
	       "                         allocation stack (multiple of 512, at most 16K;\n"
	       "                         default 8K with CMD or -p, 0 (none) system-wide\n"
	       "                         and with --cgroup)\n"
	       "  -q, --quiet            no human summary on stderr\n"
	       "  -v, --verbose          libbpf and probe diagnostics, stack-walk\n"
	       "                         cache counters on stderr\n"
	       "  -h, --help             this help\n"
	       "  -V, --version          version\n"
	       "\n"
	       "Exit status: CMD's own exit status (128+N if it was killed by signal N),\n"
	       "0 in the other modes;\n"
	       "127 if CMD could not be found, 126 if it could not be executed;\n"
	       "%d for a usage error; %d if leakscope itself failed.\n",
	       prog, prog, prog, LS_EXIT_USAGE, LS_EXIT_ERROR);
}

static int usage_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	/* messages quote arguments: a newline or escape in one must not make
	 * the message more than a line, nor reach the terminal (as ls -q) */
	for (char *p = err; errlen && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -EINVAL;
}

/* getopt says only '?': tell an unknown option from a flag given a value. */
static int bad_option(const char *arg, int opt, char *err, size_t errlen)
{
	size_t len;

	if (strncmp(arg, "--", 2) != 0)
		return usage_error(err, errlen, "unknown option '-%c'", opt ? opt : '?');
	len = strcspn(arg + 2, "=");
	for (const struct option *lo = long_opts; lo->name; lo++) {
		if (strncmp(lo->name, arg + 2, len) != 0)
			continue;
		if (lo->name[len] == '\0' && arg[2 + len] == '=' && lo->has_arg == no_argument)
			return usage_error(err, errlen, "option '--%s' takes no argument", lo->name);
	}
	return usage_error(err, errlen, "unknown option '%.*s'", (int)(len + 2), arg);
}

int cli_parse_ring_size(const char *s, uint32_t *out)
{
	unsigned long long v, mult = 1;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -EINVAL;
	if (*end == 'K' || *end == 'k')
		mult = 1ULL << 10, end++;
	else if (*end == 'M' || *end == 'm')
		mult = 1ULL << 20, end++;
	else if (*end == 'G' || *end == 'g')
		mult = 1ULL << 30, end++;
	if (*end)
		return -EINVAL;
	if (v > (1ULL << 30) / mult)
		return -ERANGE;
	v *= mult;
	if (v < 4096 || (v & (v - 1)))
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

int cli_parse_pids(const char *s, uint32_t *pids, int *npids)
{
	const char *p = s;

	*npids = 0;
	if (!s || !*s)
		return -EINVAL;
	for (;;) {
		unsigned long v;
		char *end;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno || v == 0 || v > 4194304) /* PID_MAX_LIMIT */
			return -ERANGE;
		if (*npids == CLI_MAX_PIDS)
			return -E2BIG;
		pids[(*npids)++] = v;
		if (!*end)
			return 0;
		if (*end != ',')
			return -EINVAL;
		p = end + 1;
	}
}

int cli_parse_seconds(const char *s, uint64_t *ms)
{
	double v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end)
		return -EINVAL;
	/* nan fails both comparisons */
	if (!(v > 0) || !(v <= 366.0 * 86400))
		return -ERANGE;
	*ms = (uint64_t)(v * 1000.0 + 0.5);
	if (!*ms)
		return -ERANGE;
	return 0;
}

int cli_parse_stack_bytes(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -ERANGE;
	if ((*end == 'K' || *end == 'k') && end[1] == '\0') {
		if (v > STACK_BYTES_MAX)
			return -ERANGE;
		v *= 1024;
	} else if (*end) {
		return -EINVAL;
	}
	if (v > STACK_BYTES_MAX || v % STACK_BYTES_UNIT)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

const char *cli_mode_name(enum cli_mode m)
{
	switch (m) {
	case MODE_COMMAND:
		return "command";
	case MODE_PID:
		return "pid";
	case MODE_CGROUP:
		return "cgroup";
	case MODE_SYSTEM:
		return "system";
	}
	return "unknown";
}

int cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
	bool stack_bytes_given = false, idle_given = false, metrics_tuned = false;
	char why[128];
	int c, at;

	memset(o, 0, sizeof(*o));
	o->ring_bytes = DEFAULT_RING_BYTES;
	o->stack_bytes = DEFAULT_STACK_BYTES;
	o->max_exited = 10000;
	o->fail_on = 1; /* SEVERITY_WARNING */
	o->close_wait_ms = DEFAULT_CLOSE_WAIT_MS;
	o->min_age_ms = DEFAULT_MIN_AGE_MS;
	o->idle_ms = DEFAULT_IDLE_MS;
	o->growth_window_ms = DEFAULT_GROWTH_WINDOW_MS;
	o->growth_min = DEFAULT_GROWTH_MIN;
	o->metrics_top = DEFAULT_METRICS_TOP;
	o->metrics_interval_ms = DEFAULT_METRICS_INTERVAL_MS;
	err[0] = '\0';
	optind = 0; /* 0, not 1: glibc then also forgets its place in "-hq" */
	opterr = 0;
	/* '+': stop at the first non-option, so CMD's own options stay CMD's;
	 * ':': a missing argument is told apart from an unknown option */
	for (;;) {
		/* the argument this call reads: an error is about it. Not
		 * argv[optind - 1]: within "-xq" optind stays put until the
		 * cluster's last letter, so that is the argument before */
		at = optind ? optind : 1;
		c = getopt_long(argc, argv, "+:vqhVp:d:", long_opts, NULL);
		if (c == -1)
			break;
		switch (c) {
		case OPT_JSON:
			if (!*optarg)
				return usage_error(err, errlen, "--json needs a file name");
			o->json_path = optarg;
			break;
		case OPT_DOT:
			if (!*optarg)
				return usage_error(err, errlen, "--dot needs a file name");
			o->dot_path = optarg;
			break;
		case OPT_HTML:
			if (!*optarg)
				return usage_error(err, errlen, "--html needs a file name");
			o->html_path = optarg;
			break;
		case OPT_REDACT_KEY:
			if (!*optarg)
				return usage_error(err, errlen, "--redact-key needs a file name");
			o->redact_key = optarg;
			o->redact = true; /* a key is only for redacting */
			break;
		case OPT_REDACT:
			o->redact = true;
			break;
		case OPT_RING_SIZE:
			if (cli_parse_ring_size(optarg, &o->ring_bytes))
				return usage_error(err, errlen,
						   "--ring-size '%s': want a power of two from 4K to 1G",
						   optarg);
			break;
		case OPT_STACK_BYTES:
			if (cli_parse_stack_bytes(optarg, &o->stack_bytes))
				return usage_error(err, errlen,
						   "--stack-bytes '%s': want 0 or a multiple of 512 up to 16K",
						   optarg);
			stack_bytes_given = true;
			break;
		case OPT_TRACK_INHERITED:
			o->track_inherited = true;
			break;
		case OPT_TEXT:
			if (!*optarg)
				return usage_error(err, errlen, "--text needs a file name");
			o->text_path = optarg;
			break;
		case OPT_ERROR_EXITCODE: {
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > 255)
				return usage_error(err, errlen,
						   "--error-exitcode '%s': want a number from 1 to 255",
						   optarg);
			o->error_exitcode = (int)v;
			break;
		}
		case OPT_FAIL_ON:
			if (!strcmp(optarg, "info"))
				o->fail_on = 0;
			else if (!strcmp(optarg, "warning"))
				o->fail_on = 1;
			else if (!strcmp(optarg, "error"))
				o->fail_on = 2;
			else
				return usage_error(err, errlen,
						   "--fail-on '%s': want info, warning or error", optarg);
			break;
		case OPT_CLOSE_WAIT:
			if (cli_parse_seconds(optarg, &o->close_wait_ms))
				return usage_error(err, errlen,
						   "--close-wait '%s': want a positive number of seconds",
						   optarg);
			break;
		case OPT_INTERVAL:
			if (cli_parse_seconds(optarg, &o->interval_ms))
				return usage_error(err, errlen,
						   "--interval '%s': want a positive number of seconds",
						   optarg);
			break;
		case OPT_REPORT_DIR:
			if (!*optarg)
				return usage_error(err, errlen, "--report-dir needs a directory");
			o->report_dir = optarg;
			break;
		case OPT_KEEP:
		case OPT_MAX_EXITED:
		case OPT_COUNT: {
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > 1000000)
				return usage_error(err, errlen, "--%s '%s': want a number from 1 to 1000000",
						   c == OPT_KEEP ? "keep" :
						   c == OPT_COUNT ? "count" : "max-exited", optarg);
			if (c == OPT_KEEP)
				o->keep = (unsigned int)v;
			else if (c == OPT_COUNT)
				o->count = (unsigned int)v;
			else
				o->max_exited = (uint32_t)v;
			break;
		}
		case OPT_CAPTURE:
			if (!*optarg)
				return usage_error(err, errlen, "--capture needs a file name");
			o->capture_path = optarg;
			break;
		case OPT_SUPPRESSIONS:
			if (!*optarg)
				return usage_error(err, errlen, "--suppressions needs a file name");
			if (o->nsuppressions == CLI_MAX_SUPPRESSIONS)
				return usage_error(err, errlen, "at most %d --suppressions files",
						   CLI_MAX_SUPPRESSIONS);
			o->suppressions[o->nsuppressions++] = optarg;
			break;
		case OPT_MIN_AGE:
		case OPT_IDLE:
			if (cli_parse_seconds(optarg, c == OPT_IDLE ? &o->idle_ms : &o->min_age_ms))
				return usage_error(err, errlen,
						   "--%s '%s': want a positive number of seconds",
						   c == OPT_IDLE ? "idle" : "min-age", optarg);
			idle_given = true;
			break;
		case OPT_GROWTH_WINDOW:
			if (cli_parse_seconds(optarg, &o->growth_window_ms))
				return usage_error(err, errlen,
						   "--growth-window '%s': want a positive number of seconds",
						   optarg);
			break;
		case OPT_GROWTH_MIN: {
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > 1000000)
				return usage_error(err, errlen,
						   "--growth-min '%s': want a number from 1 to 1000000",
						   optarg);
			o->growth_min = (uint32_t)v;
			break;
		}
		case OPT_METRICS_LISTEN:
			if (listen_addr_parse(optarg, &o->metrics_addr, why, sizeof(why)))
				return usage_error(err, errlen, "--metrics-listen '%s': %s", optarg,
						   why);
			o->metrics_listen = true;
			break;
		case OPT_METRICS_FILE:
			if (!*optarg)
				return usage_error(err, errlen, "--metrics-file needs a file name");
			o->metrics_path = optarg;
			break;
		case OPT_METRICS_TOP: {
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > METRICS_TOP_MAX)
				return usage_error(err, errlen,
						   "--metrics-top '%s': want a number from 1 to %d",
						   optarg, METRICS_TOP_MAX);
			o->metrics_top = (uint32_t)v;
			metrics_tuned = true;
			break;
		}
		case OPT_METRICS_INTERVAL:
			if (cli_parse_seconds(optarg, &o->metrics_interval_ms) ||
			    o->metrics_interval_ms < METRICS_INTERVAL_MIN_MS)
				return usage_error(err, errlen,
						   "--metrics-interval '%s': want at least 0.1 seconds",
						   optarg);
			metrics_tuned = true;
			break;
		case 'p':
			if (cli_parse_pids(optarg, o->pids, &o->npids))
				return usage_error(err, errlen,
						   "-p '%s': want PID[,PID...] (at most %d positive pids)",
						   optarg, CLI_MAX_PIDS);
			break;
		case OPT_NO_CHILDREN:
			o->no_children = true;
			break;
		case OPT_CGROUP:
			if (!*optarg)
				return usage_error(err, errlen, "--cgroup needs a cgroup v2 directory");
			o->cgroup = optarg;
			break;
		case 'd':
			if (cli_parse_seconds(optarg, &o->duration_ms))
				return usage_error(err, errlen,
						   "-d '%s': want a positive number of seconds", optarg);
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			o->help = true;
			return 0;
		case 'V':
			o->version = true;
			return 0;
		case ':':
			return usage_error(err, errlen, "option '%s' needs an argument",
					   argv[at]);
		default:
			return bad_option(argv[at], optopt, err, errlen);
		}
	}
	/* "leakscope --" promises a command: an empty "-- $CMD" must not turn
	 * into an endless system-wide trace */
	if (optind >= argc && optind > 1 && strcmp(argv[optind - 1], "--") == 0)
		return usage_error(err, errlen, "no command after '--'");
	if (optind < argc) {
		o->cmd = &argv[optind];
		o->cmd_argc = argc - optind;
	}
	if ((o->cmd != NULL) + (o->npids > 0) + (o->cgroup != NULL) > 1)
		return usage_error(err, errlen, "give one of -- CMD, -p PID and --cgroup PATH");
	if (o->no_children && !o->npids)
		return usage_error(err, errlen, "--no-children goes with -p");
	if (!o->interval_ms != !o->report_dir)
		return usage_error(err, errlen, "--interval and --report-dir go together");
	if ((o->keep || o->count) && !o->interval_ms)
		return usage_error(err, errlen, "--keep and --count go with --interval");
	if (metrics_tuned && !o->metrics_listen && !o->metrics_path)
		return usage_error(err, errlen,
				   "--metrics-top and --metrics-interval go with --metrics-listen "
				   "or --metrics-file");
	if (o->cmd)
		o->mode = MODE_COMMAND;
	else if (o->npids)
		o->mode = MODE_PID;
	else if (o->cgroup)
		o->mode = MODE_CGROUP;
	else
		o->mode = MODE_SYSTEM;
	/* a stack costs a copy in the kernel and an unwind here: on by default
	 * for what the user pointed at, asked for when watching everything */
	if (!stack_bytes_given && (o->mode == MODE_SYSTEM || o->mode == MODE_CGROUP))
		o->stack_bytes = 0;
	/* every read and write of the machine would pay for the counters */
	o->track_access = idle_given || (o->mode != MODE_SYSTEM && o->mode != MODE_CGROUP);
	return 0;
}
