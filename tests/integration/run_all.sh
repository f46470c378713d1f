#!/bin/sh
# Integration tests: load the real BPF programs and trace real processes.
# Needs root (CAP_BPF + CAP_PERFMON + tracefs): without it they fail, never skip.
# Sets INTEG_PASSED / INTEG_FAILED when sourced by run_all.sh.
INTEG_PASSED=0
INTEG_FAILED=0
if [ "$(id -u)" != 0 ]; then
	echo "integration: not root: the BPF programs cannot be loaded, so these tests fail"
	INTEG_FAILED=1
fi
# A system-wide leakscope watches the whole suite (every other leakscope run
# included): at the end it must have received events and lost none. It is
# the sanitizer build (ASan, UBSan, LeakSanitizer): a full live run of
# leakscope over every test, which must end without a leak or memory error,
# and whose capture the plain build must replay to the same report.
WATCH_DIR=$(mktemp -d /tmp/leakscope-watch.XXXXXX)
if [ "$(id -u)" = 0 ]; then
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98 \
	build/asan/leakscope -q --ring-size 32M --json "$WATCH_DIR/system.json" \
		--capture "$WATCH_DIR/system.cap" >"$WATCH_DIR/out" 2>&1 &
	LEAKSCOPE_WATCHER_PID=$!
	export LEAKSCOPE_WATCHER_PID
	sleep 1
fi
for t in tests/integration/test_*.sh; do
	[ "$(id -u)" = 0 ] || break
	echo "== $t"
	out=$(sh "$t" 2>&1)
	printf '%s\n' "$out" | grep -v '^RESULT '
	res=$(printf '%s\n' "$out" | sed -n 's/^RESULT \([0-9]*\) \([0-9]*\)$/\1 \2/p' | tail -n 1)
	if [ -z "$res" ]; then
		echo "not ok - $t: ended without a result line"
		INTEG_FAILED=$((INTEG_FAILED + 1))
		continue
	fi
	INTEG_PASSED=$((INTEG_PASSED + ${res% *}))
	INTEG_FAILED=$((INTEG_FAILED + ${res#* }))
done
if [ -n "${LEAKSCOPE_WATCHER_PID:-}" ]; then
	echo "== system-wide watcher"
	kill -INT "$LEAKSCOPE_WATCHER_PID"
	wait "$LEAKSCOPE_WATCHER_PID"
	st=$?
	w=$WATCH_DIR/system.json
	if [ "$st" = 0 ] && jq -e '.observer.mode == "system" and .observer.events.received > 0
	    and .observer.events.lost == 0 and .observer.complete' "$w" >/dev/null 2>&1; then
		echo "ok - watcher: system-wide over the whole suite: $(jq -c '.observer.events' "$w"), $(jq '.processes | length' "$w") processes"
		INTEG_PASSED=$((INTEG_PASSED + 1))
	else
		echo "not ok - watcher: exit $st, events $(jq -c '.observer.events' "$w" 2>&1 | head -c 300)"
		cat "$WATCH_DIR/out" | head -5
		INTEG_FAILED=$((INTEG_FAILED + 1))
	fi
	if grep -qE 'ERROR: (Leak|Address)Sanitizer|runtime error:' "$WATCH_DIR/out"; then
		echo "not ok - watcher: the sanitizer build over the whole suite: $(grep -m1 -E 'Sanitizer|runtime error' "$WATCH_DIR/out")"
		INTEG_FAILED=$((INTEG_FAILED + 1))
	else
		echo "ok - watcher: the sanitizer build over the whole suite: no leak, no memory error, no undefined behaviour"
		INTEG_PASSED=$((INTEG_PASSED + 1))
	fi
	# the capture of the whole suite replays to the same report (replayed aside)
	r=$WATCH_DIR/replayed.json
	if build/leakscope replay "$WATCH_DIR/system.cap" -q --json "$r" >"$WATCH_DIR/replay.out" 2>&1 &&
	    jq -S 'del(.observer.replayed)' "$w" >"$WATCH_DIR/live.n" &&
	    jq -S 'del(.observer.replayed)' "$r" >"$WATCH_DIR/replayed.n" &&
	    diff "$WATCH_DIR/live.n" "$WATCH_DIR/replayed.n" >"$WATCH_DIR/replay.diff" 2>&1 &&
	    [ "$(jq .observer.replayed "$r")" = true ]; then
		echo "ok - watcher: its capture ($(wc -c <"$WATCH_DIR/system.cap") bytes) replays to the same report"
		INTEG_PASSED=$((INTEG_PASSED + 1))
	else
		echo "not ok - watcher: its capture replays to the same report: $(head -c 600 "$WATCH_DIR/replay.out" "$WATCH_DIR/replay.diff")"
		INTEG_FAILED=$((INTEG_FAILED + 1))
	fi
fi
# a failure keeps the evidence: the report, the capture and the diff
if [ "$INTEG_FAILED" -eq 0 ] || [ -z "${LEAKSCOPE_WATCHER_PID:-}" ]; then
	rm -rf "$WATCH_DIR"
else
	echo "integration: the watcher's report and capture are kept in $WATCH_DIR"
fi
if [ "${RUN_ALL:-0}" != 1 ]; then
	echo "integration: $INTEG_PASSED passed, $INTEG_FAILED failed"
	[ "$INTEG_FAILED" -eq 0 ]
else
	echo "integration: $INTEG_PASSED passed, $INTEG_FAILED failed"
fi
