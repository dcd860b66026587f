#!/usr/bin/env bash
# `rayify lint` from the command line: formats, exit codes, suppressions, config
# discovery and errors, baselines, compilation databases.
# Usage: lint_cli_test.sh RAYIFY_BINARY CASES_DIR
set -u
rayify=$(realpath "$1")
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
    echo "  stdout: $(head -c 1500 "$work/out")"
    echo "  stderr: $(head -c 1500 "$work/err")"
  fi
}
run() {  # run ARGS... ; sets $status, output in $work/out and $work/err
  "$rayify" "$@" >"$work/out" 2>"$work/err"
  status=$?
}
has() { grep -qF -- "$1" "$work/out"; }
err_has() { grep -qF -- "$1" "$work/err"; }
count() { grep -cF -- "$1" "$work/out"; }

# A project: src/app.cpp with one discarded ref and one tiny task in a loop.
mkdir -p "$work/proj/src/sub" "$work/proj/build"
cat > "$work/proj/src/app.cpp" <<'CPP'
#include <ray/api.h>
#include <vector>
int square(int x) { return x * x; }
int heavy(int x) { int s = 0; for (int i = 0; i < x; ++i) s += i; return s; }
RAY_REMOTE(square, heavy);
int main(int argc, char **argv) {
  ray::Init();
  ray::Task(heavy).Remote(1);
  std::vector<ray::ObjectRef<int>> refs;
  for (int i = 0; i < 8; ++i) { auto ref = ray::Task(square).Remote(i); refs.push_back(ref); }
  int s = 0;
  for (auto &v : ray::Get(refs)) s += *v;
  ray::Shutdown();
  return s & 1;
}
CPP
app=$work/proj/src/app.cpp
before=$(sha256sum "$app")

# Text output and exit codes.
(cd "$work/proj" && "$rayify" lint src/app.cpp >"$work/out" 2>"$work/err")
status=$?
check "findings exit 1" test $status -eq 1
check "compiler-style location, severity and rule id" \
  has "src/app.cpp:8:3: warning: the ObjectRef this .Remote() returns is dropped"
check "the rule id ends the message" has "[rayify-discarded-object-ref]"
check "the source line follows" has "  ray::Task(heavy).Remote(1);"
check "and a caret under the range" grep -qx '  ^~~~~~~~~~~~~~~~~~~~~~~~~~' "$work/out"
check "no colour when not a terminal" bash -c "! grep -q $'\e' '$work/out'"
check "a summary on stderr" err_has "1 file(s): 0 error(s), 2 warning(s), 0 note(s)"
check "the input is untouched" test "$before" = "$(sha256sum "$app")"
run lint --color=always "$app"
check "--color=always colours" grep -q $'\e\[1;35mwarning' "$work/out"
run lint --fail-on error "$app"
check "--fail-on error ignores warnings" test $status -eq 0
run lint --fail-on never "$app"
check "--fail-on never exits 0" test $status -eq 0
run lint "$work/missing.cpp"
check "a missing file exits 2" test $status -eq 2
check "naming it" err_has "missing.cpp: No such file or directory"
printf 'int main() { return undefined_name; }\n' > "$work/broken.cpp"
run lint "$work/broken.cpp" "$app"
check "a file that does not compile exits 2" test $status -eq 2
check "and is named" err_has "broken.cpp: does not compile"
check "the other file is still checked" has "app.cpp:8:3"
run lint --format yaml "$app"
check "an unknown format is a usage error" test $status -eq 2

# JSON and SARIF: one document on stdout, nothing else.
run lint --format json "$app"
check "json parses" python3 -c "import json,sys; d=json.load(open('$work/out')); sys.exit(len(d['findings']) != 2)"
run lint --format sarif --project-root "$work/proj" "$app"
check "sarif parses as the only thing on stdout" python3 -c "import json; json.load(open('$work/out'))"
check "with repository-relative URIs" has '"uri": "src/app.cpp"'
check "and fingerprints" has '"rayifyFingerprint/v1"'
cp "$work/out" "$work/first.sarif"
run lint --format sarif --project-root "$work/proj/src/sub" "$app"
check "a file outside the project root gets an absolute file URI" \
  has "\"uri\": \"file://$work/proj/src/app.cpp\""
run lint --format sarif --output "$work/report.sarif" --project-root "$work/proj" "$app"
check "--output leaves stdout empty" test ! -s "$work/out"
check "and writes the same log" cmp -s "$work/report.sarif" "$work/first.sarif"
check "with no temporary left behind" test "$(ls "$work" | grep -c 'report.sarif')" -eq 1

# Baselines: inserting lines above a finding keeps its fingerprint.
cp "$app" "$work/app.orig"
sed -i '1i // a comment\n// and another' "$app"
run lint --baseline "$work/first.sarif" --project-root "$work/proj" "$app"
check "moved findings stay in the baseline" test $status -eq 0
check "none reported" test ! -s "$work/out"
check "the summary counts them" err_has "2 in the baseline"
sed -i 's|  ray::Shutdown();|  ray::Task(heavy).Remote(2);\n  ray::Shutdown();|' "$app"
run lint --baseline "$work/first.sarif" --project-root "$work/proj" "$app"
check "a new finding is reported" test $status -eq 1
check "only the new one" test "$(count '[rayify-')" -eq 1
check "at its line" has "app.cpp:15:3"
printf 'not json' > "$work/bad.sarif"
run lint --baseline "$work/bad.sarif" "$app"
check "a bad baseline is a usage error" test $status -eq 2
check "naming it" err_has "bad.sarif: the baseline is not JSON"
cp "$work/app.orig" "$app"

# Suppressions.
cat > "$work/supp.cpp" <<'CPP'
#include <ray/api.h>
int heavy(int x) { int s = 0; for (int i = 0; i < x; ++i) s += i; return s; }
RAY_REMOTE(heavy);
int main() {
  ray::Init();
  ray::Task(heavy).Remote(1);  // rayify: ignore
  ray::Task(heavy).Remote(2);  // rayify: ignore(discarded-object-ref)
  ray::Task(heavy).Remote(3);  // rayify: ignore(tiny-remote-task)
  // rayify: ignore-next-line(rayify-discarded-object-ref)
  ray::Task(heavy).Remote(4);
  // rayify: ignore
  ray::Task(heavy).Remote(5);
  // rayify: ignore-begin(discarded-object-ref)
  ray::Task(heavy).Remote(6);
  ray::Task(heavy).Remote(7);
  // rayify: ignore-end
  ray::Task(heavy).Remote(8);
  int unused = 0;  // rayify: ignore(get-in-submit-loop)
  ray::Shutdown();
  return unused;
}
CPP
run lint "$work/supp.cpp"
check "a suppression naming another rule does not apply" has "supp.cpp:8:3"
check "after ignore-end findings are back" has "supp.cpp:17:3"
check "everything else is suppressed" test "$(count '[rayify-')" -eq 2
check "the summary counts suppressed findings" err_has "6 suppressed"
run lint --report-unused-suppressions "$work/supp.cpp"
check "an unused suppression is reported when asked" \
  has "supp.cpp:8:1: warning: 'rayify: ignore(tiny-remote-task)' suppresses no finding"
check "each unused one" has "supp.cpp:18:1: warning: 'rayify: ignore(get-in-submit-loop)'"
check "and only those" test "$(count '[rayify-unused-suppression]')" -eq 2

printf '#include <ray/api.h>\n// rayify: ignore-begin\nint main() { return 0; }\n' > "$work/open.cpp"
run lint "$work/open.cpp"
check "an ignore-begin never ended is reported" \
  err_has "open.cpp: line 2: 'rayify: ignore-begin' is never ended by 'ignore-end'"

# Configuration: discovery, nearest wins, inherit, --config, errors.
cp "$app" "$work/proj/src/sub/app.cpp"
printf 'rules:\n  discarded-object-ref: error\n' > "$work/proj/.rayify.yaml"
run lint "$app"
check "the project's .rayify.yaml applies" has "app.cpp:8:3: error:"
check "errors are counted" err_has "1 error(s), 1 warning(s)"
printf 'rules:\n  tiny-remote-task: off\n' > "$work/proj/src/sub/.rayify.yaml"
run lint "$work/proj/src/sub/app.cpp"
check "the nearest file wins" test "$(count '[rayify-')" -eq 1
check "without its parent's settings" has "app.cpp:8:3: warning:"
printf 'inherit: true\nrules:\n  tiny-remote-task: off\n' > "$work/proj/src/sub/.rayify.yaml"
run lint "$work/proj/src/sub/app.cpp"
check "inherit: true merges the parent's" has "app.cpp:8:3: error:"
check "under its own" test "$(count '[rayify-')" -eq 1
run lint --dump-config "$work/proj/src/sub/app.cpp"
check "--dump-config prints the merged settings" has "discarded-object-ref: error"
check "with this file's own" has "tiny-remote-task: off"
check "and the defaults" has "max-in-flight: 64"
printf 'rules:\n  discarded-object-ref: warning\n' > "$work/explicit.yaml"
run lint --config "$work/explicit.yaml" "$work/proj/src/sub/app.cpp"
check "--config replaces discovery" test "$(count ': warning:')" -eq 2
printf 'rules:\n  no-such-rule: warning\n' > "$work/explicit.yaml"
run lint --config "$work/explicit.yaml" "$app"
check "an unknown rule is an error" test $status -eq 2
check "with file, line and column" err_has "explicit.yaml:2:3: unknown rule 'no-such-rule'"
printf 'rules:\n  tiny-remote-task: loud\n' > "$work/explicit.yaml"
run lint --config "$work/explicit.yaml" "$app"
check "a bad severity is an error" err_has "explicit.yaml:2:21: rule 'tiny-remote-task' takes off, note, warning or error, not 'loud'"
printf 'thresholds: [1, 2]\n' > "$work/explicit.yaml"
run lint --config "$work/explicit.yaml" "$app"
check "a wrong type is an error" err_has "explicit.yaml:1:13: 'thresholds' must be a mapping"
printf 'colour: blue\n' > "$work/proj/.rayify.yaml"
run lint "$app"
check "a bad discovered file is an error too" test $status -eq 2
check "naming it" err_has "proj/.rayify.yaml:1:1: unknown key 'colour'"
printf 'rules: {discarded-object-ref: off\n' > "$work/proj/.rayify.yaml"
run lint "$app"
check "invalid YAML names its position" err_has "proj/.rayify.yaml:2:1: not valid YAML"
rm "$work/proj/.rayify.yaml" "$work/proj/src/sub/.rayify.yaml"

# A compilation database: every file, --include/--exclude, -j.
printf '[{"directory": "%s", "file": "%s", "command": "c++ -std=c++17 -c %s"},
 {"directory": "%s", "file": "%s", "command": "c++ -std=c++17 -c %s"}]\n' \
  "$work/proj" "$app" "$app" "$work/proj" "$work/proj/src/sub/app.cpp" \
  "$work/proj/src/sub/app.cpp" > "$work/proj/build/compile_commands.json"
run lint -p "$work/proj/build" -j 2
check "-p with no files checks the whole database" test "$(count '[rayify-')" -eq 4
check "and says how many" err_has "2 file(s)"
run lint -p "$work/proj/build" --exclude '/sub/'
check "--exclude leaves files out" test "$(count '[rayify-')" -eq 2
run lint -p "$work/proj/build" --include '/sub/'
check "--include picks files" test "$(count 'sub/app.cpp')" -eq 2
run lint -p "$work/proj/build" --include 'nothing-matches'
check "a filter matching nothing is a usage error" test $status -eq 2
run lint
check "no files and no -p is a usage error" test $status -eq 2

# convert honours `// rayify: ignore` above a loop.
cat > "$work/ignored.cpp" <<'CPP'
#include <cstdio>
#include <vector>
double work(int s) { double x = s; for (int i = 0; i < 100000; ++i) x = x * 0.5 + i; return x; }
int main() {
  std::vector<double> out;
  // rayify: ignore
  for (int i = 0; i < 4; ++i) out.push_back(work(i));
  for (double v : out) std::printf("%f\n", v);
}
CPP
run convert "$work/ignored.cpp" -o "$work/conv"
check "convert leaves an ignored loop sequential" err_has "ignored.cpp:7: skipped [ignored]"
check "and writes it unchanged" cmp -s "$work/ignored.cpp" "$work/conv/ignored.cpp"

# Convert reads the same configuration: the function lists change its decisions.
mkdir -p "$work/lists"
cat > "$work/lists/lists.cpp" <<'CPP'
#include <cstdio>
#include <vector>
unsigned ext_hash(unsigned x);  // a library's: its body is not here
void audit(int i) { (void)i; }  // a logging shim
double work(int s) { double x = s; for (int i = 0; i < 100000; ++i) x = x * 0.5 + (ext_hash(i) & 1); return x; }
double logged(int s) { audit(s); double x = s; for (int i = 0; i < 1000000; ++i) x += i; return x; }
int main() {
  std::vector<double> a, b;
  for (int i = 0; i < 4; ++i) a.push_back(work(i));
  for (int i = 0; i < 4; ++i) b.push_back(logged(i));
  std::printf("%f %f\n", a[0], b[0]);
}
CPP
run convert "$work/lists/lists.cpp" -o "$work/lists/out1" --no-compile-check
check "without lists, an unseen callee is refused" err_has "lists.cpp:9: skipped [callee-not-visible]"
check "and the shim's loop converts" err_has "lists.cpp:10: converted"
printf 'functions:\n  pure: [ext_hash]\n  io: [audit]\n' > "$work/lists/.rayify.yaml"
run convert "$work/lists/lists.cpp" -o "$work/lists/out2" --no-compile-check
check "a pure-listed function may run in tasks" err_has "lists.cpp:9: converted"
check "an io-listed one keeps its callers sequential" \
  err_has "lists.cpp:10: skipped [io]: logged() does I/O (it calls audit (an I/O function by configuration))"

# The work threshold decides which loops are worth tasks.
mkdir -p "$work/work"
cat > "$work/work/cheap.cpp" <<'CPP'
#include <cstdio>
#include <vector>
double step(int s) { double x = s; for (int i = 0; i < 500; ++i) x = x * 0.5 + i; return x; }
int main() {
  std::vector<double> out(8);
  for (int i = 0; i < 8; ++i) out[i] = step(i);
  std::printf("%f\n", out[7]);
}
CPP
run convert "$work/work/cheap.cpp" -o "$work/work/out1" --no-compile-check
check "by default a loop of cheap iterations stays sequential" \
  err_has "cheap.cpp:6: skipped [too-fine-grained]: one iteration is about"
printf 'thresholds:\n  min-task-operations: 1\n' > "$work/work/low.yaml"
run convert "$work/work/cheap.cpp" -o "$work/work/out2" --no-compile-check \
  --config "$work/work/low.yaml"
check "a lower min-task-operations converts it" err_has "cheap.cpp:6: converted"

echo "$passed passed, $failed failed"
test $failed -eq 0
