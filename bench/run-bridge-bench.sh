#!/usr/bin/env bash
# Terminal bridge benchmarks (issue 5). Prints figures; asserts nothing.
#   bench/run-bridge-bench.sh [viewers] [seconds]
# Keystroke -> output latency (median, p99), then a flooding pane with
# <viewers> readers (default 100) and one viewer that never reads:
# throughput per viewer and o2hub's RSS over <seconds> (default 10).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$here/build-release"
[[ -n "${O2HUB_BENCH_NO_BUILD:-}" ]] || O2HUB_CMAKE_ARGS=-DO2HUB_BENCH=ON "$here/scripts/build.sh" "$build" Release o2hub >/dev/null
exec node --experimental-websocket --no-warnings "$here/bench/bridge_bench.mjs" \
  "$build/o2hub" "${1:-100}" "${2:-10}"
