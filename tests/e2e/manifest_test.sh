#!/usr/bin/env bash
# Converts acceptance programs and checks the report against the manifest.
# Usage: manifest_test.sh RAYIFY MANIFEST_CHECK ACCEPTANCE_DIR NAME...
set -u
rayify=$1
check=$2
acceptance=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=()
for name in "$@"; do files+=("$acceptance/$name.cpp"); done
"$rayify" convert "${files[@]}" -o "$work/out" --report-file "$work/report.json" 2>"$work/log" ||
  { cat "$work/log"; echo "0 passed, 1 failed"; exit 1; }
"$check" "$acceptance/manifest.yaml" "$work/report.json" "$work/out" "$@"
