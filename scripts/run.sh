#!/usr/bin/env bash
# The main job: sets up what is missing, builds rayify, and converts the example
# programs in input/ into output/ (report in output/report.json).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
bash scripts/build.sh
build/tool/rayify convert input/*.cpp -o output --report-file output/report.json
echo "Converted programs are in output/. Prove one with: build/tool/rayify verify input/option_pricing.cpp"
