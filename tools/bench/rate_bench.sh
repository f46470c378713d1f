#!/bin/sh
# The consumer: the highest fd lifecycle rate a system-wide leakscope (the
# default 8 MiB ring) keeps up with losing nothing, and its own CPU time per
# event. tools/bench/rate runs dup(0)+close, the cheapest fd lifecycle, at
# rising set rates on both CPUs (the generator, not leakscope, is the limit
# on two cores: the last step has no limit). One leakscope a step, so a
# step's lost count is its own. Writes build/bench/rate.tsv, prints a table.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tools/bench/lib.sh

STEP_SECONDS=${STEP_SECONDS:-3}
# target events per second; 0: as fast as the generator goes
STEPS=${RATE_STEPS:-"250000 500000 1000000 2000000 0"}
THREADS=2
TSV=$OUT/rate.tsv

# Records per lifecycle, measured: leakscope -- rate, without stacks, only
# sees the generator (its start-up is a few hundred records among millions).
quiet
"$LS" -q --stack-bytes 0 --json "$OUT/rate_cal.json" -- "$TOOLS/rate" 0 1 1 dup >"$OUT/rate_cal.out" </dev/null
iters=$(awk '{ print $2 }' "$OUT/rate_cal.out")
per=$(awk -v r="$(ls_events "$OUT/rate_cal.json" received)" -v n="$iters" 'BEGIN { printf "%.3f", r / n }')

# what the generator does with nothing attached: the ceiling of any step
alone=$("$TOOLS/rate" 0 "$STEP_SECONDS" "$THREADS" dup </dev/null | awk -v p="$per" '{ printf "%.0f", $6 * p }')

printf 'target_events_per_s\tachieved_events_per_s\treceived\tlost\tobserver_cpu_ms\tobserver_ns_per_event\n' >"$TSV"
printf 'untraced\t%s\t\t\t\t\n' "$alone" >>"$TSV"
echo "== consumer: system-wide leakscope, default ring, dup+close on $THREADS threads for ${STEP_SECONDS}s a step"
echo "   ($per records per lifecycle, measured); observer CPU: its threads' CPU time during the step;"
echo "   the generator alone, untraced, makes lifecycles for $alone events/s"
printf '%-12s %12s %10s %8s %10s %10s\n' target events/s received lost cpu_ms ns/event
for target in $STEPS; do
	quiet
	"$LS" -q --json "$OUT/rate.json" </dev/null &
	pid=$!
	if ! wait_attached "$pid"; then
		echo "bench: leakscope did not attach" >&2
		continue
	fi
	c0=$(cpu_ns "$pid")
	out=$("$TOOLS/rate" "$(awk -v t="$target" -v p="$per" 'BEGIN { printf "%.0f", t / p }')" \
		"$STEP_SECONDS" "$THREADS" dup </dev/null)
	c1=$(cpu_ns "$pid")
	kill -INT "$pid"
	wait "$pid"
	echo "$out" | awk -v t="$target" -v p="$per" -v c="$((c1 - c0))" \
		-v rcv="$(ls_events "$OUT/rate.json" received)" -v lost="$(ls_events "$OUT/rate.json" lost)" \
		-v tsv="$TSV" '{
			ev = $2 * p
			rate = ev / $4
			printf "%-12s %12.0f %10s %8s %10.1f %10.1f\n", t ? t : "unlimited", rate, rcv, lost,
				c / 1e6, c / ev
			printf "%s\t%.0f\t%s\t%s\t%.1f\t%.1f\n", t, rate, rcv, lost, c / 1e6, c / ev >> tsv
		}'
done
