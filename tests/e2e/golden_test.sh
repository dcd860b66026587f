#!/usr/bin/env bash
# Converts every program in input/ and compares each result (and each project header
# a conversion edits) with its golden file in tests/golden/, byte for byte.
# UPDATE_GOLDEN=1 rewrites the golden files instead.
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
fail() {
  failed=$((failed + 1))
  echo "FAIL: $1"
}
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
  for converted in "$work"/*.cpp "$work"/*.h; do
    [ -f "$converted" ] && cp "$converted" "$golden/$(basename "$converted")"
  done
fi
# Every golden file must be produced, identical; every output must have a golden.
for expected in "$golden"/*.cpp "$golden"/*.h; do
  [ -f "$expected" ] || continue
  name=$(basename "$expected")
  if [ ! -f "$work/$name" ]; then
    fail "$name has a golden file but rayify wrote no output for it"
  elif cmp -s "$work/$name" "$expected"; then
    passed=$((passed + 1))
  else
    fail "$name differs from its golden file:"
    diff -u "$expected" "$work/$name" | head -40
  fi
done
for converted in "$work"/*.cpp "$work"/*.h; do
  [ -f "$converted" ] || continue
  [ -f "$golden/$(basename "$converted")" ] || fail "$(basename "$converted") has no golden file"
done
[ $passed -gt 0 ] || fail "no golden file was compared"
echo "$passed passed, $failed failed"
test $failed -eq 0
