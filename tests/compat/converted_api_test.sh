#!/usr/bin/env bash
# Every program rayify produces from input/ and the acceptance corpus must compile
# against both the bundled runtime's headers and Ray's own. Then a converted program
# built against the bundled runtime, pointed at a remote cluster, must stop with the
# rebuild message.
# Usage: converted_api_test.sh RAYIFY RUNTIME_INCLUDE RUNTIME_LIBRARY RAY_CPP_DIR SOURCES...
set -u
rayify=$1
runtime_include=$2
runtime_library=$3
ray=$4
shift 4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$rayify" convert "$@" -o "$work" >/dev/null 2>&1 || { echo "convert failed"; exit 1; }
passed=0
failed=0
for file in "$work"/*.cpp; do
  grep -q "Converted by rayify" "$file" || continue
  if c++ -std=c++17 -fsyntax-only -I"$runtime_include" "$file" 2>"$work/err"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); echo "FAIL: $(basename "$file") against the bundled runtime"; head -20 "$work/err"
  fi
  if c++ -std=c++17 -fsyntax-only -D_GLIBCXX_USE_CXX11_ABI=0 -isystem "$ray/include" "$file" \
    2>"$work/err"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); echo "FAIL: $(basename "$file") against Ray's headers"; head -20 "$work/err"
  fi
done

program=$(grep -l "Converted by rayify" "$work"/*.cpp | head -1)
c++ -std=c++17 -O1 -I"$runtime_include" "$program" "$runtime_library" -pthread -o "$work/bundled"
output=$(RAY_ADDRESS=ray://127.0.0.1:10001 "$work/bundled" 2>&1)
code=$?
if [ $code -eq 1 ] && grep -q "cannot start Ray: Cannot connect to Ray cluster at 'ray://127.0.0.1:10001'" <<<"$output" &&
  grep -qF 'pip install "ray[cpp]"' <<<"$output"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); echo "FAIL: bundled build with a remote RAY_ADDRESS exited $code: $output"
fi
echo "$passed passed, $failed failed"
test $failed -eq 0
