#!/usr/bin/env bash
# Configures and builds o2hub. Usage: scripts/build.sh [BUILD_DIR] [BUILD_TYPE]
# (defaults: build RelWithDebInfo). Incremental; ccache is used when present.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$here/build}"
# ccache: relative paths below the checkout, so clones share the cache.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$here}"
# ... and the build directory (in -g debug info) is not hashed either.
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
type="${2:-RelWithDebInfo}"
if [[ ! -f "$dir/build.ninja" ]] || ! grep -q "CMAKE_BUILD_TYPE:STRING=$type\$" "$dir/CMakeCache.txt" 2>/dev/null; then
  cmake -S "$here" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" >/dev/null
fi
cmake --build "$dir"
