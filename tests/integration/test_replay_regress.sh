# Checked-in captures (tests/replay/*.cap, made by tests/replay/regenerate.sh)
# replay to their checked-in reports, byte for byte: a regression test of the
# whole engine, the detectors and the JSON exporter, without BPF.
set -u
. tests/integration/lib.sh
scratch

n=0
for cap in tests/replay/*.cap; do
	name=$(basename "$cap" .cap)
	n=$((n + 1))
	ls_run replay "$cap" -q --json "$SCRATCH/$name.json" >/dev/null 2>"$SCRATCH/err"
	expect_eq "replay $name: exits 0" "$?" 0
	if cmp -s "tests/replay/$name.json" "$SCRATCH/$name.json"; then
		ok "replay $name: the checked-in report, byte for byte"
	else
		not_ok "replay $name: the checked-in report, byte for byte" \
			"$(diff "tests/replay/$name.json" "$SCRATCH/$name.json" | head -c 600)"
	fi
done
expect_eq "replay: the four checked-in captures were there" "$n" 4
finish
