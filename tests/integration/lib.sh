# Shared by the integration tests: run leakscope for real, check the JSON.
# Each check prints "ok - NAME" or "not ok - NAME: why"; run_all.sh counts them.
LS=${LS:-build/leakscope}
TOOLS=${TOOLS:-build/tools}
PASSED=0
FAILED=0

ok() {
	PASSED=$((PASSED + 1))
	echo "ok - $1"
}

not_ok() {
	FAILED=$((FAILED + 1))
	echo "not ok - $1: $2"
}

# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', want '$3'"; fi
}

# expect_jq NAME FILE FILTER EXPECTED: jq -r FILTER on FILE must print EXPECTED
expect_jq() {
	got=$(jq -r "$3" "$2" 2>&1) || { not_ok "$1" "jq '$3' failed: $got"; return; }
	expect_eq "$1" "$got" "$4"
}

# A scratch directory removed when the test script exits.
scratch() {
	SCRATCH=$(mktemp -d /tmp/leakscope-test.XXXXXX)
	trap 'rm -rf "$SCRATCH"' EXIT
}

# cleanup_at_exit CMD: replaces scratch's EXIT trap so that a test's own
# cleanup (releasing and killing what it started) runs before the scratch
# directory goes; INT/TERM/HUP become an exit so that the trap runs then too.
cleanup_at_exit() {
	trap "$1"'; rm -rf "$SCRATCH"' EXIT
	trap 'exit 1' INT TERM HUP
}

# kill_pids: no program a test started (the pids in PIDS) outlives it.
kill_pids() {
	for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
}

finish() {
	echo "RESULT $PASSED $FAILED"
	[ "$FAILED" -eq 0 ]
}

# Closes every fd above 2, then execs argv[1:]: exec'd, not forked, so that
# a background start's $! is the program's own pid.
ONLY_STDIO_PY='import os, sys
os.closerange(3, max(os.sysconf("SC_OPEN_MAX"), 1024))
os.execvp(sys.argv[1], sys.argv[1:])'

# ls_run ARGS...: run leakscope with ARGS, stdin from /dev/null and no fd
# above 2 (whatever the harness or CI left open is closed first), so the
# command's fd numbers are the ones the scenarios document and nothing but
# 0-2 is "before_attach". The caller redirects stdout and stderr.
# Returns leakscope's exit status.
ls_run() {
	python3 -c "$ONLY_STDIO_PY" "$LS" "$@" </dev/null
}

# bg_exec CMD...: as ls_run, for a program started in the background (a
# scenario to attach to, a leakscope to drive); $! is its pid. The caller
# redirects stdout and stderr.
bg_exec() {
	python3 -c "$ONLY_STDIO_PY" "$@" </dev/null &
}

# alive PID: whether a scenario still runs; a zombie counts as ended.
alive() {
	s=$(sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ -n "$s" ] && [ "$s" != Z ]
}

# gone PID SECS: bounded wait for PID (not necessarily our child) to end;
# false if it still runs after SECS.
gone() {
	i=0
	while alive "$1" && [ $i -lt $(($2 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
	! alive "$1"
}

# reap PID SECS: our child PID's exit status, or 124 after SECS (then it is
# killed), so that a hung program fails its check instead of the whole run.
reap() {
	gone "$1" "$2" || { kill -9 "$1"; wait "$1"; return 124; }
	wait "$1"
}

# wait_line FILE LINE: a scenario prints LINE once it reached a step; wait
# until FILE has it (5 s at most).
wait_line() {
	i=0
	until grep -qx "$2" "$1" 2>/dev/null || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
}

# wait_attached PID [SETTLE]: leakscope prints nothing when it is attached,
# but it makes its ring buffer's epoll fd right after attaching the probes;
# adding pids and reading /proc follow within milliseconds, so SETTLE (0.3 s
# by default) more is plenty. A fixed sleep would race with the background
# detach of a previous run, which delays attaching by up to ~1 s.
wait_attached() {
	i=0
	until ls -l "/proc/$1/fd" 2>/dev/null | grep -q 'anon_inode:\[eventpoll\]' || [ $i -ge 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep "${2:-0.3}"
}

# bg_ls ARGS: a leakscope to attach to live processes, driven while it runs;
# sets LSPID (in PIDS, for kill_pids), output in $SCRATCH/out and err; it is
# attached when bg_ls returns.
bg_ls() {
	bg_exec "$LS" "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
	LSPID=$!
	PIDS="$PIDS $LSPID"
	wait_attached "$LSPID"
}

# series DIR PREFIX N [FROM]: the paths a scenario numbers its files by,
# as jq's join(",") + "," prints them: "DIR/PREFIX-FROM,...,DIR/PREFIX-<FROM+N-1>,"
series() {
	for i in $(seq "${4:-0}" $((${4:-0} + $3 - 1))); do printf '%s/%s-%03d,' "$1" "$2" "$i"; done
}

# expect_grep NAME FILE STRING: FILE contains the fixed STRING
expect_grep() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else not_ok "$1" "'$3' not in: $(head -c 400 "$2")"; fi
}

# lines FILE: the number of lines in FILE
lines() {
	wc -l <"$1" | tr -d ' '
}

# nfiles DIR NAME_GLOB: how many entries of DIR (dot files included) match
nfiles() {
	find "$1" -mindepth 1 -maxdepth 1 -name "$2" | wc -l | tr -d ' '
}

# have TOOL...: each tool is installed (make deps installs them); a missing
# one is a failed check, in CI and out of it, never a silent pass.
have() {
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 ||
			{ not_ok "$t is installed" "not found: run make deps (as root)"; return 1; }
	done
}

# free_port: a TCP port nothing listens on now, on loopback
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# holders_cleanup: every holder in $SCRATCH/h* let go, and what the test
# started (PIDS) killed; start_holder NAME N: tools/scenarios/holder.c in
# $SCRATCH/NAME holding N pre-* files (go: DIR/go); sets D and HPID once it
# holds them, and adds it to PIDS.
holders_cleanup() {
	for d in "$SCRATCH"/h*; do [ -d "$d" ] && touch "$d/go" "$d/stop"; done
	sleep 0.1
	kill_pids
}

start_holder() {
	D=$SCRATCH/$1
	mkdir "$D"
	bg_exec "$TOOLS/holder" "$D" "$2" "$D/go" >"$D.out" 2>&1
	HPID=$!
	PIDS="$PIDS $HPID"
	i=0
	while [ ! -f "$D/ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}
