#!/usr/bin/env bash
# How many of the loops the NAS Parallel Benchmarks' OpenMP version parallelizes
# rayify converts in the serial version, and whether each converted benchmark still
# verifies. Fetches nothing: give it a checkout of the public NPB-CPP repository
# (GMAP/NPB-CPP, with NPB-SER and NPB-OMP) beside the project or as the argument.
#
# Usage: [NPB_CLASS=S] [NPB_KEEP=1] [NPB_VERIFY=all] [NPB_DETAIL=1] [NPB_MIN_TASK_OPERATIONS=N]
#        [NPB_IN_PROCESS=1]
#        bench/npb_bench.sh [NPB_CPP_DIR] [BENCHMARK...]
#        (default ../NPB-CPP and all eight: ep cg is mg ft bt sp lu)
#
# Per benchmark, in a scratch copy (the checkout is never written): the suite's own
# `make <b> CLASS=S` (or NPB_CLASS) generates npbparams.hpp and builds the original; a small CMake
# project around the same sources gives rayify a compilation database; `convert -p`
# over all of it (the common helpers too, so that a call of `vranlc` is judged by
# what its body does) decides every loop; each `#pragma omp ... for` loop of NPB-OMP is matched to the
# NPB-SER loop with the same header in the same function, in order (one inside a
# converted loop counts as converted); and a benchmark with a converted loop is run
# through `verify -p` with its timing lines ignored: its output, "Verification =
# SUCCESSFUL" included, must be identical.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
npb=${1:-$here/../NPB-CPP}
[ $# -gt 0 ] && shift
benchmarks=("$@")
[ ${#benchmarks[@]} -eq 0 ] && benchmarks=(ep cg is mg ft bt sp lu)
rayify=${RAYIFY:-$here/build/tool/rayify}
class=${NPB_CLASS:-S}  # the suite's problem class: S is seconds, W and A take longer

if [ ! -d "$npb/NPB-SER" ] || [ ! -d "$npb/NPB-OMP" ]; then
  echo "npb_bench: no NPB-CPP checkout at $npb (it needs NPB-SER and NPB-OMP)." >&2
  echo "  Clone https://github.com/GMAP/NPB-CPP beside the project, or pass its path." >&2
  exit 2
fi
[ -x "$rayify" ] || { echo "npb_bench: build rayify first ($rayify)" >&2; exit 2; }
for tool in make cmake g++ python3; do
  command -v $tool >/dev/null || { echo "npb_bench: $tool is missing" >&2; exit 2; }
done

scratch=$(mktemp -d /tmp/rayify-npb.XXXXXX)
# NPB_KEEP=1 keeps the copies, reports (<b>.json) and logs for a closer look;
# NPB_VERIFY=all verifies every benchmark, converted or not (a check of the pipeline);
# NPB_VERIFY=none only counts what converts (minutes instead of tens of minutes);
# NPB_DETAIL=1 prints, on stderr, why each loop left unconverted stayed sequential.
# NPB_IN_PROCESS=1 verifies with tasks as threads (verify --in-process, how a converted
# program runs on the bundled runtime) instead of worker processes (as on Ray).
backend=()
[ "${NPB_IN_PROCESS:-0}" = 1 ] && backend=(--in-process)
if [ "${NPB_KEEP:-0}" = 1 ]; then
  echo "npb_bench: working in $scratch (kept)"
else
  trap 'rm -rf "$scratch"' EXIT
fi
# Lines that differ between any two runs: times, rates, the build date.
ignore=(--ignore-lines 'Time in seconds' --ignore-lines '[Tt]ime *=' --ignore-lines 'Mop/s'
        --ignore-lines 'Compile date' --ignore-lines 'Initialization time')

printf '%-4s %8s %8s %10s %9s  %s\n' bench "omp for" matched converted verified \
  "speedup / note"
total_omp=0
total_matched=0
total_converted=0
for b in "${benchmarks[@]}"; do
  B=$(echo "$b" | tr a-z A-Z)
  work=$scratch/$b
  cp -r "$npb/NPB-SER" "$work"
  # NPB_MIN_TASK_OPERATIONS=1 all but turns the cost model off (and data is left out
  # of it): what the analyses alone can convert, and whether it still verifies,
  # whatever it costs.
  if [ -n "${NPB_MIN_TASK_OPERATIONS:-}" ]; then
    printf 'thresholds:\n  min-task-operations: %s\n  operations-per-byte-moved: 0\n' \
      "$NPB_MIN_TASK_OPERATIONS" \
      >"$work/.rayify.yaml"
  fi
  if ! make -C "$work" "$b" CLASS="$class" >"$scratch/$b.make.log" 2>&1; then
    printf '%-4s %8s %8s %10s %9s  %s\n' "$b" - - - - "make $b CLASS=$class failed"
    continue
  fi
  commons=$(cd "$work" && ls common/c_print_results.cpp common/c_randdp.cpp \
    common/c_timers.cpp common/wtime.cpp 2>/dev/null | tr '\n' ' ')
  cat >"$work/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.16)
project(npb_$b CXX)
set(CMAKE_CXX_STANDARD 17)
add_executable($b $B/$b.cpp $commons)
target_include_directories($b PRIVATE common $B)
target_compile_options($b PRIVATE -O3 -mcmodel=medium)
target_link_libraries($b PRIVATE m)
EOF
  cmake -S "$work" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >"$scratch/$b.cmake.log" 2>&1
  "$rayify" convert -p "$work/build" --project-root "$work" \
    --no-compile-check --dry-run --report-file "$scratch/$b.json" >/dev/null 2>&1 || true
  read -r omp matched converted why < <(python3 - "$npb/NPB-OMP/$B/$b.cpp" "$work/$B/$b.cpp" \
    "$scratch/$b.json" <<'PY'
import json, os, re, sys
omp_file, ser_file, report = sys.argv[1:4]

def function_of(lines, at):
    # The nearest definition above: a line at column 0 naming a function.
    for k in range(at, -1, -1):
        m = re.match(r'^[A-Za-z_][\w\s\*&:<>,]*?\b([A-Za-z_]\w*)\s*\([^;]*$', lines[k])
        if m and m.group(1) not in ('if', 'for', 'while', 'switch', 'return'):
            return m.group(1)
    return ''

def header(lines, at):
    text = ''
    for k in range(at, min(at + 4, len(lines))):
        text += lines[k]
        if text.count('(') and text.count('(') == text.count(')'):
            break
    text = text[text.find('for'):]
    depth, out = 0, ''
    for ch in text:
        out += ch
        depth += ch == '('
        depth -= ch == ')'
        if depth == 0 and '(' in out:
            break
    return re.sub(r'\s+', '', out)

def loops(lines):
    return [(function_of(lines, i), header(lines, i), i + 1)
            for i, line in enumerate(lines) if re.match(r'\s*for\s*\(', line)]

omp = open(omp_file, errors='replace').read().split('\n')
ser = open(ser_file, errors='replace').read().split('\n')
targets = []
for i, line in enumerate(omp):
    if re.match(r'\s*#\s*pragma\s+omp\b.*\bfor\b', line):
        for k in range(i + 1, min(i + 8, len(omp))):
            if re.match(r'\s*for\s*\(', omp[k]):
                targets.append((function_of(omp, k), header(omp, k)))
                break
ser_loops = loops(ser)
# Both versions list their loops in the same order: each target matches the next
# loop of NPB-SER with its header in its function, after the one matched before.
matched = []
after = -1
for function, head in targets:
    for at, entry in enumerate(ser_loops):
        if at > after and entry[0] == function and entry[1] == head:
            after = at
            matched.append(entry[2])
            break
try:
    files = json.load(open(report))['files']
except Exception:
    files = []
name = ser_file.split('/')[-1]
converted = [(c['line'], c['end_line']) for f in files for c in f.get('conversions', [])
             if c.get('kind') in ('task', 'reduction') and c['file'].endswith(name)]
# A loop inside a converted loop runs in parallel with it: it counts as converted.
def runs_in_tasks(line):
    return any(begin <= line <= end for begin, end in converted)
reasons = {}
skips = {s['line']: s for f in files for s in f.get('skips', []) if s['file'].endswith(name)}
for line in matched:
    if not runs_in_tasks(line):
        skip = skips.get(line, {'reason': 'no-decision', 'message': ''})
        reasons[skip['reason']] = reasons.get(skip['reason'], 0) + 1
        if os.environ.get('NPB_DETAIL') == '1':
            print('  %s:%d %s: %s' % (name, line, skip['reason'], skip['message']),
                  file=sys.stderr)
why = ','.join('%s:%d' % kv for kv in sorted(reasons.items(), key=lambda kv: -kv[1]))
print(len(targets), len(matched), sum(1 for line in matched if runs_in_tasks(line)),
      why or '-')
PY
)
  total_omp=$((total_omp + omp))
  total_matched=$((total_matched + matched))
  total_converted=$((total_converted + converted))
  note="left: $why"
  verified="-"
  if [ "${NPB_VERIFY:-}" != none ] &&
    { [ "$converted" -gt 0 ] || [ "${NPB_VERIFY:-}" = all ]; }; then
    # Identical output, and the original's own check passed: so did the converted.
    # A converted file that fails the compile check is left as it was: verify would then
    # compare the original with itself, so that counts as not converted.
    if "$rayify" verify -p "$work/build" --run "./$b" "${ignore[@]}" "${backend[@]}" \
        >"$scratch/$b.verify.log" 2>&1 &&
        "$work/bin/$b.$class" 2>/dev/null | grep -q "SUCCESSFUL" &&
        { [ "$converted" -eq 0 ] || ! grep -q "verify: 0 of" "$scratch/$b.verify.log"; }; then
      verified=yes
      note="$(sed -n 's/^ *speedup: *//p' "$scratch/$b.verify.log" | head -1); $note"
    else
      verified=NO
      cp "$scratch/$b.verify.log" "/tmp/rayify-npb-$b.verify.log"
      if grep -q "would not compile" "$scratch/$b.verify.log"; then
        note="the converted file does not compile, left unconverted; $note"
      fi
      note="log: /tmp/rayify-npb-$b.verify.log; $note"
    fi
  fi
  printf '%-4s %8s %8s %10s %9s  %s\n' "$b" "$omp" "$matched" "$converted" "$verified" \
    "$note"
done
printf '%-4s %8s %8s %10s\n' all "$total_omp" "$total_matched" "$total_converted"
