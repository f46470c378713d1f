#!/bin/bash
# A long run against a server that leaks slowly, as an operator would leave
# leakscope on a host: prints leakscope's RSS over time, checks every interval
# report, and shows the growth finding. Not a test (it takes MINUTES minutes).
#   MINUTES=10 tools/soak/soak.sh
set -u
cd "$(dirname "$0")/../.." || exit 1
MINUTES=${MINUTES:-10}
DIR=$(mktemp -d /tmp/leakscope-soak.XXXXXX)
mkdir "$DIR/reports" "$DIR/files"

# the "server": keeps one more fd every 2 s, and churns (opens and closes,
# runs short-lived children) all along
(
	i=0
	while :; do
		exec {fd}>"$DIR/files/kept-$i"
		i=$((i + 1))
		for j in 1 2 3 4 5 6 7 8 9 10; do
			exec {t}>"$DIR/files/tmp"
			exec {t}>&-
		done
		cat /proc/loadavg >/dev/null
		sleep 2
	done
) &
SERVER=$!
sleep 1
build/leakscope -q -p "$SERVER" --interval 10 --report-dir "$DIR/reports" --keep 100 \
	--max-exited "${MAX_EXITED:-100}" \
	--growth-window 120 --json "$DIR/final.json" &
LS=$!
echo "# minute leakscope_rss_kb open_fds_of_server"
end=$(($(date +%s) + MINUTES * 60))
: >"$DIR/rss"
while [ "$(date +%s)" -lt "$end" ]; do
	sleep 30
	rss=$(awk '/VmRSS/ {print $2}' /proc/$LS/status)
	nfd=$(ls /proc/$SERVER/fd | wc -l)
	m=$(( (MINUTES * 60 - (end - $(date +%s))) / 60 ))
	echo "$m $rss $nfd" | tee -a "$DIR/rss"
done
kill -INT "$LS"
wait "$LS"
kill "$SERVER"
n=0 bad=0
for f in "$DIR"/reports/*.json; do
	n=$((n + 1))
	jq -e '.schema == "leakscope.report/v1"' "$f" >/dev/null 2>&1 || bad=$((bad + 1))
done
echo "# interval reports: $n, not complete JSON: $bad"
# RSS after the first minute: the spread as a share of the first value
awk 'NR > 2 { if (!first) first = $2; if ($2 > max) max = $2; if (!min || $2 < min) min = $2 }
     END { printf "# RSS after the first minute: %d..%d KB, spread %.1f %% of %d KB\n",
	   min, max, 100 * (max - min) / first, first }' "$DIR/rss"
jq -r '.findings[] | select(.kind == "growth") | "# growth: \(.reasons[0])"' "$DIR/final.json"
echo "# files in $DIR"
