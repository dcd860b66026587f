#!/usr/bin/env bash
# Converts every program in input/ and compares each result with its golden file in
# tests/golden/, byte for byte. UPDATE_GOLDEN=1 rewrites the golden files instead.
# Usage: golden_test.sh RAYIFY INPUT_DIR GOLDEN_DIR
set -u
rayify=$1
inputs=$2
golden=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$rayify" convert "$inputs"/*.cpp -o "$work" --report-file "$work/report.json" 2>"$work/log" ||
  { cat "$work/log"; echo "0 passed, 1 failed"; exit 1; }
passed=0
failed=0
for converted in "$work"/*.cpp; do
  name=$(basename "$converted")
  if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$converted" "$golden/$name"
  fi
  if cmp -s "$converted" "$golden/$name"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name differs from its golden file:"
    diff -u "$golden/$name" "$converted" | head -40
  fi
done
echo "$passed passed, $failed failed"
test $failed -eq 0
