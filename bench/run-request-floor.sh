#!/usr/bin/env bash
# The floor under the request aims (issue 16), beside o2hub in one run:
# bench_httpfloor (a minimal epoll HTTP responder, two threads, one read and
# one write per request, no parsing beyond the header end) answers with the
# very bytes o2hub answers — the monitor's /health and the intent POST — and
# wrk drives both alike (-t2 -c64, on the same cores). Prints req/s and the
# server's CPU per request from /proc for each run, and the load average.
# Prints figures; asserts nothing.
#   bench/run-request-floor.sh [pairs=3] [seconds=5]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs="${1:-3}" seconds="${2:-5}"
build="$here/build-release"
if [[ -z "${O2HUB_BENCH_NO_BUILD:-}" ]]; then
  O2HUB_CMAKE_ARGS=-DO2HUB_BENCH=ON "$here/scripts/build.sh" "$build" Release o2hub >/dev/null
  cmake --build "$build" --target bench_httpfloor >/dev/null
fi
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
intent=18632 monitor=18633 floor_health=18634 floor_intent=18635
printf 'llm:\n  cache_size: 0\n' >"$tmp/o2hub.yaml"
"$build/o2hub" intent --port "$intent" --config "$tmp/o2hub.yaml" --data-dir "$tmp/d1" \
  --log-level warn >"$tmp/intent.log" 2>&1 &
pids+=($!)
pid_intent=$!
"$build/o2hub" monitor --port "$monitor" --config "$tmp/o2hub.yaml" --data-dir "$tmp/d2" \
  --log-level warn >"$tmp/monitor.log" 2>&1 &
pids+=($!)
pid_monitor=$!
for port in "$intent" "$monitor"; do
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.1
  done
done

# What o2hub answers, whole, for the floor to answer alike.
body=$(sed -n "s/^wrk.body = '\(.*\)'$/\1/p" "$here/bench/intent_post.lua")
curl -fsi "http://127.0.0.1:$monitor/health" >"$tmp/health.http"
curl -fsi -X POST -H 'Content-Type: application/json' -d "$body" \
  "http://127.0.0.1:$intent/api/v1/intent" >"$tmp/intent.http"
"$build/bench/bench_httpfloor" "$floor_health" "$tmp/health.http" 2 &
pids+=($!)
pid_floor_health=$!
"$build/bench/bench_httpfloor" "$floor_intent" "$tmp/intent.http" 2 &
pids+=($!)
pid_floor_intent=$!
sleep 0.5
echo "answers: /health $(wc -c <"$tmp/health.http") bytes, intent POST" \
  "$(wc -c <"$tmp/intent.http") bytes (headers included), the floor's the same bytes"

run() { # label pid url lua
  local before after out reqs rps errors
  before=$(cpu_us "$2")
  out=$(wrk -t2 -c64 -d"${seconds}s" -s "$4" "$3")
  after=$(cpu_us "$2")
  reqs=$(sed -n 's/^requests: \([0-9]*\),.*/\1/p' <<<"$out")
  rps=$(sed -n 's/^req\/s: \([0-9.]*\)/\1/p' <<<"$out")
  errors=$(sed -n 's/^requests: [0-9]*, errors: \([0-9]*\).*/\1/p' <<<"$out")
  awk -v l="$1" -v r="$reqs" -v s="$rps" -v b="$before" -v a="$after" -v e="$errors" \
    -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { split(b, b2, " "); split(a, a2, " "); if (r == 0) r = 1
             u = (a2[1] - b2[1]) / r; k = (a2[2] - b2[2]) / r
             printf "%-22s %9.0f req/s  %6.1f us CPU/request (user %4.1f, system %4.1f)  errors %s  load %s\n",
                    l, s, u + k, u, k, e, load }'
}
for pair in $(seq 1 "$pairs"); do
  echo "-- pair $pair"
  run "floor /health" "$pid_floor_health" "http://127.0.0.1:$floor_health/health" \
    "$here/bench/count.lua"
  run "o2hub monitor /health" "$pid_monitor" "http://127.0.0.1:$monitor/health" \
    "$here/bench/count.lua"
  run "floor intent POST" "$pid_floor_intent" "http://127.0.0.1:$floor_intent/api/v1/intent" \
    "$here/bench/intent_post.lua"
  run "o2hub intent POST" "$pid_intent" "http://127.0.0.1:$intent/api/v1/intent" \
    "$here/bench/intent_post.lua"
done
echo "cores: $(nproc); wrk -t2 -c64 shares them with the server measured"
