#!/usr/bin/env bash
# Driver code across files (tests/fixtures/driver_project): converted whole from its
# compile_commands.json, the loop of sweep.cpp (main → Simulate → Sweep, two files
# away from main) becomes tasks, main.cpp connects to Ray although it converts
# nothing, stats.cpp (which the tasks run) keeps its loop with that reason, and the
# converted program prints what the original printed, in worker processes and as
# threads. Converting only some of the files leaves sweep.cpp as it was.
# Usage: driver_project_test.sh RAYIFY FIXTURE_DIR
set -u
rayify=$(realpath "$1")
fixture=$(realpath "$2")
source "$(dirname "$0")/checks.sh"
cp -r "$fixture" "$work/project"
cmake -S "$work/project" -B "$work/project/build" -DCMAKE_BUILD_TYPE=Release >/dev/null

"$rayify" convert -p "$work/project/build" -o "$work/out" \
  --report-file "$work/report.json" >"$work/stdout" 2>"$work/stderr"
check "the whole program converts" test $? -eq 0
check "sweep.cpp's loop becomes tasks" grep -q 'ray::Task(' "$work/out/sweep.cpp"
check "and registers them in its own file" grep -q '^RAY_REMOTE(' "$work/out/sweep.cpp"
check "main.cpp connects to Ray for them" grep -q 'ray::Init' "$work/out/main.cpp"
check "stats.cpp runs inside the tasks and keeps its loop" \
  bash -c "cmp '$fixture/stats.cpp' '$work/out/stats.cpp' &&
           grep -q 'Stats(), which runs inside Ray tasks' '$work/report.json'"
check "the sequential loop of simulate.cpp says why" \
  grep -q '"reason": "loop-carried-dependency"' "$work/report.json"

"$rayify" verify -p "$work/project/build" --run ./driver_demo >"$work/verify" 2>&1
check "verify: identical output in worker processes" \
  bash -c "grep -q 'output: *identical' '$work/verify'"
"$rayify" verify -p "$work/project/build" --run ./driver_demo --in-process \
  >"$work/verify_threads" 2>&1
check "verify: identical output as threads" \
  bash -c "grep -q 'output: *identical' '$work/verify_threads'"

"$rayify" convert -p "$work/project/build" -o "$work/part" --exclude stats.cpp \
  --report-file "$work/part.json" >/dev/null 2>&1
check "with a file left out, sweep.cpp keeps its loop" \
  bash -c "cmp '$fixture/sweep.cpp' '$work/part/sweep.cpp' &&
           grep -q 'every file of the program is converted together' '$work/part.json'"
finish
