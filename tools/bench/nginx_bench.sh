#!/bin/sh
# A real server: a throwaway nginx (its own config and files in a temp dir,
# one worker on CPU 1, 127.0.0.1 on a high port) serving a small static file
# to wrk (CPU 0), untraced, beside a system-wide leakscope and under
# leakscope -p on its master (the worker is its child) without stacks
# (--stack-bytes 0, ls_pid0) and with them (the default 8 KiB, ls_pid),
# leakscope on CPU 0, in interleaved rounds. Two loads: keep-alive connections (mostly reads,
# writes and epoll: leakscope's per-fd use counting) and a new connection per
# request ("Connection: close": accept and close, leakscope's fd lifecycle).
# Without open_file_cache (Debian's default config has none) nginx opens and
# closes the file on every request, so keep-alive traffic churns fds too.
# Requests/s and p99 latency are what a user sees, but on a shared machine
# they move with everyone else's load; the worker's CPU time per request
# (the BPF programs run inside its syscalls) moves much less, so it is
# reported beside them. Writes build/bench/nginx.raw and nginx.tsv, prints
# a table.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tools/bench/lib.sh

WRK_SECONDS=${WRK_SECONDS:-4}
WRK_CONNS=${WRK_CONNS:-32}
PORT=${NGINX_PORT:-38081}
SETUPS=${NGINX_SETUPS:-"none ls_sys ls_pid0 ls_pid"}
LOADS="keepalive close"
RAW=$OUT/nginx.raw
: >"$RAW"

if ss -Htln "sport = :$PORT" | grep -q .; then
	echo "bench: port $PORT is taken; set NGINX_PORT" >&2
	exit 1
fi
DIR=$(mktemp -d /tmp/leakscope-nginx.XXXXXX)
NGINX=
cleanup() {
	[ -n "$NGINX" ] && kill -QUIT "$NGINX" 2>/dev/null && wait "$NGINX" 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
# the worker drops to nobody: it must reach the file
chmod 755 "$DIR"
mkdir "$DIR/www" "$DIR/tmp"
head -c 612 /dev/zero | tr '\0' x >"$DIR/www/index.html"
cat >"$DIR/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
worker_cpu_affinity 10;
user nobody nogroup;
pid $DIR/nginx.pid;
error_log $DIR/error.log;
events { worker_connections 4096; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	client_body_temp_path $DIR/tmp/body;
	proxy_temp_path $DIR/tmp/proxy;
	fastcgi_temp_path $DIR/tmp/fastcgi;
	uwsgi_temp_path $DIR/tmp/uwsgi;
	scgi_temp_path $DIR/tmp/scgi;
	server {
		listen 127.0.0.1:$PORT reuseport;
		root $DIR/www;
	}
}
EOF
taskset -c 1 nginx -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/error.log" &
NGINX=$!
i=0
until ss -Htln "sport = :$PORT" | grep -q .; do
	i=$((i + 1))
	if [ $i -ge 50 ] || ! kill -0 "$NGINX" 2>/dev/null; then
		echo "bench: nginx did not start: $(cat "$DIR/error.log")" >&2
		exit 1
	fi
	sleep 0.1
done
WORKER=$(pgrep -P "$NGINX" | head -1)

# wrk LOAD [LS_PID]: "requests_per_s p99_us worker_cpu_ns_per_request
# leakscope_cpu_ns_per_request" (nan without LS_PID); wrk prints latencies
# as 123.45us, ms or s
drive() {
	l0=${2:+$(cpu_ns "$2")}
	c0=$(cpu_ns "$WORKER")
	hdr=
	[ "$1" = close ] && hdr="Connection: close"
	taskset -c 0 wrk -t1 -c"$WRK_CONNS" -d"${WRK_SECONDS}s" --latency ${hdr:+-H "$hdr"} \
		"http://127.0.0.1:$PORT/index.html" 2>&1 |
		awk 'function us(x) {
				if (x ~ /us$/) return x + 0
				if (x ~ /ms$/) return x * 1000
				if (x ~ /s$/) return x * 1000000
				return x
			}
			/^ *99%/ { p99 = us($2) }
			/^Requests\/sec:/ { rps = $2 }
			/ requests in / { n = $1 }
			/Non-2xx|Socket errors/ { err = err " " $0 }
			END {
				printf "%s %s %s%s\n", rps == "" ? "nan" : rps, p99 == "" ? "nan" : p99, n,
					err ? " #" err : ""
			}' >"$DIR/drive.out"
	c1=$(cpu_ns "$WORKER")
	l1=${2:+$(cpu_ns "$2")}
	awk -v c=$((c1 - c0)) -v l="${2:+$((l1 - l0))}" '{
		n = $3
		$3 = n > 0 ? sprintf("%.0f", c / n) : "nan"
		$3 = $3 " " (n > 0 && l != "" ? sprintf("%.0f", l / n) : "nan")
		print
	}' "$DIR/drive.out"
}

run_setup() { # setup round
	quiet
	for load in $LOADS; do
		case $1 in
		none)
			printf '%s %s %s %s\n' none "$2" "$load" "$(drive "$load")" >>"$RAW"
			continue
			;;
		ls_sys) taskset -c 0 "$LS" -q --json "$OUT/nginx_$1.json" & ;;
		ls_pid0) taskset -c 0 "$LS" -q -p "$NGINX" --stack-bytes 0 --json "$OUT/nginx_$1.json" & ;;
		ls_pid) taskset -c 0 "$LS" -q -p "$NGINX" --json "$OUT/nginx_$1.json" & ;;
		esac
		pid=$!
		if wait_attached "$pid"; then
			printf '%s %s %s %s\n' "$1" "$2" "$load" "$(drive "$load" "$pid")" >>"$RAW"
		else
			echo "bench: leakscope ($1) did not attach" >&2
		fi
		kill -INT "$pid"
		wait "$pid"
		lost=$(ls_events "$OUT/nginx_$1.json" lost)
		[ "$lost" != 0 ] && echo "bench: nginx $1 $load: $lost events lost" >&2
		quiet
	done
}

# warm the page cache, the socket tables and nginx itself
drive keepalive >/dev/null
drive close >/dev/null
nsetups=$(echo $SETUPS | wc -w)
for r in $(seq 1 "$ROUNDS"); do
	order=$(echo $SETUPS | tr ' ' '\n' | awk -v k=$(((r - 1) % nsetups)) -v n="$nsetups" \
		'{ a[NR - 1] = $0 } END { for (i = 0; i < n; i++) print a[(i + k) % n] }')
	echo "nginx round $r/$ROUNDS ($(wait_foreign) other tracing processes):" $order >&2
	for s in $order; do
		run_setup "$s" "$r"
	done
done

echo "== nginx $(nginx -v 2>&1 | sed 's/.*\///'): one worker on CPU 1, wrk -t1 -c$WRK_CONNS for ${WRK_SECONDS}s on CPU 0,"
echo "   leakscope on CPU 0; medians of $ROUNDS interleaved rounds (min..max); ratio: of requests/s to"
echo "   none's; cpu_us/req: the worker's CPU time per request, and its ratio to none's;"
echo "   ls_us/req: leakscope's own CPU time per request (its consumer: reading, unwinding);"
echo "   ls_sys: system-wide (no stacks); ls_pid0: -p on the master, --stack-bytes 0; ls_pid: -p, stacks"
awk -v tsv="$OUT/nginx.tsv" '
function sort_n(a, c,    i, j, t) {
	for (i = 2; i <= c; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
}
function median(a, c) { sort_n(a, c); return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2 }
$4 != "nan" {
	k = $3 SUBSEP $1
	n[k]++; rps[k, n[k]] = $4; p99[k, n[k]] = $5; cpr[k, n[k]] = $6
	if ($7 != "nan") { nlc[k]++; lcpr[k, nlc[k]] = $7 }
	if (!(k in lo) || $4 < lo[k]) lo[k] = $4
	if (!(k in hi) || $4 > hi[k]) hi[k] = $4
	if (NF > 7) note[k] = 1
}
END {
	printf "%-10s %-7s %8s %15s %8s %6s %11s %6s %10s\n", "load", "setup", "req/s", "(min..max)",
		"p99_us", "ratio", "cpu_us/req", "ratio", "ls_us/req"
	print "load\tsetup\treq_per_s\treq_per_s_min\treq_per_s_max\tp99_us\tratio_to_untraced\trounds\tworker_cpu_us_per_req\tcpu_ratio_to_untraced\tleakscope_cpu_us_per_req" > tsv
	nl = split("keepalive close", loads, " ")
	ns = split("none ls_sys ls_pid0 ls_pid", sets, " ")
	for (i = 1; i <= nl; i++) {
		base = cbase = ""
		for (j = 1; j <= ns; j++) {
			k = loads[i] SUBSEP sets[j]
			if (!(k in n)) continue
			for (c = 1; c <= n[k]; c++) { a[c] = rps[k, c]; b[c] = p99[k, c]; d[c] = cpr[k, c] }
			m = median(a, n[k]); p = median(b, n[k]); cu = median(d, n[k]) / 1000
			lu = "-"
			if (nlc[k]) {
				for (c = 1; c <= nlc[k]; c++) e[c] = lcpr[k, c]
				lu = sprintf("%.1f", median(e, nlc[k]) / 1000)
			}
			if (sets[j] == "none") { base = m; cbase = cu }
			ratio = base != "" && base > 0 ? sprintf("%.3f", m / base) : "-"
			cratio = cbase != "" && cbase > 0 ? sprintf("%.2f", cu / cbase) : "-"
			printf "%-10s %-7s %8.0f %15s %8.0f %6s %11.1f %6s %10s%s\n", loads[i], sets[j], m,
				sprintf("(%.0f..%.0f)", lo[k], hi[k]), p, ratio, cu, cratio, lu,
				note[k] ? "  (wrk saw errors)" : ""
			printf "%s\t%s\t%.0f\t%.0f\t%.0f\t%.0f\t%s\t%d\t%.1f\t%s\t%s\n", loads[i], sets[j], m, lo[k], hi[k], p,
				ratio == "-" ? "" : ratio, n[k], cu, cratio == "-" ? "" : cratio, lu == "-" ? "" : lu > tsv
		}
	}
}' "$RAW"
