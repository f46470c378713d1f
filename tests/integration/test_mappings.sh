# Memory mappings (tools/scenarios/mappings.c): a file kept in use only by a
# MAP_SHARED mapping (its fd closed), anonymous pages split by munmap and moved
# by mremap, the heap grown by sbrk after DIR/go. Attached live with -p; under
# -- CMD live (-d) and to the end, with the mappings kept or unmapped.
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup() {
	for d in "$SCRATCH"/m*; do [ -d "$d" ] && touch "$d/go" "$d/go2"; done
	sleep 0.1
	kill_pids
}
cleanup_at_exit cleanup

# range NAME: the START-END the scenario printed for NAME; size START-END
range() { sed -n "s/^$1 //p" "$D.out"; }
size() { echo $((0x${1#*-} - 0x${1%-*})); }
PAGE=$(getconf PAGESIZE)
F='(.files[] | select(.path == $f))'
GE_MIB='if . >= 1048576 then ">= 1 MiB" else . end' # shows the value when it fails

# --- -p -d 1: live, mapped before attach, sbrk after ---------------------
D=$SCRATCH/m1
mkdir "$D"
bg_exec "$TOOLS/mappings" "$D" keep >"$D.out" 2>&1
MPID=$!
PIDS="$PIDS $MPID"
wait_line "$D.out" ready
R=$SCRATCH/m1.json
bg_ls --json "$R" -p "$MPID" -d 1
touch "$D/go"
wait_line "$D.out" grown
expect_eq "mappings -p: sbrk done while leakscope still runs" "$(alive "$LSPID" && grep -cx grown "$D.out")" 1
reap "$LSPID" 10
expect_eq "mappings -p -d 1: exits 0" "$?" 0
expect_eq "mappings -p: scenario's file range is the one in /proc/PID/maps" \
	"$(grep -F "$D/mapped.bin" "/proc/$MPID/maps" | cut -d' ' -f1)" "$(range file)"
M="(.processes[] | select(.pid == $MPID) | .mappings)"
J="jq -r --arg f $D/mapped.bin"
expect_eq "mappings -p: the process is live" "$(jq -r ".processes[] | select(.pid == $MPID) | .exited" "$R")" false
expect_eq "mappings -p: exactly one file mapping of mapped.bin" "$($J "[$M | $F] | length" "$R")" 1
expect_eq "mappings -p: its range is the one printed" "$($J "$M | $F | .range" "$R")" "$(range file)"
expect_eq "mappings -p: it is r--s, 1 MiB, before_attach" \
	"$($J "$M | $F | \"\(.perms) \(.bytes) \(.before_attach)\"" "$R")" "r--s 1048576 true"
expect_eq "mappings -p: its inode is mapped.bin's" "$($J "$M | $F | .inode" "$R")" "$(stat -c %i "$D/mapped.bin")"
expect_eq "mappings -p: no open fd for mapped.bin (only the mapping holds it)" \
	"$($J "[.processes[] | select(.pid == $MPID) | .open_fds[] | select((.path // \"\") | startswith(\$f))] | length" "$R")" 0
expect_jq "mappings -p: anon_bytes cover anon1 + anon2" "$R" \
	"$M.anon_bytes >= $(($(size "$(range anon1)") + $(size "$(range anon2)")))" true
expect_jq "mappings -p: file_bytes include mapped.bin" "$R" "$M.file_bytes >= 1048576" true
expect_jq "mappings -p: heap_growth_bytes >= 1 MiB (sbrk after attach)" "$R" "$M.heap_growth_bytes | $GE_MIB" ">= 1 MiB"
expect_jq "mappings -p: observer.complete" "$R" '.observer.complete' true
touch "$D/go2"
reap "$MPID" 5
expect_eq "mappings -p: the scenario exits 0" "$?" 0

# --- -- CMD -d 1: live, everything mapped after attach -------------------
D=$SCRATCH/m2
mkdir "$D"
touch "$D/go"
R=$SCRATCH/m2.json
ls_run --json "$R" -d 1 -- "$TOOLS/mappings" "$D" keep >"$D.out" 2>"$SCRATCH/err"
expect_eq "mappings -- CMD -d 1: exits 0" "$?" 0
PIDS="$PIDS $(jq -r '.processes[0].pid' "$R")"
M='.processes[0].mappings'
J="jq -r --arg f $D/mapped.bin"
expect_eq "mappings -- CMD -d 1: still running at the report" "$(jq -r '.processes[0].exited' "$R")" false
expect_eq "mappings -- CMD -d 1: one mapping of mapped.bin, as printed, r--s, 1 MiB, after attach" \
	"$($J "[$M | $F | \"\(.range) \(.perms) \(.bytes) \(.before_attach)\"] | join(\",\")" "$R")" \
	"$(range file) r--s 1048576 false"
expect_jq "mappings -- CMD -d 1: anon_bytes cover anon1 + anon2" "$R" \
	"$M.anon_bytes >= $(($(size "$(range anon1)") + $(size "$(range anon2)")))" true
expect_jq "mappings -- CMD -d 1: heap_growth_bytes >= 1 MiB" "$R" "$M.heap_growth_bytes | $GE_MIB" ">= 1 MiB"
expect_jq "mappings -- CMD -d 1: mremap found the piece it moved" "$R" '.observer.engine.unknown_mapping' 0

# --- -- CMD to the end: keep vs unmap ------------------------------------
for mode in keep unmap; do
	D=$SCRATCH/m-$mode
	mkdir "$D"
	touch "$D/go" "$D/go2"
	ls_run --json "$SCRATCH/$mode.json" -- "$TOOLS/mappings" "$D" "$mode" >"$D.out" 2>"$SCRATCH/err"
	expect_eq "mappings -- CMD $mode: exits 0" "$?" 0
	expect_jq "mappings -- CMD $mode: exited, complete, no unknown mapping" "$SCRATCH/$mode.json" \
		'"\(.processes[0].exited) \(.observer.complete) \(.observer.engine.unknown_mapping)"' "true true 0"
done
K=$SCRATCH/keep.json
U=$SCRATCH/unmap.json
# keep MINUS unmap for a mappings field
diff_of() { echo $(($(jq -r ".processes[0].mappings.$1" "$K") - $(jq -r ".processes[0].mappings.$1" "$U"))); }
expect_jq "mappings -- CMD keep: created >= 3 (file, anon; mremap creates none)" "$K" '.processes[0].mappings.created >= 3' true
expect_eq "mappings -- CMD: created the same in both modes" "$(diff_of created)" 0
expect_eq "mappings -- CMD: unmap released 3 more (file, anon1, anon2; the middle munmap only splits)" \
	"$(diff_of released)" -3
expect_eq "mappings -- CMD: 3 fewer mappings at exit with unmap" "$(diff_of released_at_exit)" 3
expect_jq "mappings -- CMD keep: file_bytes_at_exit >= 1 MiB" "$K" '.processes[0].mappings.file_bytes_at_exit >= 1048576' true
expect_eq "mappings -- CMD: keep holds mapped.bin's 1 MiB more at exit" "$(diff_of file_bytes_at_exit)" 1048576
expect_eq "mappings -- CMD: keep holds anon1 (12 pages) + anon2 (7) more at exit" "$(diff_of anon_bytes_at_exit)" $((19 * PAGE))
expect_jq "mappings -- CMD keep: heap_growth_bytes >= 1 MiB" "$K" ".processes[0].mappings.heap_growth_bytes | $GE_MIB" ">= 1 MiB"
finish
