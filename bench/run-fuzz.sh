#!/usr/bin/env bash
# Runs every fuzz target longer than CI does (default 300 s each) and prints
# runs, exec/s and coverage per target (scripts/fuzz.sh does the work).
#   bench/run-fuzz.sh [seconds] [target...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-300}"
shift || true
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$here/scripts/fuzz.sh" "$seconds" "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
