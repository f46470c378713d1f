# exit_code N|signal: leakscope exits with the command's status (128+N when
# killed by signal N); the report says which; the /dev/null it leaves open
# (fd 3) is a chr finding whichever way it ended.
set -u
. tests/integration/lib.sh
scratch

# leak_checks LABEL REPORT: the one /dev/null finding
leak_checks() {
	expect_jq "$1: exactly one finding" "$2" '.findings | length' 1
	expect_jq "$1: the finding is chr /dev/null at fd 3" "$2" \
		'.findings[0].resource | "\(.type) \(.path) \(.fd)"' "chr /dev/null 3"
	expect_jq "$1: opened O_RDONLY by openat" "$2" \
		'.findings[0].resource | "\(.flags) \(.syscall)"' "O_RDONLY openat"
	expect_jq "$1: released-at-exit warning" "$2" \
		'.findings[0] | "\(.kind) \(.severity)"' "released-at-exit warning"
	expect_jq "$1: summary.by_type chr 1" "$2" '.summary.by_type | tojson' '{"chr":1}'
	expect_jq "$1: observer.complete" "$2" '.observer.complete' true
}

R=$SCRATCH/three.json
ls_run --json "$R" -- "$TOOLS/exit_code" 3 >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "exit_code 3: leakscope exits 3" "$?" 3
expect_jq "exit_code 3: exited" "$R" '.processes[0].exited' true
expect_jq "exit_code 3: exit_code == 3" "$R" '.processes[0].exit_code' 3
expect_jq "exit_code 3: exit_signal == null" "$R" '.processes[0].exit_signal' null
expect_grep "exit_code 3: text says status 3" "$SCRATCH/err" "exited with status 3"
leak_checks "exit_code 3" "$R"

R=$SCRATCH/max.json
ls_run -q --json "$R" -- "$TOOLS/exit_code" 255 >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "exit_code 255: leakscope exits 255" "$?" 255
expect_jq "exit_code 255: exit_code == 255" "$R" '.processes[0].exit_code' 255
expect_jq "exit_code 255: exit_signal == null" "$R" '.processes[0].exit_signal' null

R=$SCRATCH/kill.json
ls_run --json "$R" -- "$TOOLS/exit_code" signal >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "exit_code signal: leakscope exits 137 (128+SIGKILL)" "$?" 137
expect_jq "exit_code signal: exited" "$R" '.processes[0].exited' true
expect_jq "exit_code signal: exit_signal == 9" "$R" '.processes[0].exit_signal' 9
expect_jq "exit_code signal: exit_code == null" "$R" '.processes[0].exit_code' null
expect_jq "exit_code signal: exit_code key present (null, not missing)" "$R" \
	'.processes[0] | has("exit_code")' true
expect_grep "exit_code signal: text says killed by signal 9" "$SCRATCH/err" "killed by signal 9"
leak_checks "exit_code signal" "$R"

# Another signal, by a shell that kills itself: 128+15
R=$SCRATCH/term.json
ls_run -q --json "$R" -- /bin/sh -c 'kill -TERM $$' >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "SIGTERM: leakscope exits 143" "$?" 143
expect_jq "SIGTERM: exit_signal == 15, exit_code == null" "$R" \
	'.processes[0] | "\(.exit_signal) \(.exit_code)"' "15 null"

# A SIGTERM sent to leakscope is passed on to the command: once sleep runs
# (leakscope installs its handlers before it releases the command), TERM
# leakscope; sleep dies of it and leakscope reports and exits 143.
R=$SCRATCH/fwd.json
ls_run -q --json "$R" -- /bin/sleep 30 >"$SCRATCH/out" 2>"$SCRATCH/err" &
bg=$!
ls_pid='' sleep_pid='' i=0
while [ $i -lt 100 ]; do
	# $bg is the subshell running ls_run, or leakscope itself if sh exec'd it
	ls_pid=$bg
	[ "$(ps -o comm= -p $bg)" = leakscope ] || ls_pid=$(pgrep -P $bg -x leakscope)
	[ -n "$ls_pid" ] && sleep_pid=$(pgrep -P "$ls_pid" -x sleep) && break
	sleep 0.05
	i=$((i + 1))
done
expect_eq "forward: sleep started under leakscope" "$([ -n "$sleep_pid" ] && echo yes)" yes
[ -n "$ls_pid" ] && kill -TERM "$ls_pid"
wait $bg
expect_eq "forward: leakscope exits 143 after passing SIGTERM on" "$?" 143
expect_jq "forward: the report says sleep died of signal 15" "$R" \
	'.processes[0] | "\(.comm) \(.exit_signal) \(.exit_code)"' "sleep 15 null"
finish
