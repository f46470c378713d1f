# fd misuse and idle fds (tools/scenarios/misuse.c): a double close, a write
# after close and a write to fd -1 are reported with the stack of the misuse
# and, after a close, the stack of that close; a clean twin reports nothing.
# An fd opened and never used is old-and-idle; a busy one beside it is not.
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup_at_exit kill_pids

SRC=tools/scenarios/misuse.c
line_of() { grep -n "$1" "$SRC" | head -n 1 | cut -d: -f1; }
# own STACKFIELD: the scenario's own frames of the one finding, "function:line ..."
own() {
	jq -r ".findings[0].$2 | [.frames[]? | select((.file // \"\") | endswith(\"misuse.c\"))
		| \"\(.function):\(.line)\"] | join(\" \")" "$1"
}

for mode in double-close use-after-close bad-fd clean; do
	R=$SCRATCH/$mode.json
	ls_run -q --json "$R" -- "$TOOLS/misuse" "$mode" "$SCRATCH" >"$SCRATCH/out" 2>&1
	expect_eq "misuse $mode: the scenario saw the EBADF it wanted (exits 0)" "$?" 0
done

R=$SCRATCH/double-close.json
expect_jq "double close: one finding, fd-misuse double-close, an error" "$R" \
	'[.findings[] | "\(.kind) \(.misuse) \(.severity) \(.syscall) \(.count)"] | join(",")' \
	"fd-misuse double-close error close 1"
expect_eq "double close: the stack of the second close" \
	"$(own "$R" stack | cut -d' ' -f1)" "double_close:$(line_of 'MISUSE:double-close')"
expect_eq "double close: the stack of the first close, through release()" \
	"$(own "$R" close_stack)" "release:$(line_of 'CLOSED:first') double_close:$(line_of 'release(fd);')"
expect_jq "double close: closed before it was closed again" "$R" \
	'.findings[0].closed <= .findings[0].first' true
ls_run -q --error-exitcode 42 --fail-on error -- "$TOOLS/misuse" double-close "$SCRATCH" >/dev/null 2>&1
expect_eq "double close: --fail-on error fails a CI job (exit 42)" "$?" 42

R=$SCRATCH/use-after-close.json
expect_jq "use after close: one finding, a write on a closed fd, an error" "$R" \
	'[.findings[] | "\(.kind) \(.misuse) \(.severity) \(.syscall)"] | join(",")' \
	"fd-misuse use-after-close error write"
expect_eq "use after close: the stack of the write" \
	"$(own "$R" stack | cut -d' ' -f1)" "use_after_close:$(line_of 'MISUSE:use-after-close')"
expect_eq "use after close: and of the close before it" \
	"$(own "$R" close_stack | cut -d' ' -f1)" "release:$(line_of 'CLOSED:first')"

R=$SCRATCH/bad-fd.json
expect_jq "bad fd: write to -1 is use-of-unopened, a warning, no close stack" "$R" \
	'[.findings[] | "\(.misuse) \(.severity) \(.fd) \(.close_stack)"] | join(",")' \
	"use-of-unopened warning -1 null"
expect_eq "bad fd: the stack of the write" \
	"$(own "$R" stack | cut -d' ' -f1)" "bad_fd:$(line_of 'MISUSE:bad-fd')"

expect_jq "clean: no findings" "$SCRATCH/clean.json" '.findings | length' 0
expect_jq "clean: every file it opened it closed" "$SCRATCH/clean.json" \
	'.processes[0].counts.file | .created == .released and .created > 0' true

# --- idle: attached with -p, reported while it runs ------------------------
bg_exec "$TOOLS/misuse" idle "$SCRATCH" 6 >"$SCRATCH/idle.out" 2>&1
IPID=$!
PIDS="$PIDS $IPID"
wait_line "$SCRATCH/idle.out" ready
R=$SCRATCH/idle.json
ls_run -q --json "$R" -p "$IPID" -d 2 --min-age 1 --idle 1 >/dev/null 2>&1
expect_eq "idle: leakscope -p -d 2 exits 0" "$?" 0
expect_jq "idle: one old-and-idle finding, info, the idle file" "$R" \
	'[.findings[] | "\(.kind) \(.severity) \(.resource.path | split("/") | last) \(.resource.accesses)"] | join(",")' \
	"old-and-idle info idle 0"
expect_jq "idle: unused for about the whole run" "$R" '.findings[0].idle_s >= 1.5' true
expect_jq "idle: the busy file was used about 20 times a second" "$R" \
	'.processes[0].open_fds[] | select(.path | endswith("/busy")) | .accesses >= 25' true
expect_jq "idle: and lately" "$R" \
	'.processes[0].open_fds[] | select(.path | endswith("/busy")) | .last_access != null' true
R=$SCRATCH/idle2.json
ls_run -q --json "$R" -p "$IPID" -d 1 --min-age 30 --idle 1 >/dev/null 2>&1
expect_jq "idle: younger than --min-age: nothing" "$R" '.findings | length' 0
finish
