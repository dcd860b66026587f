#!/usr/bin/env bash
# Runs a program and passes only when it exits 0 and prints the expected line.
# Usage: expect_output.sh PROGRAM EXPECTED_LINE
set -u
output=$("$1")
status=$?
if [ $status -ne 0 ]; then
  echo "FAIL: $1 exited $status"
  printf '%s\n' "$output"
  exit 1
fi
if ! printf '%s\n' "$output" | grep -qxF -- "$2"; then
  echo "FAIL: $1 did not print: $2"
  printf '%s\n' "$output"
  exit 1
fi
echo "1 passed, 0 failed"
