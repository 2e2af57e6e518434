#!/usr/bin/env bash
# Monitor benchmarks (issue 4). Prints figures; asserts nothing.
#   bench/run-monitor-bench.sh [clients] [probe-sites] [seconds]
# 1. Fan-out: <clients> WebSocket clients (default 10000) on loopback, one
#    pipeline start posted, time until every client has it; RSS per idle
#    connection.
#    Then the floor under it (issue 16): the same number of loopback
#    connections, a frame of the same size written with one writev per
#    client and no o2hub in the way (bench_sendfloor), alternating with o2hub
#    for O2HUB_BENCH_PAIRS pairs (default 1) in the same run.
# 2. Probing: <probe-sites> simulated sites (default 667 = 2001 endpoints),
#    each on its own loopback address, probed every 5 s for <seconds>
#    (default 30); the CPU o2hub used, as a share of one core.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
clients="${1:-10000}"
sites="${2:-667}"
seconds="${3:-30}"
build="$here/build-release" # Release, apart from the start script's build/
# O2HUB_BENCH_NO_BUILD=1: use what $build holds.
[[ -n "${O2HUB_BENCH_NO_BUILD:-}" ]] || O2HUB_CMAKE_ARGS=-DO2HUB_BENCH=ON "$here/scripts/build.sh" "$build" Release o2hub >/dev/null
[[ -n "${O2HUB_BENCH_NO_BUILD:-}" ]] || cmake --build "$build" --target bench_fanout bench_sendfloor >/dev/null
ulimit -n "$(ulimit -Hn)" # as many descriptors as this machine allows
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT

wait_up() {
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$1/health" >/dev/null && return 0
    sleep 0.1
  done
  echo "no /health on $1" >&2
  exit 1
}

echo "== fan-out: $clients WebSocket clients =="
cat >"$tmp/fanout.yaml" <<YAML
http:
  ws_queue_limit: 64
  threads: ${O2HUB_BENCH_THREADS:-0}
YAML
threads=$(grep -c ^processor /proc/cpuinfo)
[[ "${O2HUB_BENCH_THREADS:-0}" == 0 ]] || threads=$O2HUB_BENCH_THREADS
for pair in $(seq 1 "${O2HUB_BENCH_PAIRS:-1}"); do
  echo "-- o2hub (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  rm -rf "$tmp/d1"
  "$build/o2hub" monitor --port 18603 --config "$tmp/fanout.yaml" --data-dir "$tmp/d1" \
    --log-level warn >"$tmp/fanout.log" 2>&1 &
  pids+=($!)
  wait_up 18603
  "$build/bench/bench_fanout" 18603 "$clients" "${pids[-1]}" 5 | tee "$tmp/fanout.out" |
    grep -E 'connected|RSS|median'
  kill "${pids[-1]}"
  wait "${pids[-1]}" 2>/dev/null || true
  bytes=$(sed -n 's/.*updates (\([0-9]*\)-byte payload).*/\1/p' "$tmp/fanout.out")
  echo "-- the floor: writev to each client, no o2hub (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "$build/bench/bench_sendfloor" "$clients" 5 "${bytes:-300}" "$threads" | grep -v '^round'
done

echo
echo "== probing: $sites sites, $((sites * 3)) endpoints, every 5 s, ${seconds}s =="
# The target: one server on 0.0.0.0 answers every loopback address.
"$build/o2hub" intent --bind 0.0.0.0 --port 18604 --data-dir "$tmp/d2" --log-level warn \
  >"$tmp/target.log" 2>&1 &
pids+=($!)
wait_up 18604
{
  echo "probing: {interval_s: 5, timeout_ms: 2000, k8s_scheme: http}"
  echo "edge_sites:"
  for i in $(seq 1 "$sites"); do
    echo "  edge$i: {ip: 127.0.$((i / 250)).$((i % 250 + 2)), ports: {o2ims: 18604, prometheus: 18604, k8s_api: 18604}}"
  done
} >"$tmp/probe.yaml"
"$build/o2hub" monitor --port 18605 --config "$tmp/probe.yaml" --data-dir "$tmp/d3" \
  --log-level warn >"$tmp/probe.log" 2>&1 &
pid=$!
pids+=($pid)
wait_up 18605
sleep 6 # past start-up and the first round
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
c0=$(cpu "$pid")
sleep "$seconds"
c1=$(cpu "$pid")
awk -v a="$c0" -v b="$c1" -v t="$ticks" -v s="$seconds" \
  'BEGIN { printf "o2hub CPU while probing: %.1f%% of one core (%.2f s in %d s)\n", 100 * (b - a) / t / s, (b - a) / t, s }'
curl -s "http://127.0.0.1:18605/metrics" | grep -c '^o2hub_edge_probe_latency_ms' |
  xargs -I{} echo "sites with a probe latency: {}"
