#!/usr/bin/env bash
# Prints, for each acceptance program, each example in input/ and each program of
# tests/outline/:
#   - `rayify convert --no-compile-check` time divided by `clang++-19 -fsyntax-only`
#     time on the same file (parsing is the floor; median of RUNS runs each),
#   - what the compile check adds (convert with it, minus without), and
#   - the `rayify verify` speedup of the converted program (median of VERIFY_RUNS),
#     with tasks in worker processes (verify's default, as on Ray) and as threads
#     (--in-process: how a converted program runs on the bundled runtime), and
#   - from the worker-process runs, the median time of one task or actor call and the
#     speedup ceiling verify derives from the calls' total time (Amdahl: what the
#     sequential rest of the program allows on this machine's CPUs).
# Usage: bench/convert_bench.sh [ACCEPTANCE_DIR]   (after scripts/build.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
acceptance=${1:-$root/../shared/acceptance}
rayify=${RAYIFY:-$root/build/tool/rayify}
runs=${RUNS:-5}
verify_runs=${VERIFY_RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
seconds() {  # seconds COMMAND...: wall time of one run
  local start=$EPOCHREALTIME
  "$@" >/dev/null 2>&1
  awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN {printf "%.4f\n", e - s}'
}

printf "%-24s %10s %10s %7s %9s %9s %9s %9s %8s\n" program "convert s" "parse s" ratio \
  "check s" isolated threads "call ms" ceiling
for file in "$acceptance"/*.cpp "$root"/input/*.cpp "$root"/tests/outline/*.cpp; do
  name=$(basename "$file" .cpp)
  convert=$(for _ in $(seq "$runs"); do
    seconds "$rayify" convert --no-compile-check "$file" -o "$work/out"
  done | median)
  checked=$(for _ in $(seq "$runs"); do seconds "$rayify" convert "$file" -o "$work/out"; done | median)
  parse=$(for _ in $(seq "$runs"); do seconds clang++-19 -std=c++17 -fsyntax-only "$file"; done | median)
  verify_json() {  # verify_json [VERIFY FLAGS...]: one JSON line per run
    for _ in $(seq "$verify_runs"); do
      "$rayify" verify --json "$@" "$file" 2>/dev/null || true
    done
  }
  field() {  # field KEY < JSON lines: the median of KEY, "-" when absent
    sed -n "s/.*\"$1\": *\([0-9.]*\).*/\1/p" | median | sed 's/^$/-/'
  }
  verify_json >"$work/isolated.json"
  isolated=$(field speedup <"$work/isolated.json")
  call_ms=$(field median_call_ms <"$work/isolated.json")
  ceiling=$(field speedup_ceiling <"$work/isolated.json")
  threads=$(verify_json --in-process | field speedup)
  awk -v n="$name" -v c="$convert" -v p="$parse" -v k="$checked" -v i="$isolated" \
    -v t="$threads" -v m="$call_ms" -v x="$ceiling" \
    'BEGIN {if (m != "-") m = sprintf("%.2f", m); if (x != "-") x = sprintf("%.2fx", x)
            printf "%-24s %10.3f %10.3f %6.2fx %9.3f %8.2fx %8.2fx %9s %8s\n",
                   n, c, p, c / p, k - c, i, t, m, x}'
done
