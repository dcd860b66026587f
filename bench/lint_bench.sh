#!/usr/bin/env bash
# Prints, for each Ray program (the golden conversions of input/ and the lint case
# files), `rayify lint` time divided by `clang++-19 -fsyntax-only` time on the same
# file with the same flags (parsing is the floor; median of RUNS runs each), then the
# `-j2` over `-j1` speedup of linting the whole batch in one run.
# Usage: bench/lint_bench.sh   (after scripts/build.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rayify=${RAYIFY:-$root/build/tool/rayify}
runs=${RUNS:-5}
runtime_include=$root/runtime/include

median() { sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
seconds() {  # seconds COMMAND...: wall time of one run
  local start=$EPOCHREALTIME
  "$@" >/dev/null 2>&1 || true
  awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN {printf "%.4f\n", e - s}'
}

files=("$root"/tests/golden/*.cpp "$root"/tests/lint/cases/*.cpp)
printf "%-34s %9s %9s %7s\n" file "lint s" "parse s" ratio
total_lint=0
total_parse=0
for file in "${files[@]}"; do
  lint=$(for _ in $(seq "$runs"); do seconds "$rayify" lint --fail-on never "$file"; done | median)
  parse=$(for _ in $(seq "$runs"); do
    seconds clang++-19 -std=c++17 -fsyntax-only -isystem "$runtime_include" "$file"
  done | median)
  total_lint=$(awk -v a="$total_lint" -v b="$lint" 'BEGIN {print a + b}')
  total_parse=$(awk -v a="$total_parse" -v b="$parse" 'BEGIN {print a + b}')
  awk -v n="$(basename "$file")" -v l="$lint" -v p="$parse" \
    'BEGIN {printf "%-34s %9.3f %9.3f %6.2fx\n", n, l, p, l / p}'
done
awk -v l="$total_lint" -v p="$total_parse" -v n="${#files[@]}" \
  'BEGIN {printf "all %d files: lint %.2f s, parse %.2f s, %.2fx\n", n, l, p, l / p}'

# One run over the batch: -j1 against -j2.
j1=$(for _ in $(seq 3); do seconds "$rayify" lint --fail-on never -j 1 "${files[@]}"; done | median)
j2=$(for _ in $(seq 3); do seconds "$rayify" lint --fail-on never -j 2 "${files[@]}"; done | median)
awk -v a="$j1" -v b="$j2" -v n="${#files[@]}" \
  'BEGIN {printf "batch of %d files: -j1 %.2f s, -j2 %.2f s, speedup %.2fx\n", n, a, b, a / b}'
