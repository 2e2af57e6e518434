#!/usr/bin/env bash
# Configures and builds o2hub.
#   scripts/build.sh [BUILD_DIR] [BUILD_TYPE] [TARGET...]
# Defaults: build/, RelWithDebInfo, every target. Incremental; ccache is used
# when present. O2HUB_CMAKE_ARGS adds cache entries at configure time (the
# bench scripts pass -DO2HUB_BENCH=ON).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$here/build}"
type="${2:-RelWithDebInfo}"
shift $(( $# < 2 ? $# : 2 ))
targets=()
for t in "$@"; do targets+=(--target "$t"); done
# ccache: relative paths below the checkout, so clones share the cache ...
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$here}"
# ... and the build directory (in -g debug info) is not hashed either.
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
read -r -a extra <<<"${O2HUB_CMAKE_ARGS:-}"
# The CI build type (ASan + UBSan, -O0: the tests) compiles with clang when
# it is installed (scripts/setup.sh installs it for the fuzz targets): a
# cold build took 327 s with clang against 556 s with g++ on 2 cores, the
# tests run as fast. The product's build types keep the system compiler
# (g++), whose code the benchmarks measured. CXX set by the caller wins.
compiler=()
if [[ "$type" == CI && -z "${CXX:-}" ]] && command -v clang++ >/dev/null; then
  compiler=(-DCMAKE_CXX_COMPILER="$(command -v clang++)")
  # A build directory configured with another compiler starts afresh.
  if [[ -f "$dir/CMakeCache.txt" ]] \
    && ! grep -q "^CMAKE_CXX_COMPILER:[A-Z]*=$(command -v clang++)\$" "$dir/CMakeCache.txt"; then
    rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
  fi
fi
if [[ ! -f "$dir/build.ninja" || ! -f "$dir/CMakeCache.txt" ]] || ! grep -q "CMAKE_BUILD_TYPE:STRING=$type\$" "$dir/CMakeCache.txt" 2>/dev/null; then
  cmake -S "$here" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" "${compiler[@]}" "${extra[@]}" >/dev/null
elif ((${#extra[@]} > 0)); then
  cmake -B "$dir" "${extra[@]}" >/dev/null
fi
cmake --build "$dir" "${targets[@]}"
