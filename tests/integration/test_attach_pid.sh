# -p PID: attach to a running holder (tools/scenarios/holder.c), which holds
# 50 pre-* files from before the attach and, once DIR/go exists, opens 5
# post-* files and forks a child that opens child.txt; both exit when DIR/stop
# exists, without closing anything.
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup_at_exit holders_cleanup

# holder NAME N: start_holder, and jq paths to the holder and its child
holder() {
	start_holder "$1" "$2"
	H="(.processes[] | select(.pid == $HPID))"
	C="(.processes[] | select(.pid != $HPID))"
}
# run NAME ARGS: holder in NAME, leakscope -p it with ARGS, go, stop
run() {
	holder "$1" 50
	R=$SCRATCH/$1.json
	shift
	bg_ls --json "$R" -p "$HPID" "$@"
	touch "$D/go" && sleep 0.5 && touch "$D/stop"
	reap "$LSPID" 20
}

# --- default: the post files and child.txt, never the pre files -------
run h1
expect_eq "attach -p: leakscope ends by itself with 0" "$?" 0
reap "$HPID" 5
expect_eq "attach -p: the holder exits 0" "$?" 0
expect_jq "attach -p: observer.mode" "$R" '.observer.mode' pid
expect_jq "attach -p: holder and its child" "$R" '.processes | length' 2
expect_jq "attach -p: the holder exited 0" "$R" "$H | \"\(.exited) \(.exit_code)\"" "true 0"
expect_jq "attach -p: not started by leakscope" "$R" "$H.started_by_leakscope" false
expect_jq "attach -p: the child's ppid is the holder" "$R" "$C.ppid" "$HPID"
expect_jq "attach -p: the child exited 0" "$R" "$C | \"\(.exited) \(.exit_code)\"" "true 0"
expect_jq "attach -p: the holder's findings are the 5 post files" "$R" \
	"[.findings[] | select(.pid == $HPID) | .resource.path] | sort | join(\",\") + \",\"" "$(series "$D" post 5)"
expect_jq "attach -p: post files are fds 53-57" "$R" \
	"[.findings[] | select(.pid == $HPID) | .resource.fd] | sort | join(\",\")" "53,54,55,56,57"
expect_jq "attach -p: the child's finding is child.txt" "$R" \
	"[.findings[] | select(.pid != $HPID) | \"\(.pid) \(.resource.path)\"] | join(\",\")" \
	"$(jq -r "$C.pid" "$R") $D/child.txt"
expect_jq "attach -p: 6 findings" "$R" '.findings | length' 6
expect_jq "attach -p: no pre file is a finding" "$R" '[.findings[] | select(.resource.path | test("/pre-"))] | length' 0
expect_jq "attach -p: no finding before attach" "$R" '[.findings[].resource.before_attach] | any' false
expect_jq "attach -p: no event lost" "$R" '.observer.events.lost' 0
expect_jq "attach -p: observer.complete" "$R" '.observer.complete' true

# --- --track-inherited: the 50 pre files, before_attach -----------------
run h2 --track-inherited
expect_eq "attach -p --track-inherited: exits 0" "$?" 0
expect_jq "attach -p --track-inherited: the holder's 50 pre files, before_attach" "$R" \
	"[.findings[] | select(.pid == $HPID and .resource.before_attach and (.resource.path | test(\"/pre-\"))) | .resource.path] | sort | join(\",\") + \",\"" \
	"$(series "$D" pre 50)"
expect_jq "attach -p --track-inherited: the holder's findings: 0-2 and 50 pre before attach, 5 post" "$R" \
	"[.findings[] | select(.pid == $HPID) | .resource.before_attach] | group_by(.) | map(length) | join(\",\")" "5,53"
expect_jq "attach -p --track-inherited: the child's 58 inherited copies are not before_attach" "$R" \
	"[.findings[] | select(.pid != $HPID) | .resource | select(.inherited and (.before_attach | not))] | length" 58

# --- -d 1 while the holder waits: it is live, with its open fds ---------
holder h3 50
start=$(date +%s%N)
bg_ls --json "$SCRATCH/h3.json" -d 1 -p "$HPID"
reap "$LSPID" 10
expect_eq "attach -p -d 1: exits 0" "$?" 0
ms=$((($(date +%s%N) - start) / 1000000))
expect_eq "attach -p -d 1: ends after about 1 s" "$([ "$ms" -ge 1000 ] && [ "$ms" -lt 5000 ] && echo yes)" yes
R=$SCRATCH/h3.json
expect_jq "attach -p -d 1: duration_s about 1" "$R" '.observer.duration_s | . >= 1 and . < 2' true
expect_jq "attach -p -d 1: only the holder" "$R" '[.processes[].pid] | join(",")' "$HPID"
expect_jq "attach -p -d 1: the holder has not exited" "$R" "$H.exited" false
expect_jq "attach -p -d 1: open_fds are fds 0-52" "$R" \
	"[$H.open_fds[].fd] | sort | map(tostring) | join(\",\")" "$(seq -s, 0 52)"
expect_jq "attach -p -d 1: all 50 pre files open, before_attach" "$R" \
	"[$H.open_fds[] | select(.before_attach and (.path | test(\"/pre-\"))) | .path] | sort | join(\",\") + \",\"" \
	"$(series "$D" pre 50)"
expect_jq "attach -p -d 1: every open fd is before_attach" "$R" "[$H.open_fds[].before_attach] | all" true
expect_jq "attach -p -d 1: no finding" "$R" '.findings | length' 0
touch "$D/go" "$D/stop"
reap "$HPID" 5
expect_eq "attach -p -d 1: the holder still ends normally" "$?" 0

# --- --no-children: the child is not traced -----------------------------
run h4 --no-children
expect_eq "attach -p --no-children: exits 0" "$?" 0
expect_jq "attach -p --no-children: only the holder" "$R" '[.processes[].pid] | join(",")' "$HPID"
expect_jq "attach -p --no-children: findings are the holder's 5 post files" "$R" \
	"[.findings[] | \"\(.pid) \(.resource.path)\"] | sort | join(\",\")" \
	"$(series "$D" post 5 | tr ',' '\n' | sed "/^$/d; s|^|$HPID |" | paste -sd,)"

# --- a pid that does not exist -------------------------------------------
true &
gone=$!
wait "$gone"
ls_run --json "$SCRATCH/gone.json" -p "$gone" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "attach -p missing pid: exit 2" "$?" 2
expect_eq "attach -p missing pid: one stderr line" "$(lines "$SCRATCH/err")" 1
expect_grep "attach -p missing pid: says so" "$SCRATCH/err" "no process with pid $gone"
expect_eq "attach -p missing pid: no report" "$([ -e "$SCRATCH/gone.json" ] && echo yes || echo no)" no
finish
