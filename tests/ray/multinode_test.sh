#!/usr/bin/env bash
# A Ray cluster of two nodes on this machine, each in a network namespace this test
# creates: the head at 10.251.0.1 and a worker node at 10.251.0.2, one CPU each, joined
# by a veth pair. The namespaces hold nothing but their loopback and that pair, so no
# Ray process can listen on or connect to the machine's own addresses.
#   1. Converted acceptance programs, and tests/ray/programs/spread_work.cpp, print what
#      the originals print, and Ray's state API shows tasks and actors on both nodes.
#   2. The worker node dies (every process in its namespace gets SIGKILL) while a
#      converted program's tasks run there: the program finishes with the original's
#      output, and Ray's state shows the task attempt lost with the node.
#   3. The worker node dies while one of a converted program's actors lives there: the
#      program exits non-zero with the generated main's message, and what it printed
#      is a prefix of the original's output.
# Every program run is bounded by `timeout`; the namespaces and their processes go away
# whatever happens. Needs root (ip netns).
#
# Usage: multinode_test.sh RAYIFY RAY_BIN_DIR ACCEPTANCE_DIR VERIFY_SCRIPT PROGRAMS_DIR
set -u
rayify=$1
ray_bin=$2
acceptance=$3
verify=$4
programs=$5
export PATH="$ray_bin:$PATH"
export RAY_USAGE_STATS_ENABLED=0
# Lets `ray start --address` add a node; with it, Ray would replace a loopback
# --node-ip-address with the machine's address, which is why the nodes live in
# namespaces with addresses of their own.
export RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER=1
# The GCS declares a silent node dead after 3 missed one-second health checks.
export RAY_health_check_period_ms=1000 RAY_health_check_failure_threshold=3

head_ns=rayify-head-$$
node_ns=rayify-node-$$
head_ip=10.251.0.1
node_ip=10.251.0.2
gcs=$head_ip:6379
work=$(mktemp -d)
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; }
finish() {
  echo "$passed passed, $failed failed"
  test $failed -eq 0
  exit
}

kill_namespace() {  # kill_namespace NS: SIGKILL to every process in it
  local pids
  pids=$(ip netns pids "$1" 2>/dev/null)
  [ -n "$pids" ] && kill -9 $pids 2>/dev/null
  return 0
}
cleanup() {
  kill_namespace "$node_ns"
  kill_namespace "$head_ns"
  ip netns del "$node_ns" 2>/dev/null
  ip netns del "$head_ns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

make_namespaces() {
  ip netns add "$head_ns" && ip netns add "$node_ns" &&
    ip link add "rh$$" type veth peer name "rn$$" &&
    ip link set "rh$$" netns "$head_ns" && ip link set "rn$$" netns "$node_ns" &&
    ip -n "$head_ns" addr add "$head_ip/24" dev "rh$$" &&
    ip -n "$node_ns" addr add "$node_ip/24" dev "rn$$" &&
    ip -n "$head_ns" link set lo up && ip -n "$node_ns" link set lo up &&
    ip -n "$head_ns" link set "rh$$" up && ip -n "$node_ns" link set "rn$$" up
}
in_head() { ip netns exec "$head_ns" "$@"; }
in_node() { ip netns exec "$node_ns" "$@"; }

# state KIND FILTER...: `ray list KIND` as JSON, read through the head's dashboard. What
# it says on stderr is kept in $work/state.err: for a while after a node dies the
# dashboard may not answer, and a failure should say so rather than look like no data.
state() {
  local kind=$1
  shift
  in_head ray list "$kind" --address "$gcs" --detail --format json --limit 10000 \
    --timeout 20 "$@" 2>"$work/state.err"
}
alive_nodes() {
  state nodes | python3 -c '
import json, sys
print(sum(n["state"] == "ALIVE" for n in json.load(sys.stdin)))' 2>/dev/null || echo 0
}
start_worker_node() {
  in_node ray start --address="$gcs" --node-ip-address="$node_ip" --num-cpus=1 \
    --disable-usage-stats >"$work/node-start.log" 2>&1 || {
    cat "$work/node-start.log"
    return 1
  }
  for _ in $(seq 60); do
    [ "$(alive_nodes)" = 2 ] && return 0
    sleep 1
  done
  echo "the worker node did not join within 60 s"
  return 1
}

# Namespaces left by a run that was killed outright (no trap runs on SIGKILL), with
# whatever Ray processes still live in them.
for stale in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^rayify-(head|node)-[0-9]+$'); do
  if ! kill -0 "${stale##*-}" 2>/dev/null; then
    kill_namespace "$stale"
    ip netns del "$stale" 2>/dev/null
  fi
done
if ! make_namespaces 2>"$work/netns.log"; then
  fail "cannot create network namespaces (root and iproute2 are needed): $(cat "$work/netns.log")"
  finish
fi
listening_before=$(ss -ltnH | awk '{print $4}' | sort)
if ! in_head ray start --head --node-ip-address="$head_ip" --port=6379 --num-cpus=1 \
  --include-dashboard=true --dashboard-host="$head_ip" --disable-usage-stats \
  >"$work/head-start.log" 2>&1; then
  fail "ray start --head"
  cat "$work/head-start.log"
  finish
fi
if ! start_worker_node; then
  fail "the worker node did not join"
  finish
fi
pass "a cluster of two nodes, $head_ip and $node_ip"
new_listeners=$(ss -ltnH | awk '{print $4}' | sort | comm -13 <(echo "$listening_before") -)
if [ -z "$new_listeners" ]; then
  pass "nothing listens outside the test's namespaces"
else
  fail "listening outside the namespaces: $new_listeners"
fi

# 1. Converted programs on two nodes, and where their work ran.
if in_head env RAY_ADDRESS="$gcs" timeout 1200 "$verify" "$rayify" \
  --expected "$acceptance/expected" --backend ray "$acceptance/monte_carlo_pi.cpp" \
  "$acceptance/particle_pool.cpp" "$acceptance/bank_account.cpp"; then
  pass "acceptance programs print their expected output on two nodes"
else
  fail "acceptance programs on two nodes"
fi
if in_head env RAY_ADDRESS="$gcs" timeout 600 "$verify" "$rayify" --backend ray \
  "$programs/spread_work.cpp"; then
  pass "spread_work prints what the original prints"
else
  fail "spread_work on two nodes"
fi
state tasks >"$work/tasks.json"
state nodes >"$work/nodes.json"
placement=$(python3 - "$work/tasks.json" "$work/nodes.json" <<'PY'
import collections, json, sys
tasks = json.load(open(sys.argv[1]))
ip = {n["node_id"]: n["node_ip"] for n in json.load(open(sys.argv[2]))}
nodes = collections.defaultdict(set)
for task in tasks:
    if task["state"] == "FINISHED" and task.get("node_id"):
        nodes[task["type"]].add(ip.get(task["node_id"], task["node_id"]))
print(" ".join(f"{kind}:{','.join(sorted(where))}" for kind, where in sorted(nodes.items())))
both = all(len(nodes[k]) >= 2 for k in ("NORMAL_TASK", "ACTOR_TASK"))
sys.exit(0 if both else 1)
PY
)
if [ $? -eq 0 ]; then
  pass "Ray's state shows tasks and actor calls on both nodes ($placement)"
else
  fail "tasks and actor calls did not run on both nodes: $placement"
fi

# build_for_ray SOURCE DIR NAME: the original as DIR/NAME.original, the converted
# program as the driver DIR/NAME and the worker library DIR/NAME.so.
build_for_ray() {
  local source=$1 dir=$2 name=$3
  mkdir -p "$dir/src" &&
    "$rayify" convert "$source" -o "$dir/src" >"$dir/convert.log" 2>&1 &&
    c++ -std=c++17 -O2 -ffp-contract=off -o "$dir/$name.original" "$source" &&
    "$(dirname "$0")/build_for_ray.sh" "$RAYIFY_RAY_CPP_DIR" "$dir/src/$name.cpp" "$dir" \
      "$name"
}
# Runs DIR/NAME on the cluster in the background, bounded; its pid in $run_pid. Every
# chunk of its loops is a task (no trial in the driver first): they are what is lost.
run_converted() {
  local dir=$1 name=$2
  (cd "$dir" && in_head env RAY_ADDRESS="$gcs" RAYIFY_ALWAYS_TASKS=1 timeout 300 "./$name" \
    >"$dir/converted.out" 2>"$dir/converted.err"
    echo $? >"$dir/converted.status") &
  run_pid=$!
}
# Ray worker processes of the worker node, one pid per line.
node_workers() {
  local pid
  for pid in $(ip netns pids "$node_ns" 2>/dev/null); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = default_worker ] && echo "$pid"
  done
  return 0
}
# The worker node's Ray workers this program started, one pid per line: the pids in
# $old_workers are left out, since a worker kept from an earlier program's job has CPU
# time of its own, and counting it once let the node die before any of this program's
# tasks had reached it.
new_node_workers() {
  local pid
  for pid in $(node_workers); do
    grep -qx "$pid" <<<"$old_workers" || echo "$pid"
  done
  return 0
}
# Clock ticks of CPU process $1 has used (0 once it is gone).
cpu_ticks() {
  local ticks
  ticks=$(awk '{print $14}' "/proc/$1/stat" 2>/dev/null)
  echo "${ticks:-0}"
}
# Seconds of CPU the busiest of new_node_workers has used.
node_worker_cpu() {
  local best=0 pid ticks
  for pid in $(new_node_workers); do
    ticks=$(cpu_ticks "$pid")
    [ "$ticks" -gt "$best" ] && best=$ticks
  done
  echo $((best / $(getconf CLK_TCK)))
}
# Whether one of new_node_workers is computing right now: it gains at least 0.1 s of
# CPU over half a second (a loaded machine gives a busy worker less than its share of
# a CPU; 0.25 s failed there). An idle or waiting worker gains next to none, so a kill
# that follows hits a running task.
node_worker_computing() {
  local pids=() before=() i
  mapfile -t pids < <(new_node_workers)
  for i in "${!pids[@]}"; do before[$i]=$(cpu_ticks "${pids[$i]}"); done
  sleep 0.5
  for i in "${!pids[@]}"; do
    [ $(( ($(cpu_ticks "${pids[$i]}") - before[i]) * 10 )) -ge "$(getconf CLK_TCK)" ] &&
      return 0
  done
  return 1
}
node_id_of_worker() {
  state nodes | python3 -c '
import json, sys
print(next(n["node_id"] for n in json.load(sys.stdin)
           if n["node_ip"] == sys.argv[1] and n["state"] == "ALIVE"))' "$node_ip"
}

# 2. The worker node dies while tasks run on it.
dir=$work/node_loss
if ! build_for_ray "$programs/node_loss.cpp" "$dir" node_loss; then
  fail "building node_loss"
  cat "$dir/convert.log"
else
  "$dir/node_loss.original" >"$dir/original.out"
  old_workers=$(node_workers)
  worker_node=$(node_id_of_worker)
  run_converted "$dir" node_loss
  # The node dies once Ray's state shows one of the program's tasks running there and
  # a worker of the node has computed for a second. CPU time alone was not enough: a
  # C++ worker can spend that starting up, and a kill then found no task to lose.
  # Each task computes for about two seconds, longer than the state API lags.
  under_way=""
  for _ in $(seq 200); do  # at most a few minutes
    if [ "$(node_worker_cpu)" -ge 1 ]; then
      under_way=$(state tasks --filter state=RUNNING | python3 -c '
import json, sys
tasks = json.load(sys.stdin)
print(sum(t.get("node_id") == sys.argv[1] and t.get("type") == "NORMAL_TASK"
          for t in tasks) or "")' "$worker_node" 2>/dev/null)
      # The state API lags by a second or more, so the task it shows may have ended.
      [ -n "$under_way" ] && node_worker_computing && break
      under_way=""
    fi
    kill -0 $run_pid 2>/dev/null || break
    sleep 0.2
  done
  if [ -z "$under_way" ]; then
    fail "no task of node_loss was seen running on the worker node, so there was nothing to lose"
  fi
  kill_namespace "$node_ns"
  wait $run_pid
  status=$(cat "$dir/converted.status")
  if [ "$status" = 0 ] && cmp -s "$dir/original.out" "$dir/converted.out"; then
    pass "node_loss finished with the original's output after its node died"
  else
    fail "node_loss after its node died: exit $status"
    diff "$dir/original.out" "$dir/converted.out" | head -5
    grep -v '^\[20' "$dir/converted.err" | head -20
  fi
  # Evidence that the kill hit running work: an attempt Ray marked failed (the error
  # type depends on whether the owner or the GCS noticed first: NODE_DIED,
  # WORKER_DIED, ...) or an attempt after the first, which only a retry makes. Task
  # events reach the GCS asynchronously, and the dashboard may not answer for a while
  # after a node dies, so this asks for up to 120 s.
  lost=""
  answered=""
  deadline=$((SECONDS + 120))
  while [ -z "$lost" ] && [ $SECONDS -lt $deadline ]; do
    if state tasks >"$work/lost.json" && [ -s "$work/lost.json" ]; then
      answered=yes
      lost=$(python3 - "$work/lost.json" <<'PY'
import collections, json, sys
tasks = json.load(open(sys.argv[1]))
failed = collections.Counter(t.get("error_type") or "?" for t in tasks
                             if t.get("state") == "FAILED")
retried = sum(t.get("attempt_number", 0) >= 1 for t in tasks)
if failed or retried:
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(failed.items()))
    print(f"failed attempts: {kinds or 0}; attempts after the first: {retried}")
PY
      )
    fi
    [ -z "$lost" ] && sleep 2
  done
  if [ -n "$lost" ]; then
    pass "Ray's state shows work lost with the node and run again ($lost)"
  elif [ -z "$answered" ]; then
    fail "Ray's state API did not answer within 120 s of the node's death: $(tail -3 "$work/state.err")"
  else
    fail "no task attempt was lost with the node: the kill tested nothing"
    python3 - "$work/lost.json" <<'PY'
import collections, json, sys
tasks = json.load(open(sys.argv[1]))
seen = collections.Counter((t["state"], t.get("attempt_number"), (t.get("node_id") or "-")[:8])
                           for t in tasks)
for (state, attempt, node), n in sorted(seen.items(), key=str):
    print(f"  {n} task(s) {state}, attempt {attempt}, node {node}")
PY
  fi
fi

# 3. The worker node dies while an actor lives on it.
kill_namespace "$node_ns"
if ! start_worker_node; then
  fail "the worker node did not join again"
  finish
fi
dir=$work/spread_work
if ! build_for_ray "$programs/spread_work.cpp" "$dir" spread_work; then
  fail "building spread_work"
  cat "$dir/convert.log"
  finish
fi
"$dir/spread_work.original" >"$dir/original.out"
worker_node=$(node_id_of_worker)
run_converted "$dir" spread_work
actor_there=""
for _ in $(seq 120); do  # at most about 120 s for an actor to live on the node
  actor_there=$(state actors --filter "state=ALIVE" | python3 -c '
import json, sys
print(sum(a.get("node_id") == sys.argv[1] for a in json.load(sys.stdin)) or "")' \
    "$worker_node" 2>/dev/null)
  [ -n "$actor_there" ] && break
  kill -0 $run_pid 2>/dev/null || break
  sleep 0.5
done
kill_namespace "$node_ns"
wait $run_pid
status=$(cat "$dir/converted.status")
printed=$(stat -c %s "$dir/converted.out")
if [ -z "$actor_there" ]; then
  fail "no actor lived on the worker node, so there was nothing to lose"
elif [ "$status" != 0 ] && cmp -s -n "$printed" "$dir/original.out" "$dir/converted.out" &&
  grep -q "task or actor" "$dir/converted.err"; then
  pass "spread_work stopped (exit $status) after its actor's node died, with a message and no wrong output"
  grep -h "task or actor" "$dir/converted.err" | head -1
elif [ "$status" = 0 ] && cmp -s "$dir/original.out" "$dir/converted.out"; then
  fail "spread_work finished before the node died: the kill tested nothing"
else
  fail "spread_work after its actor's node died: exit $status"
  diff "$dir/original.out" "$dir/converted.out" | head -5
  grep -v '^\[20' "$dir/converted.err" | head -20
fi
finish
