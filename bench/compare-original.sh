#!/usr/bin/env bash
# o2hub side by side with the original Python services (issue 16): the same
# load, A/B alternated, one table with ratios and each run's load average.
#
#   bench/compare-original.sh ORIGINAL [seconds (10)] [rounds (2)] [clients (1000)]
#
# ORIGINAL: a checkout of github.com/thc1006/nephio-intent-to-o2-demo (its
# services/*.py; not part of this repository). Needs Debian's
# python3-fastapi python3-uvicorn python3-websockets, wrk, curl. The copies
# run on loopback only: this script patches 0.0.0.0 -> 127.0.0.1 and the
# monitor's 172.16.x edge addresses -> 127.0.0.1 (nothing leaves the
# machine), makes PipelineStage a str Enum (its WebSocket crashes without),
# and puts a stub `claude` on PATH that only answers --version (so the
# original's intent path is its rule fallback, like o2hub's rules).
#
# o2hub is the build the README's start command makes (build/,
# RelWithDebInfo unless O2HUB_BUILD_TYPE says otherwise; O2HUB_BENCH_BUILD=DIR
# takes an existing build as it is), running the
# intent and monitor services alone on other ports. CPU per request is the
# server's utime+stime from /proc/<pid>/stat around the wrk run, divided by
# the requests wrk counted. wrk and the servers share the machine's cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
original="${1:?usage: bench/compare-original.sh ORIGINAL [seconds] [rounds] [clients]}"
seconds="${2:-10}"
rounds="${3:-2}"
clients="${4:-1000}"
[[ -f "$original/services/claude_headless.py" ]] || {
  echo "no services/claude_headless.py under $original" >&2
  exit 2
}
# O2HUB_BENCH_BUILD=DIR: take o2hub from DIR as it is (say so in the figures).
build="${O2HUB_BENCH_BUILD:-$here/build}"
[[ -n "${O2HUB_BENCH_BUILD:-}" ]] \
  || "$here/scripts/build.sh" "$build" "${O2HUB_BUILD_TYPE:-RelWithDebInfo}" o2hub >/dev/null
[[ -x "$here/build-release/bench/bench_fanout" && -n "${O2HUB_BENCH_BUILD:-}" ]] \
  || O2HUB_CMAKE_ARGS=-DO2HUB_BENCH=ON "$here/scripts/build.sh" "$here/build-release" Release \
    bench_fanout >/dev/null
fanout="$here/build-release/bench/bench_fanout"
ulimit -n "$(ulimit -Hn)"

# shellcheck source=bench/common.sh
source "$here/bench/common.sh"

# -- the original, patched for loopback ---------------------------------------
mkdir -p "$tmp/orig" "$tmp/bin"
for f in claude_headless.py realtime_monitor.py; do
  sed -e 's/0\.0\.0\.0/127.0.0.1/g' \
    -e 's/172\.16\.[0-9]*\.[0-9]*/127.0.0.1/g' \
    -e 's/class PipelineStage(Enum)/class PipelineStage(str, Enum)/' \
    "$original/services/$f" >"$tmp/orig/$f"
done
if grep -q '172\.16\.' "$tmp/orig/"*.py; then
  echo "a 172.16 address survived the patch; not starting the original" >&2
  exit 1
fi
cat >"$tmp/bin/claude" <<'SH'
#!/bin/sh
[ "$1" = "--version" ] && { echo "stub 0.0.0"; exit 0; }
exit 1
SH
chmod +x "$tmp/bin/claude"

o_intent=18702 o_monitor=18703 h_intent=18712 h_monitor=18713
start_original() { # module port
  (cd "$tmp/orig" && PATH="$tmp/bin:$PATH" exec /usr/bin/python3 -m uvicorn "$1:app" \
    --host 127.0.0.1 --port "$2" --log-level warning) >"$tmp/$1.log" 2>&1 &
  pids+=($!)
}
start_original claude_headless "$o_intent"
pid_o_intent=${pids[-1]}
start_original realtime_monitor "$o_monitor"
pid_o_monitor=${pids[-1]}

# -- o2hub --------------------------------------------------------------------
cat >"$tmp/o2hub.yaml" <<YAML
llm:
  cache_size: 0
http:
  ws_queue_limit: 64
YAML
"$build/o2hub" intent --port "$h_intent" --config "$tmp/o2hub.yaml" --data-dir "$tmp/d1" \
  --log-level warn >"$tmp/o2hub-intent.log" 2>&1 &
pids+=($!)
pid_h_intent=${pids[-1]}
"$build/o2hub" monitor --port "$h_monitor" --config "$tmp/o2hub.yaml" --data-dir "$tmp/d2" \
  --log-level warn >"$tmp/o2hub-monitor.log" 2>&1 &
pids+=($!)
pid_h_monitor=${pids[-1]}

for port in "$o_intent" "$o_monitor" "$h_intent" "$h_monitor"; do
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null && break
    sleep 0.1
  done
  curl -fs "http://127.0.0.1:$port/health" >/dev/null || {
    echo "no /health on $port; logs in $tmp" >&2
    exit 1
  }
done

cpu_total_us() { # pid -> utime+stime in microseconds
  cpu_us "$1" | awk '{ print $1 + $2 }'
}
loadavg() { cut -d' ' -f1 /proc/loadavg; }

# One wrk run: prints "req/s cpu_us_per_request load".
run_wrk() { # pid url [lua]
  local before after out reqs rps
  before=$(cpu_total_us "$1")
  if [[ -n "${3:-}" ]]; then
    out=$(wrk -t2 -c64 -d"${seconds}s" -s "$3" "$2")
  else
    out=$(wrk -t2 -c64 -d"${seconds}s" -s "$here/bench/count.lua" "$2")
  fi
  after=$(cpu_total_us "$1")
  reqs=$(sed -n 's/^requests: \([0-9]*\),.*/\1/p' <<<"$out")
  rps=$(sed -n 's/^req\/s: \([0-9.]*\)/\1/p' <<<"$out")
  awk -v r="$reqs" -v s="$rps" -v b="$before" -v a="$after" -v l="$(loadavg)" \
    'BEGIN { printf "%.0f %.1f %s\n", s, (r > 0 ? (a - b) / r : 0), l }'
}

declare -A result
note() { result["$1"]+="$2;"; }

measure() { # who intent-pid intent-port monitor-pid monitor-port
  note "intent:$1" "$(run_wrk "$2" "http://127.0.0.1:$3/api/v1/intent" \
    "$here/bench/intent_post.lua")"
  note "health:$1" "$(run_wrk "$4" "http://127.0.0.1:$5/health")"
  note "fanout:$1" "$("$fanout" "$5" "$clients" "$4" 3 \
    | sed -n 's/^median of .*p99 \([0-9.]*\) ms; server CPU per delivered message \([0-9.]*\) us.*/\1 \2/p') $(loadavg)"
}

for round in $(seq 1 "$rounds"); do
  # A/B alternated: the original first in odd rounds, o2hub first in even.
  order=(orig hub)
  ((round % 2 == 0)) && order=(hub orig)
  for who in "${order[@]}"; do
    if [[ $who == orig ]]; then
      measure orig "$pid_o_intent" "$o_intent" "$pid_o_monitor" "$o_monitor"
    else
      measure hub "$pid_h_intent" "$h_intent" "$pid_h_monitor" "$h_monitor"
    fi
  done
done

# -- the table ------------------------------------------------------------------
median() { tr ' ' '\n' | sort -g | awk '{ a[NR] = $1 } END { print (NR ? a[int((NR + 1) / 2)] : 0) }'; }
col() { # key field -> the runs' values of that field, space separated
  tr ';' '\n' <<<"${result[$1]}" | awk -v f="$2" 'NF { printf "%s ", $f }'
}
printf '%-44s %14s %14s %8s\n' "figure (median of $rounds runs; loads: orig | o2hub)" original o2hub ratio
row() { # label key field better(higher|lower)
  local o h
  o=$(col "$2:orig" "$3" | median)
  h=$(col "$2:hub" "$3" | median)
  awk -v l="$1" -v o="$o" -v h="$h" -v b="$4" 'BEGIN {
    r = (b == "higher") ? (o > 0 ? h / o : 0) : (h > 0 ? o / h : 0)
    printf "%-44s %14s %14s %7.1fx\n", l, o, h, r }'
}
row "POST /api/v1/intent req/s (wrk -c64)" intent 1 higher
row "  server CPU per request (us)" intent 2 lower
row "GET /health (monitor) req/s (wrk -c64)" health 1 higher
row "  server CPU per request (us)" health 2 lower
row "fan-out $clients clients, p99 (ms)" fanout 1 lower
row "  server CPU per delivered message (us)" fanout 2 lower
echo "load averages per run: intent $(col intent:orig 3)| $(col intent:hub 3); /health" \
  "$(col health:orig 3)| $(col health:hub 3); fan-out $(col fanout:orig 3)| $(col fanout:hub 3)"
echo "o2hub: $build/o2hub; cores: $(nproc); wrk -t2 and the fan-out client share them with the servers"
