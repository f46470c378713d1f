# --suppressions on the demo (5 log files, a socket and a pipe never closed):
# matched findings are dropped and counted, unmatched suppressions listed
# with -v, a bad file is a usage error naming the line, before anything runs.
set -u
. tests/integration/lib.sh
scratch

S=$SCRATCH/supp
cat >"$S" <<'SUPP'
# the logs are kept on purpose
keep-logs   kind=released-at-exit type=file path=*/log-*.txt
by-function function=start_worker_pipe   # the pipe, by a frame of its stack
never       comm=no-such-program
SUPP
R=$SCRATCH/r.json
ls_run -v --json "$R" --suppressions "$S" -- "$TOOLS/leaky" "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "suppressions: the demo exits 0" "$?" 0
expect_jq "suppressions: only the socket is left" "$R" '[.findings[].resource.type] | join(",")' socket
expect_jq "suppressions: 6 suppressed" "$R" '.summary.suppressed' 6
expect_jq "suppressions: hits per suppression" "$R" \
	'[.summary.suppressions[] | "\(.name):\(.line):\(.hits)"] | join(" ")' \
	"keep-logs:2:5 by-function:3:1 never:4:0"
expect_grep "suppressions: -v names the one that matched nothing" "$SCRATCH/err" \
	"suppression 'never' (line 4) matched nothing"
expect_grep "suppressions: the summary counts what was dropped" "$SCRATCH/err" "6 findings suppressed"
ls_run -q --error-exitcode 42 --suppressions "$S" --suppressions "$S" -- "$TOOLS/leaky" "$SCRATCH" >/dev/null 2>&1
expect_eq "suppressions: the socket still fails a CI job" "$?" 42
printf 'all kind=released-at-exit\n' >"$SCRATCH/all"
ls_run -q --error-exitcode 42 --suppressions "$SCRATCH/all" -- "$TOOLS/leaky" "$SCRATCH" >/dev/null 2>&1
expect_eq "suppressions: everything suppressed passes it" "$?" 0

printf 'ok comm=x\nbad colour=red\n' >"$SCRATCH/bad"
ls_run --json "$SCRATCH/never.json" --suppressions "$SCRATCH/bad" -- "$TOOLS/leaky" "$SCRATCH/nope" \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "suppressions: a bad file is a usage error" "$?" 2
expect_eq "suppressions: one line naming file and line" \
	"$(cat "$SCRATCH/err")" "leakscope: --suppressions $SCRATCH/bad: line 2: 'colour=red': want KEY=VALUE with KEY one of kind, type, severity, path, comm, function"
expect_eq "suppressions: nothing ran, nothing written" \
	"$(ls "$SCRATCH/nope" "$SCRATCH/never.json" 2>/dev/null | wc -l)" 0
ls_run --suppressions "$SCRATCH/missing" -- true >/dev/null 2>"$SCRATCH/err"
expect_eq "suppressions: a missing file is a usage error" "$?" 2
expect_grep "suppressions: and says so" "$SCRATCH/err" "missing: No such file or directory"
finish
