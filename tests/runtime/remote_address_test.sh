#!/usr/bin/env bash
# A program built against the bundled runtime and pointed at a remote cluster must
# stop with a non-zero exit and the message saying how to rebuild against Ray.
# Usage: remote_address_test.sh PROGRAM
set -u
program=$1
passed=0
failed=0
for address in "ray://127.0.0.1:10001" "127.0.0.1:6379"; do
  output=$(RAY_ADDRESS="$address" "$program" 2>&1)
  status=$?
  if [ $status -ne 0 ] && grep -qF "Cannot connect to Ray cluster at '$address'" <<<"$output" &&
    grep -qF 'pip install "ray[cpp]"' <<<"$output"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: RAY_ADDRESS=$address exited $status with: $output"
  fi
done
echo "$passed passed, $failed failed"
test $failed -eq 0
