#!/bin/sh
# Runs the cmocka unit-test binaries given as arguments; prints their output
# and adds up what cmocka says passed and failed.
# Sets UNIT_PASSED / UNIT_FAILED when sourced by run_all.sh.
UNIT_PASSED=0
UNIT_FAILED=0
for t in "$@"; do
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	UNIT_PASSED=$((UNIT_PASSED + ${p:-0}))
	UNIT_FAILED=$((UNIT_FAILED + ${f:-0}))
	# a crash or sanitizer abort counts as a failure even if cmocka said nothing
	if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "unit: $t exited with status $rc"
		UNIT_FAILED=$((UNIT_FAILED + 1))
	fi
done
if [ "${RUN_ALL:-0}" != 1 ]; then
	echo "unit: $UNIT_PASSED passed, $UNIT_FAILED failed"
	[ "$UNIT_FAILED" -eq 0 ]
fi
