# leakscope itself, built with ASan + UBSan + LeakSanitizer, on a full run and
# on its error paths: no leak, no memory error, no undefined behaviour.
set -u
. tests/integration/lib.sh
scratch
ASAN_LS=build/asan/leakscope
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98

clean_stderr() { # NAME FILE: no sanitizer report in FILE
	if grep -qE 'ERROR: (Leak|Address)Sanitizer|runtime error:' "$2"; then
		not_ok "$1" "$(grep -m1 -E 'Sanitizer|runtime error' "$2")"
	else
		ok "$1"
	fi
}

$ASAN_LS --json "$SCRATCH/r.json" -- "$TOOLS/leaky" "$SCRATCH/demo" >/dev/null 2>"$SCRATCH/err"
expect_eq "asan: demo run exits with the demo's status" "$?" 0
clean_stderr "asan: demo run is leak- and error-free" "$SCRATCH/err"
expect_jq "asan: demo run still reports 7 findings" "$SCRATCH/r.json" '.findings | length' 7

$ASAN_LS --json "$SCRATCH/r2.json" -- "$TOOLS/forker" "$SCRATCH" >/dev/null 2>"$SCRATCH/err"
expect_eq "asan: forker run exits 0" "$?" 0
clean_stderr "asan: fork run is leak- and error-free" "$SCRATCH/err"

$ASAN_LS -- /nonexistent/command 2>"$SCRATCH/err"
expect_eq "asan: missing command exits 127" "$?" 127
clean_stderr "asan: missing-command path is leak-free" "$SCRATCH/err"

$ASAN_LS --json "$SCRATCH/no/such/dir/r.json" -- /bin/true 2>"$SCRATCH/err"
expect_eq "asan: unwritable report dir exits 1" "$?" 1
clean_stderr "asan: bad report path is leak-free" "$SCRATCH/err"

$ASAN_LS --bogus 2>"$SCRATCH/err"
expect_eq "asan: usage error exits 2" "$?" 2
clean_stderr "asan: usage error path is leak-free" "$SCRATCH/err"
finish
