/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The parts of the HTML report (report_html.c writes the page) that draw:
 * each writes one inline SVG, self-contained, every name escaped. Not for
 * the rest of leakscope.
 */
#ifndef LEAKSCOPE_REPORT_HTML_H
#define LEAKSCOPE_REPORT_HTML_H

#include <stdio.h>

#include "report.h"

/* report_html_chart.c: open fds over time of the processes that held the
 * most, from the engine's series. */
void html_chart(FILE *out, const struct ls_engine *eng, const struct report_meta *m);
/* report_html_graph.c: the link graph, laid out in columns. 0 or -ENOMEM. */
int html_graph(FILE *out, const struct ls_engine *eng, const struct findings *fs,
	       const struct redactor *r);

#endif /* LEAKSCOPE_REPORT_HTML_H */
