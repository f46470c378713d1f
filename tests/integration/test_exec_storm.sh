# Exec storms (tools/scenarios/exec_storm.c): a process that execs itself 500
# times in a row, and 500 children exec'ing /bin/true at once. fds without
# close-on-exec cross every exec and are leaked at exit; those with it are
# released by the exec; every exec is counted; nothing is lost.
set -u
. tests/integration/lib.sh
scratch

N=500
M=500

# --- chain: one pid, N re-execs -------------------------------------------
D=$SCRATCH/chain
mkdir "$D"
R=$SCRATCH/chain.json
start=$(date +%s%N)
ls_run -q --json "$R" -- "$TOOLS/exec_storm" chain $N "$D" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "exec chain: exits 0" "$?" 0
ms=$((($(date +%s%N) - start) / 1000000))
# "pid P keep 3 pipe 4 5 eventfd E execs N", from the last image
set -- $(cat "$SCRATCH/out")
expect_eq "exec chain: the last image says what it holds" "$1 $3 $4 $5 $6 $7 $8 ${10} ${11}" \
	"pid keep 3 pipe 4 5 eventfd execs $N"
P=$2
EFD=$9
Q="(.processes[] | select(.pid == $P))"
expect_jq "exec chain: one process, one pid through every exec" "$R" '[.processes[].pid] | join(",")' "$P"
expect_jq "exec chain: execs $((N + 1)) (leakscope's exec of CMD and $N more)" "$R" "$Q.execs" $((N + 1))
expect_jq "exec chain: argv is the last image's" "$R" "$Q.argv[1:] | join(\" \")" "chain $N $D $N"
expect_jq "exec chain: exited 0" "$R" "$Q | \"\(.exited) \(.exit_code)\"" "true 0"
expect_jq "exec chain: $((N + 1)) close-on-exec eventfds made, $N released by the execs, 1 by the exit" "$R" \
	"$Q.counts.eventfd | \"\(.created) \(.released) \(.released_at_exit)\"" "$((N + 1)) $N 1"
expect_jq "exec chain: findings: keep, the pipe, the last eventfd (what crossed no exec or every one)" "$R" \
	'[.findings[] | "\(.kind) \(.resource.fd) \(.resource.type) \(.resource.syscall)"] | join(",")' \
	"released-at-exit 3 file openat,released-at-exit 4 pipe pipe2,released-at-exit 5 pipe pipe2,released-at-exit $EFD eventfd eventfd2"
expect_jq "exec chain: keep is DIR/keep, made by the first image" "$R" \
	".findings[] | select(.resource.fd == 3) | .resource.path" "$D/keep"
expect_jq "exec chain: keep lived through all the execs (created before the first)" "$R" \
	"(.findings[] | select(.resource.fd == 3) | .created) < (.findings[] | select(.resource.fd == $EFD) | .created)" true
expect_jq "exec chain: no event lost" "$R" '.observer.events.lost' 0
expect_jq "exec chain: observer.complete" "$R" '.observer.complete' true
expect_jq "exec chain: no engine anomaly" "$R" \
	'[.observer.engine | .bad_events, .unknown_fd, .unknown_process, .fd_replaced, .oom] | add' 0
echo "# exec chain: $N execs in $ms ms, events $(jq -c .observer.events "$R")"

# --- fork storm: M children exec /bin/true at once -------------------------
D=$SCRATCH/fork
mkdir "$D"
R=$SCRATCH/fork.json
start=$(date +%s%N)
ls_run -q --json "$R" -- "$TOOLS/exec_storm" fork $M "$D" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "fork storm: exits 0" "$?" 0
ms=$((($(date +%s%N) - start) / 1000000))
P=$(sed -n 's/^pid \([0-9]*\) children .*/\1/p' "$SCRATCH/out")
KIDS=$(sed -n 's/^child //p' "$SCRATCH/out" | sort -n | paste -sd,)
expect_eq "fork storm: the scenario says it made $M children" "$(grep -c '^child ' "$SCRATCH/out")" $M
C='[.processes[] | select(.pid != '"$P"')]'
expect_jq "fork storm: $((M + 1)) processes" "$R" '.processes | length' $((M + 1))
expect_jq "fork storm: the children are exactly the scenario's" "$R" "$C | map(.pid) | sort | join(\",\")" "$KIDS"
expect_jq "fork storm: every child is true, exec'd once, exited 0, reaped, the parent's" "$R" \
	"$C | map(\"\(.comm) \(.execs) \(.exit_code) \(.reaped) \(.ppid)\") | unique | join(\",\")" "true 1 0 true $P"
expect_jq "fork storm: each child's exec released its copy of the eventfd" "$R" \
	"$C | map(.counts.eventfd | \"\(.created) \(.released) \(.released_at_exit)\") | unique | join(\",\")" "0 1 0"
expect_jq "fork storm: the children have no finding (keep is inherited)" "$R" \
	"[.findings[] | select(.pid != $P)] | length" 0
expect_jq "fork storm: the parent's findings: keep and its eventfd" "$R" \
	'[.findings[] | "\(.resource.fd) \(.resource.type)"] | join(",")' "3 file,4 eventfd"
expect_jq "fork storm: no event lost" "$R" '.observer.events.lost' 0
expect_jq "fork storm: observer.complete" "$R" '.observer.complete' true
expect_jq "fork storm: no engine anomaly" "$R" \
	'[.observer.engine | .bad_events, .unknown_fd, .unknown_process, .fd_replaced, .oom] | add' 0
echo "# fork storm: $M children in $ms ms, events $(jq -c .observer.events "$R")"
finish
