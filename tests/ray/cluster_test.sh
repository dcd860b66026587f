#!/usr/bin/env bash
# Runs converted programs on a real Ray cluster started on this machine's loopback
# address, and compares their output with the acceptance corpus' expected output.
# Every acceptance program that `rayify convert` converts is run, so the list grows
# with the converter. A second, smaller pass uses a cluster with token
# authentication, relying on the generated main to find the token. Between the two,
# tests/compat/programs/failures.cpp shows that a throwing task and a throwing actor
# method reach ray::Get as the bundled runtime reports them (same expected output).
# The cluster is stopped whatever happens.
#
# With EXAMPLE files (from the project's input/), those it converts run too, each
# against its original's output.
#
# Usage: cluster_test.sh RAYIFY RAY_BIN_DIR ACCEPTANCE_DIR VERIFY_SCRIPT [EXAMPLE.cpp...]
set -u
rayify=$1
ray_bin=$2
acceptance=$3
verify=$4
examples=("${@:5}")
export PATH="$ray_bin:$PATH"
# Keep Ray on 127.0.0.1: without this, `ray start` replaces a loopback
# --node-ip-address with the machine's interface address.
export RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=0
export RAY_USAGE_STATS_ENABLED=0
work=$(mktemp -d)
stop_cluster() { ray stop --force >/dev/null 2>&1 || true; }
trap 'stop_cluster; rm -rf "$work"' EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
start_cluster() {  # start_cluster PORT [ENV=VALUE...]
  local port=$1
  shift
  env "$@" ray start --head --node-ip-address=127.0.0.1 --port="$port" --num-cpus=2 \
    --disable-usage-stats --include-dashboard=false >"$work/ray-start.log" 2>&1 ||
    { echo "FAIL: ray start"; cat "$work/ray-start.log"; echo "0 passed, 1 failed"; exit 1; }
}

# Of the FILEs, those the converter changes today, one per line.
converted_programs() {  # converted_programs NAME FILE...
  local name=$1
  shift
  "$rayify" convert "$@" -o "$work/$name" --report-file "$work/$name.json" >/dev/null 2>&1
  python3 -c '
import json, sys
for entry in json.load(open(sys.argv[1]))["files"]:
    if entry["status"] == "converted":
        print(entry["input"])' "$work/$name.json"
}
mapfile -t programs < <(converted_programs acceptance "$acceptance"/*.cpp)
example_programs=()
[ ${#examples[@]} -gt 0 ] && mapfile -t example_programs < <(converted_programs examples "${examples[@]}")
if [ ${#programs[@]} -eq 0 ] || { [ ${#examples[@]} -gt 0 ] && [ ${#example_programs[@]} -eq 0 ]; }; then
  # An empty list would run nothing and pass: the converter or the report broke.
  echo "FAIL: the report lists no converted program"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "running on Ray: ${programs[*]##*/} ${example_programs[*]##*/}"

status=0
port=$(free_port)
start_cluster "$port"
RAY_ADDRESS="127.0.0.1:$port" "$verify" "$rayify" --expected "$acceptance/expected" \
  --backend ray "${programs[@]}" || status=1
if [ ${#example_programs[@]} -gt 0 ]; then
  RAY_ADDRESS="127.0.0.1:$port" "$verify" "$rayify" --backend ray "${example_programs[@]}" ||
    status=1
fi

# Failures on Ray, against the output the bundled runtime gives (compat.failures.*).
failures=$(cd "$(dirname "$0")/../compat/programs" && pwd)
if "$(dirname "$0")/build_for_ray.sh" "$RAYIFY_RAY_CPP_DIR" "$failures/failures.cpp" \
  "$work/failures" failures; then
  (cd "$work/failures" && RAY_ADDRESS="127.0.0.1:$port" timeout 300 ./failures \
    >failures.out 2>failures.err)
  if diff "$failures/failures.expected" "$work/failures/failures.out"; then
    echo "failures: ray::Get reports a throwing task and method as the bundled runtime does"
  else
    echo "FAIL: failures.cpp on Ray differs from failures.expected"
    grep -v '^\[20' "$work/failures/failures.err" | head -20
    status=1
  fi
else
  echo "FAIL: building failures.cpp against Ray"
  status=1
fi
stop_cluster

# Token authentication, with the token only in the default file of an isolated HOME.
export HOME="$work/home"
mkdir -p "$HOME"
ray get-auth-token --generate >/dev/null 2>&1
port=$(free_port)
start_cluster "$port" RAY_AUTH_MODE=token
RAY_ADDRESS="127.0.0.1:$port" "$verify" "$rayify" --expected "$acceptance/expected" \
  --backend ray "$acceptance/monte_carlo_pi.cpp" || status=1
exit $status
