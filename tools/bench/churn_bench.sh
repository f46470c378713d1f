#!/bin/sh
# Syscall churn under each tracer, in interleaved rounds: the workload on
# CPU 1, the tracer's own process (if it has one) on CPU 0. Each round runs
# every setup once, in an order rotated from round to round, so slow drifts
# of a shared machine's load spread over all setups instead of favouring one.
# Writes build/bench/churn.raw ("setup round family cpu_ns wall_ns") and
# build/bench/churn_runs.tsv (what each traced run saw), then the table.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tools/bench/lib.sh

ITER=${ITER:-100000}
BATCHES=${BATCHES:-5}
# strace stops the tracee twice per syscall and valgrind translates every
# instruction: fewer iterations keep a round short; figures are per iteration.
STRACE_ITER=${STRACE_ITER:-$((ITER / 20))}
VALGRIND_ITER=${VALGRIND_ITER:-$((ITER / 50))}
# churn's least: 4 thread lifecycles per batch
for v in ITER STRACE_ITER VALGRIND_ITER; do
	eval "[ \$$v -lt $((40 * BATCHES)) ] && $v=$((40 * BATCHES))"
done
SETUPS=${SETUPS:-"none floor ls_cmd ls_cmd_s0 ls_sys bpftrace strace valgrind"}
RAW=$OUT/churn.raw
RUNS=$OUT/churn_runs.tsv
CHURN=$TOOLS/churn
: >"$RAW"
printf 'round\tsetup\tforeign_tracers\treceived\tlost\tstacks_skipped\n' >"$RUNS"
BUSY=0

# the syscalls leakscope hooks, for strace: the floor has exactly its hooks;
# clone and exec stand for its scheduler hooks
STRACE_SET=$(sed -n 's/.*sys_\(enter\|exit\)_\([a-z0-9_]*\).*/\2/p' build/floor.bpf.c | sort -u |
	sed 's/^sendfile64$/sendfile/; s/^/?/' | tr '\n' ,)?clone,?clone3,?fork,?vfork,?execve,?execveat

record() { # setup round: prefix the workload's lines
	sed "s/^/$1 $2 /" >>"$RAW"
}

run_none() {
	taskset -c 1 "$CHURN" "$ITER" "$BATCHES" | record none "$1"
}

run_floor() {
	taskset -c 0 "$TOOLS/floor" build/floor.bpf.o >"$OUT/floor.out" 2>&1 &
	pid=$!
	if wait_line "$OUT/floor.out" attached "$pid"; then
		taskset -c 1 "$CHURN" "$ITER" "$BATCHES" | record floor "$1"
	else
		echo "bench: floor did not attach: $(cat "$OUT/floor.out")" >&2
	fi
	kill -INT "$pid"
	wait "$pid"
}

# leakscope -- CMD: the tgid filter, with the default stack copy or none
run_ls_cmd() { # round setup [OPTIONS]
	r=$1
	s=$2
	shift 2
	taskset -c 0 "$LS" -q "$@" --json "$OUT/$s.json" -- taskset -c 1 "$CHURN" "$ITER" "$BATCHES" |
		record "$s" "$r"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$s" "$FOREIGN" "$(ls_events "$OUT/$s.json" received)" \
		"$(ls_events "$OUT/$s.json" lost)" "$(ls_events "$OUT/$s.json" stacks_skipped)" >>"$RUNS"
}

run_ls_sys() {
	taskset -c 0 "$LS" -q --json "$OUT/ls_sys.json" &
	pid=$!
	if wait_attached "$pid"; then
		taskset -c 1 "$CHURN" "$ITER" "$BATCHES" | record ls_sys "$1"
	else
		echo "bench: system-wide leakscope did not attach" >&2
	fi
	kill -INT "$pid"
	wait "$pid"
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" ls_sys "$FOREIGN" "$(ls_events "$OUT/ls_sys.json" received)" \
		"$(ls_events "$OUT/ls_sys.json" lost)" "$(ls_events "$OUT/ls_sys.json" stacks_skipped)" >>"$RUNS"
}

run_bpftrace() {
	BPFTRACE_MAP_KEYS_MAX=262144 taskset -c 0 bpftrace tools/bench/fdstate.bt >"$OUT/bpftrace.out" 2>&1 &
	pid=$!
	if wait_line "$OUT/bpftrace.out" '^ready' "$pid"; then
		taskset -c 1 "$CHURN" "$ITER" "$BATCHES" | record bpftrace "$1"
	else
		echo "bench: bpftrace did not start: $(tail -3 "$OUT/bpftrace.out")" >&2
	fi
	kill -INT "$pid"
	wait "$pid"
}

run_strace() {
	taskset -c 0 strace -f -qq -o /dev/null -e trace="$STRACE_SET" \
		taskset -c 1 "$CHURN" "$STRACE_ITER" "$BATCHES" | record strace "$1"
}

# valgrind has no tracer process: the client runs translated on its CPU
run_valgrind() {
	taskset -c 1 valgrind -q --track-fds=yes --log-file="$OUT/valgrind.log" \
		"$CHURN" "$VALGRIND_ITER" "$BATCHES" | record valgrind "$1"
}

run_setup() { # setup round
	quiet
	case $1 in
	none) run_none "$2" ;;
	floor) run_floor "$2" ;;
	ls_cmd) run_ls_cmd "$2" ls_cmd ;;
	ls_cmd_s0) run_ls_cmd "$2" ls_cmd_s0 --stack-bytes 0 ;;
	ls_sys) run_ls_sys "$2" ;;
	bpftrace) run_bpftrace "$2" ;;
	strace) run_strace "$2" ;;
	valgrind) run_valgrind "$2" ;;
	*) echo "bench: unknown setup $1" >&2 ;;
	esac
}

nsetups=$(echo $SETUPS | wc -w)
for r in $(seq 1 "$ROUNDS"); do
	quiet
	FOREIGN=$(wait_foreign)
	[ "$FOREIGN" -gt 0 ] && BUSY=$((BUSY + 1))
	# rotate: round r starts with the ((r-1) mod n)-th setup
	order=$(echo $SETUPS | tr ' ' '\n' | awk -v k=$(((r - 1) % nsetups)) -v n="$nsetups" \
		'{ a[NR - 1] = $0 } END { for (i = 0; i < n; i++) print a[(i + k) % n] }')
	echo "churn round $r/$ROUNDS ($FOREIGN other tracing processes):" $order >&2
	for s in $order; do
		run_setup "$s" "$r"
	done
done
quiet
echo "== syscall churn: ns per iteration (CPU time of the workload; strace: wall time),"
echo "   best of $BATCHES batches, over $ROUNDS interleaved rounds ($ITER iterations;"
echo "   strace $STRACE_ITER, valgrind $VALGRIND_ITER; threads a tenth);"
echo "   +ns/call: added per traced syscall (per thread for thread_create_join), the median"
echo "   of per-round differences to none; x_floor, x_bpftr: that added cost over the floor's,"
echo "   over bpftrace's"
awk -f tools/bench/churn_table.awk -v tsv="$OUT/churn.tsv" "$RAW"
awk -F'\t' 'NR > 1 { n[$2]++; lost[$2] += $5; if ($6 > sk[$2]) sk[$2] = $6 }
	END {
		for (s in n)
			printf "%s: %d events lost over %d runs; stacks skipped (ring over half full): up to %d a run\n",
				s, lost[s], n[s], sk[s]
	}' "$RUNS"
echo "other processes had BPF programs on tracepoints at the start of $BUSY of $ROUNDS rounds"
# Another tracer on the syscall tracepoints already sends every syscall of
# the workload down the tracepoint path in the untraced run: what is left
# for the floor to add is one empty program call, so its ratios say little.
[ "$BUSY" -gt 0 ] && echo "  (then 'none' already pays their programs and the syscall tracepoint path," \
	"and the floor adds only an empty program call: x_floor is not the issue's ratio)"
