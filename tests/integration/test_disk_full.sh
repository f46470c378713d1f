# Disk full (ENOSPC) while writing a report or a capture: one line on stderr,
# exit status 1, no half-written file, the command's run unaffected.
set -u
. tests/integration/lib.sh
scratch
D=$SCRATCH/full
mkdir "$D"
mount -t tmpfs -o size=64k tmpfs "$D" || not_ok "disk full: a tmpfs to fill" "mount failed"
cleanup_at_exit 'umount "$D" 2>/dev/null'
# leave a few KB: the report is checked writable at start, and does not fit at the end
head -c 56000 /dev/zero >"$D/filler" 2>/dev/null

ls_run -q --json "$D/r.json" -- "$TOOLS/leaky" "$SCRATCH" >/dev/null 2>"$SCRATCH/err"
expect_eq "disk full: the JSON report: exit 1" "$?" 1
expect_eq "disk full: one line on stderr" "$(wc -l <"$SCRATCH/err")" 1
expect_grep "disk full: says so" "$SCRATCH/err" "No space left on device"
expect_eq "disk full: no report, no temporary file" "$(ls -A "$D" | grep -v '^filler$' | wc -l)" 0

# room for the capture's header (4.4 KB), not for its blocks
rm -f "$D/filler"
head -c 57000 /dev/zero >"$D/filler" 2>/dev/null
ls_run -q --capture "$D/c.cap" --json "$SCRATCH/ok.json" -- \
	sh -c "$TOOLS/leaky $SCRATCH; for i in \$(seq 40); do cat /dev/null; done" >/dev/null 2>"$SCRATCH/err"
expect_eq "disk full: the capture: exit 1" "$?" 1
expect_grep "disk full: the capture says where it stopped" "$SCRATCH/err" "No space left on device"
expect_jq "disk full: the report itself is still written whole" "$SCRATCH/ok.json" \
	'[.findings[] | select(.comm == "leaky")] | length' 7
finish
