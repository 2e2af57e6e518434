# shellcheck shell=bash
# Sourced by the bench scripts (bash): a temporary directory `tmp`, removed
# at exit together with every process whose pid is in `pids`; and a
# process's CPU time from /proc.

tmp=$(mktemp -d)
pids=()
bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap bench_cleanup EXIT

# pid -> "utime stime" in microseconds
cpu_us() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print $12 * 1e6 / hz, $13 * 1e6 / hz }' \
    "/proc/$1/stat"
}
