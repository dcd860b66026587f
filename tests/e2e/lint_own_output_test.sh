#!/usr/bin/env bash
# What rayify convert writes must not commit the anti-patterns rayify lint flags:
# every golden file and every converted acceptance program lints with no warning or
# error (notes, such as a loop convert left for later, are allowed).
# Usage: lint_own_output_test.sh RAYIFY GOLDEN_DIR ACCEPTANCE_DIR
set -u
rayify=$1
golden=$2
acceptance=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$rayify" convert "$acceptance"/*.cpp -o "$work" 2>"$work/convert.log" ||
  { cat "$work/convert.log"; echo "FAIL: converting the acceptance programs"; exit 1; }
converted=$(grep -l "Converted by rayify" "$work"/*.cpp | wc -l)
"$rayify" lint --fail-on warning "$golden"/*.cpp "$work"/*.cpp
status=$?
echo "lint: $(ls "$golden"/*.cpp | wc -l) golden files and $converted converted acceptance programs, exit $status"
test $status -eq 0
