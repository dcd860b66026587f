#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-19 (-fsanitize=fuzzer,address,undefined) and
# runs each for a bounded time. Any crash, sanitizer report, leak or hang fails.
# Usage: run_fuzzers.sh SOURCE_DIR BUILD_DIR [SECONDS_PER_TARGET]
set -u
source_dir=$1
build_dir=$2
seconds=${3:-30}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cxx=clang++-19
flags=(-std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -I"$source_dir/tool")
passed=0
failed=0

run_target() {  # run_target NAME CORPUS_DIR [max input length]
  local name=$1 corpus=$2 max_len=${3:-4096}
  mkdir -p "$work/$name-corpus"
  cp -r "$corpus"/. "$work/$name-corpus/" 2>/dev/null
  if "$work/$name" -max_total_time="$seconds" -timeout=20 -max_len="$max_len" \
      -artifact_prefix="$work/$name-" \
      -rss_limit_mb=4096 -print_final_stats=1 "$work/$name-corpus" >"$work/$name.log" 2>&1; then
    passed=$((passed + 1))
    echo "$name: $(grep -E 'stat::number_of_executed_units' "$work/$name.log" | tr -s ' ')"
  else
    failed=$((failed + 1))
    echo "FAIL: $name"
    tail -40 "$work/$name.log"
  fi
}

# Seeds: annotations as people write them, the templates, and the example programs.
mkdir -p "$work/annotations" "$work/templates" "$work/sources"
printf '// rayify: resources(CPU=2, GPU=0.5, memory=512MB)\n' >"$work/annotations/1"
printf '// rayify: resources(custom=3)\n// rayify: ignore\n' >"$work/annotations/2"
cp "$source_dir/templates/"*.inc "$work/templates/"
for file in "$source_dir"/input/*.cpp; do
  # Without the standard headers each run parses in milliseconds.
  grep -v '^#include' "$file" >"$work/sources/$(basename "$file")"
done

$cxx "${flags[@]}" "$source_dir/tests/fuzz/annotation_fuzzer.cpp" \
  "$source_dir/tool/analysis/ResourceAnnotation.cpp" -o "$work/annotation_fuzzer" &&
  run_target annotation_fuzzer "$work/annotations" || { failed=$((failed + 1)); echo "FAIL: build annotation_fuzzer"; }
$cxx "${flags[@]}" "$source_dir/tests/fuzz/template_fuzzer.cpp" "$source_dir/tool/emit/Templates.cpp" \
  -o "$work/template_fuzzer" &&
  run_target template_fuzzer "$work/templates" || { failed=$((failed + 1)); echo "FAIL: build template_fuzzer"; }
# The converter's own libraries come from the release build (compiled by g++): the
# harness is instrumented, Clang and rayify run as built.
llvm_lib=/usr/lib/llvm-19/lib
$cxx -std=c++17 -g -O1 -fsanitize=fuzzer -I"$source_dir/tool" \
  "$source_dir/tests/fuzz/convert_fuzzer.cpp" \
  "$build_dir/tool/librayify_frontend.a" "$build_dir/tool/librayify_core.a" \
  -L"$llvm_lib" -lclang-cpp -lLLVM -Wl,-rpath,"$llvm_lib" -o "$work/convert_fuzzer" &&
  RAYIFY_TEMPLATES_DIR="$source_dir/templates" \
  run_target convert_fuzzer "$work/sources" 8192 || { failed=$((failed + 1)); echo "FAIL: build convert_fuzzer"; }

echo "$passed passed, $failed failed"
test $failed -eq 0
