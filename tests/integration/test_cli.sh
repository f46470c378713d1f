# The command line: usage errors, --help/--version, commands that cannot run,
# report paths that cannot be written, and the report file's guarantees.
set -u
. tests/integration/lib.sh
scratch
O=$SCRATCH/out
E=$SCRATCH/err

# usage_error NAME ARGS...: exit 2, one line on stderr, nothing on stdout
usage_error() {
	name=$1
	shift
	ls_run "$@" >"$O" 2>"$E"
	expect_eq "cli: $name exits 2" "$?" 2
	expect_eq "cli: $name prints one line on stderr" "$(lines "$E")" 1
	expect_eq "cli: $name prints nothing on stdout" "$(wc -c <"$O")" 0
}
usage_error "--bogus" --bogus -- /bin/true
expect_grep "cli: --bogus is named" "$E" "'--bogus'"
usage_error "--json without a value" --json
expect_grep "cli: --json without a value is explained" "$E" "'--json' needs an argument"
usage_error "--json ''" --json '' -- /bin/true
usage_error "--ring-size 3" --ring-size 3 -- /bin/true
usage_error "--ring-size 12K (not a power of two)" --ring-size 12K -- /bin/true
usage_error "-- and no command" --json "$SCRATCH/r.json" --
usage_error "-p and a command" -p 1 -- /bin/true
usage_error "-p of a pid that does not exist" --json "$SCRATCH/r.json" -p 999999999
usage_error "-p with junk" -p 12x
usage_error "--cgroup that is not a cgroup" --json "$SCRATCH/r.json" --cgroup "$SCRATCH"
usage_error "-d 0" -d 0
usage_error "-d junk" -d 1x
usage_error "--no-children without -p" --no-children -- /bin/true
expect_eq "cli: no report after usage errors" "$(nfiles "$SCRATCH" '*json*')" 0

# No target: the whole machine, here for a bounded time.
ls_run -q --json "$SCRATCH/sys.json" -d 0.3 >"$O" 2>"$E"
expect_eq "cli: no command means system-wide, -d ends it with 0" "$?" 0
expect_jq "cli: the system-wide report says so" "$SCRATCH/sys.json" '.observer.mode' system
rm -f "$SCRATCH/sys.json"

ls_run --help >"$O" 2>"$E"
expect_eq "cli: --help exits 0" "$?" 0
expect_grep "cli: --help mentions --json" "$O" "--json"
expect_eq "cli: --help writes nothing on stderr" "$(wc -c <"$E")" 0
ls_run --version >"$O" 2>"$E"
expect_eq "cli: --version exits 0" "$?" 0
expect_eq "cli: --version prints 'leakscope VERSION'" \
	"$(grep -cE '^leakscope [0-9]+\.[0-9]+\.[0-9]+' "$O")" 1
version=$(sed -n 's/^leakscope \([0-9.]*\).*/\1/p' "$O")

# A command that cannot be found: 127, no report, no temporary file.
R=$SCRATCH/r.json
ls_run --json "$R" -- /nonexistent/cmd arg >"$O" 2>"$E"
expect_eq "cli: missing command exits 127" "$?" 127
expect_eq "cli: missing command: one line on stderr" "$(lines "$E")" 1
expect_grep "cli: missing command: stderr names it" "$E" "/nonexistent/cmd"
expect_grep "cli: missing command: stderr says why" "$E" "No such file or directory"
expect_eq "cli: missing command: no report" "$([ -e "$R" ] && echo exists)" ""
expect_eq "cli: missing command: no temporary .r.json.* left" "$(nfiles "$SCRATCH" '.r.json*')" 0

printf '#!/bin/sh\nexit 0\n' >"$SCRATCH/noexec"
chmod 644 "$SCRATCH/noexec"
ls_run --json "$R" -- "$SCRATCH/noexec" >"$O" 2>"$E"
expect_eq "cli: non-executable command exits 126" "$?" 126
expect_grep "cli: non-executable: stderr says why" "$E" "Permission denied"
expect_eq "cli: non-executable: no report, no temporary file" "$(nfiles "$SCRATCH" '*json*')" 0

# A report that cannot be written: fail before running anything.
ls_run --json /nonexistent-dir/r.json -- /bin/sh -c ": >'$SCRATCH/ran'" >"$O" 2>"$E"
st=$?
expect_eq "cli: unwritable report dir: non-zero exit" "$([ $st -ne 0 ] && echo nonzero)" nonzero
expect_eq "cli: unwritable report dir: exit 1" "$st" 1
expect_eq "cli: unwritable report dir: one line on stderr" "$(lines "$E")" 1
expect_grep "cli: unwritable report dir: stderr names the path" "$E" "/nonexistent-dir/r.json"
expect_eq "cli: unwritable report dir: the command never ran" "$([ -e "$SCRATCH/ran" ] && echo ran)" ""
expect_eq "cli: unwritable report dir: nothing created" "$([ -e /nonexistent-dir ] && echo exists)" ""

# A quick command with a report, over an older report, with umask 0: under
# 2 s including the BPF load; the report replaces the old one and is 0600.
echo old >"$R"
chmod 644 "$R"
# An earlier run's probes are still being detached in the background (see
# README): attaching waits for that, so time a run on a quiet machine.
i=0
# (a system-wide watcher started by run_all.sh may run throughout: not it)
while pgrep -x leakscope | grep -vx "${LEAKSCOPE_WATCHER_PID:-0}" >/dev/null &&
	[ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
t0=$(date +%s%N)
(umask 0 && ls_run -q --json "$R" -- /bin/true >"$O" 2>"$E")
st=$?
ms=$((($(date +%s%N) - t0) / 1000000))
expect_eq "cli: /bin/true with --json exits 0" "$st" 0
if [ $ms -lt 2000 ]; then ok "cli: /bin/true with --json takes under 2 s"; else
	not_ok "cli: /bin/true with --json takes under 2 s" "took $ms ms"; fi
expect_eq "cli: -q: nothing on stderr" "$(wc -c <"$E")" 0
expect_eq "cli: report mode 600 even with umask 0" "$(stat -c %a "$R")" 600
expect_jq "cli: the old report is replaced by a whole one" "$R" '.schema' leakscope.report/v1
expect_jq "cli: observer.version is --version's" "$R" '.observer.version' "$version"
expect_jq "cli: /bin/true: no finding" "$R" '.findings | length' 0
expect_eq "cli: no temporary file left after a good run" "$(nfiles "$SCRATCH" '.r.json*')" 0

# A report path that is a symlink is refused; its target is left alone.
echo precious >"$SCRATCH/target"
ln -s "$SCRATCH/target" "$SCRATCH/link.json"
ls_run -q --json "$SCRATCH/link.json" -- /bin/true >"$O" 2>"$E"
st=$?
expect_eq "cli: symlink report path: non-zero exit" "$([ $st -ne 0 ] && echo nonzero)" nonzero
expect_eq "cli: symlink report path: the target is unchanged" "$(cat "$SCRATCH/target")" precious
expect_eq "cli: symlink report path: still a symlink" "$([ -L "$SCRATCH/link.json" ] && echo link)" link
expect_grep "cli: symlink report path: stderr names it" "$E" "$SCRATCH/link.json"
expect_eq "cli: symlink report path: no temporary file left" "$(nfiles "$SCRATCH" '.link.json*')" 0
ln -s "$SCRATCH/nowhere" "$SCRATCH/dangling.json"
ls_run -q --json "$SCRATCH/dangling.json" -- /bin/true >"$O" 2>"$E"
st=$?
expect_eq "cli: dangling symlink report path: non-zero exit" "$([ $st -ne 0 ] && echo nonzero)" nonzero
expect_eq "cli: dangling symlink report path: its target is not created" \
	"$([ -e "$SCRATCH/nowhere" ] && echo created)" ""
finish
