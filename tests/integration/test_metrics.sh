# Metrics (--metrics-listen, --metrics-file): a holder (tools/scenarios/
# holder.c) keeps 37 files open, started through a symlink whose name is a
# comm with a quote, a backslash, a newline and an invalid UTF-8 byte.
# leakscope -- that serves /metrics and writes the textfile; promtool checks
# both; a real Prometheus server (its own port, config and data directory,
# scraping every second) answers a PromQL query with the 39 files (37 + the
# two output files on fds 1 and 2) and the comm decoded as it should be.
# A growth scenario: its time to exhaustion and slope in the textfile.
# Then: the final textfile agrees with the JSON report, the server is gone
# with leakscope; usage errors; a port in use; the ASan build serving scrapes.
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup() {
	touch "$SCRATCH/h/go" "$SCRATCH/h/stop" 2>/dev/null
	sleep 0.2
	kill_pids
}
cleanup_at_exit cleanup
have curl promtool prometheus python3 || { finish; exit 1; }
N=37

# scrape PORT FILE: GET /metrics into FILE; prints the HTTP status
scrape() {
	curl -s -o "$2" -w '%{http_code}' "http://127.0.0.1:$1/metrics"
}

# wait_grep FILE STRING SECS [PORT]: until FILE has the line STRING (scraped
# again from PORT each time, if given)
wait_grep() {
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		[ -n "${4:-}" ] && scrape "$4" "$1" >/dev/null
		grep -qxF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# lint NAME FILE: promtool check metrics (format and naming rules) passes on FILE
lint() {
	if promtool check metrics <"$2" >"$SCRATCH/lint" 2>&1; then
		ok "$1"
	else
		not_ok "$1" "$(head -c 400 "$SCRATCH/lint")"
	fi
}

# promql PORT QUERY: "value<TAB>labels as JSON" for each series of an instant query
promql() {
	curl -s -G --data-urlencode "query=$2" "http://127.0.0.1:$1/api/v1/query" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["status"] == "success", r
for s in r["data"]["result"]:
    print(s["value"][1] + "\t" + json.dumps(s["metric"], sort_keys=True))'
}

# --- usage errors: exit 2, one line, nothing run ----------------------------
usage() {
	name=$1
	shift
	ls_run "$@" -- /bin/sh -c "touch $SCRATCH/ran" >"$SCRATCH/o" 2>"$SCRATCH/e"
	expect_eq "metrics: $name exits 2" "$?" 2
	expect_eq "metrics: $name says so in one line" "$(lines "$SCRATCH/e")" 1
}
usage "--metrics-listen with a name" --metrics-listen localhost:9464
usage "--metrics-listen :PORT" --metrics-listen :9464
usage "--metrics-listen port 0" --metrics-listen 127.0.0.1:0
usage "--metrics-listen port 65536" --metrics-listen 65536
usage "--metrics-listen IPv6 without brackets" --metrics-listen ::1:9464
usage "--metrics-top without an output" --metrics-top 5
usage "--metrics-interval too short" --metrics-file "$SCRATCH/m" --metrics-interval 0.01
expect_grep "metrics: the bad address is named" "$SCRATCH/e" "--metrics-interval '0.01'"
expect_eq "metrics: nothing ran after usage errors" "$([ -e "$SCRATCH/ran" ] && echo ran)" ""

# --- a port in use: leakscope fails (1) before running anything -------------
BUSY=$(free_port)
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
print("listening", flush=True); time.sleep(30)' "$BUSY" >"$SCRATCH/busy.out" 2>&1 &
PIDS="$PIDS $!"
wait_line "$SCRATCH/busy.out" listening
ls_run --metrics-listen "127.0.0.1:$BUSY" -- /bin/sh -c "touch $SCRATCH/ran" \
	>"$SCRATCH/o" 2>"$SCRATCH/e"
expect_eq "metrics: a port in use exits 1" "$?" 1
expect_grep "metrics: a port in use is explained" "$SCRATCH/e" \
	"cannot listen on 127.0.0.1:$BUSY for --metrics-listen: Address already in use"
expect_eq "metrics: nothing ran with the port in use" "$([ -e "$SCRATCH/ran" ] && echo ran)" ""

# --- Prometheus first: it scrapes a target that comes up later --------------
LPORT=$(free_port)
PPORT=$(free_port)
cat >"$SCRATCH/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: leakscope
    static_configs:
      - targets: ["127.0.0.1:$LPORT"]
EOF
promtool check config "$SCRATCH/prometheus.yml" >"$SCRATCH/o" 2>&1
expect_eq "metrics: the test's Prometheus config is valid" "$?" 0
prometheus --config.file="$SCRATCH/prometheus.yml" --storage.tsdb.path="$SCRATCH/tsdb" \
	--web.listen-address="127.0.0.1:$PPORT" --log.level=warn >"$SCRATCH/prom.log" 2>&1 &
PROM=$!
PIDS="$PIDS $PROM"
i=0
until curl -sf "http://127.0.0.1:$PPORT/-/ready" >/dev/null 2>&1 || [ $i -ge 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect_eq "metrics: Prometheus is ready" "$(curl -sf "http://127.0.0.1:$PPORT/-/ready" >/dev/null && echo ready)" ready

# --- the holder, through a symlink named like no sane comm ------------------
NAME=$(printf 'h"o\\l\nd\377')
WANT_COMM='h\"o\\l\nd'$(printf '\357\277\275')   # as the exposition escapes it
ln -s "$(pwd)/$TOOLS/holder" "$SCRATCH/$NAME"
mkdir "$SCRATCH/h"
M=$SCRATCH/m.prom
bg_exec "$LS" --metrics-listen "127.0.0.1:$LPORT" --metrics-file "$M" --json "$SCRATCH/r.json" \
	-- "$SCRATCH/$NAME" "$SCRATCH/h" $N "$SCRATCH/h/go" >"$SCRATCH/out" 2>"$SCRATCH/err"
LSPID=$!
PIDS="$PIDS $LSPID"
i=0
until [ -s "$SCRATCH/h/ready" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
P=$(cat "$SCRATCH/h/ready")
PIDS="$PIDS $P"
LINE="leakscope_process_open_fds{pid=\"$P\",comm=\"$WANT_COMM\",type=\"file\"} $((N + 2))"
S=$SCRATCH/scrape.txt
wait_grep "$S" "$LINE" 10 "$LPORT"
expect_grep "metrics: /metrics has the holder's $((N + 2)) files, comm escaped" "$S" "$LINE"
expect_eq "metrics: GET /metrics is 200" "$(scrape "$LPORT" "$S")" 200
expect_eq "metrics: the exposition's content type" \
	"$(curl -s -o /dev/null -w '%{content_type}' "http://127.0.0.1:$LPORT/metrics")" \
	"text/plain; version=0.0.4; charset=utf-8"
lint "metrics: promtool check metrics passes on /metrics" "$S"
expect_grep "metrics: the holder's RLIMIT_NOFILE" "$S" \
	"leakscope_process_rlimit_nofile{pid=\"$P\",comm=\"$WANT_COMM\"} $(ulimit -Sn)"
expect_grep "metrics: events received are counted" "$S" "# TYPE leakscope_events_received_total counter"
expect_grep "metrics: none lost" "$S" "leakscope_events_lost_total 0"
expect_grep "metrics: the observer's memory" "$S" "# TYPE leakscope_observer_resident_memory_bytes gauge"
expect_eq "metrics: GET / is 404" \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$LPORT/")" 404
expect_eq "metrics: POST /metrics is 405" \
	"$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$LPORT/metrics")" 405
wait_grep "$M" "$LINE" 5
expect_grep "metrics: the textfile has the same series" "$M" "$LINE"
expect_eq "metrics: the textfile is mode 600" "$(stat -c %a "$M")" 600
lint "metrics: promtool check metrics passes on the textfile" "$M"

# --- Prometheus scraped it: PromQL sees the holder's files ------------------
Q="leakscope_process_open_fds{job=\"leakscope\",pid=\"$P\",type=\"file\"}"
i=0
until [ "$(promql "$PPORT" "$Q" | cut -f1)" = $((N + 2)) ] || [ $i -ge 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
promql "$PPORT" "$Q" >"$SCRATCH/q"
expect_eq "metrics: PromQL: one series, $((N + 2)) files" "$(cut -f1 "$SCRATCH/q")" $((N + 2))
expect_eq "metrics: PromQL: the comm, unescaped, the invalid byte as U+FFFD" \
	"$(cut -f2 "$SCRATCH/q" | python3 -c 'import json, sys; print(ascii(json.loads(sys.stdin.read())["comm"]))')" \
	"'h\"o\\\\l\\nd\\ufffd'"
expect_eq "metrics: PromQL: the target is up" "$(promql "$PPORT" 'up{job="leakscope"}' | cut -f1)" 1
expect_eq "metrics: PromQL: findings by kind and severity are there" \
	"$(promql "$PPORT" 'count(leakscope_findings{job="leakscope"})' | cut -f1)" 24

# --- the end: the final state in the textfile, the server gone --------------
touch "$SCRATCH/h/go" "$SCRATCH/h/stop"
reap "$LSPID" 20
expect_eq "metrics: leakscope exits with the holder's status" "$?" 0
expect_eq "metrics: the final textfile's released-at-exit count is the report's" \
	"$(sed -n 's/^leakscope_findings{kind="released-at-exit",severity="warning"} //p' "$M")" \
	"$(jq '.summary.by_kind["released-at-exit"]' "$SCRATCH/r.json")"
expect_jq "metrics: the report has the holder's files" "$SCRATCH/r.json" \
	'.summary.by_kind["released-at-exit"] > 37' true
expect_grep "metrics: no live process at the end" "$M" 'leakscope_live_processes{bucket="top"} 0'
expect_eq "metrics: the server is gone with leakscope" \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$LPORT/metrics")" 000
kill "$PROM" 2>/dev/null
wait "$PROM" 2>/dev/null

# --- a growth: the time to exhaustion the fd alert is made of --------------
# growth leak keeps an fd every 100 ms under a soft RLIMIT_NOFILE of 1024;
# -d 8 ends leakscope with the scenario running, the textfile keeps the end
mkdir "$SCRATCH/g"
G=$SCRATCH/g.prom
ls_run --metrics-file "$G" --growth-window 6 -d 8 -- "$TOOLS/growth" leak "$SCRATCH/g" \
	>"$SCRATCH/g.out" 2>"$SCRATCH/g.err"
expect_eq "metrics: growth: leakscope exits 0 after -d" "$?" 0
GP=$(sed -n 's/^leakscope_process_open_fds{pid="\([0-9]*\)",comm="growth",type="file"}.*/\1/p' "$G")
PIDS="$PIDS $GP"
touch "$SCRATCH/g/stop"
lint "metrics: growth: the textfile passes promtool" "$G"
EXH=$(sed -n "s/^leakscope_process_exhaustion_seconds{pid=\"$GP\",comm=\"growth\",resource=\"fds\"} //p" "$G")
SLOPE=$(sed -n "s/^leakscope_process_growth_per_second{pid=\"$GP\",comm=\"growth\",resource=\"fds\"} //p" "$G")
echo "# growth: pid $GP, $SLOPE fds per s, $EXH s to RLIMIT_NOFILE"
expect_eq "metrics: growth: about 10 fds a second" \
	"$(awk -v v="$SLOPE" 'BEGIN { print (v >= 8 && v <= 12) ? "yes" : "no" }')" yes
expect_eq "metrics: growth: runs out within the hour (the alert's condition), not yet" \
	"$(awk -v v="$EXH" 'BEGIN { print (v > 0 && v < 3600) ? "yes" : "no" }')" yes
expect_grep "metrics: growth: against RLIMIT_NOFILE 1024" "$G" \
	"leakscope_process_rlimit_nofile{pid=\"$GP\",comm=\"growth\"} 1024"
expect_grep "metrics: growth: an error finding" "$G" \
	'leakscope_findings{kind="growth",severity="error"} 1'

# --- the ASan build serving scrapes: no leak, no memory error ---------------
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
APORT=$(free_port)
bg_exec build/asan/leakscope -q --metrics-listen "[::1]:$APORT" --metrics-top 1 \
	--metrics-interval 0.2 -- /bin/sh -c "until [ -e $SCRATCH/astop ]; do sleep 0.1; done" \
	>/dev/null 2>"$SCRATCH/asan.err"
APID=$!
PIDS="$PIDS $APID"
asan_scrape() {
	curl -s -g -o "$SCRATCH/a.txt" -w '%{http_code}' "http://[::1]:$APORT/metrics"
}
i=0
until [ "$(asan_scrape)" = 200 ] || [ $i -ge 200 ]; do sleep 0.1; i=$((i + 1)); done
ok_scrapes=0
for i in $(seq 20); do
	sleep 0.1
	[ "$(asan_scrape)" = 200 ] && ok_scrapes=$((ok_scrapes + 1))
done
touch "$SCRATCH/astop"
reap "$APID" 20
expect_eq "metrics: asan: exits with the command's status" "$?" 0
expect_eq "metrics: asan: served over IPv6 (20 scrapes)" "$ok_scrapes" 20
if grep -qE 'ERROR: (Leak|Address)Sanitizer|runtime error:' "$SCRATCH/asan.err"; then
	not_ok "metrics: asan: no sanitizer report" "$(grep -m1 -E 'Sanitizer|runtime error' "$SCRATCH/asan.err")"
else
	ok "metrics: asan: no sanitizer report"
fi
finish
