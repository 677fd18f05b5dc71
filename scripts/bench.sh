#!/usr/bin/env bash
# Whole-run benchmark: stage table + pages/s and MB/s for 1 and N threads, then a full
# `pagemill run` three times on the same input (first run extracts everything, the reruns reuse
# the incremental cache, with N and 1 threads) to show the rerun speed-up. SKIP_STAGES=1 skips the
# stage table.
#
# usage: scripts/bench.sh [DIR] [JOBS]     (default DIR: ../shared/eval/wcxb-dev/html)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/eval/wcxb-dev/html}
jobs=${2:-$(nproc)}
cargo build --release --quiet
bin=target/release/pagemill
if [ "${SKIP_STAGES:-0}" != 1 ]; then
  echo "== stages and whole pipeline ($dir)"
  $bin bench "$dir" --jobs "$jobs"
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo
echo "== pagemill run: first (full), then unchanged reruns with $jobs and 1 thread(s)"
summary() {
  python3 -c '
import json, sys
r = json.load(sys.stdin)
d, mode, ex, un, b = r["duration_s"], r["mode"], r["pages_extracted"], r["inputs_unchanged"], r["bytes_read"]
print(f"{sys.argv[1]:<14} {mode:<11} pages extracted {ex:>5}  unchanged {un:>5}  {d:7.2f} s  {b/1e6/max(d,1e-9):7.1f} MB/s")
open(sys.argv[2], "a").write(f"{d}\n")' "$1" "$out/times"
}
run() { $bin run "$dir" --out "$out/o" --jobs "$1" --quiet --json --max-failure-rate 1 --log-format json 2>/dev/null || true; }
run "$jobs" | summary "first run"
run "$jobs" | summary "rerun -j$jobs"
run 1 | summary "rerun -j1"
python3 -c '
import sys
t = [float(x) for x in open(sys.argv[1])]
print(f"rerun speed-up: {t[0]/max(t[1],1e-9):.1f}x (-j'"$jobs"'), {t[0]/max(t[2],1e-9):.1f}x (-j1)")' "$out/times"
