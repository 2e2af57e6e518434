#!/usr/bin/env bash
# Instructions per intent POST (rules, cache off), counted by callgrind for
# the whole process: the same count on every run of the same binary, however
# busy or slow the machine is — on this VM, whose speed drifts by up to 30%
# between runs, the way to see a change of a few percent. For each binary:
# start it under callgrind, warm up, zero the counters, drive it with
# wrk -t1 -c4 for `seconds`, dump, divide by the requests wrk counted.
# Prints figures; asserts nothing.
#   bench/callgrind-intent.sh [seconds=10] BINARY [BINARY...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-10}"
shift
[ $# -ge 1 ] || {
  echo "usage: $0 [seconds] BINARY [BINARY...]" >&2
  exit 2
}
command -v valgrind >/dev/null || {
  echo "valgrind is not installed (apt-get install valgrind)" >&2
  exit 2
}
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
printf 'llm:\n  cache_size: 0\n' >"$tmp/o2hub.yaml"
port=18616
url="http://127.0.0.1:$port/api/v1/intent"
body='{"text":"Deploy URLLC service with 1ms latency on edge01 and edge02"}'
for binary in "$@"; do
  rm -f "$tmp"/callgrind.out*
  valgrind --tool=callgrind --callgrind-out-file="$tmp/callgrind.out" "$binary" intent \
    --port "$port" --config "$tmp/o2hub.yaml" --log-level warn --data-dir "$tmp/data" \
    >"$tmp/log" 2>&1 &
  pid=$!
  pids=("$pid")
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.2
  done
  for _ in $(seq 1 50); do
    curl -fs -o /dev/null -H 'Content-Type: application/json' -d "$body" "$url"
  done
  callgrind_control --zero "$pid" >/dev/null
  requests=$(wrk -t1 -c4 -d"${seconds}s" -s "$here/bench/intent_post.lua" "$url" |
    awk '/requests in/{print $1}')
  callgrind_control --dump "$pid" >/dev/null
  kill -INT "$pid"
  wait "$pid" 2>/dev/null || true
  pids=()
  # The first dump (after --zero) holds the instructions of the wrk run only.
  total=$(awk '/^(summary|totals):/{print $2; exit}' "$tmp/callgrind.out.1")
  awk -v b="$binary" -v t="$total" -v r="$requests" \
    'BEGIN { printf "%s: %d requests, %.0f instructions per intent POST\n", b, r, t / r }'
done
