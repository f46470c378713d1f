# Every fd-creating syscall the running kernel offers is either hooked by the
# BPF object (a tracepoint/syscalls/sys_exit_NAME program) or listed, with a
# reason, in fd_syscalls_skipped.txt; every hooked syscall is named in
# LS_SYSCALL_LIST (bpf/events.h); no skip entry is stale.
set -u
. tests/integration/lib.sh
OBJ=${BPF_OBJ:-build/leakscope.bpf.o}
EVENTS_H=${EVENTS_H:-bpf/events.h}
UNHOOKED_LIST=${UNHOOKED_LIST:-tests/integration/fd_syscalls_skipped.txt}
TRACEFS=/sys/kernel/tracing
EV=$TRACEFS/events/syscalls

# Syscalls that return or install new fds (man pages, kernel sources).
# The last ones install fds other than through their return value.
REFERENCE="open openat openat2 creat socket socketpair accept accept4 pipe pipe2
dup dup2 dup3 fcntl eventfd eventfd2 epoll_create epoll_create1 inotify_init
inotify_init1 timerfd_create signalfd signalfd4 memfd_create memfd_secret
pidfd_open pidfd_getfd fanotify_init userfaultfd io_uring_setup perf_event_open
open_by_handle_at open_tree open_tree_attr fsopen fspick fsmount mq_open
landlock_create_ruleset bpf socketcall
seccomp recvmsg recvmmsg clone clone3 ioctl getsockopt read readv io_uring_enter
execve execveat"

# words: stdin's words on one line, single spaces
words() {
	tr -s '[:space:]' ' '
}

# in_words WORD LIST: LIST (words, as words prints them) contains WORD
in_words() {
	case " $2 " in *" $1 "*) return 0 ;; esac
	return 1
}
REFERENCE=$(echo "$REFERENCE" | words)

[ -d "$TRACEFS/events" ] || mount -t tracefs nodev "$TRACEFS" 2>/dev/null
if [ -d "$EV/sys_exit_openat" ]; then
	ok "coverage: syscall tracepoints at $EV"
else
	not_ok "coverage: syscall tracepoints at $EV" "no $EV/sys_exit_openat (tracefs, CONFIG_FTRACE_SYSCALLS?)"
fi

# Program sections, not their .rel twins: "[NN] tracepoint/syscalls/sys_exit_X TYPE ..."
READELF=$(command -v readelf || command -v llvm-readelf || echo readelf)
HOOKED=$("$READELF" -S -W "$OBJ" 2>/dev/null |
	sed -n 's/^.*\] tracepoint\/syscalls\/sys_exit_\([a-z0-9_]*\) .*$/\1/p' | sort -u | words)
expect_eq "coverage: $OBJ has sys_exit programs (openat among them)" \
	"$(in_words openat "$HOOKED" && echo yes)" yes

# X(UP, name) entries, from "#define LS_SYSCALL_LIST(X)" to the first line without "\".
LISTED=$(sed -n '/^#define LS_SYSCALL_LIST(X)/,/[^\\]$/p' "$EVENTS_H" |
	grep -o 'X([A-Z0-9_]*, *[a-z0-9_]*)' | sed 's/^.*, *\([a-z0-9_]*\))$/\1/' | words)
expect_eq "coverage: LS_SYSCALL_LIST parsed (unknown first, openat in it)" \
	"$(echo "${LISTED%% *}" && in_words openat "$LISTED" && echo yes)" "unknown
yes"

# The skip list: NAME<TAB>WHY, # comments and blank lines allowed.
TAB=$(printf '\t')
UNHOOKED=
n=0
while IFS= read -r line || [ -n "$line" ]; do
	n=$((n + 1))
	case $line in '#'* | '') continue ;; esac
	name=${line%%"$TAB"*}
	why=${line#*"$TAB"}
	why=$(echo "$why" | sed 's/^[[:space:]]*//')
	if [ "$name" = "$line" ] || [ -z "$why" ] || [ -z "$name" ]; then
		not_ok "coverage: $UNHOOKED_LIST:$n has a name, a tab and a reason" "'$line'"
		continue
	fi
	if in_words "$name" "$UNHOOKED"; then
		not_ok "coverage: skip entry $name listed once" "again on line $n"
		continue
	fi
	UNHOOKED="$UNHOOKED $name"
	if in_words "$name" "$HOOKED"; then
		not_ok "coverage: skip entry $name is not hooked" "stale entry ($UNHOOKED_LIST:$n): sys_exit_$name is hooked in $OBJ"
	else
		ok "coverage: skip entry $name is not hooked ($why)"
	fi
	in_words "$name" "$REFERENCE" ||
		not_ok "coverage: skip entry $name is an fd-creating syscall" "not in this test's reference list"
done <"$UNHOOKED_LIST"

# Each fd-creating syscall the kernel offers: hooked or skipped for a reason.
ABSENT=
for s in $REFERENCE; do
	if [ ! -d "$EV/sys_exit_$s" ]; then
		ABSENT="$ABSENT $s"
	elif in_words "$s" "$HOOKED"; then
		ok "coverage: $s is hooked"
	elif in_words "$s" "$UNHOOKED"; then
		ok "coverage: $s is skipped with a reason"
	else
		not_ok "coverage: $s is hooked" "the kernel offers sys_exit_$s, $OBJ hooks it not and $UNHOOKED_LIST lacks it"
	fi
done
[ -z "$ABSENT" ] || echo "# not offered by this kernel:$ABSENT"

# Each hooked syscall has its name in the one table (close/close_range too);
# hooks of other syscalls (releases, socket state) are named, not failed.
other=
for s in $HOOKED; do
	if in_words "$s" "$LISTED"; then
		ok "coverage: hooked $s is in LS_SYSCALL_LIST"
	else
		not_ok "coverage: hooked $s is in LS_SYSCALL_LIST" "$EVENTS_H does not name it"
	fi
	in_words "$s" "$REFERENCE" || other="$other $s"
done
[ -z "$other" ] || echo "# hooked, but not fd-creating:$other"
for s in close close_range; do
	expect_eq "coverage: release hook $s is hooked and listed" \
		"$(in_words $s "$HOOKED" && in_words $s "$LISTED" && echo yes)" yes
done
finish
