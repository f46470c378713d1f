# No target: the whole machine, for -d 3, while two open_close runs (200
# files each, 100 leaked) and a clean pipes_sockets run happen. leakscope
# must see them, lose nothing, and leave itself out.
set -u
. tests/integration/lib.sh
scratch
LSPID=
cleanup() {
	[ -n "$LSPID" ] && kill -9 "$LSPID" 2>/dev/null
	rm -rf "$SCRATCH"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

CLOSE='import os, sys
os.closerange(3, max(os.sysconf("SC_OPEN_MAX"), 1024))
os.execvp(sys.argv[1], sys.argv[1:])'
alive() {
	s=$(sed -n 's/.*) \(.\).*/\1/p' "/proc/$1/stat" 2>/dev/null)
	[ -n "$s" ] && [ "$s" != Z ]
}
# reap PID SECS: PID's exit status, or 124 after SECS (then it is killed)
reap() {
	i=0
	while alive "$1" && [ $i -lt $(($2 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
	alive "$1" && { kill -9 "$1"; wait "$1"; return 124; }
	wait "$1"
}
# series DIR PREFIX FROM TO: "DIR/PREFIX-FROM,...,DIR/PREFIX-TO,"
series() { for i in $(seq "$3" "$4"); do printf '%s/%s-%03d,' "$1" "$2" "$i"; done; }

R=$SCRATCH/r.json
mkdir "$SCRATCH/a" "$SCRATCH/b"
python3 -c "$CLOSE" "$LS" --json "$R" -d 3 </dev/null >"$SCRATCH/out" 2>"$SCRATCH/err" &
LSPID=$!
# Attached once its ring buffer's epoll fd exists (made right after the
# probes are attached; reading /proc follows, a few hundred ms at most).
i=0
until ls -l "/proc/$LSPID/fd" 2>/dev/null | grep -q 'anon_inode:\[eventpoll\]' || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.5

"$TOOLS/open_close" "$SCRATCH/a" 200 100 </dev/null &
P1=$!
wait "$P1"
expect_eq "system: open_close a exits 0" "$?" 0
"$TOOLS/open_close" "$SCRATCH/b" 200 100 </dev/null &
P2=$!
wait "$P2"
expect_eq "system: open_close b exits 0" "$?" 0
"$TOOLS/pipes_sockets" clean </dev/null &
P3=$!
wait "$P3"
expect_eq "system: pipes_sockets clean exits 0" "$?" 0

reap "$LSPID" 20
expect_eq "system: leakscope exits 0 after -d 3" "$?" 0
expect_jq "system: observer.mode" "$R" '.observer.mode' system
expect_jq "system: events received" "$R" '.observer.events.received > 0' true
expect_jq "system: no event lost" "$R" '.observer.events.lost' 0
expect_jq "system: observer.complete" "$R" '.observer.complete' true
expect_jq "system: leakscope itself is not a process" "$R" "[.processes[] | select(.pid == $LSPID)] | length" 0
expect_jq "system: no finding is leakscope's" "$R" "[.findings[] | select(.pid == $LSPID)] | length" 0
for x in 1:a 2:b; do
	P=$(eval echo "\$P${x%:*}")
	D=$SCRATCH/${x#*:}
	expect_jq "system: open_close ${x#*:} is a process that exited 0" "$R" \
		".processes[] | select(.pid == $P) | \"\(.comm) \(.exited) \(.exit_code)\"" "open_close true 0"
	expect_jq "system: open_close ${x#*:} has exactly 100 findings" "$R" \
		"[.findings[] | select(.pid == $P)] | length" 100
	expect_jq "system: open_close ${x#*:} leaked f-100..f-199" "$R" \
		"[.findings[] | select(.pid == $P) | .resource.path] | sort | join(\",\") + \",\"" \
		"$(series "$D" f 100 199)"
	expect_jq "system: open_close ${x#*:} findings are released-at-exit" "$R" \
		"[.findings[] | select(.pid == $P) | .kind] | unique | join(\",\")" released-at-exit
done
expect_jq "system: pipes_sockets clean is a process that exited 0" "$R" \
	".processes[] | select(.pid == $P3) | \"\(.comm) \(.exited) \(.exit_code)\"" "pipes_sockets true 0"
expect_jq "system: pipes_sockets clean leaks nothing" "$R" "[.findings[] | select(.pid == $P3)] | length" 0
finish
