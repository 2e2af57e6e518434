#!/usr/bin/env bash
# Stops every o2hub service started by start-websocket-services.sh.
#   --force       SIGKILL what does not stop within 5 s after SIGTERM
#   --clean-logs  delete logs/services/*.log afterwards
# The options combine. (The original stopped only the first service because
# of `((count++))` under `set -e`; this one stops all.)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
logs="$here/logs/services"
force=0
clean=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --clean-logs) clean=1 ;;
    -h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (use --force, --clean-logs)" >&2; exit 2 ;;
  esac
done

stopped=0
failed=0
shopt -s nullglob
for pidfile in "$logs"/*.pid; do
  name=$(basename "$pidfile" .pid)
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then
    echo "$name: not running"
    rm -f "$pidfile"
    continue
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    if [[ $force == 1 ]]; then
      kill -KILL "$pid" 2>/dev/null || true
      echo "$name: killed (pid $pid)"
    else
      echo "$name: still running after 5 s (pid $pid); use --force" >&2
      failed=$((failed + 1))
      continue
    fi
  else
    echo "$name: stopped (pid $pid)"
  fi
  rm -f "$pidfile"
  stopped=$((stopped + 1))
done

if [[ $clean == 1 ]]; then
  rm -f "$logs"/*.log
  echo "logs removed"
fi
echo "$stopped service process(es) stopped"
[[ $failed == 0 ]]
