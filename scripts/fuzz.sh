#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/, clang, ASan + UBSan) in
# build-fuzz/ and runs each for SECONDS (default 15) on its committed seed
# corpus (tests/fuzz/corpus/<name>/; new inputs go to a scratch directory, the
# committed corpus is not changed). A crash, leak or UB report fails the run
# and leaves the input in build-fuzz/findings/ (each finding becomes a
# regression test). Prints runs, exec/s and coverage per target.
#   scripts/fuzz.sh [seconds] [target...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-15}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(intent_json rules config tmux router alerts tmf)
dir="${O2HUB_FUZZ_BUILD_DIR:-$here/build-fuzz}"
export CCACHE_BASEDIR="$here" CCACHE_NOHASHDIR=1
if [[ ! -f "$dir/build.ninja" ]]; then
  cmake -S "$here" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_COMPILER=clang++ -DO2HUB_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
fi
start=$(date +%s)
cmake --build "$dir" --target fuzz_targets
echo "fuzz: build took $(( $(date +%s) - start )) s"
mkdir -p "$dir/findings"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=0
printf '%-12s %10s %9s %6s %s\n' target runs exec/s cov result
for t in "${targets[@]}"; do
  mkdir -p "$scratch/$t"
  log="$scratch/$t.log"
  set +e
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$dir/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 \
    -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$dir/findings/$t-" \
    "$scratch/$t" "$here/tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -1)
  if ((rc == 0)); then
    result=ok
  else
    result="FOUND (see $dir/findings/$t-*)"
    failed=1
    tail -40 "$log" >&2
  fi
  printf '%-12s %10s %9s %6s %s\n' "$t" "${runs:-?}" "${rate:-?}" "${cov:-?}" "$result"
done
exit $failed
