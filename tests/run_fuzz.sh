#!/bin/sh
# Runs each libFuzzer target (tests/fuzz/fuzz_NAME.c, built as
# build/fuzz/fuzz_NAME) for FUZZ_RUN_SECONDS (default 20) on its seeds
# (tests/fuzz/corpus/NAME/, read only). With FUZZ_KEEP_CORPUS=1 (make fuzz)
# it also reads what earlier such runs found and adds its own finds
# (build/fuzz/corpus/NAME/); else what it finds goes to a directory removed
# afterwards, so that a short run starts in the same time however long the
# kept corpus grew (libFuzzer runs every input it is given before it looks
# at the clock). A target passes if it ran its time without a crash, a
# sanitizer report, a leak, a timeout or an out-of-memory; the input that
# failed is kept in build/fuzz/artifacts/.
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
	log=build/fuzz/$name.log
	if [ ! -x "$bin" ]; then
		echo "fuzz: $target: $bin is not built (make fuzz-build)"
		FUZZ_FAILED=$((FUZZ_FAILED + 1))
		continue
	fi
	if [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ]; then
		work=build/fuzz/corpus/$target
		mkdir -p "$work"
	else
		work=$(mktemp -d /tmp/leakscope-fuzz.XXXXXX) || exit 1
	fi
	# inputs up to 8 KiB: a stream of tens of records, or a long command line
	# a unit slower than 10 s is a hang; the outer timeout only guards
	# against libFuzzer itself stalling
	timeout $((fuzz_seconds + 120)) "$bin" -max_total_time="$fuzz_seconds" -max_len=8192 \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="build/fuzz/artifacts/$target-" \
		"$work" "tests/fuzz/corpus/$target" >"$log" 2>&1
	rc=$?
	[ "${FUZZ_KEEP_CORPUS:-0}" = 1 ] || rm -rf "$work"
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	found=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
		echo "fuzz: $target: $runs runs in $fuzz_seconds s ($rate/s), $found new inputs, no crash"
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
