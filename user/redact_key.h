/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --redact and --redact-key FILE: the redactor the reports will use. */
#ifndef LEAKSCOPE_REDACT_KEY_H
#define LEAKSCOPE_REDACT_KEY_H

#include "cli.h"
#include "redact.h"

/*
 * *out: NULL without --redact, else a redactor (keyed with the file's bytes
 * with --redact-key). 0, or the exit status after one line on stderr: a key
 * file missing, unreadable, empty, too large, not a regular file or a
 * symbolic link is LS_EXIT_USAGE, as a bad --suppressions file is.
 */
int redact_setup(const struct options *o, struct redactor **out);

#endif /* LEAKSCOPE_REDACT_KEY_H */
