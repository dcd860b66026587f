#!/usr/bin/env bash
# Sets up what is missing, builds, and runs every test: the full CTest suite, then the
# runtime under ThreadSanitizer, and under AddressSanitizer with
# UndefinedBehaviorSanitizer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
ray_dir=$(bash scripts/setup-ray.sh)
bash scripts/setup-sarif-validator.sh >/dev/null
# Without -DNDEBUG: assertions stay on in every test below. -g1 (line tables, enough for
# a backtrace) builds and links faster than full debug information.
bash scripts/build.sh -DRAYIFY_RAY_DIR="$ray_dir" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1"
ctest --test-dir build --output-on-failure -j "$(nproc)"
# What the defences found, from their own summary lines (CTest shows passing tests'
# output only in its log).
grep -hE '^(mutation|generator): |_fuzzer: ' build/Testing/Temporary/LastTest.log || true

# The runtime under ThreadSanitizer, and under AddressSanitizer with
# UndefinedBehaviorSanitizer. The tool is not built a second time here: building it
# under ASan took 58 min at -O0 -g on 2 shared cores, most of CI's 90. The build above
# keeps assertions instead (no NDEBUG: Clang's own, in the headers we use, and ours)
# through every suite; `scripts/sanitizer-tests.sh address,undefined` runs the tool's
# unit, CLI and lint tests under ASan and UBSan by hand.
bash scripts/sanitizer-tests.sh thread
bash scripts/sanitizer-tests.sh address,undefined -DRAYIFY_BUILD_TOOL=OFF
