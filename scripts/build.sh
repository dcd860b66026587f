#!/usr/bin/env bash
# Configures and builds rayify into build/ (or $RAYIFY_BUILD_DIR). Extra arguments go
# to cmake, e.g. scripts/build.sh -DRAYIFY_BUILD_BENCH=OFF.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RAYIFY_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
