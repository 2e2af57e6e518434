#!/usr/bin/env bash
# Stops every o2hub service started by start-websocket-services.sh.
#   --force       SIGKILL what does not stop within 5 s after SIGTERM
#   --clean-logs  delete logs/services/*.log afterwards
#   --kill-session  also end the shared tmux session (tmux -L o2hub); by
#                 default it outlives o2hub, like any tmux session, and the
#                 next start attaches to it again
# The options combine. (The original stopped only the first service because
# of `((count++))` under `set -e`; this one stops all.)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
logs="$here/logs/services"
force=0
clean=0
kill_session=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    --clean-logs) clean=1 ;;
    --kill-session) kill_session=1 ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (use --force, --clean-logs, --kill-session)" >&2; exit 2 ;;
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

if [[ $kill_session == 1 ]]; then
  tmux -L "${O2HUB_TMUX_SOCKET:-o2hub}" kill-server 2>/dev/null &&
    echo "tmux session ended" || echo "no tmux session running"
fi
if [[ $clean == 1 ]]; then
  rm -f "$logs"/*.log
  echo "logs removed"
fi
echo "$stopped service process(es) stopped"
[[ $failed == 0 ]]
