# tools/man/leakscope.8: well-formed roff (no warning from groff or man),
# and in step with `leakscope --help`: every option the help lists is in
# the page as an option of its own, every option the page describes is in
# the help, and the page names the version the binary says.
set -u
. tests/integration/lib.sh
scratch
MAN=tools/man/leakscope.8

for tool in groff man; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		not_ok "man: $tool is installed" "not found (make deps installs groff-base and man-db)"
		finish
		exit 1
	fi
done

groff -man -ww -z "$MAN" >"$SCRATCH/groff.out" 2>&1
expect_eq "man: groff -man -ww -z exits 0" "$?" 0
expect_eq "man: groff has no warning" "$(head -c 300 "$SCRATCH/groff.out")" ""
MANWIDTH=80 man --warnings -l -Tutf8 "$MAN" >"$SCRATCH/man.out" 2>"$SCRATCH/man.err"
expect_eq "man: man --warnings -l -Tutf8 exits 0" "$?" 0
expect_eq "man: man has no warning" "$(head -c 300 "$SCRATCH/man.err")" ""
expect_eq "man: it renders the page" "$(head -n 1 "$SCRATCH/man.out" | grep -c 'LEAKSCOPE(8)')" 1

# the page as plain text, and its options: the lines that introduce one
# (".TP" items: "-p, --pid pid[,pid...]", "--json file")
groff -man -Tascii -P-c -P-b -P-u -P-o "$MAN" >"$SCRATCH/page.txt" 2>/dev/null
sed -n 's/^       \(-[-a-zA-Z].*\)/\1/p' "$SCRATCH/page.txt" | grep -o -- '-\{1,2\}[a-zA-Z][-a-z]*' |
	sort -u >"$SCRATCH/page.opts"
"$LS" --help >"$SCRATCH/help.txt"
expect_eq "man: leakscope --help exits 0" "$?" 0
grep -o -- '--[a-z][-a-z]*' "$SCRATCH/help.txt" | sort -u >"$SCRATCH/help.long"
sed -n 's/^  \(-[a-zA-Z]\),.*/\1/p' "$SCRATCH/help.txt" | sort -u >"$SCRATCH/help.short"
expect_eq "man: the help's options are found (--json, --dot, --html among them)" \
	"$(grep -cx -- '--json\|--dot\|--html' "$SCRATCH/help.long")" 3
expect_eq "man: every long option of --help is an option of the page" \
	"$(comm -23 "$SCRATCH/help.long" "$SCRATCH/page.opts" | tr '\n' ' ')" ""
expect_eq "man: every short option of --help is an option of the page" \
	"$(comm -23 "$SCRATCH/help.short" "$SCRATCH/page.opts" | tr '\n' ' ')" ""
expect_eq "man: every option of the page is in --help" \
	"$(sort -u "$SCRATCH/help.long" "$SCRATCH/help.short" | comm -13 - "$SCRATCH/page.opts" | tr '\n' ' ')" ""
V=$("$LS" --version | cut -d' ' -f2)
expect_eq "man: the page is of this version ($V)" \
	"$(grep -c "^\.TH LEAKSCOPE 8 [0-9-]* \"leakscope $V\"" "$MAN")" 1
for s in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" FILES EXAMPLES "SEE ALSO"; do
	expect_eq "man: has $s" "$(grep -cx "$s" "$SCRATCH/page.txt")" 1
done
finish
