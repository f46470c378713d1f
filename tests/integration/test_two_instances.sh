# Several leakscopes at once do not disturb each other: two -p on the same
# holder (tools/scenarios/holder.c) and a system-wide one, each with its own
# BPF objects; each reports on the holder what a leakscope alone reports, loses
# nothing; stopping one (SIGINT) mid-run leaves the others whole.
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup_at_exit holders_cleanup

# start NAME ARGS: a leakscope in the background, attached when it returns;
# sets NAME_PID
start() {
	name=$1
	shift
	bg_exec "$LS" "$@" >"$SCRATCH/$name.out" 2>"$SCRATCH/$name.err"
	eval "${name}_PID=$!"
	PIDS="$PIDS $!"
	wait_attached $!
}

# The holder's and its child's part of a report, with the holder's directory
# as D: exits, counts and findings, in a fixed order.
PROJ='def rel: if type == "string" then sub("^" + $d; "D") else . end;
def who: if .pid == $h then "holder" else "child" end;
[.processes[] | select(.pid == $h or .ppid == $h)] as $ps
| ($ps | map(.pid)) as $pids
| {processes: [$ps[] | {who: who, exited, exit_code, execs, threads_created, counts}] | sort_by(.who),
   findings: [.findings[] | select(.pid as $p | $pids | index($p)) | {who: who, kind,
     fd: .resource.fd, type: .resource.type, path: (.resource.path | rel),
     flags: .resource.flags, syscall: .resource.syscall,
     inherited: .resource.inherited, before_attach: .resource.before_attach}]
     | sort_by(.who, .fd)}'
proj() {
	jq -S -c --arg d "$3" --argjson h "$2" "$PROJ" "$1" 2>&1
}

# fdinfo_ids PID KEY: the BPF object ids (prog_id, map_id) PID holds fds on
ids() {
	grep -h "^$2:" /proc/"$1"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -un
}

# --- alone ---------------------------------------------------------------
start_holder h0 20
start alone -q --json "$SCRATCH/alone.json" -p "$HPID"
touch "$D/go"
sleep 0.5
touch "$D/stop"
reap "$alone_PID" 20
expect_eq "alone: exits 0" "$?" 0
ALONE=$(proj "$SCRATCH/alone.json" "$HPID" "$D")
expect_eq "alone: the holder's 5 post files and its child's child.txt" \
	"$(printf '%s' "$ALONE" | jq -r '[.findings[] | "\(.who) \(.path)"] | join(",")')" \
	"child D/child.txt,holder D/post-000,holder D/post-001,holder D/post-002,holder D/post-003,holder D/post-004"

# --- together: a, b (-p) and sys (system-wide); a stopped mid-run ---------
start_holder h1 20
start a -q --json "$SCRATCH/a.json" -p "$HPID"
start b -q --json "$SCRATCH/b.json" -p "$HPID"
start sys -q --json "$SCRATCH/sys.json"
for x in a b sys; do
	eval "p=\$${x}_PID"
	ids "$p" map_id >"$SCRATCH/$x.maps"
	ids "$p" prog_id >"$SCRATCH/$x.progs"
done
expect_eq "together: each instance has its own maps (as many, none shared)" \
	"$(wc -l <"$SCRATCH/a.maps") $(wc -l <"$SCRATCH/b.maps") $(cat "$SCRATCH"/*.maps | sort | uniq -d | wc -l)" \
	"$(wc -l <"$SCRATCH/sys.maps") $(wc -l <"$SCRATCH/sys.maps") 0"
# (a -p run loads the use counters' hooks too, a system-wide one does not)
expect_eq "together: each instance has its own programs (none shared)" \
	"$(for x in a b sys; do [ -s "$SCRATCH/$x.progs" ] && printf y; done) $(cat "$SCRATCH"/*.progs | sort | uniq -d | wc -l)" \
	"yyy 0"
touch "$D/go"
i=0
until [ -e "$D/child.txt" ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.3
kill -INT "$a_PID"
reap "$a_PID" 20
expect_eq "together: a, stopped by SIGINT mid-run, exits 0" "$?" 0
expect_eq "together: b and sys still run" "$(alive "$b_PID" && alive "$sys_PID" && echo yes)" yes
touch "$D/stop"
reap "$b_PID" 20
expect_eq "together: b ends by itself with 0 when the holder exits" "$?" 0
kill -INT "$sys_PID"
reap "$sys_PID" 30
expect_eq "together: sys exits 0 at SIGINT" "$?" 0

H="(.processes[] | select(.pid == $HPID))"
expect_jq "together: a saw the holder live, its 5 post files open" "$SCRATCH/a.json" \
	"$H | \"\(.exited) \([.open_fds[] | select(.path | test(\"/post-\"))] | length)\"" "false 5"
expect_jq "together: a's report is complete" "$SCRATCH/a.json" '.observer.complete' true
expect_eq "together: b reports on the holder what a leakscope alone does" \
	"$(proj "$SCRATCH/b.json" "$HPID" "$D")" "$ALONE"
expect_eq "together: sys reports on the holder what a leakscope alone does" \
	"$(proj "$SCRATCH/sys.json" "$HPID" "$D")" "$ALONE"
for x in a b sys; do
	expect_jq "together: $x lost no event" "$SCRATCH/$x.json" '.observer.events.lost' 0
	expect_jq "together: $x is complete" "$SCRATCH/$x.json" '.observer.complete' true
done
expect_jq "together: sys saw a and b at work, not itself" "$SCRATCH/sys.json" \
	"[.processes[] | select(.pid == $a_PID or .pid == $b_PID or .pid == $sys_PID) | .pid] | sort | tojson" \
	"$(printf '%s\n' "$a_PID" "$b_PID" | sort -n | paste -sd, | sed 's/^/[/; s/$/]/')"
finish
