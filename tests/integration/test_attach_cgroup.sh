# --cgroup PATH: a holder (tools/scenarios/holder.c) inside a fresh cgroup v2
# directory is traced, one outside is not, and one moved in during the run is
# traced from then on. Each holder opens 3 pre-* files, then (DIR/go) 5
# post-* files and forks a child that opens child.txt; both exit at DIR/stop.
set -u
. tests/integration/lib.sh
scratch
PIDS=
CG=
cleanup() {
	for d in "$SCRATCH"/in "$SCRATCH"/out "$SCRATCH"/late; do [ -d "$d" ] && touch "$d/go" "$d/stop"; done
	sleep 0.1
	kill_pids
	i=0
	while [ -n "$CG" ] && [ -d "$CG" ] && ! rmdir "$CG" 2>/dev/null && [ $i -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
cleanup_at_exit cleanup

# holder NAME [CGROUP]: a holder in $SCRATCH/NAME (first moved into CGROUP);
# sets HP to its pid once it holds its pre files
holder() {
	mkdir "$SCRATCH/$1"
	bg_exec sh -c '[ -z "$1" ] || echo $$ >"$1/cgroup.procs" || exit 1; shift; exec "$@"' \
		sh "${2:-}" "$TOOLS/holder" "$SCRATCH/$1" 3 "$SCRATCH/$1/go" >"$SCRATCH/$1.log" 2>&1
	HP=$!
	PIDS="$PIDS $HP"
	i=0
	while [ ! -f "$SCRATCH/$1/ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
}

MNT=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$MNT" ]; then
	not_ok "attach --cgroup: a cgroup2 mount" "no filesystem of type cgroup2 in /proc/mounts"
	finish
	exit
fi
CG=$MNT/leakscope-test-$$
mkdir "$CG"
expect_eq "attach --cgroup: test cgroup created" "$([ -d "$CG" ] && echo yes)" yes

holder in "$CG"
IN=$HP
holder out
OUT=$HP
holder late
LATE=$HP
expect_eq "attach --cgroup: the inside holder is in the cgroup" \
	"$(grep '^0::' "/proc/$IN/cgroup")" "0::${CG#"$MNT"}"

R=$SCRATCH/r.json
bg_exec "$LS" --json "$R" --cgroup "$CG" -d 2 >"$SCRATCH/out.txt" 2>"$SCRATCH/err"
LSPID=$!
PIDS="$PIDS $LSPID"
wait_attached "$LSPID"
touch "$SCRATCH/in/go" "$SCRATCH/out/go"
echo "$LATE" >"$CG/cgroup.procs"
sleep 0.1
touch "$SCRATCH/late/go"
sleep 0.5
touch "$SCRATCH/in/stop" "$SCRATCH/out/stop" "$SCRATCH/late/stop"
reap "$LSPID" 20
expect_eq "attach --cgroup: exits 0 after -d 2" "$?" 0

expect_jq "attach --cgroup: observer.mode" "$R" '.observer.mode' cgroup
expect_jq "attach --cgroup: no event lost" "$R" '.observer.events.lost' 0
expect_jq "attach --cgroup: the inside holder exited 0" "$R" \
	".processes[] | select(.pid == $IN) | \"\(.exited) \(.exit_code)\"" "true 0"
expect_jq "attach --cgroup: the inside holder's findings are its post files" "$R" \
	"[.findings[] | select(.pid == $IN) | .resource.path] | sort | join(\",\") + \",\"" \
	"$(series "$SCRATCH/in" post 5)"
expect_jq "attach --cgroup: the inside holder's child leaks child.txt" "$R" \
	"(.processes[] | select(.ppid == $IN) | .pid) as \$c | [.findings[] | select(.pid == \$c) | .resource.path] | join(\",\")" \
	"$SCRATCH/in/child.txt"
expect_jq "attach --cgroup: the outside holder is absent" "$R" "[.processes[] | select(.pid == $OUT or .ppid == $OUT)] | length" 0
expect_jq "attach --cgroup: nothing of the outside holder's files" "$R" \
	"[.. | strings | select(startswith(\"$SCRATCH/out/\"))] | length" 0
expect_jq "attach --cgroup: the holder moved in is seen" "$R" "[.processes[] | select(.pid == $LATE)] | length" 1
expect_jq "attach --cgroup: its later opens are findings" "$R" \
	"[.findings[] | select(.pid == $LATE) | .resource.path] | sort | join(\",\") + \",\"" \
	"$(series "$SCRATCH/late" post 5)"
expect_jq "attach --cgroup: its child is seen too" "$R" \
	"(.processes[] | select(.ppid == $LATE) | .pid) as \$c | [.findings[] | select(.pid == \$c) | .resource.path] | join(\",\")" \
	"$SCRATCH/late/child.txt"
expect_jq "attach --cgroup: the moved holder's pre files are nowhere" "$R" \
	"[.. | strings | select(startswith(\"$SCRATCH/late/pre-\"))] | length" 0
for p in $PIDS; do [ "$p" = "$LSPID" ] || reap "$p" 5; done

ls_run --json "$SCRATCH/tmp.json" --cgroup /tmp >"$SCRATCH/out.txt" 2>"$SCRATCH/err"
expect_eq "attach --cgroup /tmp: exit 2" "$?" 2
expect_eq "attach --cgroup /tmp: one stderr line" "$(lines "$SCRATCH/err")" 1
expect_grep "attach --cgroup /tmp: says why" "$SCRATCH/err" "/tmp is not a cgroup v2 directory"
expect_eq "attach --cgroup /tmp: no report" "$([ -e "$SCRATCH/tmp.json" ] && echo yes || echo no)" no
finish
