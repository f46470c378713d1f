# bad_names DIR: leaks DIR/bad<FF><FE>"q\b<LF><TAB><01>.txt (fd 3), a name
# with invalid UTF-8, a quote, a backslash and control bytes. The report must
# stay valid JSON and valid UTF-8, the bad bytes becoming U+FFFD.
set -u
. tests/integration/lib.sh
scratch
R=$SCRATCH/r.json

ls_run --json "$R" -- "$TOOLS/bad_names" "$SCRATCH" >"$SCRATCH/out" 2>"$SCRATCH/err"
expect_eq "bad_names: exits 0" "$?" 0
expect_eq "bad_names: the file exists under its raw name" \
	"$(python3 -c 'import os, sys; print(os.path.exists(os.fsencode(sys.argv[1]) + b"/bad\xff\xfe\"q\\b\n\t\x01.txt"))' "$SCRATCH")" True

if jq -e . "$R" >/dev/null 2>&1; then ok "bad_names: jq parses the report"; else not_ok "bad_names: jq parses the report" "jq -e . failed"; fi
out=$(python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8", errors="strict")); print("ok")' "$R" 2>&1)
expect_eq "bad_names: python json.load parses the report" "$out" ok
out=$(python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8", "strict"); print("ok")' "$R" 2>&1)
expect_eq "bad_names: the report is strict UTF-8" "$out" ok
if iconv -f UTF-8 -t UTF-8 "$R" >/dev/null 2>&1; then ok "bad_names: iconv accepts the report as UTF-8"; else not_ok "bad_names: iconv accepts the report as UTF-8" "iconv failed"; fi
# JSON forbids raw control characters in strings: only \n between tokens
out=$(python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); print(sorted(set(c for c in d if c < 0x20 and c != 0x0a)))' "$R")
expect_eq "bad_names: no raw control byte in the report" "$out" "[]"
out=$(python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); print(b"\xff" in d or b"\xfe" in d)' "$R")
expect_eq "bad_names: no raw 0xff/0xfe byte in the report" "$out" False

expect_jq "bad_names: exactly one finding" "$R" '.findings | length' 1
expect_jq "bad_names: a file at fd 3 by openat" "$R" \
	'.findings[0].resource | "\(.type) \(.fd) \(.syscall) \(.flags)"' "file 3 openat O_WRONLY"
expect_jq "bad_names: path not truncated" "$R" '.findings[0].resource.path_truncated' false
out=$(python3 - "$R" "$SCRATCH" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
want = sys.argv[2] + "/bad\ufffd\ufffd\"q\\b\n\t\u0001.txt"
got = r["findings"][0]["resource"]["path"]
print("ok" if got == want else "got %r want %r" % (got, want))
PY
)
expect_eq "bad_names: path decodes to DIR/bad<FFFD><FFFD>\"q\\\\b<LF><TAB><01>.txt" "$out" ok
out=$(python3 - "$R" "$SCRATCH" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
got = r["findings"][0]["reasons"][0]
want = "fd 3 (file " + sys.argv[2] + "/bad\ufffd\ufffd\"q\\b\n\t\u0001.txt) created by openat"
print("ok" if got.startswith(want) else "got %r want %r..." % (got, want))
PY
)
expect_eq "bad_names: the reason quotes the same decoded path" "$out" ok
# The text summary on stderr escapes the bytes and stays one line per fd.
expect_grep "bad_names: text summary shows the escaped name" "$SCRATCH/err" \
	'/bad\xff\xfe"q\\b\x0a\x09\x01.txt  [O_WRONLY] by openat'
expect_eq "bad_names: text summary has no raw control byte" \
	"$(python3 -c 'import sys; print(any(c < 0x20 and c != 0x0a for c in open(sys.argv[1], "rb").read()))' "$SCRATCH/err")" False
finish
