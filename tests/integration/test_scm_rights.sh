# scm_rights leak|clean DIR: a child opens DIR/passed.txt, passes it to its
# parent with sendmsg(SCM_RIGHTS) over a unix datagram socketpair and closes
# its own copy; the parent recvmsg()s it ("received FD") and, in leak mode,
# never closes it: then an scm_rights link joins the child's fd to the leaked
# one. In clean mode the received fd is closed, and its link goes with it.
# In mmsg mode two fds travel in two messages of one sendmmsg and arrive with
# one recvmmsg: the first is kept (a finding, linked), the second closed.
set -u
. tests/integration/lib.sh
scratch
PASSED_PATH=$SCRATCH/passed.txt

R=$SCRATCH/leak.json
ls_run -q --json "$R" -- "$TOOLS/scm_rights" leak "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "scm_rights leak: exits 0" "$?" 0
FD=$(sed -n 's/^received \([0-9][0-9]*\)$/\1/p' "$SCRATCH/out")
expect_eq "scm_rights leak: the parent printed the received fd" "$(lines "$SCRATCH/out")/${FD:+set}" "1/set"
expect_jq "scm_rights leak: 2 processes" "$R" '.processes | length' 2
PARENT=$(jq '.processes[] | select(.started_by_leakscope) | .pid' "$R")
PARENT=${PARENT:-0}
F=".findings[] | select(.pid == $PARENT and .resource.syscall == \"recvmsg\") | .resource"
expect_jq "scm_rights leak: the parent has one recvmsg finding" "$R" "[$F] | length" 1
expect_jq "scm_rights leak: recvmsg finding path is DIR/passed.txt" "$R" "$F.path" "$PASSED_PATH"
expect_jq "scm_rights leak: recvmsg finding fd is the printed one" "$R" "$F.fd" "${FD:-none}"
expect_jq "scm_rights leak: recvmsg finding is a file" "$R" "$F.type" file
expect_jq "scm_rights leak: recvmsg finding keeps the sender's O_WRONLY" "$R" "$F.flags" O_WRONLY
expect_jq "scm_rights leak: recvmsg finding not inherited" "$R" "$F.inherited" false
expect_jq "scm_rights leak: the only finding is the received fd" "$R" '.findings | length' 1
expect_jq "scm_rights leak: the child has no finding for passed.txt" "$R" \
	"[.findings[] | select(.pid != $PARENT and .resource.path == \"$PASSED_PATH\")] | length" 0
L='.links[] | select(.kind == "scm_rights")'
CHILD_KEY=$(jq -r ".processes[] | select(.pid != $PARENT) | .id | ltrimstr(\"proc:\")" "$R")
expect_jq "scm_rights leak: one scm_rights link" "$R" "[$L] | length" 1
expect_jq "scm_rights leak: the link ends at the leaked fd (the finding's id)" "$R" \
	"($L | .to) == ($F.id)" true
expect_jq "scm_rights leak: the link starts at a fd of the child" "$R" \
	"$L | .from | test(\"^fd:$CHILD_KEY:[0-9]+:[0-9]+\$\")" true
expect_jq "scm_rights leak: the link names the socket it crossed" "$R" \
	"$L | .socket | test(\"^desc:[0-9]+\$\")" true
expect_jq "scm_rights leak: nothing left in flight" "$R" \
	'[.links[] | select(.kind == "in_flight")] | length' 0
expect_jq "scm_rights leak: unknown_fd 0" "$R" '.observer.engine.unknown_fd' 0
expect_jq "scm_rights leak: every send followed" "$R" '.observer.engine.scm_unfollowed' 0
expect_jq "scm_rights leak: observer.complete" "$R" '.observer.complete' true

R=$SCRATCH/clean.json
ls_run -q --json "$R" -- "$TOOLS/scm_rights" clean "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "scm_rights clean: exits 0" "$?" 0
expect_grep "scm_rights clean: the parent received an fd" "$SCRATCH/out" "received "
expect_jq "scm_rights clean: no recvmsg finding" "$R" \
	'[.findings[] | select(.resource.syscall == "recvmsg")] | length' 0
expect_jq "scm_rights clean: 0 findings" "$R" '.findings | length' 0
expect_jq "scm_rights clean: no scm_rights link (the received fd was closed)" "$R" \
	'[.links[] | select(.kind == "scm_rights" or .kind == "in_flight")] | length' 0
expect_jq "scm_rights clean: unknown_fd 0 (the close of the received fd is known)" "$R" \
	'.observer.engine.unknown_fd' 0
expect_jq "scm_rights clean: observer.complete" "$R" '.observer.complete' true

R=$SCRATCH/mmsg.json
ls_run -q --json "$R" -- "$TOOLS/scm_rights" mmsg "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "scm_rights mmsg: exits 0" "$?" 0
FDS=$(sed -n 's/^received \([0-9][0-9]*\) \([0-9][0-9]*\)$/\1 \2/p' "$SCRATCH/out")
FD1=${FDS% *}
PARENT=$(jq '.processes[] | select(.started_by_leakscope) | .pid' "$R")
PARENT=${PARENT:-0}
F=".findings[] | select(.pid == $PARENT) | .resource"
expect_jq "scm_rights mmsg: one finding, in the parent, made by recvmmsg" "$R" \
	"[$F | .syscall] | join(\",\")" recvmmsg
expect_jq "scm_rights mmsg: it is the first message's fd" "$R" "$F | \"\\(.fd) \\(.path)\"" \
	"${FD1:-none} $PASSED_PATH"
CHILD_KEY=$(jq -r ".processes[] | select(.pid != $PARENT) | .id | ltrimstr(\"proc:\")" "$R")
FID=$(jq -r "$F | .id" "$R")
expect_jq "scm_rights mmsg: an scm_rights link from the child's fd to the kept one" "$R" \
	"[$L | select(.to == \"$FID\" and (.from | test(\"^fd:$CHILD_KEY:[0-9]+:[0-9]+\$\")))] | length" 1
expect_jq "scm_rights mmsg: nothing left in flight" "$R" \
	'[.links[] | select(.kind == "in_flight")] | length' 0
expect_jq "scm_rights mmsg: unknown_fd 0 (the close of the second received fd is known)" "$R" \
	'.observer.engine.unknown_fd' 0
expect_jq "scm_rights mmsg: every send followed" "$R" '.observer.engine.scm_unfollowed' 0
finish
