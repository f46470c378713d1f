# epoll_watch leak|clean: an epoll instance watching a pipe's read end and an
# eventfd; MOD of the pipe, DEL of the eventfd, then the eventfd is closed.
# Prints "epfd N pipe_r N". leak keeps the epoll fd and the read end open.
set -u
. tests/integration/lib.sh
scratch

R=$SCRATCH/leak.json
ls_run -q --json "$R" -- "$TOOLS/epoll_watch" leak >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "epoll_watch leak: exits 0" "$?" 0
EPFD=$(sed -n 's/^epfd \([0-9][0-9]*\) pipe_r [0-9][0-9]*$/\1/p' "$SCRATCH/out")
PIPE_R=$(sed -n 's/^epfd [0-9][0-9]* pipe_r \([0-9][0-9]*\)$/\1/p' "$SCRATCH/out")
expect_eq "epoll_watch leak: stdout names both fds" "${EPFD:+e}${PIPE_R:+p}" "ep"
EPFD=${EPFD:--1}
PIPE_R=${PIPE_R:--1}
expect_jq "epoll_watch leak: exactly 2 findings" "$R" '.findings | length' 2
expect_jq "epoll_watch leak: an epoll and a pipe" "$R" \
	'[.findings[].resource.type] | sort | join(",")' "epoll,pipe"
E='.findings[] | select(.resource.type == "epoll") | .resource'
P='.findings[] | select(.resource.type == "pipe") | .resource'
expect_jq "epoll_watch leak: epoll finding fd is epfd" "$R" "$E.fd" "$EPFD"
expect_jq "epoll_watch leak: epoll path" "$R" "$E.path" "anon_inode:[eventpoll]"
expect_jq "epoll_watch leak: pipe finding fd is pipe_r" "$R" "$P.fd" "$PIPE_R"
expect_jq "epoll_watch leak: pipe finding is the read end" "$R" "$P.flags" O_RDONLY
expect_jq "epoll_watch leak: epoll_watches is [the pipe read end]" "$R" \
	"($E.epoll_watches) == [{fd: $PIPE_R, description: ($P.description)}]" true
expect_jq "epoll_watch leak: epoll_watches exact JSON" "$R" "$E.epoll_watches | tojson" \
	"$(jq -c "[{fd: $PIPE_R, description: ($P.description)}]" "$R")"
expect_jq "epoll_watch leak: the pipe has no epoll_watches" "$R" "$P | has(\"epoll_watches\")" false
expect_jq "epoll_watch leak: eventfd created and closed" "$R" \
	'.processes[0].counts.eventfd | "\(.created)/\(.released)/\(.released_at_exit)"' "1/1/0"
expect_jq "epoll_watch leak: no engine anomaly" "$R" \
	'[.observer.engine | .bad_events, .unknown_fd, .unknown_process, .fd_replaced, .oom] | add' 0
expect_jq "epoll_watch leak: observer.complete" "$R" '.observer.complete' true

R=$SCRATCH/clean.json
ls_run -q --json "$R" -- "$TOOLS/epoll_watch" clean >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "epoll_watch clean: exits 0" "$?" 0
expect_jq "epoll_watch clean: 0 findings" "$R" '.findings | length' 0
expect_jq "epoll_watch clean: epoll created and released" "$R" \
	'.processes[0].counts.epoll | "\(.created)/\(.released)/\(.released_at_exit)"' "1/1/0"
expect_jq "epoll_watch clean: no engine anomaly" "$R" \
	'[.observer.engine | .bad_events, .unknown_fd, .unknown_process, .fd_replaced, .oom] | add' 0
finish
