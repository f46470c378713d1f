# --capture and leakscope replay: a replay writes the run's report again
# (observer.replayed aside), stacks included; bad captures get one line with
# the offset and no report; a killed run's capture still replays.
set -u
. tests/integration/lib.sh
scratch

# same FILE1 FILE2: the two JSON reports agree but for observer.replayed
same() {
	jq -S 'del(.observer.replayed)' "$1" >"$SCRATCH/1.n" &&
		jq -S 'del(.observer.replayed)' "$2" >"$SCRATCH/2.n" &&
		diff "$SCRATCH/1.n" "$SCRATCH/2.n" >"$SCRATCH/diff" && echo same || head -c 400 "$SCRATCH/diff"
}

C=$SCRATCH/demo.cap
ls_run -q --capture "$C" --json "$SCRATCH/live.json" -- "$TOOLS/leaky" "$SCRATCH" >/dev/null 2>&1
expect_eq "capture: the demo runs as without it" "$?" 0
expect_eq "capture: mode 0600" "$(stat -c %a "$C")" 600
ls_run replay "$C" -q --json "$SCRATCH/replay.json" >/dev/null 2>"$SCRATCH/err"
expect_eq "replay: exits 0" "$?" 0
expect_eq "replay: the same report, stacks and all" "$(same "$SCRATCH/live.json" "$SCRATCH/replay.json")" same
expect_jq "replay: says it was replayed" "$SCRATCH/replay.json" '.observer.replayed' true
expect_jq "capture: the live report says it was not" "$SCRATCH/live.json" '.observer.replayed' false
expect_jq "replay: the stacks are named again" "$SCRATCH/replay.json" \
	'[.findings[].stack.frames[] | select(.function == "open_logs")] | length > 0' true
ls_run replay "$C" --text "$SCRATCH/replay.txt" >/dev/null 2>&1
expect_grep "replay: --text writes the summary" "$SCRATCH/replay.txt" "LEAK SUMMARY: 7 fds never closed"
printf 'logs path=*/log-*\n' >"$SCRATCH/supp"
ls_run replay "$C" -q --suppressions "$SCRATCH/supp" --error-exitcode 42 --json "$SCRATCH/s.json" \
	>/dev/null 2>&1
expect_eq "replay: --error-exitcode on what the suppressions left" "$?" 42
expect_jq "replay: --suppressions applies" "$SCRATCH/s.json" '.summary.suppressed' 5

# -p with uses counted and an idle fd: the facts gathered at the end replay too
bg_exec "$TOOLS/misuse" idle "$SCRATCH" 4 >"$SCRATCH/idle.out" 2>&1
IPID=$!
wait_line "$SCRATCH/idle.out" ready
ls_run -q -p "$IPID" -d 1.5 --min-age 1 --idle 1 --capture "$SCRATCH/p.cap" \
	--json "$SCRATCH/p.json" >/dev/null 2>&1
kill "$IPID" 2>/dev/null
ls_run replay "$SCRATCH/p.cap" -q --json "$SCRATCH/p2.json" >/dev/null 2>&1
expect_eq "replay -p: the same report (idle finding, use counts)" \
	"$(same "$SCRATCH/p.json" "$SCRATCH/p2.json")" same
expect_jq "replay -p: and it has the idle finding" "$SCRATCH/p2.json" '[.findings[].kind] | join(",")' old-and-idle

# --max-exited folds the oldest exited processes into counts, in the live run
# and (it is an event) in the replay alike
ls_run -q --max-exited 3 --capture "$SCRATCH/f.cap" --json "$SCRATCH/f.json" -- \
	sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true; done; sleep 1.5' >/dev/null 2>&1
expect_jq "max-exited 3: the oldest exited processes were forgotten" "$SCRATCH/f.json" \
	'.summary.forgotten.processes >= 6 and ([.processes[] | select(.exited and .reaped)] | length) <= 4' true
ls_run replay "$SCRATCH/f.cap" -q --json "$SCRATCH/f2.json" >/dev/null 2>&1
expect_eq "max-exited 3: the replay forgets the same ones" "$(same "$SCRATCH/f.json" "$SCRATCH/f2.json")" same

# bad captures: one line, the offset, exit 1, nothing written
SIZE=$(stat -c %s "$C")
head -c $((SIZE - 20)) "$C" >"$SCRATCH/cut.cap"
ls_run replay "$SCRATCH/cut.cap" -q --json "$SCRATCH/cut.json" >/dev/null 2>"$SCRATCH/err"
expect_eq "replay truncated: exits 1" "$?" 1
expect_eq "replay truncated: one line with the offset" \
	"$(wc -l <"$SCRATCH/err") $(grep -c 'truncated block.*at offset [0-9]' "$SCRATCH/err")" "1 1"
expect_eq "replay truncated: no report" "$(ls "$SCRATCH/cut.json" 2>/dev/null | wc -l)" 0
cp "$C" "$SCRATCH/bad.cap"
printf '\377\377\377\377' | dd of="$SCRATCH/bad.cap" bs=1 seek=$((SIZE - 40)) conv=notrunc 2>/dev/null
ls_run replay "$SCRATCH/bad.cap" -q >/dev/null 2>"$SCRATCH/err"
expect_eq "replay corrupt: exits 1" "$?" 1
expect_grep "replay corrupt: says where" "$SCRATCH/err" "corrupt block (does not inflate to what its checksum says) at offset"
cp "$C" "$SCRATCH/new.cap"
printf '\011' | dd of="$SCRATCH/new.cap" bs=1 seek=8 conv=notrunc 2>/dev/null
ls_run replay "$SCRATCH/new.cap" -q >/dev/null 2>"$SCRATCH/err"
expect_eq "replay newer format: exits 1" "$?" 1
expect_grep "replay newer format: says so" "$SCRATCH/err" "capture format version 9 is newer than this leakscope's (1)"
printf 'hello' >"$SCRATCH/junk.cap"
ls_run replay "$SCRATCH/junk.cap" >/dev/null 2>"$SCRATCH/err"
expect_grep "replay not a capture: says so" "$SCRATCH/err" "not a leakscope capture (offset 0)"
ls_run replay "$SCRATCH/none.cap" >/dev/null 2>"$SCRATCH/err"
expect_eq "replay missing file: exits 1" "$?" 1
ls_run replay "$C" -p 1 >/dev/null 2>"$SCRATCH/err"
expect_eq "replay -p: a usage error" "$?" 2
ls_run replay >/dev/null 2>"$SCRATCH/err"
expect_eq "replay without a file: a usage error" "$?" 2

# --capture through a symlink: refused before CMD runs
ln -s "$SCRATCH/elsewhere" "$SCRATCH/link.cap"
ls_run -q --capture "$SCRATCH/link.cap" -- touch "$SCRATCH/ran" >/dev/null 2>"$SCRATCH/err"
expect_eq "capture symlink: exits 1" "$?" 1
expect_grep "capture symlink: refused" "$SCRATCH/err" "symbolic link (refused)"
expect_eq "capture symlink: CMD did not run, nothing written" \
	"$(ls "$SCRATCH/ran" "$SCRATCH/elsewhere" 2>/dev/null | wc -l)" 0

# a run killed with SIGKILL: blocks are written every second, the end is missing
bg_exec "$LS" -q --capture "$SCRATCH/killed.cap" -- sh -c "exec 7>$SCRATCH/held; sleep 31" \
	>/dev/null 2>&1
KPID=$!
# killed once a block is out (leakscope may first wait for an earlier one's
# probes to detach): the header is about 4.4 KB
i=0
until [ "$(stat -c %s "$SCRATCH/killed.cap" 2>/dev/null || echo 0)" -gt 4600 ] || [ $i -ge 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -9 "$KPID"
wait "$KPID" 2>/dev/null
pkill -f "^sleep 31$" 2>/dev/null # the sh -c child above, nothing else
ls_run replay "$SCRATCH/killed.cap" -q --json "$SCRATCH/killed.json" >/dev/null 2>"$SCRATCH/err"
expect_eq "replay of a killed run: exits 0" "$?" 0
expect_grep "replay of a killed run: says the end is missing" "$SCRATCH/err" "has no end record"
expect_jq "replay of a killed run: what it saw (sh holding fd 7)" "$SCRATCH/killed.json" \
	'[.processes[].open_fds[]? | select(.fd == 7) | .path | endswith("/held")] | any' true
finish
