# forker DIR: the parent leaks DIR/parent.txt (fd 3); its forked child
# inherits that fd, which is not the child's leak, and leaks DIR/child.txt
# (fd 4). --track-inherited also reports the inherited copy in the child.
set -u
. tests/integration/lib.sh
scratch
D=$SCRATCH
R=$SCRATCH/r.json

ls_run --json "$R" -- "$TOOLS/forker" "$D" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "forker: exits 0" "$?" 0
expect_jq "forker: two processes" "$R" '.processes | length' 2
expect_jq "forker: summary.processes 2" "$R" '.summary.processes' 2
expect_jq "forker: exactly one started by leakscope" "$R" \
	'[.processes[] | select(.started_by_leakscope)] | length' 1

PAR='(.processes[] | select(.started_by_leakscope))'
CHI='(.processes[] | select(.started_by_leakscope | not))'
ppid=$(jq -r "$PAR.pid" "$R")
cpid=$(jq -r "$CHI.pid" "$R")
expect_jq "forker: the child's ppid is the parent's pid" "$R" "$CHI.ppid" "$ppid"
expect_jq "forker: parent and child pids differ" "$R" "$CHI.pid != $PAR.pid" true
expect_jq "forker: both are forker" "$R" '[.processes[].comm] | unique | join(",")' forker
expect_jq "forker: the child did not exec" "$R" "$CHI.execs" 0
expect_jq "forker: the child keeps the parent's argv" "$R" "$CHI.argv | join(\" \")" "$TOOLS/forker $D"
expect_jq "forker: the child exited 0" "$R" "$CHI | \"\(.exited) \(.exit_code) \(.exit_signal)\"" "true 0 null"
expect_jq "forker: the parent exited 0" "$R" "$PAR | \"\(.exited) \(.exit_code) \(.exit_signal)\"" "true 0 null"
expect_jq "forker: the child created one file" "$R" "$CHI.counts.file.created" 1
# child: stdout, stderr, parent.txt (all three inherited) and child.txt
expect_jq "forker: the child's exit released 4 files" "$R" "$CHI.counts.file.released_at_exit" 4

expect_jq "forker: exactly 2 findings" "$R" '.findings | length' 2
expect_jq "forker: the parent has exactly one finding" "$R" \
	"[.findings[] | select(.pid == $ppid)] | length" 1
expect_jq "forker: the parent's finding is parent.txt at fd 3" "$R" \
	".findings[] | select(.pid == $ppid) | .resource | \"\(.fd) \(.path)\"" "3 $D/parent.txt"
expect_jq "forker: the child has exactly one finding" "$R" \
	"[.findings[] | select(.pid == $cpid)] | length" 1
expect_jq "forker: the child's finding is child.txt at fd 4" "$R" \
	".findings[] | select(.pid == $cpid) | .resource | \"\(.fd) \(.path)\"" "4 $D/child.txt"
expect_jq "forker: the child's finding names its comm and tid" "$R" \
	".findings[] | select(.pid == $cpid) | \"\(.comm) \(.tid)\"" "forker $cpid"
expect_jq "forker: no finding is inherited or before attach" "$R" \
	'[.findings[].resource | .inherited or .before_attach] | any' false
expect_jq "forker: observer.complete" "$R" '.observer.complete' true
expect_jq "forker: no engine anomaly" "$R" \
	'[.observer.engine | .bad_events, .unknown_fd, .unknown_process, .fd_replaced, .oom] | add' 0
expect_grep "forker: text summary" "$SCRATCH/err" "LEAK SUMMARY: 2 fds never closed (2 file) in 2 processes"

R=$SCRATCH/inh.json
ls_run -q --track-inherited --json "$R" -- "$TOOLS/forker" "$D" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "forker --track-inherited: exits 0" "$?" 0
expect_jq "forker --track-inherited: observer.track_inherited" "$R" '.observer.track_inherited' true
ppid=$(jq -r "$PAR.pid" "$R")
cpid=$(jq -r "$CHI.pid" "$R")
expect_jq "forker --track-inherited: the child's ppid is the parent's pid" "$R" "$CHI.ppid" "$ppid"
# Parent: its own parent.txt plus fds 0-2, which it had before the attach.
expect_jq "forker --track-inherited: parent findings" "$R" \
	"[.findings[] | select(.pid == $ppid) | .resource | \"\(.fd):\(.inherited):\(.before_attach)\"] | sort | join(\",\")" \
	"0:false:true,1:false:true,2:false:true,3:false:false"
# Child: fds 0-2 and parent.txt inherited from the fork, child.txt its own.
expect_jq "forker --track-inherited: child findings" "$R" \
	"[.findings[] | select(.pid == $cpid) | .resource | \"\(.fd):\(.inherited):\(.before_attach)\"] | sort | join(\",\")" \
	"0:true:false,1:true:false,2:true:false,3:true:false,4:false:false"
CP=".findings[] | select(.pid == $cpid and .resource.path == \"$D/parent.txt\") | .resource"
expect_jq "forker --track-inherited: the child shows parent.txt" "$R" "[$CP] | length" 1
expect_jq "forker --track-inherited: the child's parent.txt is inherited" "$R" "$CP.inherited" true
expect_jq "forker --track-inherited: the child's parent.txt is fd 3" "$R" "$CP.fd" 3
expect_jq "forker --track-inherited: same open file description as the parent's" "$R" \
	"(.findings[] | select(.pid == $ppid and .resource.fd == 3) | .resource.description) as \$d | $CP.description == \$d" true
expect_jq "forker --track-inherited: child.txt is not inherited" "$R" \
	".findings[] | select(.pid == $cpid and .resource.path == \"$D/child.txt\") | .resource.inherited" false
finish
