#!/bin/sh
# make test: unit tests (ASan+UBSan), a short run of each fuzz target, then
# integration tests with real BPF.
# The last line is the total, in the form CI reads: "N passed, N failed".
cd "$(dirname "$0")/.." || exit 1
RUN_ALL=1
. tests/run_unit.sh
echo "unit: $UNIT_PASSED passed, $UNIT_FAILED failed"
. tests/run_fuzz.sh
echo "fuzz: $FUZZ_PASSED passed, $FUZZ_FAILED failed"
. tests/integration/run_all.sh
passed=$((UNIT_PASSED + FUZZ_PASSED + INTEG_PASSED))
failed=$((UNIT_FAILED + FUZZ_FAILED + INTEG_FAILED))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
