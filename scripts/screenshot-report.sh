#!/usr/bin/env bash
# Renders a PNG screenshot of a report.html with headless Chromium (for the README).
# Usage: scripts/screenshot-report.sh REPORT_HTML [OUT_PNG] [WIDTHxHEIGHT]
# Needs chromium (Debian: apt-get install -y chromium). Not used by the tests.
set -euo pipefail

report="${1:?usage: $0 REPORT_HTML [OUT_PNG] [WIDTHxHEIGHT]}"
out="${2:-docs/report.png}"
size="${3:-1280x2000}"

browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [[ -z "$browser" ]]; then
  echo "screenshot-report: no chromium found (apt-get install -y chromium)" >&2
  exit 1
fi
[[ -f "$report" ]] || { echo "screenshot-report: no such file: $report" >&2; exit 1; }

abs_report="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
mkdir -p "$(dirname "$out")"
abs_out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

# No network features at all: the report must render from the file alone.
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$profile" --window-size="${size/x/,}" \
  --screenshot="$abs_out" "file://$abs_report" >/dev/null 2>&1

echo "$abs_out"
