#!/usr/bin/env bash
# Command-line contract of rayify: exit codes, messages, inputs left untouched.
# Usage: cli_test.sh RAYIFY_BINARY CASES_DIR
set -u
rayify=$(realpath "$1")
cases=$(realpath "$2")
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
check "a program without loops converts cleanly" test $status -eq 0
check "no builtin header is missing" bash -c "! grep -q error: '$work/out'"
check "it is reported unchanged" has "0 converted, 1 unchanged, 0 failed"
check "the unchanged program is still written" cmp -s "$work/valid.cpp" "$work/out-dir/valid.cpp"

cp "$cases/map_loop.cpp" "$work/map_loop.cpp"
before=$(sha256sum "$work/map_loop.cpp")
run convert "$work/map_loop.cpp" -o "$work/out-dir" --report-file "$work/report.json"
check "a map loop converts" test $status -eq 0
check "the summary names the converted loop" has "map_loop.cpp:13: converted: work() runs as Ray tasks (results in 'results')"
check "the summary names the skipped loop" has "map_loop.cpp:15: skipped [io]"
check "the output uses Ray tasks" grep -qF 'ray::Task(work).SetResource("CPU", 1).Remote(i)' "$work/out-dir/map_loop.cpp"
check "the input is never modified" test "$before" = "$(sha256sum "$work/map_loop.cpp")"
check "the report is written" python3 -c '
import json, sys
task = json.load(open(sys.argv[1]))["files"][0]["conversions"][0]
assert (task["kind"], task["line"], task["function"]) == ("task", 13, "work"), task' "$work/report.json"
check "no temporary files are left" test "$(ls -A "$work/out-dir" | grep -c rayify)" -eq 0

run convert "$work/out-dir/map_loop.cpp" -o "$work/again"
check "converting an output again succeeds" test $status -eq 0
check "and says it has nothing to do" has "already converted by rayify; nothing to do"
check "and changes nothing" cmp -s "$work/out-dir/map_loop.cpp" "$work/again/map_loop.cpp"

run convert "$work/map_loop.cpp" -o "$work"
check "output path equal to the input path is refused" test $status -eq 2
check "and explained" has "is the input itself"
check "and the input survives" test "$before" = "$(sha256sum "$work/map_loop.cpp")"

mkdir -p "$work/other"
cp "$cases/map_loop.cpp" "$work/other/map_loop.cpp"
run convert "$work/map_loop.cpp" "$work/other/map_loop.cpp" -o "$work/clash"
check "two inputs with one output name are refused" test $status -eq 2
check "the clash is explained" has "would both be written to"
check "nothing is written on refusal" test ! -e "$work/clash"

run convert "$work/map_loop.cpp" -o "$work/dry" --dry-run
check "dry run exits 0" test $status -eq 0
check "dry run prints a unified diff" has '+        results_refs.push_back(rayify_copy_of(ray::Task(work).SetResource("CPU", 1).Remote(i)));'
check "dry run writes nothing" test ! -e "$work/dry"

run convert "$work/map_loop.cpp" -o "$work/dry" --check
check "check exits 1 when a file would change" test $status -eq 1
run convert "$work/valid.cpp" -o "$work/dry" --check
check "check exits 0 when nothing would change" test $status -eq 0

run convert "$work/map_loop.cpp" -o "$work/t" --templates "$work/no-templates"
check "a missing template directory is a usage error" test $status -eq 2
check "the missing template is named" has "$work/no-templates/prologue.inc"

mkdir -p "$work/templates"
cp "$cases/../../../templates/"* "$work/templates/"
sed -i 's/int main(int argc, char \*\*argv) {/int main(int argc, char **argv) {  \/\/ our own main/' "$work/templates/main.inc"
run convert "$work/map_loop.cpp" -o "$work/custom" --templates "$work/templates"
check "edited templates are used without rebuilding" grep -q "// our own main" "$work/custom/map_loop.cpp"

run convert "$work/map_loop.cpp" -o ""
check "an empty output directory is a usage error" test $status -eq 2
check "and says so" has "the output directory (-o) is empty"

printf 'int main(void) { return 0; }\n' > "$work/plain.c"
run convert "$work/plain.c" -o "$work/c-out"
check "a C source is a usage error" test $status -eq 2
check "naming the file" has "plain.c: is a C source"
check "and nothing is written" test ! -e "$work/c-out"

run convert "$work/map_loop.cpp" -o "$work/rep" --report-file "$work/map_loop.cpp"
check "a report path equal to an input is refused" test $status -eq 2
check "the input survives the report path" test "$before" = "$(sha256sum "$work/map_loop.cpp")"
run convert "$work/map_loop.cpp" -o "$work/rep" --report-file "$work/rep/map_loop.cpp"
check "a report path equal to an output is refused" test $status -eq 2
check "and explained" has "an input or output of this run"

touch "$work/not-a-dir"
run convert "$work/map_loop.cpp" -o "$work/staged" --report-file "$work/not-a-dir/report.json"
check "a report that cannot be written fails the run" test $status -eq 2
check "and no converted file is left behind" test ! -e "$work/staged/map_loop.cpp"

# The net under every conversion: a converted file that would not compile (a user type
# named ray, a macro named like Ray's API) is left as it was, with the compiler's error.
for clash in 'struct ray { int id; };' '#define Task Job'; do
  sed "s|#include <vector>|#include <vector>\n$clash|" "$cases/map_loop.cpp" > "$work/clash.cpp"
  run convert "$work/clash.cpp" -o "$work/clash-out"
  check "a conversion that would not compile is not written ($clash)" \
    cmp -s "$work/clash.cpp" "$work/clash-out/clash.cpp"
  check "and the loop says why ($clash)" has "skipped [does-not-compile]"
  check "quoting the compiler ($clash)" has "error:"
  check "and it still exits 0 ($clash)" test $status -eq 0
done
run convert "$work/map_loop.cpp" -o "$work/unchecked" --no-compile-check
check "--no-compile-check skips the check" bash -c "! grep -q 'compile check' '$work/out'"

run convert "$work/map_loop.cpp" -o "$work/r" --rules "$work/rules.yaml"
check "a missing --rules file is refused, not ignored" test $status -eq 2
check "and named" has "rules.yaml: cannot read the configuration file"
check "nothing is written" test ! -e "$work/r"
printf 'thresholds:\n  max-in-flight: 8\n  submit-all-limit: 4\n' > "$work/rules.yaml"
run convert "$work/map_loop.cpp" -o "$work/r" --config "$work/rules.yaml"
check "--config sets convert's in-flight window" grep -q "size() >= 8)" "$work/r/map_loop.cpp"
check "and the summary says so" has "at most 8 in flight"
printf 'thresholds:\n  max-in-flight: many\n' > "$work/rules.yaml"
run convert "$work/map_loop.cpp" -o "$work/r2" --config "$work/rules.yaml"
check "a bad threshold is a usage error" test $status -eq 2
check "naming file, line and column" has "rules.yaml:2:18: 'max-in-flight' takes a whole number"

mkdir -p "$work/proj/include" "$work/proj/build"
printf 'inline double scale() { return 0.5; }\n' > "$work/proj/include/scale.h"
sed 's|#include <vector>|#include <vector>\n#include "scale.h"|; s|x \* 0.999999|x * scale() * 1.999998|' \
  "$cases/map_loop.cpp" > "$work/proj/app.cpp"
printf '[{"directory": "%s", "file": "%s", "command": "c++ -std=c++17 -I%s -c %s"}]\n' \
  "$work/proj" "$work/proj/app.cpp" "$work/proj/include" "$work/proj/app.cpp" \
  > "$work/proj/build/compile_commands.json"
run convert "$work/proj/app.cpp" -o "$work/proj/out"
check "without the compilation database the include is missing" test $status -eq 2
run convert "$work/proj/app.cpp" -o "$work/proj/out" -p "$work/proj/build"
check "with -p the project's flags are used" test $status -eq 0
check "and its loop converts" grep -qF 'ray::Task(work).SetResource("CPU", 1).Remote(i)' "$work/proj/out/app.cpp"
run convert "$work/proj/app.cpp" -o "$work/proj/out" -p "$work/proj/nowhere"
check "a missing compilation database is an error" test $status -eq 2
check "naming the directory" has "$work/proj/nowhere"

run verify "$work/map_loop.cpp"
check "verify exits 0 when outputs match" test $status -eq 0
check "verify reports identical output" has "identical ("
check "verify reports a speedup" has "speedup:"

check "verify runs tasks and actors in processes of their own by default" \
  has "tasks and actors in processes of their own"

# A header of the program's own that the conversion leaves alone: the converted copy,
# built elsewhere, must still find it beside the original.
mkdir -p "$work/local_header"
printf 'inline double scale() { return 0.5; }\n' > "$work/local_header/scale.h"
sed 's|#include <vector>|#include <vector>\n#include "scale.h"|; s|x \* 0.999999|x * scale() * 1.999998|' \
  "$cases/map_loop.cpp" > "$work/local_header/app.cpp"
run verify "$work/local_header/app.cpp"
check "verify finds the program's own headers" test $status -eq 0
check "and compares the outputs" has "identical ("

# Only the converted program runs with isolated workers: a program that prints the
# switch sees it only there, so the two outputs differ and verify says so.
printf '#include <cstdio>\n#include <cstdlib>\nint main() { const char *v = std::getenv("RAYIFY_ISOLATED_WORKERS"); std::printf("%%s\\n", v ? v : "-"); }\n' \
  > "$work/shows_mode.cpp"
run verify "$work/shows_mode.cpp"
check "the converted program alone runs isolated" test $status -eq 1
check "and the difference is shown" has "DIFFERENT at line 1"
run verify --in-process "$work/shows_mode.cpp"
check "--in-process runs tasks as threads" test $status -eq 0

run verify --json "$work/map_loop.cpp"
check "verify --json prints the comparison" python3 -c '
import json, sys
result = json.load(open(sys.argv[1]))
assert result["identical"] is True and result["speedup"] > 0, result' "$work/out"
# The runtime timed the converted program's task calls, and the ceiling is a speedup
# between none and one per CPU.
check "verify --json reports the task calls and the speedup ceiling" python3 -c '
import json, os, sys
result = json.load(open(sys.argv[1]))
assert result["calls"] > 0 and result["median_call_ms"] >= 0, result
assert 1.0 <= result["speedup_ceiling"] <= os.cpu_count(), result' "$work/out"

# A chunked loop tries a few iterations in the driver first: cheap ones keep the loop
# there (no task ran), heavy ones send the rest as tasks. Either way verify runs the
# program again with every iteration sent to the tasks, and both outputs must match the original's.
cp "$cases/cheap_chunks.cpp" "$work/cheap_chunks.cpp"
run verify --json "$work/cheap_chunks.cpp"
check "a loop cheap at run time stays in the driver, and verify checks its tasks" python3 -c '
import json, sys
result = json.load(open(sys.argv[1]))
assert result["identical"] is True and result["calls"] == 0, result
assert result["all_tasks"]["identical"] is True, result' "$work/out"
run verify --json "$work/cheap_chunks.cpp" -- heavy
check "a loop heavy at run time sends its chunks to tasks" python3 -c '
import json, sys
result = json.load(open(sys.argv[1]))
assert result["identical"] is True and result["calls"] > 0, result
assert result["all_tasks"]["identical"] is True, result' "$work/out"
run verify "$work/cheap_chunks.cpp"
check "verify's report shows the run with every iteration sent to the tasks" has "all tasks: "
# Loops of a task per iteration whose length the driver cannot ask send 8 tasks, then
# try one iteration: cheap, the rest stay in the driver (8 tasks a loop); heavy, they go
# to tasks. Outputs match the original's either way, and with every iteration sent.
cp "$cases/cheap_iterations.cpp" "$work/cheap_iterations.cpp"
run verify --json "$work/cheap_iterations.cpp"
check "cheap iterations of unknown count stay in the driver after 8 tasks a loop" python3 -c '
import json, sys
result = json.load(open(sys.argv[1]))
# 8 a loop; more only if the driver was held up over a millisecond during a trial.
assert result["identical"] is True and 24 <= result["calls"] < 69, result
assert result["all_tasks"]["identical"] is True, result' "$work/out"
run verify --json "$work/cheap_iterations.cpp" -- heavy
check "heavy iterations of unknown count go to tasks but the one tried" python3 -c '
import json, sys
result = json.load(open(sys.argv[1]))
assert result["identical"] is True and result["calls"] == 69, result
assert result["all_tasks"]["identical"] is True, result' "$work/out"
# Only the run with every iteration sent to the tasks sees RAYIFY_ALWAYS_TASKS: a program that prints
# it differs there alone, and verify says which run differed.
sed 's|    std::printf("%.3f\\n", total);|    const char *all = std::getenv("RAYIFY_ALWAYS_TASKS");\n    std::printf("%.3f %s\\n", total, all ? all : "-");|; s|#include <vector>|#include <vector>\n#include <cstdlib>|' \
  "$cases/cheap_chunks.cpp" >"$work/shows_all_tasks.cpp"
run verify "$work/shows_all_tasks.cpp"
check "a difference with every iteration sent to the tasks fails verify" test $status -eq 1
check "and verify names that run" has "DIFFERENT with every iteration sent to the tasks"

run verify "$work/broken.cpp"
check "verify of a broken input exits 2" test $status -eq 2

# --ignore-lines leaves lines that differ on every run (here a process id) out of the
# comparison, in both outputs, and says how many; nothing else is loosened.
printf '#include <cstdio>\n#include <unistd.h>\nint main() { std::printf("result 42\\nrun by process %%d\\n", (int)getpid()); }\n' \
  >"$work/prints_pid.cpp"
run verify "$work/prints_pid.cpp"
check "a line that differs on every run fails verify" test $status -eq 1
run verify --ignore-lines '^run by process [0-9]+$' "$work/prints_pid.cpp"
check "--ignore-lines leaves it out" test $status -eq 0
check "and says how many lines it left out" has "ignored:   1 line(s) of the original's output, 1 of the converted's"
check "the rest is still compared" has "identical (10 bytes)"
run verify --json --ignore-lines 'process' --ignore-lines 'never matches' "$work/prints_pid.cpp"
check "verify --json counts the ignored lines" python3 -c '
import json, sys
result = json.load(open(sys.argv[1]))
assert result["identical"] and result["ignored_lines"] == {"original": 1, "converted": 1}, result' "$work/out"
run verify --ignore-lines 'result' "$work/prints_pid.cpp"
check "a pattern that misses the varying line changes nothing" test $status -eq 1
run verify --ignore-lines '(' "$work/prints_pid.cpp"
check "a malformed pattern is a usage error" test $status -eq 2
check "that names the pattern" has "--ignore-lines '(' is not a valid regular expression"

# verify --backend ray finds Ray's C++ API through `ray cpp --show-library-path`, which
# prints the paths in bold (terminal escapes) once ray[default] is installed. A stand-in
# `ray` points at a directory with empty headers: the lookup succeeds, the build fails.
fake=$work/fake-ray
mkdir -p "$fake/bin" "$fake/cpp/include/ray" "$fake/cpp/lib"
touch "$fake/cpp/include/ray/api.h" "$fake/cpp/lib/libray_api.so"
cat >"$fake/bin/ray" <<FAKE
#!/bin/sh
printf 'INFO scripts.py -- Ray C++ include path \033[1m%s\033[22m\033[26m \n' "$fake/cpp/include"
FAKE
chmod +x "$fake/bin/ray"
PATH="$fake/bin:$PATH" run verify --backend ray "$work/map_loop.cpp"
check "verify finds Ray's C++ API behind terminal escapes" has "building the converted"
check "and does not call it missing" sh -c "! grep -q 'was not found' '$work/out'"
PATH=/usr/bin:/bin run verify --backend ray "$work/map_loop.cpp"
check "without ray on PATH, verify says how to install it" has "pip install"

cp "$cases/echo_input.cpp" "$work/echo_input.cpp"
printf 'alpha\nbeta\n' | "$rayify" verify "$work/echo_input.cpp" >"$work/out" 2>&1
status=$?
check "verify feeds both programs the same standard input" test $status -eq 0
check "and the input was really read" has "identical (23 bytes)"

# Interrupted while it runs the programs, verify leaves no directory and no process.
mkdir -p "$work/tmp"
cp "$cases/slow.cpp" "$work/slow.cpp"
TMPDIR="$work/tmp" "$rayify" verify "$work/slow.cpp" >"$work/out" 2>&1 &
verify_pid=$!
for _ in $(seq 1 600); do  # at most 60 s for the two builds
  ls "$work"/tmp/rayify-verify-*/original.out >/dev/null 2>&1 && break
  sleep 0.1
done
kill -TERM "$verify_pid"
wait "$verify_pid"
status=$?
check "verify stops on SIGTERM" test $status -ne 0
check "its temporary directory is removed" test -z "$(ls -A "$work/tmp")"
check "and the program it ran is gone" bash -c "! pgrep -f '$work/tmp/[r]ayify-verify' >/dev/null"

# Bounded runs: a program that runs too long, or that prints without end once its
# input is exhausted, is stopped with everything it started, and verify says which
# bound stopped it.
mkdir -p "$work/tmp"
TMPDIR="$work/tmp" run verify --timeout 2 "$work/slow.cpp" </dev/null
check "verify stops a program at --timeout" has "stopped:   the original program, after 2 s (--timeout)"
check "and exits 2: there is no output to compare against" test $status -eq 2
check "so it does not run the converted program" has "converted: not run"
check "and leaves no process behind" bash -c "! pgrep -f '$work/tmp/[r]ayify-verify' >/dev/null"
cp "$cases/endless.cpp" "$work/endless.cpp"
TMPDIR="$work/tmp" run verify --max-output 64KB "$work/endless.cpp" </dev/null
check "verify stops a program that prints without end" has "(--max-output)"
check "naming the bound in bytes" has "more than 65536 bytes"
check "it exits 2 for that too" test $status -eq 2
TMPDIR="$work/tmp" run verify --json --max-output 64KB "$work/endless.cpp" </dev/null
check "--json says the converted program did not run" has '"converted_ran":false'
check "and removes what the program wrote" test -z "$(ls -A "$work/tmp")"
run verify --max-output lots "$work/endless.cpp"
check "a malformed --max-output is an error" test $status -ne 0
check "that names the option" has "max-output"

# --extra-arg reaches the parse, the compile check and verify's builds.
cp "$cases/needs_flags.cpp" "$work/needs_flags.cpp"
run convert "$work/needs_flags.cpp" -o "$work/flags-out"
check "a file needing a flag does not compile without it" test $status -eq 2
check "and the missing macro is named" has "ROUNDS"
run convert "$work/needs_flags.cpp" -o "$work/flags-out" --extra-arg=-DROUNDS=200000
check "with --extra-arg it converts" test $status -eq 0
check "its loop becomes tasks" has "1 loop(s) converted"
check "the converted file is written" test -f "$work/flags-out/needs_flags.cpp"
run lint "$work/needs_flags.cpp" --extra-arg -DROUNDS=200000
check "lint takes --extra-arg too" test $status -eq 0
run verify "$work/needs_flags.cpp" --extra-arg=-DROUNDS=200000
check "verify builds both programs with --extra-arg" test $status -eq 0
check "and they print the same" has "identical"

run lint "$work/valid.cpp"
check "lint on clean code exits 0" test $status -eq 0
check "and says what it checked" has "1 file(s): 0 error(s), 0 warning(s)"

run lint --format xml "$work/valid.cpp"
check "unknown lint format is a usage error" test $status -eq 2


# Run from a directory that was removed: a clear error, not an abort inside Clang.
mkdir "$work/gone"
(cd "$work/gone" && rmdir "$work/gone" &&
  "$rayify" convert "$cases/map_loop.cpp" -o "$work/gone-out" >"$work/out" 2>&1)
status=$?
check "a removed working directory is a usage error" test $status -eq 2
check "and says so" has "cannot read the current directory"


echo "$passed passed, $failed failed"
test $failed -eq 0
