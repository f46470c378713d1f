# fd_kinds leak|clean: one fd of each special kind, each from its own syscall
# (epoll, inotify, timerfd, signalfd, memfd, pidfd, fanotify, io_uring,
# userfaultfd, perf_event, mqueue, landlock ruleset, bpf map, the pidfds of
# clone and clone3 with CLONE_PIDFD, SO_PEERPIDFD, a seccomp listener). The scenario
# prints "KIND FD" per fd, so every finding is matched by its exact fd.
set -u
. tests/integration/lib.sh
scratch
R=$SCRATCH/leak.json
OUT=$SCRATCH/out

ls_run --json "$R" -- "$TOOLS/fd_kinds" leak >"$OUT" 2>"$SCRATCH/err"
expect_eq "fd_kinds leak: exits 0" "$?" 0
PID=$(jq -r '.processes[] | select(.started_by_leakscope) | .pid' "$R" 2>/dev/null)

# A kind this kernel or architecture lacks is left out by the scenario and by
# these checks; under CI (x86_64, Linux 6.18) every kind must be there.
grep '^UNAVAILABLE ' "$OUT" | while read -r _ kind why; do
	echo "# fd_kinds: $kind unavailable here: $why"
done
if [ "${CI:-}" = true ] && grep -q '^UNAVAILABLE ' "$OUT"; then
	not_ok "fd_kinds: every kind is available in CI" "$(grep '^UNAVAILABLE ' "$OUT" | tr '\n' ';')"
fi

# KIND TYPE SYSCALL PATH (@PID@: the scenario's pid)
while read -r kind type sys path; do
	grep -q "^UNAVAILABLE $kind " "$OUT" && continue
	fd=$(awk -v k="$kind" '$1 == k { print $2 }' "$OUT")
	if [ -z "$fd" ]; then
		not_ok "fd_kinds leak: $kind created" "no '$kind FD' line in: $(head -c 400 "$OUT")"
		continue
	fi
	path=$(echo "$path" | sed "s/@PID@/$PID/")
	F=".findings[] | select(.resource.fd == $fd)"
	expect_jq "fd_kinds leak: $kind fd $fd: exactly one finding" "$R" "[$F] | length" 1
	expect_jq "fd_kinds leak: $kind fd $fd: type $type" "$R" "$F.resource.type" "$type"
	expect_jq "fd_kinds leak: $kind fd $fd: syscall $sys" "$R" "$F.resource.syscall" "$sys"
	expect_jq "fd_kinds leak: $kind fd $fd: path $path" "$R" "$F.resource.path" "$path"
	expect_jq "fd_kinds leak: $kind fd $fd: released-at-exit by pid $PID" "$R" \
		"$F | \"\(.kind)/\(.pid)\"" "released-at-exit/$PID"
done <<'EOF'
epoll_create1 epoll epoll_create1 anon_inode:[eventpoll]
epoll_create epoll epoll_create anon_inode:[eventpoll]
inotify inotify inotify_init1 anon_inode:inotify
timerfd timerfd timerfd_create anon_inode:[timerfd]
signalfd signalfd signalfd4 anon_inode:[signalfd]
memfd memfd memfd_create /memfd:lsk-memfd
pidfd pidfd pidfd_open anon_inode:[pidfd]
fanotify fanotify fanotify_init anon_inode:[fanotify]
io_uring io_uring io_uring_setup anon_inode:[io_uring]
userfaultfd userfaultfd userfaultfd anon_inode:[userfaultfd]
perf_event perf_event perf_event_open anon_inode:[perf_event]
mqueue mqueue mq_open /lsk-mq-@PID@
landlock anon landlock_create_ruleset anon_inode:[landlock-ruleset]
bpf bpf bpf anon_inode:bpf-map
clone_pidfd pidfd clone anon_inode:[pidfd]
clone3_pidfd pidfd clone3 anon_inode:[pidfd]
peer_pidfd pidfd getsockopt anon_inode:[pidfd]
seccomp anon seccomp anon_inode:seccomp notify
EOF

# Exactly the printed fds are findings: one per kind, signalfd only once.
want=$(awk '$1 != "UNAVAILABLE" && $1 != "landlock_abi" { print $2 }' "$OUT" | sort -n | tr '\n' ' ')
expect_eq "fd_kinds leak: 18 fds printed (less the skipped kinds)" \
	"$(echo "$want" | wc -w | tr -d ' ')" "$((18 - $(grep -c '^UNAVAILABLE ' "$OUT")))"
expect_jq "fd_kinds leak: findings are exactly the printed fds" "$R" \
	'[.findings[].resource.fd] | sort | map(tostring + " ") | add // ""' "$want"
expect_jq "fd_kinds leak: summary.findings matches" "$R" '.summary.findings' \
	"$(echo "$want" | wc -w | tr -d ' ')"
P='.processes[] | select(.started_by_leakscope) | .counts'
# The kernel installs a CLONE_PIDFD pidfd after copying the fd table: the
# clone child does not have its own pidfd, the clone3 child (made later) does.
for k in clone_pidfd clone3_pidfd; do
	fd=$(awk -v k="$k" '$1 == k { print $2 }' "$OUT")
	eval "${k}_fd=\${fd:-none}"
done
expect_jq "fd_kinds leak: the clone child did not inherit its pidfd, the clone3 child did" "$R" \
	"[.links[] | select(.kind == \"inherited\") | .from | split(\":\")[2]] as \$i
	 | [(\$i | map(select(. == \"$clone_pidfd_fd\")) | length),
	    (\$i | map(select(. == \"$clone3_pidfd_fd\")) | length)] | join(\",\")" "1,0"
expect_jq "fd_kinds leak: signalfd on an existing signalfd creates nothing" "$R" \
	"$P.signalfd | \"\(.created)/\(.released_at_exit)\"" "1/1"
# The version query returns an ABI number, not an fd: it must not be an fd
# (here it usually collides with the signalfd's number: a replaced fd).
abi=$(awk '$1 == "landlock_abi" { print $2 }' "$OUT")
if [ -n "$abi" ]; then
	expect_jq "fd_kinds leak: landlock version query ($abi) is no fd" "$R" \
		'[.findings[] | select(.resource.syscall == "landlock_create_ruleset")] | length' 1
	expect_jq "fd_kinds leak: landlock and seccomp: two anon fds created" "$R" "$P.anon.created" 2
fi
expect_jq "fd_kinds leak: observer.engine.fd_replaced 0" "$R" '.observer.engine.fd_replaced' 0
expect_jq "fd_kinds leak: observer.engine.unknown_fd 0" "$R" '.observer.engine.unknown_fd' 0
expect_jq "fd_kinds leak: no bad events" "$R" '.observer.engine.bad_events' 0
expect_jq "fd_kinds leak: observer.complete" "$R" '.observer.complete' true
expect_grep "fd_kinds leak: text names the landlock ruleset" "$SCRATCH/err" \
	"anon_inode:[landlock-ruleset]"

R=$SCRATCH/clean.json
ls_run -q --json "$R" -- "$TOOLS/fd_kinds" clean >"$OUT" 2>"$SCRATCH/err"
expect_eq "fd_kinds clean: exits 0" "$?" 0
expect_jq "fd_kinds clean: 0 findings" "$R" '.findings | length' 0
expect_jq "fd_kinds clean: observer.engine.unknown_fd 0" "$R" '.observer.engine.unknown_fd' 0
expect_jq "fd_kinds clean: observer.engine.fd_replaced 0" "$R" '.observer.engine.fd_replaced' 0
# the leak run's special kinds (checked above), each created once and closed
K='to_entries[] | select(.key | test("^(file|chr|pipe)$") | not)'
want=$(jq -r "[$P | $K | \"\\(.key)=\\(.value.created)/\\(.value.created)/0\"] | sort | join(\" \")" \
	"$SCRATCH/leak.json")
expect_jq "fd_kinds clean: every special fd created and released: $want" "$R" \
	"[$P | $K | \"\\(.key)=\\(.value.created)/\\(.value.released)/\\(.value.released_at_exit)\"] | sort | join(\" \")" \
	"$want"
expect_jq "fd_kinds clean: observer.complete" "$R" '.observer.complete' true

ls_run -q -- "$TOOLS/fd_kinds" bogus >"$OUT" 2>"$SCRATCH/err"
expect_eq "fd_kinds bogus: usage status 2 passes through" "$?" 2
finish
