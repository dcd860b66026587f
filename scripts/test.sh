#!/usr/bin/env bash
# Sets up what is missing, builds, and runs every test: the full CTest suite, then the
# runtime under ThreadSanitizer, and the runtime and the tool under AddressSanitizer
# with UndefinedBehaviorSanitizer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
ray_dir=$(bash scripts/setup-ray.sh)
bash scripts/setup-sarif-validator.sh >/dev/null
bash scripts/build.sh -DRAYIFY_RAY_DIR="$ray_dir"
ctest --test-dir build --output-on-failure -j "$(nproc)"
# What the defences found, from their own summary lines (CTest shows passing tests'
# output only in its log).
grep -hE '^(mutation|generator): |_fuzzer: ' build/Testing/Temporary/LastTest.log || true

# The runtime under ThreadSanitizer; the runtime and the tool (unit and CLI tests)
# under AddressSanitizer and UndefinedBehaviorSanitizer.
for sanitizer in thread address,undefined; do
  dir=build-${sanitizer//,/-}-sanitizer
  echo "== tests under -fsanitize=$sanitizer"
  RAYIFY_BUILD_DIR=$root/$dir bash scripts/build.sh -DCMAKE_BUILD_TYPE=Debug \
    -DRAYIFY_SANITIZE=$sanitizer
  # halt_on_error makes any report fail the test that caused it. Reports go to files,
  # printed on failure: a test that captures its child's stderr would swallow them.
  # use_sigaltstack=0: LLVM installs its own alternate signal stack on the thread that
  # first registers its signal handlers (an output's TempFile, written from a worker
  # of `convert -j`), and this ASan, on that thread's exit, unmaps the stack as if it
  # were its own and aborts ("unable to unmap", fixed in compiler-rt only in 2026).
  reports=$root/$dir/sanitizer-reports
  rm -rf "$reports" && mkdir -p "$reports"
  status=0
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 log_path=$reports/tsan" \
    ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:use_sigaltstack=0:log_path=$reports/asan" \
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan" \
    ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" || status=$?
  if [ "$status" -ne 0 ]; then
    for report in "$reports"/*; do
      [ -f "$report" ] && { echo "== sanitizer report $report"; cat "$report"; }
    done
    exit "$status"
  fi
done
