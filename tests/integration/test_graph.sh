# --dot: the link graph of real runs, rendered with Graphviz (dot -Tsvg) and
# read back from the SVG: links cycle (the cycle in red), links pass (every
# kind of link, live, stopped by two SIGINTs as in test_links.sh) and
# bad_names (a path that needs every escape still makes valid DOT).
set -u
. tests/integration/lib.sh
scratch
PIDS=
cleanup_at_exit 'touch "$SCRATCH/stop"; kill_pids'

if ! command -v dot >/dev/null 2>&1; then
	not_ok "graph: Graphviz's dot is installed" "not found (make deps installs graphviz)"
	finish
	exit 1
fi

# svg_items SVG > LIST: what dot drew, one item a line, tab-separated:
#   cluster TITLE / node TITLE STROKE TEXT|TEXT... / edge KIND FROM->TO STROKE
SVG_ITEMS_PY='import sys, xml.etree.ElementTree as ET
ns = "{http://www.w3.org/2000/svg}"
out = open(sys.argv[2], "w", encoding="utf-8")
for g in ET.parse(sys.argv[1]).iter(ns + "g"):
    cls = (g.get("class") or "").split()
    title = g.findtext(ns + "title") or ""
    shape = next((e for e in g.iter() if e.tag in (ns + "path", ns + "polygon", ns + "ellipse")), None)
    stroke = shape.get("stroke") if shape is not None else ""
    if cls[:1] == ["cluster"]:
        out.write("cluster\t%s\n" % title)
    elif cls[:1] == ["node"]:
        texts = "|".join(t.text or "" for t in g.iter(ns + "text"))
        out.write("node\t%s\t%s\t%s\n" % (title, stroke, texts))
    elif cls[:1] == ["edge"]:
        out.write("edge\t%s\t%s\t%s\n" % (" ".join(cls[1:]), title, stroke))'

# render NAME DOT: dot -Tsvg DOT, its items in $SCRATCH/NAME.items
render() {
	if dot -Tsvg "$2" >"$SCRATCH/$1.svg" 2>"$SCRATCH/$1.doterr" && [ ! -s "$SCRATCH/$1.doterr" ]; then
		ok "graph $1: dot renders it without a word"
	else
		not_ok "graph $1: dot renders it without a word" "$(head -c 300 "$SCRATCH/$1.doterr")"
	fi
	python3 -c "$SVG_ITEMS_PY" "$SCRATCH/$1.svg" "$SCRATCH/$1.items" 2>"$SCRATCH/$1.pyerr" ||
		not_ok "graph $1: the SVG parses as XML" "$(head -c 300 "$SCRATCH/$1.pyerr")"
}

# count NAME AWK_CONDITION: items of NAME that match
count() {
	awk -F '\t' "$2 { n++ } END { print n + 0 }" "$SCRATCH/$1.items"
}

# --- a graph that could not be written is refused before anything runs ---
echo precious >"$SCRATCH/target"
ln -s "$SCRATCH/target" "$SCRATCH/link.dot"
ls_run -q --dot "$SCRATCH/link.dot" -- /bin/sh -c ": >'$SCRATCH/ran'" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "graph: a symlink --dot exits 1" "$?" 1
expect_grep "graph: a symlink --dot says why" "$SCRATCH/err" "is a symbolic link (refused)"
expect_eq "graph: a symlink --dot runs nothing, writes nothing" \
	"$([ -e "$SCRATCH/ran" ] && echo ran)$(cat "$SCRATCH/target")" precious

# --- cycle: two descriptions that hold each other, drawn red -------------
R=$SCRATCH/cycle.json
D=$SCRATCH/cycle.dot
ls_run -q --json "$R" --dot "$D" -- "$TOOLS/links" cycle "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "graph cycle: exits 0" "$?" 0
expect_eq "graph cycle: the graph is mode 0600" "$(stat -c %a "$D" 2>&1)" 600
expect_eq "graph cycle: no temporary file left" "$(nfiles "$SCRATCH" '.cycle.dot*')" 0
render cycle "$D"
KEY=$(jq -r '.processes[0].id' "$R")
M1=$(jq -r '.cycles[0].resources[0]' "$R")
M2=$(jq -r '.cycles[0].resources[1]' "$R")
expect_eq "graph cycle: a cluster for the process" "$(count cycle "\$1 == \"cluster\" && \$2 == \"cluster_$KEY\"")" 1
for m in "$M1" "$M2"; do
	expect_eq "graph cycle: $m is a node, red, saying cycle" \
		"$(count cycle "\$1 == \"node\" && \$2 == \"$m\" && \$3 == \"#d32f2f\" && \$4 ~ /\\|cycle\$/")" 1
done
expect_eq "graph cycle: the process says cycle too" \
	"$(count cycle "\$1 == \"node\" && \$2 == \"$KEY\" && \$3 == \"#d32f2f\" && \$4 ~ /cycle/")" 1
expect_eq "graph cycle: both in_flight links, red, between them" \
	"$(count cycle "\$1 == \"edge\" && \$2 == \"in_flight\" && \$4 == \"#d32f2f\" &&
		(\$3 == \"$M1->$M2\" || \$3 == \"$M2->$M1\")")" 2
expect_eq "graph cycle: as many in_flight edges as links in the JSON" \
	"$(count cycle '$1 == "edge" && $2 == "in_flight"')" \
	"$(jq '[.links[] | select(.kind == "in_flight")] | length' "$R")"

# --- bad_names: every escape, still valid DOT, the name shown -------------
R=$SCRATCH/bad.json
D=$SCRATCH/bad.dot
ls_run -q --json "$R" --dot "$D" -- "$TOOLS/bad_names" "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "graph bad_names: exits 0" "$?" 0
out=$(python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8", "strict"); print("ok")' "$D" 2>&1)
expect_eq "graph bad_names: the DOT file is strict UTF-8" "$out" ok
render bad "$D"
ID=$(jq -r '.findings[0].resource.id' "$R")
# as the text summary shows it: U+FFFD for bad bytes, \\ and \xNN
WANT=$(printf '%s/bad\357\277\275\357\277\275"q\\\\b\\x0a\\x09\\x01.txt' "$SCRATCH")
expect_eq "graph bad_names: the leaked fd's node shows the name escaped" \
	"$(awk -F '\t' -v id="$ID" '$1 == "node" && $2 == id { print $4 }' "$SCRATCH/bad.items")" \
	"3w file|$WANT|released-at-exit"

# --- pass: every kind of link between live processes ----------------------
R=$SCRATCH/pass.json
D=$SCRATCH/pass.dot
bg_exec "$LS" -q --json "$R" --dot "$D" -- "$TOOLS/links" pass "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
LSPID=$!
PIDS="$PIDS $LSPID"
i=0
until grep -qx ready "$SCRATCH/out" || ! alive "$LSPID" || [ $i -ge 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect_grep "graph pass: the scenario got ready" "$SCRATCH/out" ready
PID=$(sed -n 's/^pid //p' "$SCRATCH/out")
PIDS="$PIDS ${PID:-}"
kill -INT "$LSPID"
sleep 0.2
kill -INT "$LSPID"
reap "$LSPID" 20
expect_eq "graph pass: leakscope reports at a second SIGINT" "$?" 130
touch "$SCRATCH/stop"
gone "${PID:-0}" 5
render pass "$D"
expect_eq "graph pass: a cluster for each process, the exited child too" \
	"$(count pass '$1 == "cluster"')" "$(jq '.processes | length' "$R")"
for k in scm_rights pipe_peer unix_peer tcp_peer epoll_watch dup inherited maps_file thread_of; do
	expect_eq "graph pass: every $k link is an edge" "$(count pass "\$1 == \"edge\" && \$2 == \"$k\"")" \
		"$(jq "[.links[] | select(.kind == \"$k\")] | length" "$R")"
done
# every open fd of the scenario is a node, labelled with its fd and path
N=$(jq "[.processes[] | select(.pid == ${PID:-0}) | .open_fds[]] | length" "$R")
expect_eq "graph pass: each open fd of the scenario is a node ($N)" \
	"$(jq -r ".processes[] | select(.pid == ${PID:-0}) | .open_fds[] | .id" "$R" |
		while read -r id; do count pass "\$1 == \"node\" && \$2 == \"$id\""; done | grep -cx 1)" "$N"
MAPPED=$(jq -r ".processes[] | select(.pid == ${PID:-0}) | .open_fds[] |
	select(.path == \"$SCRATCH/mapped.bin\") | \"\(.id)\t\(.fd)\"" "$R")
expect_eq "graph pass: DIR/mapped.bin's node says fd, mode, type and path" \
	"$(awk -F '\t' -v id="${MAPPED%%	*}" '$1 == "node" && $2 == id { print $4 }' "$SCRATCH/pass.items")" \
	"${MAPPED#*	}u file|$SCRATCH/mapped.bin"
expect_eq "graph pass: nothing left out" "$(grep -c '"omitted"' "$D")" 0
finish
