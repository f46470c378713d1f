# A process with 10 000 threads alive at once (tools/scenarios/many_threads.c),
# each holding one fd; every 100th thread leaks its fd. The report must count
# every thread and name exactly the leaked fds, lose nothing, within a minute,
# and leakscope's own peak RSS must stay bounded (see MAX_KB below).
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup_at_exit kill_pids

N=10000
EVERY=100
LEAKED=$(((N + EVERY - 1) / EVERY))

# The leaked paths, in jq's join(",") + "," form: thread i leaks leak-<i> (5 digits).
expected_leaks() {
	i=0
	while [ $i -lt "$N" ]; do
		printf '%s/leak-%05d,' "$1" $i
		i=$((i + EVERY))
	done
}

# --- leakscope -- CMD: the whole run, timed --------------------------------
D=$SCRATCH/cmd
mkdir "$D"
R=$SCRATCH/cmd.json
start=$(date +%s%N)
ls_run -q --json "$R" -- "$TOOLS/many_threads" $N $EVERY "$D" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "10k threads: exits 0" "$?" 0
ms=$((($(date +%s%N) - start) / 1000000))
expect_eq "10k threads: the run takes at most 60 s" "$([ $ms -le 60000 ] && echo yes || echo "no: $ms ms")" yes
expect_eq "10k threads: the scenario made $N threads and leaked $LEAKED fds" \
	"$(sed -n 2,3p "$SCRATCH/out" | tr '\n' ,)" "threads $N,leaked $LEAKED,"
P=$(sed -n 's/^pid //p' "$SCRATCH/out")
Q="(.processes[] | select(.pid == $P))"
expect_jq "10k threads: one process, the scenario" "$R" '[.processes[].pid] | join(",")' "$P"
expect_jq "10k threads: threads_created $N" "$R" "$Q.threads_created" "$N"
expect_jq "10k threads: threads_live 0 after exit" "$R" "$Q.threads_live" 0
expect_jq "10k threads: exited 0" "$R" "$Q | \"\(.exited) \(.exit_code)\"" "true 0"
expect_jq "10k threads: $LEAKED findings, all released-at-exit" "$R" \
	'[.findings[].kind] | "\(length) \(unique | join(","))"' "$LEAKED released-at-exit"
expect_jq "10k threads: the findings are exactly the leaked paths" "$R" \
	'[.findings[].resource.path] | sort | join(",") + ","' "$(expected_leaks "$D")"
expect_jq "10k threads: each leak blamed on its own thread (distinct tids, none the main one)" "$R" \
	"[.findings[].tid] | \"\(unique | length) \(map(select(. == $P)) | length)\"" "$LEAKED 0"
expect_jq "10k threads: created - released = leaked (every other close seen)" "$R" \
	"$Q.counts.file | .created - .released" "$LEAKED"
expect_jq "10k threads: no event lost" "$R" '.observer.events.lost' 0
expect_jq "10k threads: observer.complete" "$R" '.observer.complete' true
expect_jq "10k threads: no engine anomaly" "$R" \
	'[.observer.engine | .bad_events, .unknown_fd, .unknown_process, .fd_replaced, .oom] | add' 0
# not a failure: stacks are left out while the ring is over half full, and said so
echo "# 10k threads: $ms ms, events $(jq -c .observer.events "$R")"

# --- leakscope -p: its own peak RSS ----------------------------------------
# Measured with wait4's ru_maxrss (the VmHWM at its exit) of leakscope alone:
# with -p the scenario is not leakscope's child, so its 10 000 stacks do not
# count. The bound: the same run with 10 threads (the binary, libraries and
# the 8 MiB ring buffer, mapped twice) plus 1 KiB for each of the N fds that
# are open at once - the engine needs about 400 bytes per live fd
# (tools/bench, engine), and nothing per thread but counters.
MAXRSS_PY='import os, sys
pid = os.fork()
if pid == 0:
    os.closerange(3, max(os.sysconf("SC_OPEN_MAX"), 1024))
    os.execvp(sys.argv[2], sys.argv[2:])
status, ru = os.wait4(pid, 0)[1:]
with open(sys.argv[1], "w") as f:
    f.write("%d\n" % ru.ru_maxrss)
sys.exit(os.waitstatus_to_exitcode(status) & 255)'

# peak NAME THREADS: run the scenario with THREADS under leakscope -p; sets
# RSS_KB (leakscope's peak RSS) and R (its report)
peak() {
	D=$SCRATCH/$1
	mkdir "$D"
	R=$SCRATCH/$1.json
	bg_exec "$TOOLS/many_threads" "$2" $EVERY "$D" "$D/go" >"$D.out" 2>&1
	TPID=$!
	PIDS="$PIDS $TPID"
	wait_line "$D.out" ready
	python3 -c "$MAXRSS_PY" "$D.rss" "$LS" -q --json "$R" -p "$TPID" </dev/null >"$D.ls" 2>&1 &
	WPID=$!
	PIDS="$PIDS $WPID"
	i=0
	until LSPID=$(pgrep -P "$WPID") || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
	PIDS="$PIDS $LSPID"
	wait_attached "$LSPID"
	touch "$D/go"
	reap "$WPID" 60
	expect_eq "10k threads -p $2: leakscope exits 0 when the scenario ends" "$?" 0
	reap "$TPID" 5
	RSS_KB=$(cat "$D.rss" 2>/dev/null || echo 0)
}

peak base 10
BASE_KB=$RSS_KB
expect_jq "10k threads -p: baseline run saw 10 threads" "$R" '.processes[0].threads_created' 10
peak big $N
MAX_KB=$((BASE_KB + N))
expect_eq "10k threads -p: peak RSS at most the 10-thread run's + $N KB" \
	"$([ "$RSS_KB" -gt 0 ] && [ "$RSS_KB" -le "$MAX_KB" ] && echo yes ||
		echo "no: $RSS_KB KB, 10 threads $BASE_KB KB")" yes
expect_jq "10k threads -p: threads_created $N" "$R" '.processes[0].threads_created' "$N"
expect_jq "10k threads -p: the leaked paths" "$R" \
	'[.findings[].resource.path] | sort | join(",") + ","' "$(expected_leaks "$D")"
expect_jq "10k threads -p: no event lost" "$R" '.observer.events.lost' 0
echo "# 10k threads -p: peak RSS $RSS_KB KB, with 10 threads $BASE_KB KB"
finish
