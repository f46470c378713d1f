#!/bin/sh
# make bench: every comparison of the benchmark issue, one script a part,
# then the targets judged from this run's figures. Tables on stdout (also
# kept in build/bench/bench.txt), TSVs in build/bench/.
#
#   ROUNDS=5 ITER=100000 make bench      (the defaults; smaller is faster)
#   BENCH_PARTS="churn nginx rate engine" picks parts
#
# A shared machine makes figures noisy: every part runs its setups in
# interleaved rounds (or repeats) and reports medians with their spread.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tools/bench/lib.sh
PARTS=${BENCH_PARTS:-"churn nginx rate engine"}

{
	echo "== machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)," \
		"$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
	echo "   leakscope $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(date -u '+%Y-%m-%d %H:%M UTC');" \
		"load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
	for p in $PARTS; do
		case $p in
		churn) sh tools/bench/churn_bench.sh ;;
		nginx) sh tools/bench/nginx_bench.sh ;;
		rate) sh tools/bench/rate_bench.sh ;;
		engine) sh tools/bench/engine_runs.sh ;;
		*) echo "bench: unknown part $p" >&2 ;;
		esac
		echo
	done
	echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
	sh tools/bench/targets.sh
} | tee "$OUT/bench.txt"
