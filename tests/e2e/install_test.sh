#!/usr/bin/env bash
# rayify installs and works from where it was installed, with the source and build
# trees out of sight: `cmake --install` into a throw-away prefix, and the .deb that
# `cpack -G DEB` makes, unpacked into another. Each converts the project's examples,
# builds them with the CMakeLists.txt it writes (find_package(rayify_runtime) from
# that prefix), and the converted programs print what the originals print.
# Usage: install_test.sh SOURCE_DIR BUILD_DIR
set -u
source_dir=$(cd "$1" && pwd)
build_dir=$(cd "$2" && pwd)
source "$(dirname "$0")/checks.sh"

# Programs of our own to convert, copied out of the source tree, with the output of
# each original built here.
mkdir -p "$work/programs" "$work/expected"
cp "$source_dir"/input/*.cpp "$source_dir"/input/*.h "$work/programs/"
programs="collatz_totals mandelbrot_tiles warehouse_audit"
for name in $programs; do
  c++ -std=c++17 -O2 -ffp-contract=off -o "$work/expected/$name" "$work/programs/$name.cpp" &&
    "$work/expected/$name" >"$work/expected/$name.out"
done

# What runs inside a mount namespace where the source and build trees are empty:
# convert, build against the runtime package of the prefix, run, compare.
cat >"$work/use_prefix.sh" <<'INNER'
set -eu
prefix=$1; out=$2; programs=$3; work=$4
# The directory the test started in may be inside the hidden trees.
cd "$work"
"$prefix/bin/rayify" --version
"$prefix/bin/rayify" convert "$work"/programs/*.cpp -o "$out/src"
grep -q "find_package(rayify_runtime" "$out/src/CMakeLists.txt"
cmake -S "$out/src" -B "$out/build" >/dev/null
cmake --build "$out/build" -j2 >/dev/null
for name in $programs; do
  "$out/build/$name" | cmp - "$work/expected/$name.out"
done
"$prefix/bin/rayify" lint --fail-on never "$work/programs/collatz_totals.cpp" >/dev/null
"$prefix/bin/rayify" verify "$work/programs/collatz_totals.cpp"
INNER

hide_trees() {  # hide_trees COMMAND...: runs it with the source and build trees empty
  unshare -m --propagation private bash -c \
    'mount -t tmpfs tmpfs "$2" && mount -t tmpfs tmpfs "$1" && test ! -e "$1/tool" &&
     shift 2 && exec "$@"' _ "$source_dir" "$build_dir" "$@"
}
if unshare -m --propagation private true 2>/dev/null; then
  hidden=hide_trees
else
  # Without the privilege to make a mount namespace the trees stay visible; the check
  # for compiled-in paths below still covers the installed binary.
  echo "note: cannot make a mount namespace here; the source tree stays visible"
  hidden=""
fi

check "cmake --install" cmake --install "$build_dir" --prefix "$work/prefix" --strip
check "the runtime package is installed" \
  test -f "$work/prefix/lib/cmake/rayify_runtime/rayify_runtimeConfig.cmake" -a \
       -f "$work/prefix/include/rayify/ray/api.h" -a -f "$work/prefix/lib/librayify_runtime.a"
check "the installed tool names no path of the source tree" \
  bash -c "! strings '$work/prefix/bin/rayify' | grep -F '$source_dir/'"
check "installed: convert, build against the package, same output" \
  $hidden bash "$work/use_prefix.sh" "$work/prefix" "$work/from-prefix" "$programs" "$work"

check "cpack -G DEB" bash -c "cd '$build_dir' && cpack -G DEB -B '$work/deb' >/dev/null"
deb=$(ls "$work"/deb/rayify_*.deb 2>/dev/null | head -1)
check "the .deb depends on Clang 19 and the runtime's headers" \
  bash -c "dpkg-deb -f '$deb' Depends | grep -q libclang-cpp19 &&
           dpkg-deb -f '$deb' Depends | grep -q libmsgpack-cxx-dev"
check "the .deb's dependencies are satisfied on this Debian" \
  dpkg --dry-run -i "$deb"
check "dpkg-deb -x" dpkg-deb -x "$deb" "$work/debroot"
check "from the .deb: convert, build against the package, same output" \
  $hidden bash "$work/use_prefix.sh" "$work/debroot/usr" "$work/from-deb" "$programs" "$work"
finish
