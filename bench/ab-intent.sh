#!/usr/bin/env bash
# A/B of the intent POST path (rules, cache off, wrk -c64) between two o2hub
# binaries, alternated in one run, with o2hub's CPU per request from /proc and
# the load average of each run. Prints figures; asserts nothing.
#   bench/ab-intent.sh OLD_BINARY NEW_BINARY [pairs=4] [seconds=5]
# e.g. a worktree of an older commit built with scripts/build.sh DIR Release o2hub.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
old="$1" new="$2" pairs="${3:-4}" seconds="${4:-5}"
port=18612
run() { # binary label
  local tmp pid t0 t1 out reqs rps
  tmp=$(mktemp -d)
  printf 'llm:\n  cache_size: 0\n' >"$tmp/o2hub.yaml"
  "$1" intent --port "$port" --config "$tmp/o2hub.yaml" --log-level warn \
    --data-dir "$tmp/data" >"$tmp/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.1
  done
  t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
  out=$(wrk -t2 -c64 -d"${seconds}s" -s "$here/bench/intent_post.lua" \
    "http://127.0.0.1:$port/api/v1/intent")
  t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
  reqs=$(echo "$out" | awk '/requests in/{print $1}')
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  # /proc times are in clock ticks (100 per second).
  printf '%-4s %10s req/s  %6.1f us CPU/request  load %s\n' "$2" "$rps" \
    "$(echo "($t1-$t0)*1000000/$(getconf CLK_TCK)/$reqs" | bc -l)" "$(cut -d' ' -f1 /proc/loadavg)"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
for _ in $(seq 1 "$pairs"); do
  run "$old" old
  run "$new" new
done
