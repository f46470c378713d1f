# leakscope itself, built with ASan + UBSan + LeakSanitizer, on a full run and
# on its error paths: no leak, no memory error, no undefined behaviour.
set -u
. tests/integration/lib.sh
scratch
ASAN_LS=build/asan/leakscope
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98

clean_stderr() { # NAME FILE: no sanitizer report in FILE
	if grep -qE 'ERROR: (Leak|Address)Sanitizer|runtime error:' "$2"; then
		not_ok "$1" "$(grep -m1 -E 'Sanitizer|runtime error' "$2")"
	else
		ok "$1"
	fi
}

$ASAN_LS --json "$SCRATCH/r.json" -- "$TOOLS/leaky" "$SCRATCH/demo" >/dev/null 2>"$SCRATCH/err"
expect_eq "asan: demo run exits with the demo's status" "$?" 0
clean_stderr "asan: demo run is leak- and error-free" "$SCRATCH/err"
expect_jq "asan: demo run still reports 7 findings" "$SCRATCH/r.json" '.findings | length' 7

$ASAN_LS --json "$SCRATCH/r2.json" -- "$TOOLS/forker" "$SCRATCH" >/dev/null 2>"$SCRATCH/err"
expect_eq "asan: forker run exits 0" "$?" 0
clean_stderr "asan: fork run is leak- and error-free" "$SCRATCH/err"

# Every output at once, stacks on, interval reports and a capture: the
# features a long run uses, each with its own allocations to give back.
mkdir -p "$SCRATCH/iv" "$SCRATCH/d2"
$ASAN_LS -q --json "$SCRATCH/all.json" --text "$SCRATCH/all.txt" --dot "$SCRATCH/all.dot" \
	--html "$SCRATCH/all.html" --capture "$SCRATCH/all.cap" --metrics-file "$SCRATCH/all.prom" \
	--interval 1 --report-dir "$SCRATCH/iv" --stack-bytes 8192 --idle 1 --min-age 1 \
	-- sh -c "'$TOOLS/leaky' '$SCRATCH/d2' && sleep 1.5" >/dev/null 2>"$SCRATCH/err"
expect_eq "asan: run with every output exits 0" "$?" 0
clean_stderr "asan: every output, stacks and interval reports: leak- and error-free" "$SCRATCH/err"
n=0
for f in all.json all.txt all.dot all.html all.cap all.prom; do
	[ -s "$SCRATCH/$f" ] && n=$((n + 1))
done
expect_eq "asan: the six outputs were written" "$n" 6
expect_jq "asan: the stacks name the demo's source" "$SCRATCH/all.json" \
	'[.. | objects | select(has("line") and (.file | type) == "string") | .file
	  | select(test("leaky.c$"))] | length > 0' true
n=$(ls "$SCRATCH/iv" | grep -c '^leakscope-.*\.json$')
expect_eq "asan: interval reports were written" "$([ "$n" -ge 1 ] && echo yes)" yes

$ASAN_LS replay "$SCRATCH/all.cap" -q --json "$SCRATCH/re.json" --text "$SCRATCH/re.txt" \
	--dot "$SCRATCH/re.dot" --html "$SCRATCH/re.html" 2>"$SCRATCH/err"
expect_eq "asan: replay of that capture exits 0" "$?" 0
clean_stderr "asan: replay is leak- and error-free" "$SCRATCH/err"
expect_jq "asan: the replay finds what the run found" "$SCRATCH/re.json" '.findings | length' \
	"$(jq '.findings | length' "$SCRATCH/all.json")"

# the metrics server thread, scraped while it runs, system-wide
port=$((20000 + $$ % 20000))
$ASAN_LS -q -d 3 --metrics-listen "127.0.0.1:$port" >/dev/null 2>"$SCRATCH/err" &
ls_pid=$!
code=000
i=0
while [ $i -lt 40 ] && [ "$code" != 200 ]; do
	sleep 0.1
	code=$(curl -s -o "$SCRATCH/scrape" -w '%{http_code}' "http://127.0.0.1:$port/metrics")
	i=$((i + 1))
done
wait "$ls_pid"
expect_eq "asan: system-wide run with a metrics server exits 0" "$?" 0
expect_eq "asan: the metrics were served" "$code" 200
clean_stderr "asan: system-wide with a metrics server is leak- and error-free" "$SCRATCH/err"

$ASAN_LS -- /nonexistent/command 2>"$SCRATCH/err"
expect_eq "asan: missing command exits 127" "$?" 127
clean_stderr "asan: missing-command path is leak-free" "$SCRATCH/err"

$ASAN_LS --json "$SCRATCH/no/such/dir/r.json" -- /bin/true 2>"$SCRATCH/err"
expect_eq "asan: unwritable report dir exits 1" "$?" 1
clean_stderr "asan: bad report path is leak-free" "$SCRATCH/err"

$ASAN_LS --bogus 2>"$SCRATCH/err"
expect_eq "asan: usage error exits 2" "$?" 2
clean_stderr "asan: usage error path is leak-free" "$SCRATCH/err"
finish
