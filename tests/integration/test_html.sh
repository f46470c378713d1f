# --html: the page of real runs, opened in headless Chromium with no network
# at all (its own network namespace): the dumped DOM has the chart's step
# lines, a row per finding with its allocation stack and the link graph;
# the screenshot is a picture, not a blank page. Runs the demo (7 findings
# with stacks) and bad_names (a name that needs every escape).
set -u
. tests/integration/lib.sh
scratch

if ! command -v chromium >/dev/null 2>&1; then
	not_ok "html: chromium is installed" "not found (make deps installs chromium)"
	finish
	exit 1
fi

# browse NAME PAGE: the DOM Chromium builds from PAGE in $SCRATCH/NAME.dom
# and a 1280x1600 screenshot in $SCRATCH/NAME.png; unshare -n: nothing the
# page could ask for is reachable, and its console says what it refused
browse() {
	name=$1
	page=$2
	set -- --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --enable-logging=stderr --user-data-dir="$SCRATCH/chromium-$name"
	unshare -n timeout 120 chromium "$@" --dump-dom "file://$page" >"$SCRATCH/$name.dom" \
		2>"$SCRATCH/$name.chromium"
	expect_eq "html $name: chromium dumps the DOM" "$?" 0
	unshare -n timeout 120 chromium "$@" --window-size=1280,1600 \
		--screenshot="$SCRATCH/$name.png" "file://$page" >/dev/null 2>>"$SCRATCH/$name.chromium"
	expect_eq "html $name: chromium takes a screenshot" "$?" 0
	expect_eq "html $name: the page asked for nothing the policy refused" \
		"$(grep -c 'Refused to\|Content.Security.Policy' "$SCRATCH/$name.chromium")" 0
}

# What a browser would fetch from the page itself: nothing.
self_contained() {
	out=$(python3 - "$2" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
bad = [m for m in ("http:", "https:", "src=", "href=", "@import", "<script", "<link", "<iframe")
       if m in page]
bad += [u for u in re.findall(r"url\([^)]*\)", page) if not u.startswith("url(#")]
print(" ".join(bad) or "none")
PY
)
	expect_eq "html $1: nothing in the page would fetch" "$out" none
}

# png_facts PNG: "WIDTH HEIGHT COLOURS HAS_RGB" from a decoder of our own
# (zlib; 8-bit RGB or RGBA, not interlaced): more than one colour is a
# picture, and HAS_RGB says whether the colour given as r,g,b is in it.
PNG_PY='import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
want = bytes(int(v) for v in sys.argv[2].split(","))
pos, idat = 8, b""
while pos < len(d):
    n, kind = struct.unpack(">I4s", d[pos:pos + 8])
    body = d[pos + 8:pos + 8 + n]
    pos += 12 + n
    if kind == b"IHDR":
        w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
assert depth == 8 and ctype in (2, 6) and interlace == 0, "an unexpected PNG format"
bpp = 3 if ctype == 2 else 4
stride = w * bpp
raw = zlib.decompress(idat)
prev, colours, i = bytearray(stride), set(), 0
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    if f == 2:
        line = bytearray((p + q) & 255 for p, q in zip(line, prev))
    elif f:
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    colours.update(bytes(line[x:x + 3]) for x in range(0, stride, bpp))
    prev = line
print(w, h, len(colours), want in colours)'

# DOM_PY DOM: what the DOM Chromium built has, from Python's parser, a fact
# a line: "series PID FIRST_COMMAND STEPS", "row" and a finding row's cells,
# "stack N" and the functions of finding N's stacks, "node ID finding|plain"
DOM_PY='import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.out, self.mode, self.cell, self.fn, self.rows = [], None, None, None, 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "path" and "series" in cls:
            d = a.get("d") or ""
            self.out.append("series %s %s %d" % (a.get("data-pid"), d[:1], d.count("H")))
        elif tag == "tr":
            self.mode = "row" if "finding" in cls else "stack" if "stack-row" in cls else None
            if self.mode == "row":
                self.rows += 1
                self.cells = []
            elif self.mode == "stack":
                self.fns = []
        elif tag == "td" and self.mode == "row":
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")
        elif tag == "span" and "fn" in cls and self.mode == "stack":
            self.fn = []
        elif tag == "g" and "node" in cls:
            self.out.append("node %s %s" % (a.get("data-id"), "finding" if "finding" in cls else "plain"))
    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.cells.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "span" and self.fn is not None:
            self.fns.append("".join(self.fn))
            self.fn = None
        elif tag == "tr" and self.mode == "row":
            self.out.append("\t".join(["row"] + self.cells))
        elif tag == "tr" and self.mode == "stack":
            self.out.append("stack\t%d\t%s" % (self.rows, ",".join(self.fns)))
    def handle_data(self, data):
        for buf in (self.cell, self.fn):
            if buf is not None:
                buf.append(data)
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
print("\n".join(p.out))'

# --- a page that could not be written is refused before anything runs ----
ls_run -q --html "$SCRATCH/no-such-dir/r.html" -- /bin/sh -c ": >'$SCRATCH/ran'" \
	>"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "html: --html in a missing directory exits 1" "$?" 1
expect_grep "html: --html in a missing directory says why" "$SCRATCH/err" \
	"cannot write the report $SCRATCH/no-such-dir/r.html"
expect_eq "html: --html in a missing directory runs nothing" "$([ -e "$SCRATCH/ran" ] && echo ran)" ""

# --- the demo: seven findings with their stacks ----------------------------
R=$SCRATCH/demo.json
H=$SCRATCH/demo.html
ls_run --json "$R" --html "$H" -- "$TOOLS/leaky" "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "html demo: exits 0" "$?" 0
expect_grep "html demo: says where the page went" "$SCRATCH/err" "leakscope: HTML report written to $H"
expect_eq "html demo: the page is mode 0600" "$(stat -c %a "$H" 2>&1)" 600
expect_eq "html demo: no temporary file left" "$(nfiles "$SCRATCH" '.demo.html*')" 0
self_contained demo "$H"
browse demo "$H"
python3 -c "$DOM_PY" "$SCRATCH/demo.dom" >"$SCRATCH/demo.facts" 2>"$SCRATCH/demo.pyerr" ||
	not_ok "html demo: the DOM parses" "$(head -c 300 "$SCRATCH/demo.pyerr")"
PID=$(jq '.processes[0].pid' "$R")
expect_eq "html demo: the chart has the demo's step line, with steps" \
	"$(awk -v pid="$PID" '$1 == "series" && $2 == pid && $3 == "M" && $4 >= 2 { n++ } END { print n + 0 }' \
		"$SCRATCH/demo.facts")" 1
N=$(jq '.findings | length' "$R")
expect_eq "html demo: a row per finding ($N)" "$(grep -c '^row' "$SCRATCH/demo.facts")" "$N"
# each finding's row: number, kind, severity, pid and comm, resource (by its
# id, then lsof-style), the reason; and its allocation stack, frame by frame
jq -r '.findings[] | "row\t\(.id)\t\(.kind)\t\(.severity)\t\(.pid) \(.comm)\t\(.resource.id)\t\(.reasons[0])"' \
	"$R" >"$SCRATCH/demo.want"
awk -F '\t' -v OFS='\t' '$1 == "row" { sub(/ .*/, "", $6); print }' "$SCRATCH/demo.facts" \
	>"$SCRATCH/demo.rows"
expect_eq "html demo: the rows say what the JSON says" \
	"$(if diff "$SCRATCH/demo.rows" "$SCRATCH/demo.want" >"$SCRATCH/demo.diff"; then echo same;
		else head -c 600 "$SCRATCH/demo.diff"; fi)" same
jq -r '.findings[] | "stack\t\(.id)\t\(.stack.frames | map(.function // "???") | join(","))"' \
	"$R" >"$SCRATCH/demo.want"
expect_eq "html demo: each finding's allocation stack, frame by frame as in the JSON" \
	"$(if grep '^stack' "$SCRATCH/demo.facts" | diff - "$SCRATCH/demo.want" >"$SCRATCH/demo.diff";
		then echo same; else head -c 600 "$SCRATCH/demo.diff"; fi)" same
expect_eq "html demo: the first stack goes through open_in_dir" \
	"$(grep -c '^stack	1	.*,open_in_dir,' "$SCRATCH/demo.facts")" 1
expect_eq "html demo: every finding's resource is a red box in the graph" \
	"$(jq -r '.findings[].resource.id' "$R" | while read -r id; do
		grep -qx "node $id finding" "$SCRATCH/demo.facts" && echo y; done | grep -c y)" "$N"
set -- $(python3 -c "$PNG_PY" "$SCRATCH/demo.png" 21,101,192 2>"$SCRATCH/png.err" || echo error)
expect_eq "html demo: the screenshot is a 1280x1600 PNG" "${1:-}x${2:-}" 1280x1600
if [ "${3:-0}" -gt 16 ] 2>/dev/null; then ok "html demo: the screenshot is not blank ($3 colours)"
else not_ok "html demo: the screenshot is not blank" "${3:-none} colours $(head -c 200 "$SCRATCH/png.err")"; fi
expect_eq "html demo: the chart's blue is on screen" "${4:-}" True

# --- bad_names: every escape, the name shown as the summary shows it -------
R=$SCRATCH/bad.json
H=$SCRATCH/bad.html
ls_run -q --json "$R" --html "$H" -- "$TOOLS/bad_names" "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "html bad_names: exits 0" "$?" 0
out=$(python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8", "strict"); print("ok")' "$H" 2>&1)
expect_eq "html bad_names: the page is strict UTF-8" "$out" ok
self_contained bad "$H"
browse bad "$H"
python3 -c "$DOM_PY" "$SCRATCH/bad.dom" >"$SCRATCH/bad.facts" 2>"$SCRATCH/bad.pyerr" ||
	not_ok "html bad_names: the DOM parses" "$(head -c 300 "$SCRATCH/bad.pyerr")"
WANT=$(printf '%s/bad\357\277\275\357\277\275"q\\\\b\\x0a\\x09\\x01.txt' "$SCRATCH")
ID=$(jq -r '.findings[0].resource.id' "$R")
expect_eq "html bad_names: the finding's row shows the name escaped" \
	"$(awk -F '\t' '$1 == "row" { print $6 }' "$SCRATCH/bad.facts" | grep -cxF "$ID 3w file $WANT")" 1
expect_eq "html bad_names: the DOM has one finding row, no stray element" \
	"$(grep -c '^row' "$SCRATCH/bad.facts")/$(grep -c '<tr class="finding' "$SCRATCH/bad.dom")" 1/1
finish
