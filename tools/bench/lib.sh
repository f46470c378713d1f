# Shared by the benchmark scripts (sourced from the repository's root).
LS=build/leakscope
TOOLS=build/tools
OUT=build/bench
ROUNDS=${ROUNDS:-5}
mkdir -p "$OUT"

# ours PID: a leakscope of this tree's build. Other worktrees' leakscopes
# on a shared machine are not ours to wait for.
ours() {
	[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$(pwd -P)/$LS" ]
}

# quiet: wait until no leakscope of ours is still running, in particular the
# child that detaches a finished run's probes in the background (~1 s): a
# setup measured meanwhile would pay for those probes too.
quiet() {
	i=0
	while [ $i -lt 200 ]; do
		busy=
		for p in $(pgrep -x leakscope); do ours "$p" && busy=1; done
		[ -z "$busy" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "bench: a leakscope of ours is still running after 20 s" >&2
}

# wait_attached PID: leakscope prints nothing once attached, but it makes its
# ring buffer's epoll fd right after attaching; the /proc snapshot follows
# within milliseconds.
wait_attached() {
	i=0
	until ls -l "/proc/$1/fd" 2>/dev/null | grep -q 'anon_inode:\[eventpoll\]' || [ $i -ge 200 ]; do
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.3
}

# wait_line FILE PATTERN PID: until FILE has a line matching PATTERN (PID
# printed it), PID died, or 30 s passed.
wait_line() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		kill -0 "$3" 2>/dev/null || return 1
		[ $i -ge 300 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# cpu_ns PID: CPU time of PID's live threads in ns, from schedstat (exact,
# where /proc/PID/stat counts in clock ticks).
cpu_ns() {
	cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# ls_events FILE FIELD: a kernel-side counter from a leakscope JSON report.
ls_events() {
	jq -r ".observer.events.$2 // \"?\"" "$1" 2>/dev/null || echo '?'
}

# foreign_tracers: how many other processes hold BPF programs on tracepoints
# (other people's leakscopes, bpftraces...). Their programs run in our
# workload's syscalls in every setup, the untraced one included (perf shows
# another system-wide leakscope's exit_openat in an untraced churn): they
# raise the baseline and the noise; the count says how much of it to expect.
foreign_tracers() {
	bpftool -j perf list 2>/dev/null | jq -r '.[].pid' 2>/dev/null | sort -u |
	while read -r p; do
		ours "$p" || echo "$p"
	done | wc -l
}

# wait_foreign: give other people's tracers up to FOREIGN_WAIT seconds
# (default 10) to go away before a round; then go on, and say how many
# there are.
wait_foreign() {
	i=0
	while [ "$(foreign_tracers)" -gt 0 ] && [ $i -lt $((${FOREIGN_WAIT:-10} * 2)) ]; do
		sleep 0.5
		i=$((i + 1))
	done
	foreign_tracers
}
