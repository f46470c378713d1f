// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metrics.h"
#include "metrics_http.h"

#define LISTEN_BACKLOG 16
#define MAX_CONNECTIONS 16     /* a scraper or two, and someone with curl */
#define CONNECTION_TIMEOUT_S 10 /* a stalled client does not hold a slot for ever */

struct metrics_http {
	struct MHD_Daemon *daemon;
	pthread_mutex_t lock; /* guards text and len */
	char *text;           /* NULL until the first publish */
	size_t len;
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *body,
			     size_t len, enum MHD_ResponseMemoryMode mode, const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned int status,
				  const char *msg)
{
	return reply(c, status, msg, strlen(msg), MHD_RESPMEM_PERSISTENT,
		     "text/plain; charset=utf-8");
}

/* In the server's thread: only the published copy is read, under the lock. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct metrics_http *h = cls;
	enum MHD_Result ret;

	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	(void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
	if (strcmp(url, "/metrics"))
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found: the metrics are at /metrics\n");
	pthread_mutex_lock(&h->lock);
	if (h->text)
		ret = reply(c, MHD_HTTP_OK, h->text, h->len, MHD_RESPMEM_MUST_COPY,
			    METRICS_CONTENT_TYPE);
	else
		ret = reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "no metrics yet\n");
	pthread_mutex_unlock(&h->lock);
	return ret;
}

/* Our own socket, so that a port in use is reported with its errno. */
static int listen_on(const struct listen_addr *a)
{
	int fd = socket(a->family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1, err;

	if (fd < 0)
		return -errno;
	/* a restart while the old connections sit in TIME_WAIT must not fail */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)&a->ss, a->len) || listen(fd, LISTEN_BACKLOG)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/*
 * The server's thread inherits the signal mask of its creator: with every
 * signal blocked there, SIGINT, SIGTERM and SIGCHLD go to the main thread,
 * whose loop they are meant to interrupt.
 */
static struct MHD_Daemon *start_daemon(struct metrics_http *h, const struct listen_addr *a,
				       int fd)
{
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD;
	struct MHD_Daemon *d;
	sigset_t all, old;

	if (a->family == AF_INET6)
		flags |= MHD_USE_IPv6;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
			     MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAX_CONNECTIONS,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)CONNECTION_TIMEOUT_S,
			     MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return d;
}

int metrics_http_start(const struct listen_addr *a, struct metrics_http **out)
{
	struct metrics_http *h = calloc(1, sizeof(*h));
	int fd, err;

	*out = NULL;
	if (!h) {
		fprintf(stderr, "leakscope: out of memory starting the metrics server\n");
		return -ENOMEM;
	}
	err = pthread_mutex_init(&h->lock, NULL);
	if (err) {
		free(h);
		fprintf(stderr, "leakscope: metrics server: %s\n", strerror(err));
		return -err;
	}
	fd = listen_on(a);
	if (fd < 0) {
		fprintf(stderr, "leakscope: cannot listen on %s for --metrics-listen: %s\n", a->text,
			strerror(-fd));
		pthread_mutex_destroy(&h->lock);
		free(h);
		return fd;
	}
	h->daemon = start_daemon(h, a, fd);
	if (!h->daemon) {
		fprintf(stderr, "leakscope: cannot start the metrics server on %s\n", a->text);
		close(fd);
		pthread_mutex_destroy(&h->lock);
		free(h);
		return -EIO;
	}
	*out = h;
	return 0;
}

int metrics_http_publish(struct metrics_http *h, const char *text, size_t len)
{
	char *copy = malloc(len ? len : 1), *old;

	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len);
	pthread_mutex_lock(&h->lock);
	old = h->text;
	h->text = copy;
	h->len = len;
	pthread_mutex_unlock(&h->lock);
	free(old);
	return 0;
}

void metrics_http_stop(struct metrics_http *h)
{
	if (!h)
		return;
	/* joins the thread and closes the listening socket */
	MHD_stop_daemon(h->daemon);
	pthread_mutex_destroy(&h->lock);
	free(h->text);
	free(h);
}
