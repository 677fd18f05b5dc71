#!/usr/bin/env bash
# Whole-run benchmark: stage table + pages/s and MB/s for 1 and N threads, then a full
# `pagemill run` twice on the same input (first run extracts everything, the second reuses
# the incremental cache) to show the rerun speed-up.
#
# usage: scripts/bench.sh [DIR] [JOBS]     (default DIR: ../shared/eval/wcxb-dev/html)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/eval/wcxb-dev/html}
jobs=${2:-$(nproc)}
cargo build --release --quiet
bin=target/release/pagemill
echo "== stages and whole pipeline ($dir)"
$bin bench "$dir" --jobs "$jobs"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo
echo "== pagemill run, first (full) and second (incremental) run, $jobs thread(s)"
for i in 1 2; do
  $bin run "$dir" --out "$out" --jobs "$jobs" --quiet --json --max-failure-rate 1 | python3 -c '
import json, sys
r = json.load(sys.stdin)
s = max(r["duration_s"], 1e-9)
print(f"run {r[\"mode\"]:<11} pages extracted {r[\"pages_extracted\"]:>5}  unchanged {r[\"inputs_unchanged\"]:>5}  "
      f"{r[\"duration_s\"]:7.2f} s  {r[\"pages_extracted\"]/s:8.1f} pages/s  {r[\"bytes_read\"]/1e6/s:7.1f} MB/s")'
done
