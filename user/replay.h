/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef LEAKSCOPE_REPLAY_H
#define LEAKSCOPE_REPLAY_H

/* leakscope replay FILE [OPTIONS]: argv[0] is "replay". Returns the exit status. */
int replay_main(int argc, char **argv);

#endif /* LEAKSCOPE_REPLAY_H */
