# dup_clean DIR: every fd it creates goes away by dup2-over, close_range or
# close-on-exec (then execve /bin/true): no finding, no engine anomaly.
set -u
. tests/integration/lib.sh
scratch
D=$SCRATCH/files
R=$SCRATCH/r.json

ls_run --json "$R" -- "$TOOLS/dup_clean" "$D" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "dup_clean: exits 0 (the status of /bin/true)" "$?" 0
expect_eq "dup_clean: it did create a.txt .. e.txt" "$(cd "$D" && echo *)" "a.txt b.txt c.txt d.txt e.txt"
expect_jq "dup_clean: zero findings" "$R" '.findings | length' 0
expect_jq "dup_clean: summary.findings 0" "$R" '.summary.findings' 0
expect_jq "dup_clean: summary.by_type empty" "$R" '.summary.by_type | length' 0
expect_grep "dup_clean: text summary says no leaks" "$SCRATCH/err" "no leaks"

expect_jq "dup_clean: one process" "$R" '.processes | length' 1
P='.processes[0]'
# execs counts every exec the process went through, the launch included
# (open_close shows 1): dup_clean itself, then /bin/true, so 2 here.
expect_jq "dup_clean: execs == 2 (launch + execve of /bin/true)" "$R" "$P.execs" 2
expect_jq "dup_clean: exe is /bin/true after the exec" "$R" "$P.exe" /bin/true
expect_jq "dup_clean: comm follows the exec" "$R" "$P.comm" true
expect_jq "dup_clean: argv follows the exec" "$R" "$P.argv | tojson" '["true"]'
expect_jq "dup_clean: started_by_leakscope" "$R" "$P.started_by_leakscope" true
expect_jq "dup_clean: exit_code 0" "$R" "$P.exit_code" 0
# a, b, 5 dup copies, c, d, e = 10 of its own, plus the loader's opens for
# dup_clean and for /bin/true: all released (by close_range, exec or close)
expect_jq "dup_clean: at least 10 file fds created" "$R" "$P.counts.file.created >= 10" true
expect_jq "dup_clean: every file created was released before exit" "$R" \
	"$P.counts.file.created == $P.counts.file.released" true
# only the inherited stdout and stderr (files in the scratch dir) at exit
expect_jq "dup_clean: only stdout/stderr files released at exit" "$R" \
	"$P.counts.file.released_at_exit" 2
expect_jq "dup_clean: nothing open once exited" "$R" "[$P.counts[].open] | add" 0

# The engine counters are 0 in a consistent stream; dup2 over b.txt and
# dup2(a, a) must not be taken for an fd replaced behind the engine's back,
# and close_range must not hit fds the engine does not know.
expect_jq "dup_clean: observer.engine.fd_replaced == 0" "$R" '.observer.engine.fd_replaced' 0
expect_jq "dup_clean: observer.engine.unknown_fd == 0" "$R" '.observer.engine.unknown_fd' 0
expect_jq "dup_clean: observer.engine.bad_events == 0" "$R" '.observer.engine.bad_events' 0
expect_jq "dup_clean: observer.engine.unknown_process == 0" "$R" '.observer.engine.unknown_process' 0
expect_jq "dup_clean: observer.events.lost == 0" "$R" '.observer.events.lost' 0
expect_jq "dup_clean: observer.complete" "$R" '.observer.complete' true

# --track-inherited: fds 0-2 are the only findings (before_attach), none of
# the scenario's own files shows up
ls_run -q --track-inherited --json "$R" -- "$TOOLS/dup_clean" "$D" >/dev/null 2>"$SCRATCH/err"
expect_eq "dup_clean --track-inherited: exits 0" "$?" 0
expect_jq "dup_clean --track-inherited: only fds 0-2, all before_attach" "$R" \
	'[.findings[].resource | "\(.fd):\(.before_attach)"] | sort | join(",")' "0:true,1:true,2:true"
expect_jq "dup_clean --track-inherited: none of DIR's files" "$R" \
	"[.findings[].resource.path | startswith(\"$D/\")] | any" false
finish
