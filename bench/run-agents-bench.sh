#!/usr/bin/env bash
# Edge agent benchmarks (issue 11). Prints figures; asserts nothing.
#   bench/run-agents-bench.sh [agents] [idle-seconds]
# <agents> agent processes (default 200, one scheduler thread each) against
# one hub on loopback: the hub's CPU while only heartbeats flow, the hub's
# RSS per agent, and the time from a status change at an agent to the
# edge_update at a WebSocket client (p50/p99).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$here/build-release"
[[ -n "${O2HUB_BENCH_NO_BUILD:-}" ]] || O2HUB_CMAKE_ARGS=-DO2HUB_BENCH=ON "$here/scripts/build.sh" "$build" Release o2hub >/dev/null
ulimit -n "$(ulimit -Hn)"
exec node --experimental-websocket --no-warnings "$here/bench/agents_bench.mjs" \
  "$build/o2hub" "${1:-200}" "${2:-20}"
