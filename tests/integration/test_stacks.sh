# Allocation stacks (tools/scenarios/stacks.c, -O2 -g, no frame pointers):
# each leak's stack must name the scenario's own function and the exact line
# of the call (marked "LEAK:name" in the source), through glibc's wrappers,
# an inlined function and a second thread. --stack-bytes 0 turns them off.
set -u
. tests/integration/lib.sh
scratch

SRC=tools/scenarios/stacks.c
line_of() { grep -n "LEAK:$1 " "$SRC" | cut -d: -f1; }
# the scenario's own frames of the finding for fd N: "function:line ..."
own_frames() {
	jq -r --argjson fd "$2" '.findings[] | select(.resource.fd == $fd) | .stack.frames
		| map(select((.file // "") | endswith("stacks.c")) | "\(.function):\(.line)") | join(" ")' "$1"
}

expect_eq "stacks: built without frame pointers" \
	"$(objdump -d "$TOOLS/stacks" | awk '/<open_config>:/,/^$/' | grep -c 'push *%rbp')" 0

R=$SCRATCH/r.json
ls_run --json "$R" -- "$TOOLS/stacks" "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "stacks: exits 0" "$?" 0
expect_jq "stacks: four leaks, each with a stack" "$R" '[.findings[] | select(.stack != null)] | length' 4
expect_jq "stacks: no stack truncated" "$R" '[.findings[].stack.truncated] | any' false
expect_eq "stacks: open() from open_config names its line, then main" \
	"$(own_frames "$R" 3)" "open_config:$(line_of open_config) main:$(grep -n 'open_config() < 0' "$SRC" | cut -d: -f1)"
expect_eq "stacks: fopen() from read_table names its line" \
	"$(own_frames "$R" 4 | cut -d' ' -f1)" "read_table:$(line_of read_table)"
expect_jq "stacks: fopen's stack goes through glibc's own frames first" "$R" \
	'[.findings[] | select(.resource.fd == 4) | .stack.frames[0].module | test("libc")] | all' true
expect_jq "stacks: the inlined dial() is a frame of its own, inside connect_all" "$R" \
	'[.findings[] | select(.resource.type == "socket") | .stack.frames[]
	  | select((.file // "") | endswith("stacks.c")) | "\(.function) \(.inlined)"] | .[0:2] | join(",")' \
	"dial true,connect_all false"
expect_jq "stacks: the inlined frame has the socket() line" "$R" \
	'[.findings[] | select(.resource.type == "socket") | .stack.frames[]
	  | select(.function == "dial") | .line] | first' "$(line_of dial)"
expect_eq "stacks: the thread's open names in_thread" \
	"$(own_frames "$R" 6 | cut -d' ' -f1)" "in_thread:$(line_of in_thread)"
expect_jq "stacks: the thread's stack ends in the thread start, not main" "$R" \
	'[.findings[] | select(.resource.fd == 6) | .stack.frames[].function] | any(. == "main")' false
expect_jq "stacks: one site per leak" "$R" '.sites | length' 4
expect_jq "stacks: the open_config site names function and line" "$R" \
	'.sites[] | select(.function == "open_config") | "\(.line) \(.findings) \(.by_type | keys | join(","))"' \
	"$(line_of open_config) 1 file"
expect_grep "stacks: the summary prints the stack valgrind-style" "$SCRATCH/err" "by open_config (stacks.c:"

# the same program twice in one run: the same site, one id
R2=$SCRATCH/twice.json
ls_run -q --json "$R2" -- sh -c "\"$TOOLS/stacks\" \"$SCRATCH\"; \"$TOOLS/stacks\" \"$SCRATCH\"" >/dev/null 2>&1
expect_jq "stacks: two processes, same sites: 4 sites of 2 findings each" "$R2" \
	'[.sites[] | select((.file // "") | endswith("stacks.c")) | .findings] | map(tostring) | join(",")' "2,2,2,2"
expect_jq "stacks: each site lists both pids" "$R2" \
	'[.sites[] | select((.file // "") | endswith("stacks.c")) | .pids | length] | unique | tostring' "[2]"

# JIT code (tools/scenarios/jit.c): named from /tmp/perf-PID.map, and the walk
# goes on through it (it keeps a frame pointer) to main
R=$SCRATCH/jit.json
ls_run -q --json "$R" -- "$TOOLS/jit" "$SCRATCH" >"$SCRATCH/jit.out" 2>&1
expect_eq "stacks: jit exits 0" "$?" 0
rm -f "$(cat "$SCRATCH/jit.out")"
expect_jq "stacks: the JIT frame is named from the perf map, between its caller and callee" "$R" \
	'[.findings[0].stack.frames[].function] | index("JIT:generated_trampoline") as $i
	 | "\(.[$i - 1]) \(.[$i]) \(.[$i + 1])"' "jit_target JIT:generated_trampoline main"
expect_jq "stacks: the JIT frame has no module" "$R" \
	'.findings[0].stack.frames[] | select(.function == "JIT:generated_trampoline") | .module' null

R0=$SCRATCH/off.json
ls_run -q --stack-bytes 0 --json "$R0" -- "$TOOLS/stacks" "$SCRATCH" >/dev/null 2>&1
expect_jq "stacks: --stack-bytes 0: same findings, no stacks" "$R0" \
	'"\(.findings | length) \([.findings[].stack] | unique | tostring) \(.sites | length)"' "4 [null] 0"
ls_run -q --stack-bytes 1000 -- /bin/true >/dev/null 2>"$SCRATCH/err"
expect_eq "stacks: --stack-bytes 1000 is a usage error" "$?" 2
expect_grep "stacks: and says what it wants" "$SCRATCH/err" "multiple of 512"
finish
