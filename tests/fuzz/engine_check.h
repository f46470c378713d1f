/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Invariants of engine state, checked through the public API (engine.h)
 * after every record a fuzzer applies. A violation prints what broke and
 * aborts, so that libFuzzer keeps the input that did it.
 *
 * The checker also watches the engine from outside: it counts the records it
 * was told about and every release the engine reports through its release
 * hook, so the engine's own counters can be held against an independent
 * tally.
 */
#ifndef LEAKSCOPE_ENGINE_CHECK_H
#define LEAKSCOPE_ENGINE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

struct engine_check {
	uint64_t applied;      /* engine_apply calls */
	uint64_t creates;      /* FD_CREATE records accepted, snapshots not counted */
	uint64_t released;     /* release hook calls, other than at exit */
	uint64_t at_exit;      /* release hook calls at exit */
	/* scratch, kept between checks to spare allocations */
	const struct ls_ofd **ofds; /* every open fd's description, sorted */
	size_t nofds, ofds_cap;
	const struct ls_ofd **byid; /* the same, once each, sorted by engine id */
	size_t nbyid, byid_cap;
	const void **tables;        /* distinct fd tables of live processes */
	size_t ntables, tables_cap;
};

/* Start watching eng: installs the checker's release hook. */
void engine_check_init(struct engine_check *c, struct ls_engine *eng);
/* The record rec (size bytes) was applied and the engine returned ret. */
void engine_check_applied(struct engine_check *c, const void *rec, size_t size, int ret);
/* Check every invariant of eng now; abort() on the first that fails. */
void engine_check_state(struct engine_check *c, const struct ls_engine *eng);
void engine_check_fini(struct engine_check *c);

#endif /* LEAKSCOPE_ENGINE_CHECK_H */
