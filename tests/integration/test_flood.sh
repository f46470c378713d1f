# A flood the consumer cannot keep up with (a 4 KiB ring): the lost records
# are counted in the report, the processes that ran meanwhile are marked
# incomplete, and --error-exitcode fails the run: such a report is not whole.
set -u
. tests/integration/lib.sh
scratch

R=$SCRATCH/r.json
ls_run --ring-size 4K --stack-bytes 0 --error-exitcode 42 --json "$R" -- \
	sh -c "sleep 1.2; $TOOLS/churn 3000 >/dev/null; sleep 1.2" >/dev/null 2>"$SCRATCH/err"
expect_eq "flood: --error-exitcode on lost records" "$?" 42
expect_jq "flood: records were lost, and counted" "$R" '.observer.events.lost > 0' true
expect_jq "flood: the report says it is not complete" "$R" '.observer.complete' false
expect_jq "flood: the shell that ran during the loss is marked incomplete" "$R" \
	'[.processes[] | select(.started_by_leakscope) | .complete] | tostring' '[false]'
expect_grep "flood: the summary warns" "$SCRATCH/err" "events were lost"

R2=$SCRATCH/ok.json
ls_run -q --json "$R2" -- /bin/true >/dev/null 2>&1
expect_jq "no flood: every process complete" "$R2" '[.processes[].complete] | all' true
finish
