/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * GET /metrics over HTTP, served by libmicrohttpd in its own thread. That
 * thread never sees the engine: the main thread renders the text and hands
 * a copy over (metrics_http_publish); requests are answered from the latest
 * copy, under a mutex held only to copy it.
 */
#ifndef LEAKSCOPE_METRICS_HTTP_H
#define LEAKSCOPE_METRICS_HTTP_H

#include <stddef.h>

#include "listen_addr.h"

struct metrics_http;

/* Listen on a and start serving (503 until the first publish). Returns 0 or
 * -errno, with a one-line message on stderr. */
int metrics_http_start(const struct listen_addr *a, struct metrics_http **out);
/* Replace the text served. Returns 0 or -ENOMEM (the old text stays). */
int metrics_http_publish(struct metrics_http *h, const char *text, size_t len);
/* Stop the thread, close the socket, free. NULL is fine. */
void metrics_http_stop(struct metrics_http *h);

#endif /* LEAKSCOPE_METRICS_HTTP_H */
