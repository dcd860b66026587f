#!/usr/bin/env bash
# The main job: sets up what is missing, builds rayify and converts the example
# programs in input/ into output/.
#
# Until the converter lands (issue [2]), input/ holds no programs yet; the job then
# builds and runs the runtime examples, which exercise the bundled Ray runtime that
# converted programs run on.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh

shopt -s nullglob
inputs=(input/*.cpp)
if [ ${#inputs[@]} -gt 0 ]; then
  build/tool/rayify convert "${inputs[@]}" -o output
fi
for example in build/runtime/examples/*_example; do
  echo "== $(basename "$example")"
  "$example"
done
