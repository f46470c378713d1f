# tcp_close_wait leak|clean [inet|inet6]: a TCP listener on loopback, an
# accepted connection whose client closed (CLOSE_WAIT), and a unix
# socketpair. Prints "port N". leak keeps the listener, the accepted socket
# and both socketpair ends open; clean closes them.
set -u
. tests/integration/lib.sh
scratch
S='.findings[] | select(.resource.type == "socket") | .resource'
LISTENER="$S | select(.socket.state == \"LISTEN\")"
ACCEPTED="$S | select(.syscall == \"accept\" or .syscall == \"accept4\")"
UNIX="$S | select(.socket.family == \"AF_UNIX\")"

# run_leak FAMILY NAME ADDR: the leak run over FAMILY (inet|inet6), whose
# endpoints are ADDR:PORT; NAME prefixes the checks
run_leak() {
	R=$SCRATCH/leak-$1.json
	ls_run --json "$R" -- "$TOOLS/tcp_close_wait" leak "$1" >"$SCRATCH/out" 2>"$SCRATCH/err"
	expect_eq "$2: exits 0" "$?" 0
	PORT=$(sed -n 's/^port \([0-9][0-9]*\)$/\1/p' "$SCRATCH/out")
	expect_eq "$2: stdout names the port" "$(lines "$SCRATCH/out")/${PORT:+set}" "1/set"
	expect_jq "$2: 4 socket findings" "$R" "[$S] | length" 4
	expect_jq "$2: one LISTEN socket" "$R" "[$LISTENER] | length" 1
	expect_jq "$2: listener local is $3:PORT" "$R" "$LISTENER | .socket.local" "$3:$PORT"
	expect_jq "$2: listener has no remote" "$R" "$LISTENER | .socket | has(\"remote\")" false
	expect_jq "$2: one accepted socket" "$R" "[$ACCEPTED] | length" 1
	expect_jq "$2: accepted socket state CLOSE_WAIT" "$R" "$ACCEPTED | .socket.state" CLOSE_WAIT
	expect_jq "$2: accepted socket local is $3:PORT" "$R" "$ACCEPTED | .socket.local" "$3:$PORT"
	expect_jq "$2: accepted socket remote is $3:a port" "$R" \
		"$ACCEPTED | .socket.remote | startswith(\"$3:\") and (ltrimstr(\"$3:\") | test(\"^[1-9][0-9]*\$\"))" true
	expect_jq "$2: accepted socket remote is not the listener's port" "$R" \
		"$ACCEPTED | .socket.remote != \"$3:$PORT\"" true
	expect_jq "$2: two unix ends" "$R" "[$UNIX] | length" 2
	expect_jq "$2: unix ends name each other as peer_description" "$R" \
		"[$UNIX] | .[0].socket.peer_description == .[1].description and .[1].socket.peer_description == .[0].description" true
	expect_jq "$2: unix ends are distinct descriptions" "$R" \
		"[$UNIX | .description] | unique | length" 2
	expect_grep "$2: text summary shows CLOSE_WAIT" "$SCRATCH/err" "CLOSE_WAIT"
	expect_grep "$2: text summary shows LISTEN on the port" "$SCRATCH/err" "$3:$PORT LISTEN"
	expect_jq "$2: observer.complete" "$R" '.observer.complete' true
}

run_leak inet "tcp_close_wait leak" 127.0.0.1
expect_jq "tcp_close_wait leak: listener family AF_INET" "$R" "$LISTENER | .socket.family" AF_INET

# IPv6: only where lo has ::1 (a kernel booted with ipv6.disable=1 has none)
if grep -q '^00000000000000000000000000000001 .* lo$' /proc/net/if_inet6 2>/dev/null; then
	run_leak inet6 "tcp_close_wait leak inet6" "[::1]"
	expect_jq "tcp_close_wait leak inet6: listener family AF_INET6" "$R" \
		"$LISTENER | .socket.family" AF_INET6
else
	echo "# tcp_close_wait inet6: ::1 is not on lo here, not run"
fi

R=$SCRATCH/clean.json
ls_run -q --json "$R" -- "$TOOLS/tcp_close_wait" clean >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "tcp_close_wait clean: exits 0" "$?" 0
expect_jq "tcp_close_wait clean: 0 socket findings" "$R" "[$S] | length" 0
expect_jq "tcp_close_wait clean: 0 findings" "$R" '.findings | length' 0
expect_jq "tcp_close_wait clean: 5 sockets created and released" "$R" \
	'.processes[0].counts.socket | "\(.created)/\(.released)/\(.released_at_exit)"' "5/5/0"
finish
