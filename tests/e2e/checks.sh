# Sourced by the end-to-end test scripts: $work, a scratch directory removed on exit;
# `check NAME COMMAND...`, which counts a pass or a failure (showing the end of what
# the command printed); and `finish`, which prints the counts and fails on any failure.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
check() {  # check NAME COMMAND...
  if "${@:2}" >"$work/log" 2>&1; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); echo "FAIL: $1"; tail -30 "$work/log"
  fi
}
finish() {
  echo "$passed passed, $failed failed"
  test $failed -eq 0
}
