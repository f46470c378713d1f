#!/bin/sh
# Runs the leaky demo under leakscope and shows where the JSON report went.
# leakscope prints its human summary on stderr and exits with the demo's
# own status, which is 0; any other status is passed on so `make demo` fails.
set -eu

cd "$(dirname "$0")/../.."

DEMO_DIR=/tmp/leakscope-demo
OUT=${OUT:-$DEMO_DIR/report.json}

# The report is written atomically beside its final name, so the directory
# has to exist before leakscope finishes, not only once the demo has run.
mkdir -p "$DEMO_DIR" "$(dirname "$OUT")"

status=0
build/leakscope --json "$OUT" -- build/tools/leaky "$DEMO_DIR" || status=$?

echo "JSON report: $OUT"
if command -v jq >/dev/null 2>&1 && [ -f "$OUT" ]; then
	jq -r '.findings[] | "fd \(.resource.fd)\t\(.resource.type)\t\(.resource.path // "")"' "$OUT" ||
		echo "run_demo: could not list the findings in $OUT" >&2
fi

exit "$status"
