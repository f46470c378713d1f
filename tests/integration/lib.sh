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

# ls_run ARGS...: run leakscope with ARGS, stdin from /dev/null and no fd
# above 2 (whatever the harness or CI left open is closed first), so the
# command's fd numbers are the ones the scenarios document and nothing but
# 0-2 is "before_attach". The caller redirects stdout and stderr.
# Returns leakscope's exit status.
ls_run() {
	python3 -c 'import os, sys
os.closerange(3, max(os.sysconf("SC_OPEN_MAX"), 1024))
os.execvp(sys.argv[1], sys.argv[1:])' "$LS" "$@" </dev/null
}

# expect_grep NAME FILE STRING: FILE contains the fixed STRING
expect_grep() {
	if grep -qF -- "$3" "$2"; then ok "$1"; else not_ok "$1" "'$3' not in: $(head -c 400 "$2")"; fi
}

# lines FILE: the number of lines in FILE
lines() {
	wc -l <"$1" | tr -d ' '
}

# nfiles DIR NAME_GLOB: how many entries of DIR (dot files included) match
nfiles() {
	find "$1" -mindepth 1 -maxdepth 1 -name "$2" | wc -l | tr -d ' '
}
