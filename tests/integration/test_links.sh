# links pass|nopass|cycle|nocycle DIR (tools/scenarios/links.c): the links
# between resources in the JSON report, joined to the resources by id.
# pass/nopass are reported live: leakscope is stopped by two SIGINTs once the
# scenario is ready (it ignores the first, passed on), then DIR/stop ends it.
# They differ only in the fd the child passes. cycle leaves two unix sockets
# holding each other in flight; nocycle receives them first.
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup_at_exit 'touch "$SCRATCH/stop"; kill_pids'

# num WORD FIELD: field FIELD (1-based, after WORD) of the line "WORD ..." of out
num() {
	sed -n "s/^$1 //p" "$SCRATCH/out" | cut -d' ' -f"$2"
}

# run_live MODE: the scenario under leakscope until it is ready, then the
# report; sets R, PID, KEY (PID.SERIAL), CHILD_KEY and the fds it printed
run_live() {
	R=$SCRATCH/$1.json
	rm -f "$SCRATCH/stop"
	bg_exec "$LS" -q --json "$R" -- "$TOOLS/links" "$1" "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
	LSPID=$!
	PIDS="$PIDS $LSPID"
	i=0
	until grep -qx ready "$SCRATCH/out" || ! alive "$LSPID" || [ $i -ge 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	expect_grep "links $1: the scenario got ready" "$SCRATCH/out" ready
	PID=$(num pid 1)
	PID=${PID:-0}
	PIDS="$PIDS $PID"
	kill -INT "$LSPID"
	sleep 0.2
	kill -INT "$LSPID"
	reap "$LSPID" 20
	expect_eq "links $1: leakscope reports at a second SIGINT" "$?" 130
	touch "$SCRATCH/stop"
	gone "$PID" 5
	expect_eq "links $1: the scenario ended once told to" "$(alive "$PID" && echo running)" ""
	# both ended: no pid of theirs, maybe reused by now, is killed at exit
	alive "$PID" || PIDS=
	R_=$(num pipe 1) W=$(num pipe 2) D=$(num dup 1) U0=$(num unix 1) U1=$(num unix 2)
	C=$(num tcp 1) A=$(num tcp 2) E=$(num epoll 1) M=$(num map 1) G=$(num received 1)
	KEY=$(jq -r ".processes[] | select(.pid == $PID) | .id | ltrimstr(\"proc:\")" "$R")
	CHILD_KEY=$(jq -r ".processes[] | select(.pid != $PID) | .id | ltrimstr(\"proc:\")" "$R")
	expect_eq "links $1: two processes with ids" "${KEY:+p}${CHILD_KEY:+c}" pc
	expect_jq "links $1: the scenario is live in the report" "$R" \
		".processes[] | select(.pid == $PID) | .exited" false
}

# fd N / desc N: the id of the scenario's open fd N, and of its description
fd() {
	jq -r ".processes[] | select(.pid == $PID) | .open_fds[] | select(.fd == $1) | .id" "$R"
}
desc() {
	jq -r ".processes[] | select(.pid == $PID) | .open_fds[] | select(.fd == $1) |
		\"desc:\(.description)\"" "$R"
}

# has_link NAME KIND FROM TO: exactly one such link
has_link() {
	expect_jq "$1" "$R" "[.links[] | select(.kind == \"$2\" and .from == \"$3\" and .to == \"$4\")] | length" 1
}

run_live pass
expect_jq "links pass: one scm_rights link" "$R" '[.links[] | select(.kind == "scm_rights")] | length' 1
L='.links[] | select(.kind == "scm_rights")'
expect_jq "links pass: scm_rights to the fd the parent received" "$R" "$L | .to" "$(fd "$G")"
expect_jq "links pass: scm_rights from a fd of the child" "$R" \
	"$L | .from | startswith(\"fd:$CHILD_KEY:\")" true
expect_jq "links pass: scm_rights crossed the parent's end of the socketpair" "$R" \
	"$L | .socket" "$(desc "$U0")"
expect_jq "links pass: the link's target joins to DIR/passed.txt" "$R" \
	"($L | .to) as \$id | .processes[].open_fds[]? | select(.id == \$id) | .path" \
	"$SCRATCH/passed.txt"
expect_jq "links pass: nothing left in flight" "$R" '[.links[] | select(.kind == "in_flight")] | length' 0
has_link "links pass: pipe_peer from the write end to the read end" pipe_peer "$(desc "$W")" "$(desc "$R_")"
has_link "links pass: unix_peer between the socketpair's ends" unix_peer "$(desc "$U0")" "$(desc "$U1")"
expect_jq "links pass: tcp_peer joins the client and the accepted socket" "$R" \
	"[.links[] | select(.kind == \"tcp_peer\") | .from, .to] | sort | join(\",\")" \
	"$(printf '%s\n%s\n' "$(desc "$C")" "$(desc "$A")" | LC_ALL=C sort | paste -sd,)"
has_link "links pass: epoll_watch from the epoll fd to the read end" epoll_watch "$(fd "$E")" "$(fd "$R_")"
has_link "links pass: dup from the write end to its dup" dup "$(fd "$W")" "$(fd "$D")"
has_link "links pass: inherited from the parent's write end to the child's" inherited \
	"$(fd "$W")" "fd:$CHILD_KEY:$W:0"
MAP=$(jq -r ".processes[] | select(.pid == $PID) | .mappings.files[] |
	select(.path == \"$SCRATCH/mapped.bin\") | .id" "$R")
expect_eq "links pass: DIR/mapped.bin is mapped, with an id" "$(echo "$MAP" | grep -c '^map:')" 1
has_link "links pass: maps_file from the mapping to its open fd" maps_file "$MAP" "$(fd "$M")"
expect_jq "links pass: thread_of with the one thread" "$R" \
	"[.links[] | select(.kind == \"thread_of\" and .from == \"threads:$KEY\" and .to == \"proc:$KEY\") | .count] | tojson" "[1]"
expect_jq "links pass: no cycle" "$R" '.cycles | length' 0
expect_jq "links pass: summary counts the scm_rights link" "$R" '.summary.links.scm_rights' 1
expect_jq "links pass: nothing omitted" "$R" '.links_omitted' 0
expect_jq "links pass: observer.complete" "$R" '.observer.complete' true

run_live nopass
expect_eq "links nopass: the parent received no fd" "$G" none
expect_jq "links nopass: no scm_rights link" "$R" '[.links[] | select(.kind == "scm_rights")] | length' 0
expect_jq "links nopass: nothing in flight" "$R" '[.links[] | select(.kind == "in_flight")] | length' 0
has_link "links nopass: the pipe_peer link is there as in pass" pipe_peer "$(desc "$W")" "$(desc "$R_")"
expect_jq "links nopass: no engine anomaly" "$R" \
	'[.observer.engine | .bad_events, .unknown_fd, .fd_replaced, .oom, .scm_unfollowed] | add' 0

R=$SCRATCH/cycle.json
ls_run --error-exitcode 42 --json "$R" -- "$TOOLS/links" cycle "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "links cycle: a cycle fails --error-exitcode" "$?" 42
PID=$(jq '.processes[0].pid' "$R")
KEY=$(jq -r '.processes[0].id | ltrimstr("proc:")' "$R")
A0=$(num a 1)
B0=$(num a 4)
expect_jq "links cycle: one cycle" "$R" '.cycles | length' 1
expect_jq "links cycle: of two descriptions" "$R" \
	'.cycles[0].resources | map(startswith("desc:")) | tojson' '[true,true]'
expect_jq "links cycle: held in flight" "$R" '.cycles[0].kinds | tojson' '["in_flight"]'
expect_jq "links cycle: each holds the other" "$R" \
	'.cycles[0] | ([.links[] | [.from, .to]] | sort) == ([.resources, (.resources | reverse)] | sort)' true
expect_jq "links cycle: sent from A0 and B0" "$R" \
	"[.cycles[0].links[].sent_by | ltrimstr(\"fd:$KEY:\") | split(\":\")[0]] | sort | join(\",\")" \
	"$(printf '%s\n%s\n' "$A0" "$B0" | LC_ALL=C sort | paste -sd,)"
expect_jq "links cycle: no fd holds it" "$R" '.cycles[0].held_by_fds' 0
expect_jq "links cycle: the report's links have them too" "$R" \
	'[.links[] | select(.kind == "in_flight")] | length' 2
C='.findings[] | select(.kind == "cycle")'
expect_jq "links cycle: one cycle finding, a warning" "$R" "[$C | .severity] | tojson" '["warning"]'
expect_jq "links cycle: on the process" "$R" "$C | .pid" "$PID"
expect_jq "links cycle: naming the cycle" "$R" "$C | .cycle" 1
expect_jq "links cycle: finding lists the cycle's resources" "$R" \
	"($C | .resources) == .cycles[0].resources" true
expect_jq "links cycle: the only finding" "$R" '.findings | length' 1
expect_jq "links cycle: summary" "$R" '[.summary.cycles, .summary.by_kind.cycle] | tojson' '[1,1]'
expect_grep "links cycle: the text says so" "$SCRATCH/err" "cycle: 2 descriptions (desc:"

R=$SCRATCH/nocycle.json
ls_run -q --error-exitcode 42 --json "$R" -- "$TOOLS/links" nocycle "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "links nocycle: exits 0" "$?" 0
expect_jq "links nocycle: no cycle" "$R" '.cycles | length' 0
expect_jq "links nocycle: no finding" "$R" '.findings | length' 0
expect_jq "links nocycle: nothing in flight" "$R" '[.links[] | select(.kind == "in_flight")] | length' 0
expect_jq "links nocycle: observer.complete" "$R" '.observer.complete' true
finish
