#!/usr/bin/env bash
# Builds into build-<sanitizer>-sanitizer/ (-O1 -g1 with assertions, -fsanitize=SANITIZER)
# and runs what that build holds. Extra arguments go to cmake.
#   scripts/sanitizer-tests.sh thread                  the runtime under ThreadSanitizer
#   scripts/sanitizer-tests.sh address,undefined -DRAYIFY_BUILD_TOOL=OFF
#                                                      the runtime under ASan and UBSan
#   scripts/sanitizer-tests.sh address,undefined      the runtime and the tool (unit, CLI
#                                                      and lint tests); building the tool
#                                                      so took 58 min at -O0 -g on 2 shared
#                                                      cores (2026-12-07)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sanitizer=$1
shift
dir=$root/build-${sanitizer//,/-}-sanitizer
echo "== tests under -fsanitize=$sanitizer"
# -O1 -g1: the sanitizers' advice for speed with readable reports, and a faster build
# than -O0 -g of the same templates.
RAYIFY_BUILD_DIR=$dir bash "$root/scripts/build.sh" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
  -DRAYIFY_SANITIZE="$sanitizer" -DRAYIFY_BUILD_TOOL=ON "$@"
# halt_on_error makes any report fail the test that caused it. Reports go to files,
# printed on failure: a test that captures its child's stderr would swallow them.
# use_sigaltstack=0: LLVM installs its own alternate signal stack on the thread that
# first registers its signal handlers (an output's TempFile, written from a worker
# of `convert -j`), and this ASan, on that thread's exit, unmaps the stack as if it
# were its own and aborts ("unable to unmap", fixed in compiler-rt only in 2026).
reports=$dir/sanitizer-reports
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
fi
exit "$status"
