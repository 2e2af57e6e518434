#!/usr/bin/env bash
# Starts o2hub's three services (intent 8002, realtime monitor 8003, tmux
# bridge 8004) in the background, the seed's way: pid file and log under
# logs/services/, waits for every /health, prints the URLs.
#
#   start-websocket-services.sh [start]      install/build when needed, start
#   start-websocket-services.sh status       process and /health of each service
#   start-websocket-services.sh logs [svc]   follow the log (svc: intent|monitor|
#                                            bridge or the seed's names)
#   start-websocket-services.sh stop         same as stop-websocket-services.sh
#   start-websocket-services.sh restart
#
# Environment: O2HUB_CONFIG (an o2hub.yaml; default config/o2hub.yaml when it
# exists, else the embedded defaults), O2HUB_BIND, O2HUB_TOKEN,
# O2HUB_VIEWER_TOKEN, O2HUB_EDGE_SIM (1 = also run `o2hub edge-sim`, the
# simulated edge sites, pid/log logs/services/edge-sim.*; the default; set 0
# when the configured sites are real).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
logs="$here/logs/services"
pidfile="$logs/o2hub.pid"
logfile="$logs/o2hub.log"
sim_pidfile="$logs/edge-sim.pid"
sim_logfile="$logs/edge-sim.log"
sim_port=30200
edge_sim="${O2HUB_EDGE_SIM:-1}"
binary="$here/build/o2hub"
config="${O2HUB_CONFIG:-}"
[[ -z "$config" && -f "$here/config/o2hub.yaml" ]] && config="$here/config/o2hub.yaml"

# Ports as configured (the defaults unless the config says otherwise).
port_of() {
  local svc=$1 default=$2 value=""
  if [[ -n "$config" ]]; then
    value=$(awk -v svc="  $svc:" '
      $0 == svc { inside = 1; next }
      inside && /^    port:/ { print $2; exit }
      inside && !/^    / { inside = 0 }' "$config")
  fi
  echo "${value:-$default}"
}
intent_port=$(port_of intent 8002)
monitor_port=$(port_of monitor 8003)
bridge_port=$(port_of bridge 8004)
host="${O2HUB_BIND:-127.0.0.1}"
[[ "$host" == "0.0.0.0" ]] && host=127.0.0.1

running_pid() {
  local file="${1:-$pidfile}"
  [[ -f "$file" ]] || return 1
  local pid
  pid=$(cat "$file")
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

start_edge_sim() {
  [[ "$edge_sim" == 1 ]] || return 0
  if pid=$(running_pid "$sim_pidfile"); then
    return 0
  fi
  local sargs=(edge-sim --data-dir "$here/data" --control-port "$sim_port")
  [[ -n "$config" ]] && sargs+=(--config "$config")
  echo "Starting simulated edge sites: o2hub ${sargs[*]}"
  nohup "$binary" "${sargs[@]}" >>"$sim_logfile" 2>&1 </dev/null &
  echo $! >"$sim_pidfile"
  local deadline=$((SECONDS + 15))
  until curl -fsS --max-time 2 "http://127.0.0.1:$sim_port/health" >/dev/null 2>&1; do
    if ! running_pid "$sim_pidfile" >/dev/null; then
      echo "edge-sim exited during start-up; last log lines:" >&2
      tail -20 "$sim_logfile" >&2
      rm -f "$sim_pidfile"
      exit 1
    fi
    if ((SECONDS > deadline)); then
      echo "edge-sim did not answer on port $sim_port; see $sim_logfile" >&2
      exit 1
    fi
    sleep 0.2
  done
}

health() {
  curl -fsS --max-time 2 "http://$host:$1/health" 2>/dev/null
}

start() {
  if pid=$(running_pid); then
    echo "o2hub is already running (pid $pid)"
    status
    return 0
  fi
  "$here/scripts/setup.sh" --quiet
  # Only the binary it runs (no tests, no benches); ninja's [n/N] progress
  # is shown as it goes and kept in the log.
  echo "Building o2hub (incremental, ${O2HUB_BUILD_TYPE:-RelWithDebInfo}; log: $logs/build.log)..."
  local build_start=$SECONDS
  local rc_file="$logs/build.rc"
  { "$here/scripts/build.sh" "$here/build" "${O2HUB_BUILD_TYPE:-RelWithDebInfo}" o2hub 2>&1 \
      && echo 0 >"$rc_file" || echo $? >"$rc_file"; } \
    | tee "$logs/build.log" | { grep --line-buffered -E '^\[[0-9]+/[0-9]+\]' || true; } \
    | sed -u -E 's/^(\[[0-9]+\/[0-9]+\]) [A-Za-z ]+ (CMakeFiles\/[^/]+\/)?/  \1 /; s/\.o$//'
  if [[ "$(cat "$rc_file")" != 0 ]]; then
    echo "build failed; see $logs/build.log" >&2
    tail -20 "$logs/build.log" >&2
    exit 1
  fi
  echo "Built in $((SECONDS - build_start)) s"
  start_edge_sim
  args=(serve --data-dir "$here/data")
  [[ -n "$config" ]] && args+=(--config "$config")
  [[ -n "${O2HUB_BIND:-}" ]] && args+=(--bind "$O2HUB_BIND")
  echo "Starting o2hub ${args[*]}"
  nohup "$binary" "${args[@]}" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  local deadline=$((SECONDS + 30))
  for port in "$intent_port" "$monitor_port" "$bridge_port"; do
    until health "$port" >/dev/null; do
      if ! running_pid >/dev/null; then
        echo "o2hub exited during start-up; last log lines:" >&2
        tail -20 "$logfile" >&2
        rm -f "$pidfile"
        exit 1
      fi
      if ((SECONDS > deadline)); then
        echo "no /health on port $port after 30 s; see $logfile" >&2
        exit 1
      fi
      sleep 0.2
    done
  done
  echo
  echo "o2hub is up (pid $(cat "$pidfile")):"
  echo "  Intent service   http://$host:$intent_port   (API docs: /docs, WebSocket: /ws)"
  echo "  Realtime monitor http://$host:$monitor_port   (dashboard: /, WebSocket: /ws)"
  echo "  TMux bridge      http://$host:$bridge_port   (terminal: /, WebSocket: /ws)"
  [[ "$edge_sim" == 1 ]] &&
    echo "  Simulated edges  edge1-4 (faults: http://127.0.0.1:$sim_port/sim/faults; log $sim_logfile)"
  echo "Logs: $logfile   Stop: scripts/stop-websocket-services.sh"
}

status() {
  local pid state=0
  if pid=$(running_pid); then
    echo "o2hub: running (pid $pid)"
  else
    echo "o2hub: not running"
    state=1
  fi
  if [[ "$edge_sim" == 1 ]]; then
    if pid=$(running_pid "$sim_pidfile"); then
      echo "edge-sim: running (pid $pid)"
    else
      echo "edge-sim: not running"
      state=1
    fi
  fi
  for entry in "intent:$intent_port" "monitor:$monitor_port" "bridge:$bridge_port"; do
    local name=${entry%%:*} port=${entry##*:} body
    if body=$(health "$port"); then
      printf '  %-8s port %-5s %s\n' "$name" "$port" "$body"
    else
      printf '  %-8s port %-5s DOWN\n' "$name" "$port"
      state=1
    fi
  done
  return $state
}

logs() {
  [[ -f "$logfile" ]] || { echo "no log yet: $logfile" >&2; exit 1; }
  local svc="${1:-}"
  case "$svc" in
    "" | o2hub | all) exec tail -n 100 -f "$logfile" ;;
    intent | claude-headless) svc=intent ;;
    monitor | realtime-monitor) svc=monitor ;;
    bridge | tmux-websocket-bridge) svc=bridge ;;
    edge-sim | sim) exec tail -n 100 -f "$sim_logfile" ;;
    *) echo "unknown service '$svc' (intent, monitor, bridge)" >&2; exit 2 ;;
  esac
  # One process serves all three; show the lines of the one asked for.
  tail -n 1000 -f "$logfile" | grep --line-buffered "\"service\":\"$svc\""
}

mkdir -p "$logs"
case "${1:-start}" in
  start) start ;;
  status) status ;;
  logs) logs "${2:-}" ;;
  stop) exec "$here/scripts/stop-websocket-services.sh" "${@:2}" ;;
  restart) "$here/scripts/stop-websocket-services.sh"; start ;;
  -h | --help | help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) echo "usage: $0 [start|status|logs [service]|stop|restart]" >&2; exit 2 ;;
esac
