#!/usr/bin/env bash
# Programs that end abnormally (a task's assert fails, an exception leaves main): the
# converted program must end as the original did, with the same output and the same
# exit status. Each must end abnormally and must have run tasks, or it tests nothing.
# Usage: abnormal_end_test.sh RAYIFY FILE...
set -u
rayify=$1
shift
passed=0
failed=0
for file in "$@"; do
  log=$(mktemp)
  # Worker processes: as threads, the aborting task ends the process before its profile
  # (the task call count) is written.
  "$rayify" verify "$file" >"$log" 2>&1
  original_exit=$(sed -n 's/^  original: .*(exit \(-\?[0-9]*\))$/\1/p' "$log")
  calls=$(sed -n 's/^  calls: *\([0-9]*\),.*/\1/p' "$log")
  if ! grep -q "output: *identical (" "$log"; then
    echo "FAIL: $file: the converted program printed something else or ended otherwise"
    cat "$log"
    failed=$((failed + 1))
  elif [ -z "$original_exit" ] || [ "$original_exit" = 0 ]; then
    echo "FAIL: $file: the original ended normally, so this tests nothing"
    failed=$((failed + 1))
  elif [ -z "$calls" ] || [ "$calls" = 0 ]; then
    echo "FAIL: $file: the converted program ran no task"
    cat "$log"
    failed=$((failed + 1))
  else
    echo "ok: $(basename "$file"): both ended with exit $original_exit after $calls task calls"
    passed=$((passed + 1))
  fi
  rm -f "$log"
done
echo "$passed passed, $failed failed"
test $failed -eq 0 && test $passed -gt 0
