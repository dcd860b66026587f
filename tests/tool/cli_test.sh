#!/usr/bin/env bash
# Command-line contract of rayify: exit codes, messages, inputs left untouched.
# Usage: cli_test.sh RAYIFY_BINARY CASES_DIR
set -u
rayify=$1
cases=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

check() {  # check NAME CONDITION...
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $name"
    echo "  exit=$status"
    echo "  output: $(head -c 2000 "$work/out")"
  fi
}
run() {  # run ARGS... ; sets $status, output in $work/out
  "$rayify" "$@" >"$work/out" 2>&1
  status=$?
}
has() { grep -qF -- "$1" "$work/out"; }

run --version
check "version exits 0" test $status -eq 0
check "version names the tool" has "rayify "
check "version names the linked Clang" has "Clang 19."
resource_dir=$(sed -n 's/.*builtin headers in //p' "$work/out")
check "the resource dir holds Clang's builtin headers" test -f "$resource_dir/include/__stddef_size_t.h"

run --help
check "help exits 0" test $status -eq 0
check "help lists convert" has "convert"
check "help lists lint" has "lint"
check "help lists verify" has "verify"

run
check "no subcommand is a usage error" test $status -eq 2

run convert
check "convert without paths is a usage error" test $status -eq 2

run convert "$work/missing.cpp"
check "missing input exits 2" test $status -eq 2
check "missing input is named" has "$work/missing.cpp: No such file or directory"

mkdir "$work/adir"
run convert "$work/adir"
check "directory input exits 2" test $status -eq 2
check "directory input is explained" has "is a directory"

cp "$cases/broken.cpp" "$work/broken.cpp"
before=$(sha256sum "$work/broken.cpp")
run convert "$work/broken.cpp" -o "$work/out-dir"
check "non-compiling input exits 2" test $status -eq 2
check "clang diagnostic names file and line" has "broken.cpp:3:10: error: use of undeclared identifier 'y'"
check "non-compiling input is left untouched" test "$before" = "$(sha256sum "$work/broken.cpp")"
check "nothing is written for a broken input" test ! -e "$work/out-dir"

cp "$cases/valid.cpp" "$work/valid.cpp"
run convert "$work/valid.cpp" -o "$work/out-dir"
check "valid input parses with clang's builtin headers" has "parsed 1 file(s)"
check "no builtin header is missing" bash -c "! grep -q error: '$work/out'"
check "unbuilt converter says so and exits 2" test $status -eq 2


run lint "$work/valid.cpp"
check "lint not built yet exits 2" test $status -eq 2
check "lint says it is not implemented" has "not implemented yet"

run lint --format xml "$work/valid.cpp"
check "unknown lint format is a usage error" test $status -eq 2

run verify "$work/valid.cpp"
check "verify not built yet exits 2" test $status -eq 2

echo "$passed passed, $failed failed"
test $failed -eq 0
