# Without CAP_BPF/CAP_PERFMON (and CAP_SYS_ADMIN, which implies them)
# leakscope says which capability is missing, before running anything.
set -u
. tests/integration/lib.sh
scratch

drop() { # CAPS CMD...: run without those capabilities (root otherwise)
	caps=$1
	shift
	setpriv --bounding-set="$caps" --inh-caps=-all -- "$@"
}

drop -bpf,-perfmon,-sys_admin "$LS" -- touch "$SCRATCH/ran" >/dev/null 2>"$SCRATCH/err"
expect_eq "caps: none of them: exits 1" "$?" 1
expect_eq "caps: one line naming both" "$(cat "$SCRATCH/err")" \
	"leakscope: missing CAP_BPF, CAP_PERFMON: run as root, or give leakscope CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)"
expect_eq "caps: CMD did not run" "$(ls "$SCRATCH/ran" 2>/dev/null | wc -l)" 0
drop -perfmon,-sys_admin "$LS" -- true >/dev/null 2>"$SCRATCH/err"
expect_grep "caps: only CAP_PERFMON missing: names it alone" "$SCRATCH/err" "leakscope: missing CAP_PERFMON:"
drop -bpf,-perfmon "$LS" -q -- true >/dev/null 2>"$SCRATCH/err"
expect_eq "caps: CAP_SYS_ADMIN is enough" "$?" 0
finish
