# The demo: leaky DIR leaks DIR/log-0.txt .. log-4.txt (fds 3-7), a bound TCP
# socket (fd 8) and a pipe's write end (fd 10), and releases everything else
# (10 scratch files, a pipe's read end, a UDP socket, an eventfd).
set -u
. tests/integration/lib.sh
scratch
D=$SCRATCH/demo
R=$SCRATCH/r.json

ls_run --json "$R" -- "$TOOLS/leaky" "$D" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "demo: exits 0" "$?" 0
expect_grep "demo: the command's stdout passes through" "$SCRATCH/out" \
	"leaky: done (expected leaks: 5 files, 1 pipe end, 1 socket)"
expect_grep "demo: text summary" "$SCRATCH/err" "LEAK SUMMARY: 7 fds never closed"
expect_grep "demo: text summary by type" "$SCRATCH/err" \
	"LEAK SUMMARY: 7 fds never closed (5 file, 1 pipe, 1 socket) in 1 process"
expect_grep "demo: text names the report" "$SCRATCH/err" "JSON report written to $R"

expect_jq "demo: exactly 7 findings" "$R" '.findings | length' 7
expect_jq "demo: summary" "$R" '.summary | "\(.processes) \(.findings) \(.by_type | tojson)"' \
	'1 7 {"file":5,"pipe":1,"socket":1}'
expect_jq "demo: all released-at-exit warnings" "$R" \
	'[.findings[] | "\(.kind)/\(.severity)"] | unique | join(",")' "released-at-exit/warning"
expect_jq "demo: 5 files" "$R" '[.findings[] | select(.resource.type == "file")] | length' 5
want=$(for i in 0 1 2 3 4; do echo "$D/log-$i.txt"; done)
got=$(jq -r '.findings[] | select(.resource.type == "file") | .resource.path' "$R" | sort)
expect_eq "demo: the files are exactly log-0.txt .. log-4.txt" "$got" "$want"
expect_jq "demo: log-N.txt is fd 3+N" "$R" \
	'[.findings[] | select(.resource.type == "file") | .resource | (.path | capture("log-(?<n>[0-9])").n | tonumber) + 3 == .fd] | all' true
expect_jq "demo: the files are O_WRONLY|O_CLOEXEC by openat" "$R" \
	'[.findings[] | select(.resource.type == "file") | .resource | "\(.flags) \(.syscall)"] | unique | join(",")' \
	"O_WRONLY|O_CLOEXEC openat"
expect_jq "demo: no scratch file among the findings" "$R" \
	'[.findings[].resource.path | test("tmp-")] | any' false

S='.findings[] | select(.resource.type == "socket") | .resource'
expect_jq "demo: 1 socket" "$R" "[$S] | length" 1
expect_jq "demo: the socket is AF_INET SOCK_STREAM proto 6" "$R" \
	"$S.socket | \"\(.family) \(.type) \(.protocol)\"" "AF_INET SOCK_STREAM 6"
expect_jq "demo: the socket is fd 8 by socket" "$R" "$S | \"\(.fd) \(.syscall)\"" "8 socket"
P='.findings[] | select(.resource.type == "pipe") | .resource'
expect_jq "demo: 1 pipe" "$R" "[$P] | length" 1
expect_jq "demo: the pipe is the write end, fd 10, by pipe2" "$R" \
	"$P | \"\(.fd) \(.flags) \(.syscall)\"" "10 O_WRONLY pipe2"
expect_jq "demo: the pipe path is pipe:[inode]" "$R" "$P | .path == \"pipe:[\(.inode)]\"" true

C='.processes[0].counts'
expect_jq "demo: files created - released = 5" "$R" "$C.file.created - $C.file.released" 5
expect_jq "demo: at least 15 files created" "$R" "$C.file.created >= 15" true
expect_jq "demo: 2 sockets created, 1 released" "$R" "$C.socket | \"\(.created) \(.released)\"" "2 1"
expect_jq "demo: the eventfd created and released" "$R" \
	"$C.eventfd | \"\(.created) \(.released) \(.released_at_exit)\"" "1 1 0"
expect_jq "demo: observer.complete" "$R" '.observer.complete' true
expect_jq "demo: nothing lost" "$R" '.observer.events.lost' 0

# built -O2 -g, no frame pointers: each leak names the exact line that made it
SRC=tools/demo/leaky.c
at() { grep -n -F "$1" "$SRC" | head -n 1 | cut -d: -f1; }
site() {
	jq -r --arg t "$2" '[.findings[] | select(.resource.type == $t) | .stack.frames[]
		| select((.file // "") | endswith("leaky.c")) | "\(.function):\(.line)"] | unique | join(" ")' "$1"
}
expect_eq "demo: the 5 log files were opened at open_in_dir's open(), from open_logs" \
	"$(site "$R" file)" "main:$(at 'open_logs();') open_in_dir:$(at 'fd = open(path') open_logs:$(at 'fd = open_in_dir("log-')"
expect_eq "demo: the socket at connect_backend's socket()" \
	"$(site "$R" socket | cut -d' ' -f1)" "connect_backend:$(at 'fd = socket(AF_INET')"
expect_eq "demo: the pipe at start_worker_pipe's pipe()" \
	"$(site "$R" pipe | cut -d' ' -f1)" "main:$(at 'start_worker_pipe();')"
expect_jq "demo: the pipe's innermost own frame is start_worker_pipe's pipe()" "$R" \
	'[.findings[] | select(.resource.type == "pipe") | .stack.frames[]
	  | select((.file // "") | endswith("leaky.c"))][0] | "\(.function):\(.line)"' \
	"start_worker_pipe:$(at 'if (pipe(pfd))')"
expect_jq "demo: 3 sites, the logs one with 5 findings" "$R" \
	'[.sites[].findings] | tostring' "[5,1,1]"
finish
