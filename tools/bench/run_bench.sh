#!/bin/sh
# make bench: syscall churn without leakscope, under leakscope (-- CMD, the
# tgid filter) and beside a system-wide leakscope, in interleaved rounds, the
# workload on CPU 1 and leakscope on CPU 0; then the engine alone.
# Prints a table and writes build/bench/churn.tsv.
set -u
cd "$(dirname "$0")/../.." || exit 1
LS=build/leakscope
CHURN=build/tools/churn
ITER=${ITER:-200000}
ROUNDS=${ROUNDS:-3}
OUT=build/bench
mkdir -p "$OUT"
RAW=$OUT/churn.raw
: >"$RAW"

quiet() { # wait until no other leakscope is still detaching
	i=0
	while pgrep -x leakscope >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}

for r in $(seq 1 "$ROUNDS"); do
	quiet
	taskset -c 1 "$CHURN" "$ITER" | sed "s/^/none $r /" >>"$RAW"
	quiet
	# the floor: empty programs on exactly leakscope's hooks
	taskset -c 0 build/tools/floor build/floor.bpf.o >"$OUT/floor.out" &
	flp=$!
	i=0
	until grep -q attached "$OUT/floor.out" 2>/dev/null || [ $i -ge 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	taskset -c 1 "$CHURN" "$ITER" | sed "s/^/floor $r /" >>"$RAW"
	kill -INT $flp
	wait $flp
	quiet
	taskset -c 0 "$LS" -q -- taskset -c 1 "$CHURN" "$ITER" | sed "s/^/filtered $r /" >>"$RAW"
	quiet
	taskset -c 0 "$LS" -q --json "$OUT/system.json" &
	lsp=$!
	# attached once its ring buffer's epoll fd exists
	i=0
	until ls -l /proc/$lsp/fd 2>/dev/null | grep -q eventpoll || [ $i -ge 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	taskset -c 1 "$CHURN" "$ITER" | sed "s/^/system $r /" >>"$RAW"
	kill -INT $lsp
	wait $lsp
	lost=$(jq .observer.events.lost "$OUT/system.json" 2>/dev/null)
	echo "round $r: system-wide run lost ${lost:-?} events" >&2
done

# syscalls per iteration of each family, for the added cost per syscall
awk -v rounds="$ROUNDS" '
BEGIN {
	per["open_close"] = 2; per["socket_close"] = 2; per["pipe_close"] = 3
	per["mmap_munmap"] = 2; per["mixed"] = 2.25; per["thread_create_join"] = 0
}
{ v[$1, $3, ++n[$1, $3]] = $4; fam[$3] = 1 }
function median(setup, f,    i, j, k, a, t, c) {
	c = n[setup, f]
	for (i = 1; i <= c; i++) a[i] = v[setup, f, i]
	for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2
}
function spread(setup, f,    i, lo, hi, x) {
	lo = 1e18; hi = 0
	for (i = 1; i <= n[setup, f]; i++) { x = v[setup, f, i]; if (x < lo) lo = x; if (x > hi) hi = x }
	return hi - lo
}
END {
	printf "%-19s %8s %8s %8s %8s %7s %8s %8s %8s %7s\n", "family", "none", "floor", "filtered", "system", "spread", "+floor", "+filt", "+sys", "filt/fl"
	print "family\tnone_ns\tfloor_ns\tfiltered_ns\tsystem_ns\tspread_ns\tadded_floor\tadded_filtered\tadded_system\tratio_filtered_to_floor" > "build/bench/churn.tsv"
	for (f in fam) {
		b = median("none", f); fo = median("floor", f); fl = median("filtered", f); s = median("system", f)
		sp = spread("none", f); if (spread("filtered", f) > sp) sp = spread("filtered", f)
		if (spread("system", f) > sp) sp = spread("system", f)
		if (spread("floor", f) > sp) sp = spread("floor", f)
		d = per[f] ? per[f] : 1   # per traced syscall, or per iteration (threads)
		afo = (fo - b) / d; af = (fl - b) / d; as = (s - b) / d
		ratio = afo > 0 ? af / afo : 0
		printf "%-19s %8.1f %8.1f %8.1f %8.1f %7.1f %8.1f %8.1f %8.1f %7.2f\n", f, b, fo, fl, s, sp, afo, af, as, ratio
		printf "%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.2f\n", f, b, fo, fl, s, sp, afo, af, as, ratio > "build/bench/churn.tsv"
	}
}' "$RAW"
echo "(ns per iteration, median of $ROUNDS interleaved rounds of $ITER; +X: ns added per traced"
echo " syscall over none (per iteration for threads); filt/fl: leakscope filtered / floor)"
echo
build/tools/engine_bench
