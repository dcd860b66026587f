#!/usr/bin/env bash
# `rayify verify` on each given program: the converted program must print exactly
# what the original printed. With an expected-output directory, the converted output
# must also equal <dir>/<name>.out, and so must the run with every iteration sent to the tasks where
# verify made one (a converted loop that may stay in the driver after a trial).
# Usage: verify_test.sh RAYIFY [--expected DIR] [--backend bundled|ray] FILE...
set -u
rayify=$1
shift
expected=""
backend=bundled
while [ $# -gt 0 ]; do
  case "$1" in
    --expected) expected=$2; shift 2 ;;
    --backend) backend=$2; shift 2 ;;
    *) break ;;
  esac
done
if [ $# -eq 0 ]; then
  echo "FAIL: no program to verify"
  echo "0 passed, 1 failed"
  exit 1
fi
passed=0
failed=0
for file in "$@"; do
  name=$(basename "$file" .cpp)
  log=$(mktemp)
  RAYIFY_KEEP_VERIFY_DIR=1 "$rayify" verify --backend "$backend" "$file" >"$log" 2>&1
  status=$?
  dir=$(sed -n 's/^rayify verify: kept //p' "$log")
  if [ $status -ne 0 ] || ! grep -q "identical (" "$log"; then
    failed=$((failed + 1))
    echo "FAIL: verify $file (exit $status)"
    cat "$log"
  elif [ -n "$expected" ] && ! cmp -s "$dir/converted.out" "$expected/$name.out"; then
    failed=$((failed + 1))
    echo "FAIL: $file: converted output differs from $expected/$name.out"
  elif [ -n "$expected" ] && [ -f "$dir/converted-tasks.out" ] &&
    ! cmp -s "$dir/converted-tasks.out" "$expected/$name.out"; then
    failed=$((failed + 1))
    echo "FAIL: $file: with every iteration sent to the tasks, output differs from $expected/$name.out"
  else
    passed=$((passed + 1))
    grep -E "speedup|output|all tasks" "$log" | tr -s ' ' | sed "s|^|$name:|"
  fi
  [ -n "$dir" ] && rm -rf "$dir"
  rm -f "$log"
done
echo "$passed passed, $failed failed"
test $failed -eq 0
