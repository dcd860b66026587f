#!/usr/bin/env bash
# Batch conversion of a whole project from its compile_commands.json
# (tests/fixtures/batch_project): the tree mirrored under -o with both util.cpp kept
# apart, the file that does not compile reported while the others go on (exit 2), the
# shared header written once with the edits of both units, byte-identical results for
# -j1 and -j2, the converted project built against the installed runtime package with
# the same output as the original, idempotency, --dry-run as one `git apply`-able diff,
# --check, and --in-place.
# Usage: batch_test.sh RAYIFY FIXTURE_DIR BUILD_DIR
set -u
rayify=$(realpath "$1")
fixture=$(realpath "$2")
build_dir=$(realpath "$3")
source "$(dirname "$0")/checks.sh"
copy_project() {  # copy_project FROM TO: the sources, without a build directory
  mkdir -p "$2" && (cd "$1" && tar cf - --exclude=./build .) | (cd "$2" && tar xf -)
}
configure() {  # configure SOURCE [cmake args...]: into SOURCE/build
  cmake -S "$1" -B "$1/build" -DCMAKE_BUILD_TYPE=Release "${@:2}" >/dev/null
}

copy_project "$fixture" "$work/orig"
configure "$work/orig"
cmake --build "$work/orig/build" -j2 >/dev/null
"$work/orig/build/survey" >"$work/survey.expected"
"$work/orig/build/survey_tests" >"$work/tests.expected"

# The batch, with -j2 and then -j1.
# Each run from a directory of its own with the same relative -o, so that the reports
# can be compared byte for byte.
mkdir -p "$work/j1" "$work/j2"
(cd "$work/j2" && "$rayify" convert -p "$work/orig/build" -o out -j2 \
  --report-file report.json >stdout 2>"$work/stderr2")
status=$?
ln -s j2/out "$work/out2"
check "a file that does not compile makes the batch exit 2" test $status -eq 2
check "and the summary lists it with its error" \
  grep -q "src/broken.cpp: does not compile" "$work/stderr2"
check "progress is one line per file when not a terminal" \
  bash -c "grep -c '^\[[1-5]/5\] ' '$work/stderr2' | grep -qx 5"
check "the summary table counts the files" \
  bash -c "grep -Eq 'files converted +3$' '$work/stderr2' && grep -Eq 'files failed +1$' '$work/stderr2'"
check "files with one base name keep their folders" \
  test -f "$work/out2/src/geo/util.cpp" -a -f "$work/out2/src/io/util.cpp"
check "both mains are converted" \
  bash -c "grep -q 'ray::Task' '$work/out2/src/main.cpp' && grep -q 'ray::Task' '$work/out2/tests/test_main.cpp'"
check "the shared header is written once, with one MSGPACK_DEFINE" \
  bash -c "grep -c '^ *MSGPACK_DEFINE(' '$work/out2/include/geo/shape.h' | grep -qx 1"
check "a loop calling a function of another file becomes tasks" \
  grep -q 'ray::Task(RegularPerimeter)' "$work/out2/src/main.cpp"
check "and the file defining that function registers it, once" \
  bash -c "grep -c '^RAY_REMOTE(RegularPerimeter);' '$work/out2/src/geo/util.cpp' | grep -qx 1 &&
           ! grep -q '^RAY_REMOTE(.*RegularPerimeter' '$work/out2/src/main.cpp'"
check "files no conversion needs are left as they were" \
  cmp "$fixture/src/io/util.cpp" "$work/out2/src/io/util.cpp"
"$rayify" convert -p "$work/orig/build" --project-root "$work/orig" "$work/orig/src/main.cpp" --dry-run \
  --report-file "$work/alone.json" >/dev/null 2>&1
check "given alone, the same file keeps that callee unseen" \
  grep -q '"reason": "callee-not-visible"' "$work/alone.json"
check "nothing is written for the file that failed" test ! -e "$work/out2/src/broken.cpp"
check "the inputs are untouched" bash -c "diff -r -x build '$fixture' '$work/orig'"
(cd "$work/j1" && "$rayify" convert -p "$work/orig/build" -o out -j1 \
  --report-file report.json >/dev/null 2>&1)
check "-j1 and -j2 write byte-identical trees" diff -r "$work/j1/out" "$work/j2/out"
check "and byte-identical reports" cmp "$work/j1/report.json" "$work/j2/report.json"

# The converted project, built against the runtime package installed in a prefix.
check "install the runtime package" \
  cmake --install "$build_dir" --component runtime --prefix "$work/prefix"
copy_project "$work/orig" "$work/converted"
cp -r "$work/out2/." "$work/converted/"
check "the converted project builds against rayify::runtime" bash -c "
  cmake -S '$work/converted' -B '$work/converted/build' -DCMAKE_BUILD_TYPE=Release \
    -DWITH_RAYIFY_RUNTIME=ON -DCMAKE_PREFIX_PATH='$work/prefix' >/dev/null &&
  cmake --build '$work/converted/build' -j2 >/dev/null"
check "the converted app prints what the original printed" \
  bash -c "'$work/converted/build/survey' | cmp - '$work/survey.expected'"
check "the converted tests print what the original tests printed" \
  bash -c "'$work/converted/build/survey_tests' | cmp - '$work/tests.expected'"

# Converting the converted project again changes nothing.
copy_project "$work/converted" "$work/again"
configure "$work/again" -DWITH_RAYIFY_RUNTIME=ON -DCMAKE_PREFIX_PATH="$work/prefix"
copy_project "$work/again" "$work/again.before"
check "a second conversion in place changes nothing and exits 0" bash -c "
  '$rayify' convert -p '$work/again/build' --in-place --exclude broken &&
  diff -r -x build '$work/again.before' '$work/again'"
check "--check on the converted project exits 0" \
  "$rayify" convert -p "$work/again/build" --check --exclude broken

# --dry-run: one diff for the tree, relative to the project root; git apply takes it.
"$rayify" convert -p "$work/orig/build" --dry-run --exclude broken \
  >"$work/tree.diff" 2>/dev/null
check "--dry-run names paths relative to the project root" \
  grep -q '^+++ b/include/geo/shape.h' "$work/tree.diff"
copy_project "$work/orig" "$work/applied"
check "git apply takes the dry run's diff" bash -c "cd '$work/applied' && git apply '$work/tree.diff'"
check "and it makes the converted tree" bash -c "
  for f in src/main.cpp tests/test_main.cpp include/geo/shape.h; do
    cmp '$work/applied/'\$f '$work/out2/'\$f || exit 1; done"
"$rayify" convert -p "$work/orig/build" --check --exclude broken >/dev/null 2>&1
check "--check exits 1 when something would change" test $? -eq 1
check "--dry-run wrote nothing" bash -c "diff -r -x build '$fixture' '$work/orig'"

# In place: the converted files replace the originals, nothing else is touched.
copy_project "$work/orig" "$work/inplace"
configure "$work/inplace"
check "--in-place" "$rayify" convert -p "$work/inplace/build" --in-place --exclude broken
check "--in-place rewrites the project's files" \
  bash -c "cmp '$work/inplace/src/main.cpp' '$work/out2/src/main.cpp' &&
           cmp '$work/inplace/include/geo/shape.h' '$work/out2/include/geo/shape.h'"
check "--in-place leaves unchanged files alone" \
  cmp "$work/inplace/src/io/util.cpp" "$work/orig/src/io/util.cpp"
check "--in-place and -o are refused together" \
  bash -c "! '$rayify' convert -p '$work/inplace/build' --in-place -o '$work/x' 2>/dev/null"
"$rayify" convert -p "$work/nowhere" >/dev/null 2>"$work/nowhere.log"
check "-p with no files and no database is a usage error" test $? -eq 2
check "naming the database it could not load" grep -q "compile_commands.json" "$work/nowhere.log"

# verify's project mode: both trees built with the project's CMake and options, the
# command run in each build directory, outputs compared.
"$rayify" verify -p "$work/orig/build" --exclude broken -j2 \
  --run './survey && ./survey_tests' >"$work/verify.out" 2>"$work/verify.err"
check "verify -p proves the converted project prints what the original printed" \
  bash -c "test $? -eq 0 && grep -q 'output: *identical' '$work/verify.out'"
check "verify -p leaves the project as it was" bash -c "diff -r -x build '$fixture' '$work/orig'"
"$rayify" verify -p "$work/orig/build" --exclude broken -j2 --run pwd \
  >"$work/verify-pwd.out" 2>&1
check "verify -p fails (exit 1) when the outputs differ" \
  bash -c "test $? -eq 1 && grep -q 'DIFFERENT' '$work/verify-pwd.out'"
mkdir -p "$work/not-cmake" && cp "$work/orig/build/compile_commands.json" "$work/not-cmake/"
"$rayify" verify -p "$work/not-cmake" --run true >/dev/null 2>"$work/not-cmake.err"
check "verify -p without a CMake build directory is a usage error naming CMakeCache.txt" \
  bash -c "test $? -eq 2 && grep -q 'CMakeCache.txt' '$work/not-cmake.err'"
"$rayify" verify -p "$work/orig/build" "$work/orig/src/main.cpp" >/dev/null 2>&1
check "verify -p with a file is a usage error" test $? -eq 2
finish
