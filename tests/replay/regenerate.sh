#!/bin/sh
# Makes the checked-in captures again, and their expected reports: run it
# (as root, after `make`) when the event ABI or the report schema changes on
# purpose, and commit what changed. Stacks are left out (--stack-bytes 0):
# their names depend on the binaries at replay time, the rest does not.
set -eu
cd "$(dirname "$0")/../.."
D=tests/replay
TMP=$(mktemp -d /tmp/leakscope-replay.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

capture() { # NAME CMD...
	name=$1
	shift
	build/leakscope -q --stack-bytes 0 --capture "$D/$name.cap" -- "$@" >/dev/null 2>&1 || true
	build/leakscope replay "$D/$name.cap" -q --json "$D/$name.json"
	echo "$D/$name.cap: $(wc -c <"$D/$name.cap") bytes"
}

capture demo build/tools/leaky "$TMP"
capture zombie build/tools/threads_zombie leak
capture double-close build/tools/misuse double-close "$TMP"
capture links build/tools/links cycle "$TMP"
