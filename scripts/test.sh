#!/usr/bin/env bash
# Runs every test: installs what is missing (scripts/setup.sh), builds in the
# CI build type (warnings are errors, AddressSanitizer + UBSan on) and runs
# ctest. Usage: scripts/test.sh [ctest arguments...]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${O2HUB_TEST_BUILD_DIR:-$here/build-ci}"
"$here/scripts/setup.sh" --quiet
start=$(date +%s)
"$here/scripts/build.sh" "$dir" CI
echo "test: build took $(( $(date +%s) - start )) s"
cd "$dir"
ctest --output-on-failure -j2 "$@"
