#!/bin/sh
# The engine alone on one core (CPU 1), ENGINE_RUNS times: its replay rate
# varies with what else the machine runs, so the median and the range.
# Writes build/bench/engine.tsv, prints a table.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tools/bench/lib.sh

RUNS=${ENGINE_RUNS:-3}
: >"$OUT/engine.raw"
for i in $(seq 1 "$RUNS"); do
	taskset -c 1 "$TOOLS/engine_bench" >>"$OUT/engine.raw"
done
echo "== engine: replay of open/close pairs over 100 processes on CPU 1 (events/s per second of wall"
echo "   time and of CPU time; ns/event in CPU time); user memory per live fd, 1M fds"
awk -v tsv="$OUT/engine.tsv" '
function sort_n(a, c,    i, j, t) {
	for (i = 2; i <= c; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
}
{ v[$1, ++n[$1]] = $2 }
END {
	print "metric\tmedian\tmin\tmax\truns" > tsv
	m = split("engine_events_per_s engine_events_per_cpu_s engine_ns_per_event bytes_per_live_fd", names, " ")
	for (i = 1; i <= m; i++) {
		k = names[i]
		for (c = 1; c <= n[k]; c++) a[c] = v[k, c]
		sort_n(a, n[k])
		med = n[k] % 2 ? a[(n[k] + 1) / 2] : (a[n[k] / 2] + a[n[k] / 2 + 1]) / 2
		printf "%-24s %12.1f  (%.1f..%.1f over %d runs)\n", k, med, a[1], a[n[k]], n[k]
		printf "%s\t%.1f\t%.1f\t%.1f\t%d\n", k, med, a[1], a[n[k]], n[k] > tsv
	}
}' "$OUT/engine.raw"
