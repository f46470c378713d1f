# --redact and --redact-key: no path, argument or endpoint of the workload in
# any output (JSON, text on stderr or in a file, DOT, HTML, metrics), the
# same hashes across runs, other hashes under a key, the structure a reader
# needs kept, and a raw capture replayed into the same redacted report.
# The raw values looked for are the run's own: its capture, which stays raw,
# replayed without --redact.
set -u
. tests/integration/lib.sh
scratch
W=$SCRATCH/work-secret-7f3
O=$SCRATCH/out
mkdir -p "$O"

# the hash of raw bytes (stdin) as --redact writes it, unkeyed or with the
# key in file $1: sha256 / HMAC-SHA-256, first 16 hex digits
h() {
	python3 -c 'import hashlib, hmac, sys
data = sys.stdin.buffer.read()
if len(sys.argv) > 1:
    d = hmac.new(open(sys.argv[1], "rb").read(), data, hashlib.sha256).hexdigest()
else:
    d = hashlib.sha256(data).hexdigest()
print(d[:16])' "$@"
}

# no_raw NAME FILE: none of the raw values (one a line in $O/raw.txt) in FILE
no_raw() {
	grep -v '^$' "$O/raw.txt" >"$O/raw.pat"
	found=$(grep -F -o -f "$O/raw.pat" "$2" | sort -u | head -n 3 | tr '\n' ' ')
	expect_eq "$1: no raw path, argument or endpoint" "$found" ""
}

# --- a run with every output, unkeyed, and a capture ----------------------
ls_run --redact --json "$O/a.json" --text "$O/a.txt" --dot "$O/a.dot" --html "$O/a.html" \
	--metrics-file "$O/a.prom" --capture "$O/a.cap" -- "$TOOLS/leaky" "$W" \
	>"$O/a.out" 2>"$O/a.err"
expect_eq "redact: the demo exits 0" "$?" 0
for f in a.json a.txt a.dot a.html a.prom a.cap; do
	[ -s "$O/$f" ] && ok "redact: $f written" || not_ok "redact: $f written" "missing or empty"
done

# the capture stays raw: replayed without --redact it names the real paths
ls_run replay "$O/a.cap" -q --json "$O/raw.json" >/dev/null 2>&1
expect_eq "redact: the raw capture replays" "$?" 0
expect_jq "redact: the capture is raw (observer.redacted false)" "$O/raw.json" \
	'.observer.redacted' false
expect_jq "redact: the capture has the workload's files" "$O/raw.json" \
	"[.findings[].resource.path | select(startswith(\"$W/log-\"))] | length" 5
# what must not appear: every path, argument, exe, frame file and module and
# endpoint of the raw report, less what the kernel names without a path
jq -r '[.findings[].resource.path, (.processes[] | .exe, .argv[]?),
	(.findings[].stack.frames[]? | .file, .module),
	(.findings[].resource.socket? | .local, .remote), .observer.command[]]
	| map(select(. != null and (test("^(pipe|socket):\\[") | not))) | unique | .[]' \
	"$O/raw.json" >"$O/raw.txt"
{ echo "$W"; echo "log-0.txt"; echo "leaky.c"; echo "127.0.0.1"; } >>"$O/raw.txt"
PORT=$(jq -r '.findings[].resource.socket?.local // empty' "$O/raw.json" | sed 's/.*://')
expect_eq "redact: the raw report has the socket's port" "$(echo "$PORT" | grep -c '^[0-9][0-9]*$')" 1
expect_eq "redact: at least 12 raw values to look for" \
	"$(test "$(wc -l <"$O/raw.txt")" -ge 12 && echo yes)" yes

for f in a.json a.txt a.dot a.html a.prom; do
	no_raw "redact: $f" "$O/$f"
	expect_eq "redact: $f: no ':$PORT'" "$(grep -c -E ":$PORT([^0-9a-f]|\$)" "$O/$f")" 0
done
# stderr: what leakscope says of itself (where it wrote the reports, the
# operator's own paths) is not the workload's
grep -v ' written to ' "$O/a.err" >"$O/a.err.own"
no_raw "redact: stderr" "$O/a.err.own"

# --- what a reader needs is kept ---------------------------------------------
expect_jq "redact: observer.redacted" "$O/a.json" \
	'"\(.observer.redacted) \(.observer.redaction_keyed)"' "true false"
expect_jq "redact: the same findings, kinds and types as raw" "$O/a.json" \
	'[.findings[] | "\(.kind) \(.resource.type) \(.resource.fd) \(.resource.flags)"] | join(",")' \
	"$(jq -r '[.findings[] | "\(.kind) \(.resource.type) \(.resource.fd) \(.resource.flags)"] | join(",")' "$O/raw.json")"
expect_jq "redact: comm and pid kept" "$O/a.json" \
	'"\(.processes[0].comm) \(.processes[0].pid)"' \
	"$(jq -r '"\(.processes[0].comm) \(.processes[0].pid)"' "$O/raw.json")"
FRAMES='[.findings[].stack.frames[]? | "\(.function):\(.line):\(.module_offset)"] | join(",")'
expect_jq "redact: every frame's function, line and offset kept" "$O/a.json" "$FRAMES" \
	"$(jq -r "$FRAMES" "$O/raw.json")"
expect_jq "redact: the leaking functions are named" "$O/a.json" \
	'[.findings[].stack.frames[]?.function | select(. == "open_in_dir" or . == "connect_backend" or . == "start_worker_pipe")] | unique | length' 3
S='.findings[] | select(.resource.type == "socket") | .resource.socket'
expect_jq "redact: the socket keeps family, type and state" "$O/a.json" \
	"$S | \"\(.family) \(.type) \(.state)\"" "$(jq -r "$S | \"\(.family) \(.type) \(.state)\"" "$O/raw.json")"
expect_jq "redact: the endpoint is addr:<16 hex>" "$O/a.json" \
	"$S | .local | test(\"^addr:[0-9a-f]{16}\$\")" true
expect_jq "redact: the pipe keeps its kernel name" "$O/a.json" \
	'.findings[] | select(.resource.type == "pipe") | .resource.path | test("^pipe:\\[[0-9]+\\]$")' true
# the documented form: sha256 of the raw bytes, checkable with any tool
want=$(for i in 0 1 2 3 4; do printf '%s' "$W/log-$i.txt" | h | sed 's/^/path:/'; done)
got=$(jq -r '.findings[] | select(.resource.type == "file") | .resource.path' "$O/a.json")
expect_eq "redact: log-N.txt is path:<sha256 of the path>, fd by fd" "$got" "$want"
expect_jq "redact: exe hashed the same way" "$O/a.json" '.processes[0].exe' \
	"path:$(jq -j '.processes[0].exe' "$O/raw.json" | h)"
expect_jq "redact: argv one hash an argument" "$O/a.json" '.processes[0].argv | join(" ")' \
	"arg:$(jq -j '.processes[0].argv[0]' "$O/raw.json" | h) arg:$(printf '%s' "$W" | h)"
expect_jq "redact: a frame's file hashed whole" "$O/a.json" \
	'[.findings[].stack.frames[]? | select(.function == "open_in_dir") | .file] | unique | join(",")' \
	"path:$(printf '%s' tools/demo/leaky.c | h)"
expect_eq "redact: text names the line: by open_logs (path:...:N)" \
	"$(grep -c -F "by open_logs (path:$(printf '%s' tools/demo/leaky.c | h):" "$O/a.txt")" 1
expect_eq "redact: text keeps the summary" \
	"$(grep -c 'LEAK SUMMARY: 7 fds never closed (5 file, 1 pipe, 1 socket)' "$O/a.txt")" 1
expect_eq "redact: DOT names a file by its hash" \
	"$(grep -q -F "path:$(printf '%s' "$W/log-0.txt" | h)" "$O/a.dot" && echo yes)" yes
expect_eq "redact: HTML names the leaking function" \
	"$(grep -q 'open_in_dir' "$O/a.html" && echo yes)" yes

# the host's name too (too short here to grep for it everywhere: "vm")
HOSTH="host:$(jq -j '.observer.host' "$O/raw.json" | h)"
expect_jq "redact: the host is host:<sha256 of its name>" "$O/a.json" '.observer.host' "$HOSTH"
expect_eq "redact: DOT and HTML name the host by its hash" \
	"$(grep -c -F "leakscope on $HOSTH:" "$O/a.dot")/$(grep -c -F "<title>leakscope report: $HOSTH," "$O/a.html")" "1/1"
expect_eq "redact: HTML facts name the host by its hash" \
	"$(grep -c -F ">$HOSTH<" "$O/a.html")" 1

# --- a second run: the same values hash the same; the summary on stderr ------
rm -rf "$W"
ls_run --redact --json "$O/b.json" -- "$TOOLS/leaky" "$W" >/dev/null 2>"$O/b.err"
expect_eq "redact: the second run exits 0" "$?" 0
PATHS='[.findings[].resource | select(.type == "file") | .path] | join(",")'
expect_jq "redact: the same paths, the same hashes, run to run" "$O/b.json" "$PATHS" \
	"$(jq -r "$PATHS" "$O/a.json")"
expect_jq "redact: the same exe and argv hashes" "$O/b.json" \
	'"\(.processes[0].exe) \(.processes[0].argv)"' \
	"$(jq -r '"\(.processes[0].exe) \(.processes[0].argv)"' "$O/a.json")"
expect_eq "redact: the summary is on stderr" \
	"$(grep -c 'LEAK SUMMARY: 7 fds never closed' "$O/b.err")" 1
grep -v ' written to ' "$O/b.err" >"$O/b.err.own"
no_raw "redact: the stderr summary" "$O/b.err.own"

# --- replay: a raw capture into the redacted report ------------------------
ls_run replay "$O/a.cap" -q --redact --json "$O/ra.json" --text "$O/ra.txt" >/dev/null 2>&1
expect_eq "redact: replay --redact exits 0" "$?" 0
expect_eq "redact: replay --redact gives the run's report (but observer.replayed)" \
	"$(jq -S 'del(.observer.replayed)' "$O/ra.json" | md5sum)" \
	"$(jq -S 'del(.observer.replayed)' "$O/a.json" | md5sum)"
no_raw "redact: replayed text" "$O/ra.txt"
# suppressions are the operator's, on this host: they match the raw paths
echo "logs kind=released-at-exit path=$W/log-*" >"$O/supp"
ls_run replay "$O/a.cap" -q --redact --suppressions "$O/supp" --json "$O/rs.json" >/dev/null 2>&1
expect_jq "redact: a suppression matches raw paths under --redact" "$O/rs.json" \
	'"\(.summary.suppressed) \([.findings[].resource.type] | join(","))"' "5 socket,pipe"

# --- a key: other hashes, HMAC-SHA-256 of the same bytes --------------------
head -c 32 /dev/urandom >"$O/key"
head -c 32 /dev/urandom >"$O/key2"
ls_run replay "$O/a.cap" -q --redact-key "$O/key" --json "$O/k.json" >/dev/null 2>&1
expect_eq "redact: replay --redact-key exits 0" "$?" 0
expect_jq "redact: keyed, and says so" "$O/k.json" \
	'"\(.observer.redacted) \(.observer.redaction_keyed)"' "true true"
want=$(for i in 0 1 2 3 4; do printf '%s' "$W/log-$i.txt" | h "$O/key" | sed 's/^/path:/'; done)
got=$(jq -r '.findings[] | select(.resource.type == "file") | .resource.path' "$O/k.json")
expect_eq "redact: keyed paths are HMAC-SHA-256 under the key" "$got" "$want"
expect_eq "redact: no keyed hash is an unkeyed one" \
	"$(jq -r '.findings[].resource.path' "$O/k.json" "$O/a.json" | grep '^path:' | sort | uniq -d)" ""
ls_run replay "$O/a.cap" -q --redact-key "$O/key" --json "$O/k2.json" >/dev/null 2>&1
expect_eq "redact: the same key, the same report" "$(cmp -s "$O/k.json" "$O/k2.json" && echo same)" same
ls_run replay "$O/a.cap" -q --redact-key "$O/key2" --json "$O/k3.json" >/dev/null 2>&1
expect_eq "redact: another key, other hashes" \
	"$(jq -r "$PATHS" "$O/k3.json" | grep -c -F "$(jq -r "$PATHS" "$O/k.json")")" 0
ls_run -q --redact-key "$O/key" --json "$O/c.json" --html "$O/c.html" -- "$TOOLS/leaky" "$W" \
	>/dev/null 2>&1
expect_eq "redact: a live run with --redact-key exits 0" "$?" 0
expect_jq "redact: live and replayed keyed hashes agree" "$O/c.json" "$PATHS" \
	"$(jq -r "$PATHS" "$O/k.json")"
no_raw "redact: keyed JSON" "$O/c.json"
no_raw "redact: keyed HTML" "$O/c.html"

# --- TCP endpoints, local and remote, and unix socket pairs ------------------
ls_run --redact --json "$O/t.json" --text "$O/t.txt" --dot "$O/t.dot" --html "$O/t.html" \
	--capture "$O/t.cap" --close-wait 0.1 -- "$TOOLS/tcp_close_wait" leak inet \
	>/dev/null 2>"$O/t.err"
expect_eq "redact: tcp_close_wait exits 0" "$?" 0
ls_run replay "$O/t.cap" -q --close-wait 0.1 --json "$O/traw.json" >/dev/null 2>&1
jq -r '[.findings[].resource.socket?, .processes[].open_fds[]?.socket?
	| select(. != null) | .local, .remote] | map(select(. != null)) | unique | .[]' \
	"$O/traw.json" >"$O/raw.txt"
expect_eq "redact: the raw TCP report has local and remote endpoints" \
	"$(grep -c '^127\.0\.0\.1:' "$O/raw.txt")" 2
echo 127.0.0.1 >>"$O/raw.txt"
for f in t.json t.txt t.dot t.html; do
	no_raw "redact: TCP $f" "$O/$f"
done
grep -v ' written to ' "$O/t.err" >"$O/t.err.own"
no_raw "redact: TCP stderr" "$O/t.err.own"
KIND='[.findings[] | "\(.kind) \(.resource.socket?.family) \(.resource.socket?.state)"] | sort | join(",")'
expect_jq "redact: TCP findings keep kind, family and state" "$O/t.json" "$KIND" \
	"$(jq -r "$KIND" "$O/traw.json")"
expect_jq "redact: a CLOSE_WAIT finding is still there" "$O/t.json" \
	'[.findings[] | select(.kind == "close-wait")] | length' 1
LINKS='.summary.links | tojson'
expect_jq "redact: the same links (TCP and unix peers)" "$O/t.json" "$LINKS" \
	"$(jq -r "$LINKS" "$O/traw.json")"
expect_jq "redact: the TCP peers' endpoints hash alike (one's local, the other's remote)" \
	"$O/t.json" '[.findings[].resource.socket? | select(. != null) | .local, .remote
	| select(. != null)] | group_by(.) | map(length) | max >= 2' true

# --- a live process: mappings, open fds, interval reports, metrics ----------
M=$SCRATCH/live-secret-9c1
mkdir -p "$M" "$O/rep"
cleanup_at_exit "touch '$M/go' '$M/go2'"
ls_run --redact -d 1.5 --interval 0.5 --report-dir "$O/rep" --json "$O/m.json" --html "$O/m.html" \
	--dot "$O/m.dot" --metrics-file "$O/m.prom" -- "$TOOLS/mappings" "$M" keep \
	>/dev/null 2>"$O/m.err"
expect_eq "redact: live run with -d exits 0" "$?" 0
touch "$M/go" "$M/go2"
expect_eq "redact: interval reports written" "$(test "$(ls "$O/rep" | wc -l)" -ge 2 && echo yes)" yes
expect_jq "redact: a live process's file mappings are hashed" "$O/m.json" \
	'[.processes[0].mappings.files[].path | test("^path:[0-9a-f]{16}$")] | (length > 1) and all' true
expect_jq "redact: the mapped file is the hash of its path" "$O/m.json" \
	"[.processes[0].mappings.files[].path] | index(\"path:$(printf '%s' "$M/mapped.bin" | h)\") != null" true
expect_jq "redact: the open fds of a live process are hashed (stdin is /dev/null)" "$O/m.json" \
	'.processes[0].open_fds[] | select(.fd == 0) | .path' "path:$(printf /dev/null | h)"
expect_eq "redact: no raw path in the live run's outputs" \
	"$(grep -r -l -F -e "$M" -e /dev/null -e /usr/lib -e mappings.c "$O/rep" "$O/m.json" \
		"$O/m.html" "$O/m.dot" "$O/m.prom")" ""
expect_eq "redact: nor on its stderr" "$(grep -v ' written to ' "$O/m.err" | grep -c -F "$M")" 0

# --- bad key files: one line, exit 2, nothing run, nothing written ------------
: >"$O/empty"
ln -s "$O/key" "$O/link"
mkdir "$O/dir"
for bad in missing empty link dir; do
	rm -f "$O/ran" "$O/bad.json"
	ls_run --redact-key "$O/$bad" --json "$O/bad.json" -- sh -c "touch '$O/ran'" \
		>/dev/null 2>"$O/bad.err"
	expect_eq "redact: --redact-key $bad: exit 2" "$?" 2
	expect_eq "redact: --redact-key $bad: one line" "$(wc -l <"$O/bad.err")" 1
	expect_eq "redact: --redact-key $bad: names the file" \
		"$(grep -c -F -- "--redact-key $O/$bad: " "$O/bad.err")" 1
	expect_eq "redact: --redact-key $bad: nothing run, nothing written" \
		"$(ls "$O/ran" "$O/bad.json" 2>/dev/null)" ""
	ls_run replay "$O/a.cap" --redact-key "$O/$bad" --json "$O/bad.json" >/dev/null 2>"$O/bad.err"
	expect_eq "redact: replay --redact-key $bad: exit 2, one line" \
		"$? $(wc -l <"$O/bad.err") $(ls "$O/bad.json" 2>/dev/null)" "2 1 "
done
expect_eq "redact: a symlink is refused as such" \
	"$(ls_run --redact-key "$O/link" -- true 2>&1 | grep -c 'symbolic link')" 1
expect_eq "redact: an empty key says so" \
	"$(ls_run --redact-key "$O/empty" -- true 2>&1 | grep -c 'empty')" 1
head -c 4097 /dev/zero >"$O/big"
expect_eq "redact: a key over 4096 bytes: exit 2" \
	"$(ls_run --redact-key "$O/big" -- true >/dev/null 2>&1; echo $?)" 2
finish
