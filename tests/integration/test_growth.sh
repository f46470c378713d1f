# growth findings (tools/scenarios/growth.c): "leak" sets its soft
# RLIMIT_NOFILE to 1024 and keeps an fd every 100 ms; its "clean" twin opens
# and closes one.
# A: leakscope -- growth leak, 10 s: the limit comes from the scenario's own
#    setrlimit (the kernel side), and the predicted time to exhaustion must be
#    within 20 % of the truth, computed from what the scenario printed: its
#    open count at the report's end and its actual rate over the run.
# B: leakscope -p LEAK,CLEAN, 6 s, while prlimit(1) raises the leak's limit
#    to 2048 (soft and hard: the hard limit, as inherited, is higher, and
#    only raising it needs CAP_SYS_RESOURCE): the reported limit is the new
#    one and the prediction is against it; the clean twin has no growth
#    finding.
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup() {
	touch "$SCRATCH/leak/stop" "$SCRATCH/clean/stop" 2>/dev/null
	sleep 0.2
	kill_pids
}
cleanup_at_exit cleanup
mkdir "$SCRATCH/leak" "$SCRATCH/clean"
HARD=$(ulimit -Hn)

# epoch TIME: an ISO 8601 time of the report as seconds since the epoch
epoch() {
	date -d "$1" +%s.%N
}

# truth STEPS FROM TO LIMIT: from the scenario's "step N OPEN T" lines, the
# open count at TO and the rate between FROM and TO; prints
# "OPEN RATE SECONDS_LEFT"
truth() {
	awk -v from="$2" -v to="$3" -v limit="$4" '
		$1 == "step" && $4 >= from && $4 <= to {
			if (!n++) { t0 = $4; o0 = $3 }
			t1 = $4; o1 = $3
		}
		END {
			if (n < 2 || t1 <= t0) { print "0 0 0"; exit }
			rate = (o1 - o0) / (t1 - t0)
			printf "%d %.4f %.2f\n", o1, rate, (limit - o1) / rate
		}' "$1"
}

# within NAME GOT WANT PCT: GOT is within PCT % of WANT
within() {
	if awk -v g="$2" -v w="$3" -v p="$4" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(w > 0 && d <= w * p / 100) }'; then
		ok "$1 ($2 against $3)"
	else
		not_ok "$1" "got $2, want $3 within $4 %"
	fi
}

# --- A: -- CMD -d 10: setrlimit by the scenario itself ----------------------
A=$SCRATCH/a.json
ls_run --json "$A" -d 10 -- "$TOOLS/growth" leak "$SCRATCH/leak" >"$SCRATCH/leak.out" 2>"$SCRATCH/err.a"
expect_eq "growth A: exits 0 with the scenario still running" "$?" 0
P=$(jq -r '.processes[0].pid' "$A")
PIDS="$PIDS $P"
expect_eq "growth A: the scenario runs on" "$(alive "$P" && echo yes)" yes
expect_eq "growth A: the hard limit inherited can be lowered to 2048 by prlimit (B)" \
	"$([ "$HARD" = unlimited ] || [ "$HARD" -ge 2048 ] && echo yes)" yes
expect_jq "growth A: soft RLIMIT_NOFILE 1024, set by the scenario itself (kernel side)" "$A" \
	'.processes[0].rlimit_nofile | "\(.soft) \(.hard // "unlimited") \(.from) \(.set_by)"' \
	"1024 $HARD prlimit64 $P"
expect_jq "growth A: one finding, a growth of the scenario's fds, an error" "$A" \
	'[.findings[] | "\(.kind) \(.pid) \(.class) \(.severity)"] | join(",")' "growth $P fds error"
G='.findings[0]'
expect_jq "growth A: against RLIMIT_NOFILE (soft) 1024" "$A" "$G | \"\(.limit_name) \(.limit)\"" \
	"RLIMIT_NOFILE (soft) 1024"
expect_jq "growth A: no fd is a leak yet (still running)" "$A" '.summary.by_kind["released-at-exit"]' 0
expect_jq "growth A: the fds that grew are files" "$A" "[$G.by_type[] | .type] | join(\",\")" file
set -- $(truth "$SCRATCH/leak.out" "$(epoch "$(jq -r .observer.start "$A")")" \
	"$(epoch "$(jq -r .observer.end "$A")")" 1024)
OPEN=$1 RATE=$2 LEFT=$3
echo "# A: scenario: $OPEN open at the end, $RATE per s: $LEFT s left; leakscope:" \
	"$(jq -c "$G | [.open_now, .slope_per_s, .exhaustion_s]" "$A")"
within "growth A: open now is the scenario's count" "$(jq "$G.open_now" "$A")" "$OPEN" 2
within "growth A: the slope is the scenario's rate" "$(jq "$G.slope_per_s" "$A")" "$RATE" 10
within "growth A: the time to exhaustion is the truth's, within 20 %" \
	"$(jq "$G.exhaustion_s" "$A")" "$LEFT" 20
expect_jq "growth A: the window is the run" "$A" "$G.window_s > 9 and $G.window_s < 11" true
expect_jq "growth A: host limits known" "$A" \
	'.observer.host_limits | (.threads_max > 0 and .max_map_count > 0 and .nr_open > 0)' true

# --- B: -p LEAK,CLEAN -d 6, prlimit --nofile=2048:2048 on the leak ----------
bg_exec "$TOOLS/growth" clean "$SCRATCH/clean" >"$SCRATCH/clean.out" 2>&1
C=$!
PIDS="$PIDS $C"
wait_line "$SCRATCH/clean.out" ready
B=$SCRATCH/b.json
bg_ls --json "$B" -p "$P,$C" -d 6
sleep 1
prlimit --pid "$P" --nofile=2048:2048
expect_eq "growth B: prlimit changed the running scenario's limit" "$?" 0
reap "$LSPID" 20
expect_eq "growth B: leakscope exits 0" "$?" 0
LP="(.processes[] | select(.pid == $P))"
expect_jq "growth B: the new limit, set by prlimit (another process)" "$B" \
	"$LP.rlimit_nofile | \"\(.soft) \(.hard) \(.from) \(.set_by != $P)\"" "2048 2048 prlimit64 true"
expect_jq "growth B: the clean twin's limit, read from /proc at attach" "$B" \
	"(.processes[] | select(.pid == $C)).rlimit_nofile | \"\(.soft) \(.hard // \"unlimited\") \(.from)\"" \
	"1024 $HARD snapshot"
expect_jq "growth B: one growth, the leak's, against the new limit" "$B" \
	'[.findings[] | select(.kind == "growth") | "\(.pid) \(.class) \(.limit)"] | join(",")' "$P fds 2048"
expect_jq "growth B: the clean twin, live and observed, has no finding" "$B" \
	"[(.processes[] | select(.pid == $C)).exited, ([.findings[] | select(.pid == $C)] | length)] | join(\" \")" \
	"false 0"
set -- $(truth "$SCRATCH/leak.out" "$(epoch "$(jq -r .observer.start "$B")")" \
	"$(epoch "$(jq -r .observer.end "$B")")" 2048)
OPEN=$1 RATE=$2 LEFT=$3
G='(.findings[] | select(.kind == "growth"))'
echo "# B: scenario: $OPEN open at the end, $RATE per s: $LEFT s left; leakscope:" \
	"$(jq -c "$G | [.open_now, .slope_per_s, .exhaustion_s]" "$B")"
within "growth B: the time to exhaustion of the new limit, within 20 %" \
	"$(jq "$G.exhaustion_s" "$B")" "$LEFT" 20
finish
