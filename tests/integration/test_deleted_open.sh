# Deleted-but-open files (tools/scenarios/deleted_open.c): big.log, 3 MiB,
# unlinked with its fd kept; kept.log, 1 KiB, not unlinked. Before a report
# leakscope stats the open files of LIVE processes through /proc/PID/fd/N;
# for fds released at exit the state is not known (README) and reads false.
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup() {
	for d in "$SCRATCH"/d*; do [ -d "$d" ] && touch "$d/go"; done
	sleep 0.1
	kill_pids
}
cleanup_at_exit cleanup

# fd_of NAME: the fd the scenario printed for NAME (fd: big.log, kept: kept.log)
fd_of() { sed -n "s/^$1 //p" "$D.out"; }
# a resource object's deleted state: "deleted bytes_held" ("-" when absent)
STATE='"\(.deleted) \(.deleted_bytes_held // "-")"'

# --- -p -d 1: opened, written and unlinked before attach ------------------
D=$SCRATCH/d1
mkdir "$D"
bg_exec "$TOOLS/deleted_open" "$D" >"$D.out" 2>&1
DPID=$!
PIDS="$PIDS $DPID"
wait_line "$D.out" ready
R=$SCRATCH/d1.json
ls_run --json "$R" -p "$DPID" -d 1 >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "deleted -p -d 1: exits 0" "$?" 0
O="(.processes[] | select(.pid == $DPID) | .open_fds[])"
BIG="($O | select(.fd == $(fd_of fd)))"
KEPT="($O | select(.fd == $(fd_of kept)))"
expect_jq "deleted -p: the process is live" "$R" ".processes[] | select(.pid == $DPID) | .exited" false
expect_jq "deleted -p: big.log's fd is one open file" "$R" "[$BIG | .type] | join(\",\")" file
expect_jq "deleted -p: big.log is deleted, holding 3 MiB" "$R" "$BIG | $STATE" "true 3145728"
expect_jq "deleted -p: big.log's path starts with DIR/big.log" "$R" \
	"$BIG | .path | startswith(\"$D/big.log\")" true
expect_jq "deleted -p: big.log is before_attach" "$R" "$BIG | .before_attach" true
expect_jq "deleted -p: kept.log's fd is kept.log" "$R" "$KEPT | .path" "$D/kept.log"
expect_jq "deleted -p: kept.log is not deleted, no deleted_bytes_held" "$R" "$KEPT | $STATE" "false -"
expect_jq "deleted -p: only big.log is deleted" "$R" "[$O | select(.deleted) | .fd] | join(\",\")" "$(fd_of fd)"
touch "$D/go"
gone "$DPID" 5
wait "$DPID"
expect_eq "deleted -p: the scenario exits 0" "$?" 0

# --- -- CMD -d 1: opened and unlinked after attach, live at the report ----
D=$SCRATCH/d2
mkdir "$D"
R=$SCRATCH/d2.json
ls_run --json "$R" -d 1 -- "$TOOLS/deleted_open" "$D" >"$D.out" 2>"$SCRATCH/err"
expect_eq "deleted -- CMD -d 1: exits 0" "$?" 0
P=$(jq -r '.processes[0].pid' "$R")
PIDS="$PIDS $P"
O='(.processes[0].open_fds[])'
BIG="($O | select(.fd == $(fd_of fd)))"
KEPT="($O | select(.fd == $(fd_of kept)))"
expect_jq "deleted -- CMD -d 1: still running at the report" "$R" '.processes[0].exited' false
expect_jq "deleted -- CMD -d 1: big.log, named when opened, after attach" "$R" \
	"$BIG | \"\(.path) \(.syscall) \(.before_attach)\"" "$D/big.log openat false"
expect_jq "deleted -- CMD -d 1: big.log is deleted, holding 3 MiB" "$R" "$BIG | $STATE" "true 3145728"
expect_jq "deleted -- CMD -d 1: kept.log is not deleted" "$R" "$KEPT | \"\(.path) \($STATE)\"" "$D/kept.log false -"
expect_jq "deleted -- CMD -d 1: while it runs, the only finding is big.log deleted-but-open" "$R" \
	'[.findings[] | "\(.kind) \(.resource.fd)"] | join(",")' "deleted-but-open $(fd_of fd)"
touch "$D/go"
expect_eq "deleted -- CMD -d 1: the scenario ends after go" "$(gone "$P" 5 && echo yes)" yes

# --- -- CMD to the end: the fds are released at exit, state unknown -------
D=$SCRATCH/d3
mkdir "$D"
R=$SCRATCH/d3.json
(wait_line "$D.out" ready && touch "$D/go") &
PIDS="$PIDS $!"
ls_run --json "$R" -- "$TOOLS/deleted_open" "$D" >"$D.out" 2>"$SCRATCH/err"
expect_eq "deleted -- CMD: exits 0" "$?" 0
expect_jq "deleted -- CMD: the process exited" "$R" '.processes[0].exited' true
FIND='(.findings[] | select(.kind == "released-at-exit") | .resource)'
expect_jq "deleted -- CMD: big.log and kept.log are released-at-exit findings" "$R" \
	"[$FIND | \"\(.fd) \(.path)\"] | join(\",\")" "$(fd_of fd) $D/big.log,$(fd_of kept) $D/kept.log"
# the link count is asked of a live process: once it exited it is unknown (null)
expect_jq "deleted -- CMD: big.log at exit: deleted is unknown (null), no bytes" "$R" \
	"$FIND | select(.fd == $(fd_of fd)) | $STATE" "null -"
expect_jq "deleted -- CMD: kept.log at exit: deleted is unknown (null)" "$R" \
	"$FIND | select(.fd == $(fd_of kept)) | $STATE" "null -"
expect_jq "deleted -- CMD: observer.complete" "$R" '.observer.complete' true
finish
