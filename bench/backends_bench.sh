#!/usr/bin/env bash
# Side by side on one machine: ray::Init time, amortized empty-task cost, the speedup
# of the converted monte_carlo_pi over the sequential original, and that of
# bench/workloads/long_sweep.cpp (about 20 s sequential, one run: the workload where a
# cluster's fixed costs are small), on
#   - the bundled runtime,
#   - real Ray against a running cluster (started here on 127.0.0.1),
#   - Ray's own local_mode (task cost only).
# Usage: bench/backends_bench.sh [TASKS]   (after scripts/test.sh set up .venv and build/)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tasks=${1:-10000}
ray_cpp=$(bash "$root/scripts/setup-ray.sh")
export PATH="$root/.venv/bin:$PATH" RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0 RAY_USAGE_STATS_ENABLED=0
work=$(mktemp -d)
trap 'ray stop --force >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
src="$root/bench/backend_bench.cc"
c++ -std=c++17 -O2 -I"$root/runtime/include" -o "$work/bundled" "$src" \
  "$root/build/lib/librayify_runtime.a" -pthread
bash "$root/tests/ray/build_for_ray.sh" "$ray_cpp" "$src" "$work/ray" bench

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ray start --head --node-ip-address=127.0.0.1 --port="$port" --num-cpus=2 \
  --disable-usage-stats --include-dashboard=false >"$work/ray-start.log" 2>&1

speedup() {  # speedup BACKEND FILE RUNS: median of RUNS verify runs of FILE
  for _ in $(seq "$3"); do
    "$root/build/tool/rayify" verify --json --backend "$1" "$2" 2>/dev/null |
      sed -n 's/.*"speedup": *\([0-9.]*\).*/\1/p'
  done | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}
pi=$root/../shared/acceptance/monte_carlo_pi.cpp
sweep=$root/bench/workloads/long_sweep.cpp
both() {  # both BACKEND: the two speedups
  echo "$(speedup "$1" "$pi" 3)x $(speedup "$1" "$sweep" 1)x"
}

printf "%-23s %-40s %s\n" backend "ray::Init, first task, per task" \
  "monte_carlo_pi, long_sweep speedups"
printf "%-23s %-40s %s\n" "bundled runtime" "$(env -u RAY_ADDRESS "$work/bundled" "$tasks" | cut -d' ' -f1-3)" \
  "$(env -u RAY_ADDRESS bash -c "$(declare -f speedup both); root=$root pi=$pi sweep=$sweep; both bundled")"
printf "%-23s %-40s %s\n" "Ray (cluster)" \
  "$(RAY_ADDRESS=127.0.0.1:$port "$work/ray/bench" "$tasks" 2>/dev/null | grep init_ms | cut -d' ' -f1-3)" \
  "$(RAY_ADDRESS=127.0.0.1:$port bash -c "$(declare -f speedup both); root=$root pi=$pi sweep=$sweep; both ray")"
printf "%-23s %-40s %s\n" "Ray local_mode" \
  "$(BENCH_LOCAL_MODE=1 env -u RAY_ADDRESS "$work/ray/bench" "$tasks" 2>/dev/null | grep init_ms | cut -d' ' -f1-3)" "n/a"
