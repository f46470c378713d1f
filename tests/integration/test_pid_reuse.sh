# Pid reuse (tools/scenarios/pid_reuse.c, clone3 with set_tid): two traced
# processes with one pid in one run are two processes - distinct serials,
# each with its own leaks, the second inheriting nothing of the first, each
# reaped (or not) on its own - and a traced process's pid given to an
# untraced process does not make that one traced.
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup_at_exit 'touch "$SCRATCH/out/done" 2>/dev/null; sleep 0.1; kill_pids'

# --- two children with one pid, the second left a zombie -----------------
D=$SCRATCH/same
mkdir "$D"
R=$SCRATCH/same.json
ls_run -q --json "$R" --capture "$SCRATCH/same.cap" -- "$TOOLS/pid_reuse" same "$D" \
	>"$SCRATCH/out.txt" 2>"$SCRATCH/err"
expect_eq "pid reuse: exits 0" "$?" 0
X=$(sed -n 's/^first //p' "$SCRATCH/out.txt")
expect_eq "pid reuse: the second child got the first one's pid" \
	"$(sed -n 's/^second //p' "$SCRATCH/out.txt")" "$X"
PAR=$(jq -r '.processes[] | select(.started_by_leakscope) | .pid' "$R")
# the processes with pid X, in serial order (proc:PID.SERIAL)
SAME="([.processes[] | select(.pid == $X)] | sort_by(.id | split(\".\")[1] | tonumber))"
expect_jq "pid reuse: 3 processes, 2 of them with pid $X" "$R" \
	"\"\(.processes | length) \($SAME | length)\"" "3 2"
expect_jq "pid reuse: two serials for the one pid" "$R" "$SAME | map(.id) | unique | length" 2
FIRST=$(jq -r "$SAME | .[0].id" "$R")
SECOND=$(jq -r "$SAME | .[1].id" "$R")
expect_jq "pid reuse: the first (lower serial) started no later" "$R" "$SAME | .[0].start <= .[1].start" true
expect_jq "pid reuse: both are children of the scenario" "$R" "$SAME | map(.ppid) | unique | join(\",\")" "$PAR"
# a finding's resource id is fd:PID.SERIAL:FD:GENERATION
F1="[.findings[] | select(.resource.id // \"\" | startswith(\"fd:${FIRST#proc:}:\")) | .resource]"
F2="[.findings[] | select(.resource.id // \"\" | startswith(\"fd:${SECOND#proc:}:\")) | .resource]"
expect_jq "pid reuse: the first leaked first at fd 3, nothing else" "$R" \
	"$F1 | map(\"\(.fd) \(.path)\") | join(\",\")" "3 $D/first"
expect_jq "pid reuse: the second leaked second-0 and second-1 at fds 3 and 4, nothing else" "$R" \
	"$F2 | map(\"\(.fd) \(.path)\") | join(\",\")" "3 $D/second-0,4 $D/second-1"
expect_jq "pid reuse: the second's fd 3 is a new lifecycle, not the first's" "$R" \
	"$F2 | map(select(.fd == 3) | .generation) | join(\",\")" 0
expect_jq "pid reuse: every finding is one of these three" "$R" \
	"[.findings[] | select(.kind == \"released-at-exit\")] | length" 3
expect_jq "pid reuse: the first was waited for: reaped" "$R" "$SAME | .[0].reaped" true
expect_jq "pid reuse: the second is a zombie: not reaped" "$R" "$SAME | .[1].reaped" false
expect_jq "pid reuse: the parent's zombie child is pid $X" "$R" \
	".processes[] | select(.pid == $PAR) | .zombie_children | tojson" "[$X]"
expect_jq "pid reuse: one zombie finding, about pid $X, exited when the second did" "$R" \
	"($SAME | .[1].exit) as \$e | [.findings[] | select(.kind == \"zombie\") | .child.pid == $X and .child.exit == \$e] | tojson" "[true]"
expect_jq "pid reuse: no engine anomaly (no fd found already open)" "$R" \
	'[.observer.engine | .bad_events, .unknown_fd, .unknown_process, .fd_replaced, .oom] | add' 0
expect_jq "pid reuse: observer.complete" "$R" '.observer.complete' true
ls_run replay "$SCRATCH/same.cap" -q --json "$SCRATCH/replayed.json" >/dev/null 2>&1
jq -S 'del(.observer.replayed)' "$R" >"$SCRATCH/live.n"
jq -S 'del(.observer.replayed)' "$SCRATCH/replayed.json" >"$SCRATCH/replayed.n"
expect_eq "pid reuse: the capture replays to the same report" \
	"$(cmp -s "$SCRATCH/live.n" "$SCRATCH/replayed.n" && echo same || echo differs)" same

# --- a traced process's pid, given to an untraced process -----------------
# The traced shell forks true (pid X) and reaps it, then waits for DIR/done;
# meanwhile this script, outside leakscope's tree, makes a process with pid X.
D=$SCRATCH/out
mkdir "$D"
R=$SCRATCH/outsider.json
bg_exec "$LS" -q --json "$R" -- sh -c \
	"/bin/true & echo \$! >$D/pid.tmp; wait; mv $D/pid.tmp $D/pid; while [ ! -e $D/done ]; do sleep 0.05; done" \
	>"$SCRATCH/ls.out" 2>&1
LSPID=$!
PIDS="$PIDS $LSPID"
i=0
until [ -s "$D/pid" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
X=$(cat "$D/pid")
i=0
until "$TOOLS/pid_reuse" at "$X" "$D" 2>"$SCRATCH/at.err" || [ $i -ge 20 ]; do sleep 0.1; i=$((i + 1)); done
expect_eq "outsider: a process with the traced pid $X ran" "$([ -e "$D/outsider" ] && echo yes)" yes
touch "$D/done"
reap "$LSPID" 20
expect_eq "outsider: leakscope exits 0" "$?" 0
expect_jq "outsider: pid $X is in the report once, as true" "$R" \
	"[.processes[] | select(.pid == $X) | .comm] | join(\",\")" true
expect_jq "outsider: nothing of the untraced process (its open of outsider)" "$R" \
	'[.findings[] | select(.resource.path | tostring | endswith("/outsider"))] | length' 0
expect_jq "outsider: observer.complete" "$R" '.observer.complete' true
finish
