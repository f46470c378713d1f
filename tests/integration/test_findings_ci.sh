# Findings beyond released-at-exit (close-wait, deleted-but-open) and what a
# CI job uses: --error-exitcode, --fail-on, --text.
set -u
. tests/integration/lib.sh
scratch
R=$SCRATCH/r.json
T=$SCRATCH/summary.txt
CW='[.findings[] | select(.kind == "close-wait")]'

# close-wait: the accepted socket sat in CLOSE_WAIT ~300 ms before the exit released it
ls_run -q --json "$R" --close-wait 0.1 -- "$TOOLS/tcp_close_wait" leak inet >/dev/null 2>&1
expect_eq "close-wait: the scenario exits 0" "$?" 0
expect_jq "close-wait: one close-wait finding over 0.1 s" "$R" "$CW | length" 1
expect_jq "close-wait: it is the accepted socket" "$R" "$CW[0].resource.syscall" accept
expect_jq "close-wait: in state CLOSE_WAIT" "$R" "$CW[0].resource.socket.state" CLOSE_WAIT
expect_jq "close-wait: for at least 0.1 s" "$R" "$CW[0].close_wait_s >= 0.1" true
expect_jq "close-wait: the reason names the state" "$R" \
	"$CW[0].reasons[0] | test(\"CLOSE_WAIT\")" true
ls_run -q --json "$R" -- "$TOOLS/tcp_close_wait" leak inet >/dev/null 2>&1
expect_jq "close-wait: not a finding under the default 10 s" "$R" "$CW | length" 0
ls_run -q --json "$R" --close-wait 0.1 -- "$TOOLS/tcp_close_wait" clean inet >/dev/null 2>&1
expect_jq "close-wait: the clean twin has none" "$R" "$CW | length" 0

# deleted-but-open: a live process holding an unlinked 3 MiB file
D=$SCRATCH/d
mkdir -p "$D"
bg_exec "$TOOLS/deleted_open" "$D" >"$D.out" 2>&1
P=$!
wait_line "$D.out" ready
ls_run -q --json "$R" -p "$P" -d 0.5
expect_eq "deleted: -p -d exits 0" "$?" 0
DEL='[.findings[] | select(.kind == "deleted-but-open")]'
expect_jq "deleted: one deleted-but-open finding" "$R" "$DEL | length" 1
expect_jq "deleted: it holds 3 MiB" "$R" "$DEL[0].resource.deleted_bytes_held" 3145728
expect_jq "deleted: still open (released is null)" "$R" "$DEL[0].released" null
touch "$D/go"
wait "$P"

# --error-exitcode: exit N when there are findings at or above --fail-on
ls_run -q --error-exitcode 42 -- "$TOOLS/open_close" "$SCRATCH" 5 2
expect_eq "ci: leaks with --error-exitcode 42 exit 42" "$?" 42
ls_run -q --error-exitcode 42 -- "$TOOLS/open_close" "$SCRATCH" 5 5
expect_eq "ci: no leak with --error-exitcode 42 exits with the command's 0" "$?" 0
ls_run -q --error-exitcode 42 --fail-on error -- "$TOOLS/open_close" "$SCRATCH" 5 2
expect_eq "ci: warnings do not reach --fail-on error" "$?" 0
ls_run -q --error-exitcode 42 --fail-on info -- "$TOOLS/exit_code" 3
expect_eq "ci: --fail-on info counts the warning, 42 wins over the command's 3" "$?" 42
ls_run --error-exitcode 0 -- /bin/true 2>"$SCRATCH/err"
expect_eq "ci: --error-exitcode 0 is a usage error" "$?" 2
ls_run --fail-on fatal -- /bin/true 2>"$SCRATCH/err"
expect_eq "ci: --fail-on fatal is a usage error" "$?" 2

# --text: the summary to a file (atomic, 0600), nothing on stderr
ls_run --text "$T" -- "$TOOLS/open_close" "$SCRATCH" 5 2 2>"$SCRATCH/err"
expect_eq "text: exits 0" "$?" 0
expect_grep "text: the file has the summary" "$T" "LEAK SUMMARY: 3 fds never closed"
expect_eq "text: mode 600" "$(stat -c %a "$T")" 600
expect_eq "text: stderr is empty" "$(wc -c <"$SCRATCH/err")" 0
finish
