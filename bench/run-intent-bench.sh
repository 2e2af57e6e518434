#!/usr/bin/env bash
# Intent service benchmarks (issue 3): the rule parse of one sentence (Google
# Benchmark) and the rule path of POST /api/v1/intent with the cache off, 64
# connections, wrk on the same machine. Prints figures; asserts nothing.
#   bench/run-intent-bench.sh [seconds]      (default 10)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-10}"
build="$here/build-release" # Release, apart from the start script's build/
# O2HUB_BENCH_NO_BUILD=1: use what $build holds.
[[ -n "${O2HUB_BENCH_NO_BUILD:-}" ]] || O2HUB_CMAKE_ARGS=-DO2HUB_BENCH=ON "$here/scripts/build.sh" "$build" Release o2hub >/dev/null
[[ -n "${O2HUB_BENCH_NO_BUILD:-}" ]] || cmake --build "$build" --target bench_rules >/dev/null

echo "== rule parse (Google Benchmark) =="
"$build/bench/bench_rules" --benchmark_min_time=0.2

echo
echo "== POST /api/v1/intent, rules, cache off, 64 connections, ${seconds}s =="
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
cat >"$tmp/o2hub.yaml" <<YAML
llm:
  cache_size: 0
YAML
port=18602
"$build/o2hub" intent --port "$port" --config "$tmp/o2hub.yaml" --log-level warn \
  --data-dir "$tmp/data" >"$tmp/o2hub.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.1
done
wrk -t2 -c64 -d"${seconds}s" --latency -s "$here/bench/intent_post.lua" \
  "http://127.0.0.1:$port/api/v1/intent" | sed -n '/requests:/,$p'
echo "o2hub RSS after the run: $(ps -o rss= -p "$pid") KiB"
