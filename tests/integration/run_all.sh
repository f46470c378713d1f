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
if [ "${RUN_ALL:-0}" != 1 ]; then
	echo "integration: $INTEG_PASSED passed, $INTEG_FAILED failed"
	[ "$INTEG_FAILED" -eq 0 ]
else
	echo "integration: $INTEG_PASSED passed, $INTEG_FAILED failed"
fi
