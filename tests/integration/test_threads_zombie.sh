# threads_zombie leak|clean: 4 joined pthreads, then 2 children that exit at
# once. leak waits for only the first ("reaped PID") and leaves the second
# ("zombie PID") a zombie for 1.5 s until the parent exits; clean waits for
# both ("reaped PID" twice).
set -u
. tests/integration/lib.sh
scratch

# child_pid OUT N: the pid on line N of the scenario's stdout
child_pid() {
	sed -n "${2}s/^[a-z]* \([0-9][0-9]*\)\$/\1/p" "$1"
}

R=$SCRATCH/leak.json
ls_run -q --json "$R" -- "$TOOLS/threads_zombie" leak >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "threads_zombie leak: exits 0" "$?" 0
expect_eq "threads_zombie leak: stdout says which child is reaped, which a zombie" \
	"$(cut -d' ' -f1 "$SCRATCH/out" | tr '\n' ,)" "reaped,zombie,"
REAPED=$(child_pid "$SCRATCH/out" 1)
ZOMBIE=$(child_pid "$SCRATCH/out" 2)
P='.processes[] | select(.started_by_leakscope)'
expect_jq "threads_zombie leak: 3 processes" "$R" '.processes | length' 3
expect_jq "threads_zombie leak: parent threads_created 4" "$R" "$P | .threads_created" 4
expect_jq "threads_zombie leak: parent threads_live 0 after exit" "$R" "$P | .threads_live" 0
expect_jq "threads_zombie leak: parent exited and was reaped" "$R" \
	"$P | \"\(.exited)/\(.reaped)\"" "true/true"
expect_jq "threads_zombie leak: parent zombie_children is [the unreaped child]" "$R" \
	"$P | .zombie_children | tojson" "[$ZOMBIE]"
expect_jq "threads_zombie leak: unreaped child has reaped false" "$R" \
	".processes[] | select(.pid == $ZOMBIE) | .reaped" false
expect_jq "threads_zombie leak: waited child has reaped true" "$R" \
	".processes[] | select(.pid == $REAPED) | .reaped" true
expect_jq "threads_zombie leak: children are the parent's" "$R" \
	"[($P | .pid)] as \$parent | [.processes[] | select(.pid == $REAPED or .pid == $ZOMBIE) | .ppid] | unique == \$parent" true
expect_jq "threads_zombie leak: children created no threads and have no zombies" "$R" \
	"[.processes[] | select(.started_by_leakscope | not) | .threads_created, (.zombie_children | length)] | add" 0
expect_jq "threads_zombie leak: one finding, a zombie" "$R" '[.findings[].kind] | tojson' '["zombie"]'
expect_jq "threads_zombie leak: the zombie finding names the child" "$R" '.findings[0].child.pid' "$ZOMBIE"
expect_jq "threads_zombie leak: and blames the parent" "$R" \
	"[.findings[0].pid] == [$P | .pid]" true
expect_jq "threads_zombie leak: unreaped for the 1.5 s until the parent exited" "$R" \
	'.findings[0].unreaped_s >= 1.3 and .findings[0].unreaped_s < 3' true
expect_jq "threads_zombie leak: observer.complete" "$R" '.observer.complete' true

R=$SCRATCH/clean.json
ls_run -q --json "$R" -- "$TOOLS/threads_zombie" clean >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "threads_zombie clean: exits 0" "$?" 0
expect_eq "threads_zombie clean: stdout says both children are reaped" \
	"$(cut -d' ' -f1 "$SCRATCH/out" | tr '\n' ,)" "reaped,reaped,"
FIRST=$(child_pid "$SCRATCH/out" 1)
SECOND=$(child_pid "$SCRATCH/out" 2)
expect_jq "threads_zombie clean: parent threads_created 4" "$R" "$P | .threads_created" 4
expect_jq "threads_zombie clean: parent threads_live 0 after exit" "$R" "$P | .threads_live" 0
expect_jq "threads_zombie clean: parent zombie_children is []" "$R" \
	"$P | .zombie_children | tojson" "[]"
expect_jq "threads_zombie clean: first child reaped" "$R" \
	".processes[] | select(.pid == $FIRST) | .reaped" true
expect_jq "threads_zombie clean: second child reaped" "$R" \
	".processes[] | select(.pid == $SECOND) | .reaped" true
expect_jq "threads_zombie clean: no zombie anywhere" "$R" \
	'[.processes[].zombie_children[]] | length' 0
expect_jq "threads_zombie clean: no findings" "$R" '.findings | length' 0
finish
