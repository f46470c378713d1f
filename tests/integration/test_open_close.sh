# open_close DIR 100 60: opens DIR/f-000 .. f-099 (fds 3..102), closes the
# first 60 and exits: exactly the 40 others (fds 63..102) are findings.
set -u
. tests/integration/lib.sh
scratch
D=$SCRATCH/files
R=$SCRATCH/r.json
mkdir "$D"

ls_run --json "$R" -- "$TOOLS/open_close" "$D" 100 60 >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "open_close: leakscope exits with the command's status 0" "$?" 0
expect_jq "open_close: schema" "$R" '.schema' "leakscope.report/v1"
expect_eq "open_close: report file mode is 600" "$(stat -c %a "$R")" 600
expect_jq "open_close: observer.command is the command" "$R" '.observer.command | join(" ")' \
	"$TOOLS/open_close $D 100 60"
expect_jq "open_close: observer.mode" "$R" '.observer.mode' command
expect_jq "open_close: observer.track_inherited is false" "$R" '.observer.track_inherited' false
expect_jq "open_close: no event lost" "$R" '.observer.events.lost' 0
expect_jq "open_close: no unjoined syscall" "$R" '.observer.events.unjoined' 0
expect_jq "open_close: filter never full" "$R" '.observer.events.filter_full' 0
expect_jq "open_close: every submitted event received" "$R" \
	'.observer.events.received == .observer.events.submitted' true
expect_jq "open_close: engine saw no bad event" "$R" \
	'.observer.engine | [.bad_events, .unknown_fd, .unknown_process, .fd_replaced, .oom] | join(",")' \
	"0,0,0,0,0"
expect_jq "open_close: observer.complete" "$R" '.observer.complete' true

# --- the process --------------------------------------------------------
expect_jq "open_close: one process" "$R" '.processes | length' 1
P='.processes[0]'
expect_jq "open_close: started_by_leakscope" "$R" "$P.started_by_leakscope" true
expect_jq "open_close: exited" "$R" "$P.exited" true
expect_jq "open_close: exit_code 0" "$R" "$P.exit_code" 0
expect_jq "open_close: exit_signal null" "$R" "$P.exit_signal" null
expect_jq "open_close: comm" "$R" "$P.comm" open_close
expect_jq "open_close: argv is the command" "$R" "$P.argv | join(\" \")" \
	"$TOOLS/open_close $D 100 60"
expect_jq "open_close: argv not truncated" "$R" "$P.argv_truncated" false
expect_jq "open_close: exe" "$R" "$P.exe" "$TOOLS/open_close"
expect_jq "open_close: one exec (the launch)" "$R" "$P.execs" 1
expect_jq "open_close: no thread" "$R" "$P.threads_created" 0
# The loader's own opens (ld.so.cache, libc) are created and released too,
# so their number is not asserted; what is: the 100 files at least, every
# file it created either released or among the 40 still open at exit.
expect_jq "open_close: at least 100 files created" "$R" "$P.counts.file.created >= 100" true
expect_jq "open_close: created - released = 40 files" "$R" \
	"$P.counts.file.created - $P.counts.file.released" 40
# 40 leaks + stdout and stderr (files in the scratch dir, inherited)
expect_jq "open_close: 42 files released at exit" "$R" "$P.counts.file.released_at_exit" 42
expect_jq "open_close: nothing open once exited" "$R" "[$P.counts[].open] | add" 0

# --- the findings -------------------------------------------------------
expect_jq "open_close: exactly 40 findings" "$R" '.findings | length' 40
expect_jq "open_close: summary.findings" "$R" '.summary.findings' 40
expect_jq "open_close: summary.by_type" "$R" '.summary.by_type | tojson' '{"file":40}'
expect_jq "open_close: summary.by_kind" "$R" '.summary.by_kind."released-at-exit"' 40
expect_jq "open_close: ids are 1..40" "$R" '[.findings[].id] == [range(1; 41)]' true
expect_jq "open_close: every kind released-at-exit" "$R" '[.findings[].kind] | unique | join(",")' \
	released-at-exit
expect_jq "open_close: every severity warning" "$R" '[.findings[].severity] | unique | join(",")' warning
expect_jq "open_close: every type file" "$R" '[.findings[].resource.type] | unique | join(",")' file
expect_jq "open_close: every syscall openat" "$R" '[.findings[].resource.syscall] | unique | join(",")' openat
expect_jq "open_close: every flags O_RDWR" "$R" '[.findings[].resource.flags] | unique | join(",")' O_RDWR
expect_jq "open_close: every finding is the process's" "$R" \
	'.processes[0].pid as $p | [.findings[] | .pid == $p and .tid == $p and .comm == "open_close"] | all' true
expect_jq "open_close: none inherited or before attach" "$R" \
	'[.findings[].resource | .inherited or .before_attach] | any' false
expect_jq "open_close: no path truncated" "$R" '[.findings[].resource.path_truncated] | any' false
expect_jq "open_close: 40 distinct descriptions" "$R" '[.findings[].resource.description] | unique | length' 40

want=$(i=60; while [ $i -lt 100 ]; do printf '%s/f-%03d\n' "$D" $i; i=$((i + 1)); done)
got=$(jq -r '.findings[].resource.path' "$R" | sort)
expect_eq "open_close: leaked paths are exactly f-060 .. f-099" "$got" "$want"
want=$(i=63; while [ $i -le 102 ]; do echo $i; i=$((i + 1)); done)
got=$(jq -r '.findings[].resource.fd' "$R" | sort -n)
expect_eq "open_close: leaked fds are exactly 63 .. 102" "$got" "$want"
expect_jq "open_close: f-075 is fd 78" "$R" \
	".findings[] | select(.resource.path == \"$D/f-075\") | .resource.fd" 78
expect_jq "open_close: every inode is the file's" "$R" \
	"[.findings | sort_by(.resource.path)[] | .resource.inode] | join(\" \")" \
	"$(i=60; while [ $i -lt 100 ]; do printf '%s ' "$(stat -c %i "$D/$(printf f-%03d $i)")"; i=$((i + 1)); done | sed 's/ $//')"
expect_grep "open_close: text summary" "$SCRATCH/err" "LEAK SUMMARY: 40 fds never closed (40 file) in 1 process"
expect_eq "open_close: leakscope writes nothing on stdout" "$(wc -c <"$SCRATCH/out")" 0

# --- all closed: no finding ---------------------------------------------
ls_run -q --json "$R" -- "$TOOLS/open_close" "$D" 5 5 >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "open_close 5 5: exits 0" "$?" 0
expect_jq "open_close 5 5: no finding" "$R" '.findings | length' 0
expect_jq "open_close 5 5: created = released files" "$R" \
	'.processes[0].counts.file | .created - .released' 0
expect_eq "open_close 5 5: -q keeps stderr empty" "$(wc -c <"$SCRATCH/err")" 0
finish
