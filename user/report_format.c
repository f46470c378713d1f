// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Naming shared by the exporters: resource names, flags, times, socket kinds. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report.h"

size_t report_resource_name(const struct ls_fd *f, const struct redactor *r, char *buf,
			    size_t len)
{
	const struct ls_ofd *o = f->ofd;
	int n;

	if (!len)
		return 0;
	switch (o->res_type) {
	case LS_RES_PIPE:
		n = snprintf(buf, len, "pipe:[%" PRIu64 "]", o->file->ino);
		break;
	case LS_RES_SOCKET:
		n = snprintf(buf, len, "socket:[%" PRIu64 "]", o->file->ino);
		break;
	case LS_RES_PIDFD:
		/* pidfs files have no name of their own; /proc shows this one */
		n = snprintf(buf, len, "anon_inode:[pidfd]");
		break;
	default:
		if (!o->file->path_len) {
			n = 0;
			buf[0] = '\0';
			break;
		}
		if (r)
			return redact_path(r, o->file->path, o->file->path_len, buf, len);
		/* paths are bytes, NULs included: copy, do not format */
		n = o->file->path_len < len - 1 ? o->file->path_len : len - 1;
		memcpy(buf, o->file->path, n);
		buf[n] = '\0';
		return n;
	}
	if (n < 0)
		return 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}

static void append(char *buf, size_t len, size_t *pos, const char *s)
{
	int n;

	if (*pos >= len)
		return;
	n = snprintf(buf + *pos, len - *pos, "%s%s", *pos ? "|" : "", s);
	if (n > 0)
		*pos += n;
}

void report_flags(const struct ls_fd *f, char *buf, size_t len)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} bits[] = {
		{ O_APPEND, "O_APPEND" }, { O_NONBLOCK, "O_NONBLOCK" }, 
		{ O_DIRECT, "O_DIRECT" }, { O_NOATIME, "O_NOATIME" },   { O_PATH, "O_PATH" },
	};
	unsigned int fl = f->ofd->file_flags;
	size_t pos = 0;

	if (!len)
		return;
	buf[0] = '\0';
	if (!(fl & O_PATH)) {
		switch (fl & O_ACCMODE) {
		case O_RDONLY:
			append(buf, len, &pos, "O_RDONLY");
			break;
		case O_WRONLY:
			append(buf, len, &pos, "O_WRONLY");
			break;
		default:
			append(buf, len, &pos, "O_RDWR");
			break;
		}
	}
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (fl & bits[i].bit)
			append(buf, len, &pos, bits[i].name);
	/* O_SYNC is O_DSYNC plus a bit of its own: name the stronger one only */
	if ((fl & O_SYNC) == O_SYNC)
		append(buf, len, &pos, "O_SYNC");
	else if (fl & O_DSYNC)
		append(buf, len, &pos, "O_DSYNC");
	if (f->fd_flags & LS_FD_CLOEXEC)
		append(buf, len, &pos, "O_CLOEXEC");
}

void report_time(const struct report_meta *m, uint64_t mono_ns, char *buf, size_t len)
{
	int64_t real;
	time_t secs;
	struct tm tm;

	/* timestamps can come from a capture file: garbage must not overflow */
	if (mono_ns > INT64_MAX || __builtin_add_overflow((int64_t)mono_ns, m->realtime_offset_ns, &real))
		real = -1;
	secs = real / 1000000000;
	if (real < 0 || !gmtime_r(&secs, &tm)) {
		snprintf(buf, len, "unknown");
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (int)(real % 1000000000 / 1000000));
}

const char *report_family_name(unsigned int family)
{
	switch (family) {
	case 1:
		return "AF_UNIX";
	case 2:
		return "AF_INET";
	case 10:
		return "AF_INET6";
	case 16:
		return "AF_NETLINK";
	case 17:
		return "AF_PACKET";
	case 40:
		return "AF_VSOCK";
	}
	return NULL;
}

const char *report_socktype_name(unsigned int type)
{
	switch (type) {
	case 1:
		return "SOCK_STREAM";
	case 2:
		return "SOCK_DGRAM";
	case 3:
		return "SOCK_RAW";
	case 4:
		return "SOCK_RDM";
	case 5:
		return "SOCK_SEQPACKET";
	case 10:
		return "SOCK_PACKET";
	}
	return NULL;
}

bool report_endpoint(const struct ls_sock_addr *a, const struct redactor *r, char *buf,
		     size_t len)
{
	char ip[INET6_ADDRSTRLEN], ep[INET6_ADDRSTRLEN + 16];
	int n;

	if (a->len != 4 && a->len != 16)
		return false;
	if (!inet_ntop(a->len == 4 ? AF_INET : AF_INET6, a->addr, ip, sizeof(ip)))
		return false;
	n = snprintf(ep, sizeof(ep), a->len == 4 ? "%s:%u" : "[%s]:%u", ip, a->port);
	if (n < 0)
		return false;
	/* address and port as one: a port alone is guessable, and equal
	 * endpoints must still hash equal for the TCP peers to pair up */
	if (r)
		redact_value(r, REDACT_ADDR, ep, (size_t)n, buf, len);
	else
		snprintf(buf, len, "%s", ep);
	return true;
}

const char *report_host(const struct report_meta *m, char *buf, size_t len)
{
	if (!m->host || !m->redact)
		return m->host;
	redact_value(m->redact, REDACT_HOST, m->host, strlen(m->host), buf, len);
	return buf;
}

const char *report_path(const struct redactor *r, const char *path, char *buf, size_t len)
{
	if (!path || !r)
		return path;
	redact_path(r, path, strlen(path), buf, len);
	return buf;
}

/* the base name is enough for people; the hash is of the whole path, as in
 * the JSON report, so the two can be matched */
static const char *base_or_hash(const struct redactor *r, const char *path, char *buf,
				size_t len)
{
	const char *base;

	if (!path)
		return NULL;
	if (r)
		return report_path(r, path, buf, len);
	base = strrchr(path, '/');
	return base ? base + 1 : path;
}

const char *report_frame_file(const struct redactor *r, const struct stack_frame *f, char *buf,
			      size_t len)
{
	return base_or_hash(r, f->file, buf, len);
}

const char *report_frame_module(const struct redactor *r, const struct stack_frame *f,
				char *buf, size_t len)
{
	return base_or_hash(r, f->module, buf, len);
}
