# The walk cache (user/unwind_cache.c): open_close opens 300 files from one
# line and closes 100 from another, so after the first of each, every stack
# is a walk seen before. Every leak must carry the same stack, the one a
# walk finds (main at the open() line), and -v must show the cache served
# all but the first walk of each site.
set -u
. tests/integration/lib.sh
scratch
D=$SCRATCH/files
R=$SCRATCH/r.json
mkdir "$D"
OPENS=300
CLOSES=100
SRC=tools/scenarios/open_close.c
OPEN_LINE=$(grep -n 'fds\[i\] = open(' "$SRC" | cut -d: -f1)

ls_run -v --json "$R" -- "$TOOLS/open_close" "$D" $OPENS $CLOSES >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "stack cache: exits 0" "$?" 0
expect_jq "stack cache: no event lost, no stack skipped" "$R" \
	'"\(.observer.events.lost) \(.observer.events.stacks_skipped)"' "0 0"
expect_jq "stack cache: every leak has a stack" "$R" \
	'[.findings[] | select(.stack != null)] | length' $((OPENS - CLOSES))
expect_jq "stack cache: all the leaks have the same stack" "$R" \
	'[.findings[].stack] | unique | length' 1
expect_jq "stack cache: and it is the walk's: main at the open() line" "$R" \
	'[.findings[0].stack.frames[] | select((.file // "") | endswith("open_close.c"))
	  | "\(.function):\(.line)"] | join(" ")' "main:$OPEN_LINE"
expect_jq "stack cache: the stack is not truncated" "$R" '.findings[0].stack.truncated' false
expect_jq "stack cache: one site" "$R" '.sites | length' 1
expect_grep "stack cache: -v reports the walks" "$SCRATCH/err" "leakscope: stack walks: "
HITS=$(sed -n 's/.*stack walks: \([0-9]*\) cache hits.*/\1/p' "$SCRATCH/err")
# the first open and the first close are walked; every other one is a hit
expect_eq "stack cache: at least $((OPENS + CLOSES - 2)) hits" \
	"$([ "${HITS:-0}" -ge $((OPENS + CLOSES - 2)) ] && echo yes || echo "no: ${HITS:-none}")" yes

# the same program twice: a new process gets a new Dwfl, and its own walks
# give the same stacks as the first one's
R2=$SCRATCH/twice.json
rm -f "$D"/*
ls_run -q --json "$R2" -- sh -c "\"$TOOLS/open_close\" \"$D\" 50 0; rm -f \"$D\"/*;
	\"$TOOLS/open_close\" \"$D\" 50 0" >/dev/null 2>&1
expect_jq "stack cache: two processes, 100 leaks, one stack" "$R2" \
	'"\([.findings[] | select(.stack != null)] | length) \([.findings[].stack] | unique | length)"' "100 1"
finish
