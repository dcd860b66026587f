#!/usr/bin/env bash
# Batch conversion from a compilation database, on the fixture project
# (tests/fixtures/batch_project) and on a generated tree of N translation units
# (default 200; one in ten has a loop convert turns into tasks). Prints, for each:
#   - `convert -p` at -j2 over -j1 (the speedup of the batch);
#   - `convert -p -j1` over `clang++-19 -fsyntax-only` of the same files one after
#     another with the same flags (parsing is the floor), with and without the compile
#     check of the converted files.
# Usage: bench/batch_bench.sh [N]   (after scripts/build.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rayify=${RAYIFY:-$root/build/tool/rayify}
units=${1:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seconds() {  # seconds COMMAND...: wall time of one run
  local start=$EPOCHREALTIME
  "$@" >/dev/null 2>&1 || true
  awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN {printf "%.3f\n", e - s}'
}

# The generated tree: src/module_<k>/unit.cpp, each including the same header and the
# standard headers real code includes, with a main in every tenth that has a loop of
# independent calls.
generate() {
  local dir=$1
  mkdir -p "$dir/include"
  printf '#pragma once\n#include <string>\n#include <vector>\nstruct Cell { int id; double v; };\n' \
    >"$dir/include/common.h"
  printf '[\n' >"$dir/compile_commands.json"
  for k in $(seq 1 "$units"); do
    mkdir -p "$dir/src/module_$k"
    local file=$dir/src/module_$k/unit.cpp
    {
      printf '#include <algorithm>\n#include <cmath>\n#include <cstdio>\n#include <map>\n'
      printf '#include "common.h"\n\n'
      printf 'double Smooth%d(int n) {\n  double s = 0;\n' "$k"
      printf '  for (int i = 1; i <= n; ++i) s += std::sqrt(double(i)) / (i + %d);\n' "$k"
      printf '  return s;\n}\n'
      printf 'std::string Name%d(const Cell &c) { return std::to_string(c.id); }\n' "$k"
      if [ $((k % 10)) -eq 0 ]; then
        printf 'int main() {\n  std::vector<double> r(16);\n'
        printf '  for (int i = 0; i < 16; ++i) r[i] = Smooth%d(100000 + i);\n' "$k"
        printf '  std::printf("%%f\\n", r[3]);\n  return 0;\n}\n'
      fi
    } >"$file"
    [ "$k" -gt 1 ] && printf ',\n' >>"$dir/compile_commands.json"
    printf '{"directory": "%s", "file": "%s", "arguments": ["clang++-19", "-std=c++17", "-I%s/include", "-c", "%s"]}' \
      "$dir" "$file" "$dir" "$file" >>"$dir/compile_commands.json"
  done
  printf '\n]\n' >>"$dir/compile_commands.json"
}

# The database's files parsed one after another with their own flags.
syntax_only() {
  python3 - "$1" <<'PY'
import json, subprocess, sys
for entry in json.load(open(sys.argv[1] + "/compile_commands.json")):
    args = entry.get("arguments") or entry["command"].split()
    args = ["clang++-19"] + [a for a in args[1:] if a not in ("-c",)]
    out = args.index("-o") if "-o" in args else -1
    if out >= 0:
        del args[out:out + 2]
    subprocess.run(args + ["-fsyntax-only"], cwd=entry["directory"], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
PY
}

measure() {  # measure NAME DATABASE_DIR [convert args...]
  local name=$1 db=$2
  shift 2
  local parse j1 j2 j1_nocheck
  parse=$(seconds syntax_only "$db")
  j1=$(seconds "$rayify" convert -p "$db" -o "$work/out-$name-1" -j1 "$@")
  j2=$(seconds "$rayify" convert -p "$db" -o "$work/out-$name-2" -j2 "$@")
  j1_nocheck=$(seconds "$rayify" convert -p "$db" -o "$work/out-$name-3" -j1 \
    --no-compile-check "$@")
  awk -v n="$name" -v p="$parse" -v a="$j1" -v b="$j2" -v c="$j1_nocheck" 'BEGIN {
    printf "%s: clang++ -fsyntax-only %.2f s; convert -j1 %.2f s, -j2 %.2f s\n", n, p, a, b
    printf "  -j2 over -j1: %.2fx speedup\n", a / b
    printf "  convert -j1 over -fsyntax-only: %.2fx (%.2fx without the compile check)\n", a / p, c / p
  }'
}

cp -r "$root/tests/fixtures/batch_project" "$work/fixture"
cmake -S "$work/fixture" -B "$work/fixture/build" >/dev/null
measure fixture "$work/fixture/build" --exclude broken
generate "$work/tree"
measure "generated tree of $units units" "$work/tree"
