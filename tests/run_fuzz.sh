#!/bin/sh
# Runs each libFuzzer target (tests/fuzz/fuzz_NAME.c, built as
# build/fuzz/fuzz_NAME) for FUZZ_RUN_SECONDS (default 20) on its seeds
# (tests/fuzz/corpus/NAME/, read only) and on what earlier runs found
# (build/fuzz/corpus/NAME/, where new inputs go). A target passes if it ran
# its time without a crash, a sanitizer report, a leak, a timeout or an
# out-of-memory; the input that failed is kept in build/fuzz/artifacts/.
# Sets FUZZ_PASSED / FUZZ_FAILED when sourced by run_all.sh; prints
# "fuzz: N passed, N failed" when run alone.
cd "$(dirname "$0")/.." || exit 1
FUZZ_PASSED=0
FUZZ_FAILED=0
fuzz_seconds=${FUZZ_RUN_SECONDS:-20}
mkdir -p build/fuzz/artifacts
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	target=${name#fuzz_}
	bin=build/fuzz/$name
	work=build/fuzz/corpus/$target
	log=build/fuzz/$name.log
	if [ ! -x "$bin" ]; then
		echo "fuzz: $target: $bin is not built (make fuzz-build)"
		FUZZ_FAILED=$((FUZZ_FAILED + 1))
		continue
	fi
	mkdir -p "$work"
	# inputs up to 8 KiB: a stream of tens of records, or a long command line
	# a unit slower than 10 s is a hang; the outer timeout only guards
	# against libFuzzer itself stalling
	timeout $((fuzz_seconds + 120)) "$bin" -max_total_time="$fuzz_seconds" -max_len=8192 \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="build/fuzz/artifacts/$target-" \
		"$work" "tests/fuzz/corpus/$target" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	corpus=$(ls "$work" | wc -l)
	if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
		echo "fuzz: $target: ${runs} runs in ${fuzz_seconds} s (${rate}/s), corpus $corpus, no crash"
		FUZZ_PASSED=$((FUZZ_PASSED + 1))
	else
		echo "fuzz: $target: FAILED (status $rc); the end of $log:"
		tail -n 40 "$log" | sed 's/^/    /'
		FUZZ_FAILED=$((FUZZ_FAILED + 1))
	fi
done
if [ "${RUN_ALL:-0}" != 1 ]; then
	echo "fuzz: $FUZZ_PASSED passed, $FUZZ_FAILED failed"
	[ "$FUZZ_FAILED" -eq 0 ] && [ "$FUZZ_PASSED" -gt 0 ]
fi
