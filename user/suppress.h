/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Suppressions (--suppressions FILE): findings a user has judged and does not
 * want to see again, like valgrind's. One per line, a name and conditions
 * that must all hold:
 *
 *   # known: the log files live as long as the process, on purpose
 *   keep-logs   kind=released-at-exit type=file path=*.log
 *   vendor-lib  function=vendor_*
 *
 * A word starting with # starts a comment.
 * Keys: kind, type, severity (exact), path, comm, function (shell globs; a
 * function matches any frame of the finding's stack). Counted per
 * suppression, so the ones that matched nothing can be listed.
 */
#ifndef LEAKSCOPE_SUPPRESS_H
#define LEAKSCOPE_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "findings.h"
#include "stack_table.h"

enum supp_key { SUPP_KIND = 0, SUPP_TYPE, SUPP_SEVERITY, SUPP_PATH, SUPP_COMM, SUPP_FUNCTION,
		SUPP_KEY_MAX };

struct suppression {
	char *name;
	unsigned int line;           /* in its file, for messages */
	char *want[SUPP_KEY_MAX];    /* NULL: any */
	uint64_t hits;
};

struct suppressions {
	struct suppression *v;
	size_t len;
	size_t cap;
};

/*
 * Parse text (len bytes) into s (added to what it has). Returns 0, or -EINVAL
 * with a one-line message in err naming the line, or -ENOMEM.
 */
int suppressions_parse(struct suppressions *s, const char *text, size_t len, char *err,
		       size_t errlen);
void suppressions_free(struct suppressions *s);
/*
 * Drop from fs the findings a suppression matches (the first that matches
 * counts the hit). Returns how many were dropped.
 */
size_t suppressions_apply(struct suppressions *s, struct findings *fs,
			  const struct stack_table *stacks);

#endif /* LEAKSCOPE_SUPPRESS_H */
