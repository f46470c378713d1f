# Without CAP_BPF/CAP_PERFMON (and CAP_SYS_ADMIN, which implies them)
# leakscope says which capability is missing, before running anything; on a
# kernel without BTF it says that, once.
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

# A kernel without BTF, as far as leakscope can tell: in a mount namespace of
# its own, the sysfs file is an empty one (and this machine has no other
# vmlinux file for libbpf to fall back on).
unshare -m sh -c "mount --bind /dev/null /sys/kernel/btf/vmlinux &&
	exec '$LS' --json '$SCRATCH/nobtf.json' -- touch '$SCRATCH/ran'" >/dev/null 2>"$SCRATCH/err"
expect_eq "btf: no kernel BTF: exits 1" "$?" 1
expect_eq "btf: one line saying so" "$(cat "$SCRATCH/err")" \
	"leakscope: this kernel has no BTF type information (/sys/kernel/btf/vmlinux: missing or not valid); leakscope needs a kernel built with CONFIG_DEBUG_INFO_BTF=y"
expect_eq "btf: CMD did not run, no report" "$(ls "$SCRATCH/ran" "$SCRATCH/nobtf.json" 2>/dev/null | wc -l)" 0
finish
