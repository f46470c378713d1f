# pipes_sockets leak|clean: pipes, a socketpair, UDP/TCPv6/TCP sockets and an
# eventfd. leak keeps exactly the pipe() write end (fd 4), the eventfd (fd 11)
# and the accepted TCP socket (fd 14) open; clean closes everything.
set -u
. tests/integration/lib.sh
scratch
R=$SCRATCH/leak.json

# The scenario uses the old pipe syscall where the arch has one (x86).
case $(uname -m) in
x86_64 | i?86) PIPE_SYSCALL=pipe ;;
*) PIPE_SYSCALL=pipe2 ;;
esac

ls_run --json "$R" -- "$TOOLS/pipes_sockets" leak >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "pipes_sockets leak: exits 0" "$?" 0
expect_jq "pipes_sockets leak: exactly 3 findings" "$R" '.findings | length' 3
expect_jq "pipes_sockets leak: one pipe, one socket, one eventfd" "$R" \
	'[.findings[].resource.type] | sort | join(",")' "eventfd,pipe,socket"
expect_jq "pipes_sockets leak: summary.by_type" "$R" '.summary.by_type | tojson' \
	'{"pipe":1,"socket":1,"eventfd":1}'
expect_jq "pipes_sockets leak: all released-at-exit warnings" "$R" \
	'[.findings[] | "\(.kind)/\(.severity)"] | unique | join(",")' "released-at-exit/warning"
expect_jq "pipes_sockets leak: none inherited or before attach" "$R" \
	'[.findings[].resource | .inherited or .before_attach] | any' false

F='.findings[] | select(.resource.type == "pipe") | .resource'
expect_jq "pipes_sockets leak: pipe fd 4" "$R" "$F.fd" 4
expect_jq "pipes_sockets leak: pipe path is pipe:[inode]" "$R" \
	"$F | .path == \"pipe:[\(.inode)]\"" true
expect_jq "pipes_sockets leak: pipe path shape" "$R" "$F.path | test(\"^pipe:\\\\[[0-9]+\\\\]\$\")" true
expect_jq "pipes_sockets leak: pipe flags O_WRONLY (the write end)" "$R" "$F.flags" O_WRONLY
expect_jq "pipes_sockets leak: pipe syscall $PIPE_SYSCALL" "$R" "$F.syscall" "$PIPE_SYSCALL"
expect_jq "pipes_sockets leak: pipe has no socket object" "$R" "$F | has(\"socket\")" false

F='.findings[] | select(.resource.type == "socket") | .resource'
expect_jq "pipes_sockets leak: socket fd 14" "$R" "$F.fd" 14
expect_jq "pipes_sockets leak: socket family AF_INET" "$R" "$F.socket.family" AF_INET
expect_jq "pipes_sockets leak: socket type SOCK_STREAM" "$R" "$F.socket.type" SOCK_STREAM
expect_jq "pipes_sockets leak: socket protocol 6 (TCP)" "$R" "$F.socket.protocol" 6
expect_jq "pipes_sockets leak: socket syscall accept4" "$R" "$F.syscall" accept4
expect_jq "pipes_sockets leak: socket flags O_RDWR|O_CLOEXEC (SOCK_CLOEXEC)" "$R" "$F.flags" \
	"O_RDWR|O_CLOEXEC"
expect_jq "pipes_sockets leak: socket path is socket:[inode]" "$R" \
	"$F | .path == \"socket:[\(.inode)]\"" true

F='.findings[] | select(.resource.type == "eventfd") | .resource'
expect_jq "pipes_sockets leak: eventfd fd 11" "$R" "$F.fd" 11
expect_jq "pipes_sockets leak: eventfd path" "$R" "$F.path" "anon_inode:[eventfd]"
expect_jq "pipes_sockets leak: eventfd syscall eventfd2" "$R" "$F.syscall" eventfd2
expect_jq "pipes_sockets leak: eventfd flags O_RDWR" "$R" "$F.flags" O_RDWR

P='.processes[0].counts'
# pipe() 2 + pipe2() 2; socketpair 2 + udp + tcp6 + listener + client + peer
expect_jq "pipes_sockets leak: 4 pipe ends created" "$R" "$P.pipe.created" 4
expect_jq "pipes_sockets leak: 7 sockets created" "$R" "$P.socket.created" 7
expect_jq "pipes_sockets leak: 6 sockets released" "$R" "$P.socket.released" 6
expect_jq "pipes_sockets leak: 1 socket released at exit" "$R" "$P.socket.released_at_exit" 1
expect_jq "pipes_sockets leak: 1 eventfd created, 0 released" "$R" \
	"$P.eventfd | \"\(.created)/\(.released)/\(.released_at_exit)\"" "1/0/1"
expect_jq "pipes_sockets leak: observer.complete" "$R" '.observer.complete' true
expect_jq "pipes_sockets leak: no engine anomaly" "$R" \
	'[.observer.engine | .bad_events, .unknown_fd, .unknown_process, .fd_replaced, .oom] | add' 0
expect_grep "pipes_sockets leak: text names the socket" "$SCRATCH/err" "AF_INET SOCK_STREAM"
expect_grep "pipes_sockets leak: text summary" "$SCRATCH/err" \
	"LEAK SUMMARY: 3 fds never closed (1 pipe, 1 socket, 1 eventfd) in 1 process"

R=$SCRATCH/clean.json
ls_run -q --json "$R" -- "$TOOLS/pipes_sockets" clean >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "pipes_sockets clean: exits 0" "$?" 0
expect_jq "pipes_sockets clean: 0 findings" "$R" '.findings | length' 0
expect_jq "pipes_sockets clean: 7 sockets created and released" "$R" \
	"$P.socket | \"\(.created)/\(.released)/\(.released_at_exit)\"" "7/7/0"
expect_jq "pipes_sockets clean: eventfd created and released" "$R" \
	"$P.eventfd | \"\(.created)/\(.released)/\(.released_at_exit)\"" "1/1/0"
expect_jq "pipes_sockets clean: no pipe released at exit" "$R" "$P.pipe.released_at_exit" 0
expect_jq "pipes_sockets clean: observer.complete" "$R" '.observer.complete' true

ls_run -q -- "$TOOLS/pipes_sockets" bogus >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "pipes_sockets bogus: the command's usage status 2 passes through" "$?" 2
expect_grep "pipes_sockets bogus: the command's own stderr passes through" "$SCRATCH/err" \
	"usage: $TOOLS/pipes_sockets leak|clean"
finish
