# No target: the whole machine, for -d 3, while two open_close runs (200
# files each, 100 leaked) and a clean pipes_sockets run happen. leakscope
# must see them, lose nothing, and leave itself out.
set -u
. tests/integration/lib.sh
scratch
LSPID=
cleanup() {
	[ -n "$LSPID" ] && kill -9 "$LSPID" 2>/dev/null
}
cleanup_at_exit cleanup

R=$SCRATCH/r.json
mkdir "$SCRATCH/a" "$SCRATCH/b"
bg_exec "$LS" --json "$R" -d 3 >"$SCRATCH/out" 2>"$SCRATCH/err"
LSPID=$!
# system-wide, reading /proc after attaching takes a few hundred ms at most
wait_attached "$LSPID" 0.5

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
		"$(series "$D" f 100 100)"
	expect_jq "system: open_close ${x#*:} findings are released-at-exit" "$R" \
		"[.findings[] | select(.pid == $P) | .kind] | unique | join(\",\")" released-at-exit
done
expect_jq "system: pipes_sockets clean is a process that exited 0" "$R" \
	".processes[] | select(.pid == $P3) | \"\(.comm) \(.exited) \(.exit_code)\"" "pipes_sockets true 0"
expect_jq "system: pipes_sockets clean leaks nothing" "$R" "[.findings[] | select(.pid == $P3)] | length" 0
finish
