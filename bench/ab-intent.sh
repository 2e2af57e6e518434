#!/usr/bin/env bash
# A/B of the intent POST path (rules, cache off, wrk -t2 -c64) between two
# o2hub binaries: both run side by side for the whole bench, the wrk runs
# alternate between them, and each run prints o2hub's CPU per request from
# /proc split into user and system time, with the load average. Prints
# figures; asserts nothing.
#   bench/ab-intent.sh OLD_BINARY NEW_BINARY [pairs=4] [seconds=5]
# On this VM the speed drifts by up to 30% from one 5 s run to the next, so
# a difference of a few percent needs callgrind's instruction counts (see
# README); loading both at once (a wrk each) was tried and is noisier still.
# e.g. a worktree of an older commit, built by its own script:
#   git worktree add /tmp/old REV && /tmp/old/scripts/build.sh /tmp/old/build Release o2hub
# (scripts/build.sh of this checkout would build this checkout's sources).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
old="$1" new="$2" pairs="${3:-4}" seconds="${4:-5}"
# shellcheck source=bench/common.sh
source "$here/bench/common.sh"
printf 'llm:\n  cache_size: 0\n' >"$tmp/o2hub.yaml"
start() { # binary port label -> pid in started_pid
  "$1" intent --port "$2" --config "$tmp/o2hub.yaml" --log-level warn \
    --data-dir "$tmp/data-$3" >"$tmp/log-$3" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$2/health" >/dev/null && return 0
    sleep 0.1
  done
  echo "$3 ($1) did not answer on port $2; its log:" >&2
  cat "$tmp/log-$3" >&2
  exit 1
}
start "$old" 18612 old
pid_old=$started_pid
start "$new" 18614 new
pid_new=$started_pid
report() { # label before after wrk-output
  local reqs rps
  reqs=$(awk '/requests in/{print $1}' <<<"$4")
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$4")
  awk -v l="$1" -v r="$reqs" -v s="$rps" -v b="$2" -v a="$3" \
    -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { split(b, b2, " "); split(a, a2, " "); if (r == 0) r = 1
             u = (a2[1] - b2[1]) / r; k = (a2[2] - b2[2]) / r
             printf "%-4s %9.0f req/s  %5.1f us CPU/request (user %4.1f, system %4.1f)  load %s\n",
                    l, s, u + k, u, k, load }'
}
run() { # label pid port
  local before after out
  before=$(cpu_us "$2")
  out=$(wrk -t2 -c64 -d"${seconds}s" -s "$here/bench/intent_post.lua" \
    "http://127.0.0.1:$3/api/v1/intent")
  after=$(cpu_us "$2")
  report "$1" "$before" "$after" "$out"
}
for _ in $(seq 1 "$pairs"); do
  run old "$pid_old" 18612
  run new "$pid_new" 18614
done
