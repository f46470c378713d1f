# --interval/--report-dir/--keep/--count: a complete JSON report every
# interval and a final one, atomic and 0600, named by time, the oldest removed
# past --keep; --count stops after N; bad combinations are usage errors.
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup_at_exit kill_pids

D=$SCRATCH/reports
mkdir "$D"
ls_run -q --interval 0.5 --report-dir "$D" --keep 3 --json "$SCRATCH/final.json" \
	-- sh -c 'sleep 2.7' >/dev/null 2>"$SCRATCH/err"
expect_eq "interval: the command's status" "$?" 0
expect_eq "interval: --keep 3 kept 3 reports" "$(ls "$D" | wc -l)" 3
expect_eq "interval: named leakscope-<UTC>.json" \
	"$(ls "$D" | grep -c '^leakscope-[0-9]\{8\}T[0-9]\{6\}\.[0-9]\{3\}Z\.json$')" 3
expect_eq "interval: every one complete JSON, mode 0600" \
	"$(for f in "$D"/*; do jq -e '.schema == "leakscope.report/v1"' "$f" >/dev/null && stat -c %a "$f"; done | sort -u)" 600
LAST=$(ls "$D" | tail -n 1)
expect_jq "interval: the last is the final one: the command has exited" "$D/$LAST" \
	'[.processes[] | select(.started_by_leakscope) | .exited] | all' true
FIRST=$(ls "$D" | head -n 1)
expect_jq "interval: the earlier ones saw it running" "$D/$FIRST" \
	'[.processes[] | select(.started_by_leakscope) | .exited] | all' false
expect_eq "interval: no temporary file left" "$(ls -a "$D" | grep -c '^\.')" 2
expect_jq "interval: --json still gets the final report" "$SCRATCH/final.json" '.observer.mode' command

# --count with -p: stops after N reports, the process runs on
"$TOOLS/misuse" idle "$SCRATCH" 20 >"$SCRATCH/idle.out" 2>&1 &
IPID=$!
PIDS="$PIDS $IPID"
wait_line "$SCRATCH/idle.out" ready
D2=$SCRATCH/count
mkdir "$D2"
START=$(date +%s%N)
ls_run -q -p "$IPID" --interval 0.4 --count 2 --report-dir "$D2" >/dev/null 2>&1
expect_eq "interval --count 2: exits 0" "$?" 0
ELAPSED=$((($(date +%s%N) - START) / 1000000))
expect_eq "interval --count 2: two reports, no extra final one" "$(ls "$D2" | wc -l)" 2
expect_eq "interval --count 2: stopped after about 0.8 s (took ${ELAPSED} ms)" \
	"$([ "$ELAPSED" -lt 4000 ] && echo yes)" yes
expect_eq "interval --count 2: the process still runs" "$(alive "$IPID" && echo yes)" yes

ls_run --interval 1 -- true >/dev/null 2>"$SCRATCH/err"
expect_eq "interval without --report-dir: usage error" "$?" 2
expect_grep "interval without --report-dir: says so" "$SCRATCH/err" "--interval and --report-dir go together"
ls_run --keep 2 -- true >/dev/null 2>"$SCRATCH/err"
expect_eq "--keep without --interval: usage error" "$?" 2
ls_run --interval 0 --report-dir "$D" -- true >/dev/null 2>"$SCRATCH/err"
expect_eq "--interval 0: usage error" "$?" 2
ls_run --interval 1 --report-dir "$SCRATCH/missing" -- touch "$SCRATCH/ran" >/dev/null 2>"$SCRATCH/err"
expect_eq "--report-dir missing: exits 1 before running" "$?:$(ls "$SCRATCH/ran" 2>/dev/null | wc -l)" "1:0"
expect_grep "--report-dir missing: says so" "$SCRATCH/err" "--report-dir $SCRATCH/missing: No such file or directory"
finish
