# SIGKILL, both ways.
# The traced workload (tools/scenarios/busy.c: K held files, then 3 threads
# opening and closing as fast as they can) killed mid-work, under -- CMD and
# -p: the report is complete, says signal 9, and lists the fds open at the
# kill as released at exit. leakscope itself killed (system-wide, with --json,
# --interval and --capture): every BPF program and link it had is gone, and
# its report directory holds only whole interval reports.
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup_at_exit kill_pids

K=20

# killed_checks NAME REPORT PID DIR: what a report on a busy killed with
# SIGKILL must say
killed_checks() {
	Q="(.processes[] | select(.pid == $3))"
	expect_jq "$1: the process exited by signal 9" "$2" \
		"$Q | \"\(.exited) \(.exit_code) \(.exit_signal)\"" "true null 9"
	expect_jq "$1: its 2 churn threads counted, none live" "$2" \
		"$Q | \"\(.threads_created) \(.threads_live)\"" "2 0"
	expect_jq "$1: the $K held files are findings, at fds 3..$((K + 2))" "$2" \
		"[.findings[] | select(.resource.path | test(\"/held-\")) | .resource | \"\(.fd) \(.path)\"] | sort_by(split(\" \")[0] | tonumber) | join(\",\")" \
		"$(i=0; while [ $i -lt $K ]; do printf '%d %s/held-%03d' $((i + 3)) "$4" $i; i=$((i + 1)); [ $i -lt $K ] && printf ,; done)"
	expect_jq "$1: besides, at most one churn file per thread open at the kill" "$2" \
		"[.findings[] | select(.resource.path | test(\"/held-\") | not) | .resource.path | ltrimstr(\"$4/\")] | (length <= 3) and all(test(\"^churn-[0-2]$\"))" true
	expect_jq "$1: all released-at-exit, by the exit (no release time before it)" "$2" \
		"($Q.exit) as \$x | [.findings[] | \"\(.kind) \(.released == \$x)\"] | unique | join(\",\")" \
		"released-at-exit true"
	expect_jq "$1: created - released = the findings (every close before the kill seen)" "$2" \
		"($Q.counts.file | .created - .released) == (.findings | length)" true
	expect_jq "$1: no event lost" "$2" '.observer.events.lost' 0
	expect_jq "$1: observer.complete" "$2" '.observer.complete' true
	expect_jq "$1: no engine anomaly" "$2" \
		'[.observer.engine | .bad_events, .unknown_fd, .unknown_process, .fd_replaced, .oom] | add' 0
	echo "# $1: $(jq '.findings | length' "$2") findings, events $(jq -c .observer.events "$2")"
}

# --- the workload killed, leakscope -- CMD ---------------------------------
D=$SCRATCH/cmd
mkdir "$D"
touch "$D/go"
R=$SCRATCH/cmd.json
bg_exec "$LS" -q --json "$R" -- "$TOOLS/busy" "$D" $K "$D/go" >"$SCRATCH/cmd.out" 2>"$SCRATCH/cmd.err"
LSPID=$!
PIDS="$PIDS $LSPID"
wait_line "$SCRATCH/cmd.out" "held $K"
BPID=$(pgrep -P "$LSPID")
PIDS="$PIDS $BPID"
sleep 0.5
kill -9 "$BPID"
reap "$LSPID" 20
expect_eq "busy killed (-- CMD): leakscope exits 128 + 9" "$?" 137
killed_checks "busy killed (-- CMD)" "$R" "$BPID" "$D"

# --- the workload killed, leakscope -p -----------------------------------
D=$SCRATCH/pid
mkdir "$D"
bg_exec "$TOOLS/busy" "$D" $K "$D/go" >"$D.out" 2>&1
BPID=$!
PIDS="$PIDS $BPID"
wait_line "$D.out" ready
R=$SCRATCH/pid.json
bg_ls -q --json "$R" -p "$BPID"
touch "$D/go"
wait_line "$D.out" "held $K"
sleep 0.5
kill -9 "$BPID"
reap "$LSPID" 20
expect_eq "busy killed (-p): leakscope ends by itself with 0" "$?" 0
killed_checks "busy killed (-p)" "$R" "$BPID" "$D"

# --- leakscope killed -------------------------------------------------------
# Its programs, links and maps, from its own fds (fdinfo), so that the other
# leakscopes running meanwhile (other tests, the suite's watcher) do not count.
# (bpftool -j prog show would list the owning pids only when built with its
# pid iterator, and Debian 12's bpftool 7.1 is not: it shows no "pids".)
RD=$SCRATCH/reports
mkdir "$RD"
bg_ls -q --json "$RD/final.json" --interval 0.5 --report-dir "$RD" --capture "$SCRATCH/killed.cap"
# (the first report waits for the /proc snapshot of the whole machine: seconds
# when another process holds a million fds)
i=0
until [ "$(nfiles "$RD" 'leakscope-*.json')" -ge 2 ] || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
ids() {
	grep -h "^$1:" /proc/"$LSPID"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -un
}
PROGS=$(ids prog_id)
LINKS=$(ids link_id)
MAPS=$(ids map_id)
NPROG=$(echo $PROGS | wc -w)
NLINK=$(echo $LINKS | wc -w)
NMAP=$(echo $MAPS | wc -w)
expect_eq "leakscope killed: it wrote interval reports before the kill" \
	"$([ "$(nfiles "$RD" 'leakscope-*.json')" -ge 2 ] && echo yes)" yes
expect_eq "leakscope killed: it had programs, links and maps" \
	"$([ "$NPROG" -gt 10 ] && [ "$NLINK" -gt 10 ] && [ "$NMAP" -gt 3 ] && echo yes)" yes
kill -9 "$LSPID"
wait "$LSPID" 2>/dev/null
# the kernel frees what the last fd held, partly after an RCU grace period
left() {
	n=0
	for id in $PROGS; do bpftool prog show id "$id" >/dev/null 2>&1 && n=$((n + 1)); done
	for id in $LINKS; do bpftool link show id "$id" >/dev/null 2>&1 && n=$((n + 1)); done
	for id in $MAPS; do bpftool map show id "$id" >/dev/null 2>&1 && n=$((n + 1)); done
	echo $n
}
i=0
until [ "$(left)" = 0 ] || [ $i -ge 50 ]; do sleep 0.2; i=$((i + 1)); done
expect_eq "leakscope killed: none of its programs, links and maps is left" "$(left)" 0
echo "# leakscope killed: it had $NPROG programs, $NLINK links, $NMAP maps; $(ls "$RD" | wc -l) interval reports"
expect_eq "leakscope killed: no final report (it never got to write it)" \
	"$([ -e "$RD/final.json" ] && echo there || echo absent)" absent
expect_eq "leakscope killed: no temporary file left (.NAME.XXXXXX)" "$(nfiles "$RD" '.*')" 0
expect_eq "leakscope killed: the report directory holds only interval reports" \
	"$(nfiles "$RD" '*')" "$(nfiles "$RD" 'leakscope-*.json')"
bad=0
for f in "$RD"/leakscope-*.json; do
	[ -e "$f" ] || continue
	jq -e '.schema == "leakscope.report/v1" and (.processes | length) > 0' "$f" >/dev/null 2>&1 ||
		bad=$((bad + 1))
done
expect_eq "leakscope killed: each interval report is whole JSON" "$bad" 0
finish
