# Shared by the integration tests: run leakscope for real, check the JSON.
# Each check prints "ok - NAME" or "not ok - NAME: why"; run_all.sh counts them.
LS=${LS:-build/leakscope}
TOOLS=${TOOLS:-build/tools}
PASSED=0
FAILED=0

ok() {
	PASSED=$((PASSED + 1))
	echo "ok - $1"
}

not_ok() {
	FAILED=$((FAILED + 1))
	echo "not ok - $1: $2"
}

# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', want '$3'"; fi
}

# expect_jq NAME FILE FILTER EXPECTED: jq -r FILTER on FILE must print EXPECTED
expect_jq() {
	got=$(jq -r "$3" "$2" 2>&1) || { not_ok "$1" "jq '$3' failed: $got"; return; }
	expect_eq "$1" "$got" "$4"
}

# A scratch directory removed when the test script exits.
scratch() {
	SCRATCH=$(mktemp -d /tmp/leakscope-test.XXXXXX)
	trap 'rm -rf "$SCRATCH"' EXIT
}

finish() {
	echo "RESULT $PASSED $FAILED"
	[ "$FAILED" -eq 0 ]
}
