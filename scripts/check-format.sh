#!/usr/bin/env bash
# Checks that every C++ file in the repository is formatted by clang-format
# (.clang-format; Debian's clang-format). With --fix, formats them instead.
#   scripts/check-format.sh [--fix]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' | grep -v '^webui/')
if [[ "${1:-}" == "--fix" ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if clang-format --dry-run --Werror "${files[@]}" 2>/tmp/o2hub-format.$$; then
  echo "format: ${#files[@]} files formatted"
  rm -f /tmp/o2hub-format.$$
else
  grep -E '^[^ ].*: (error|warning)' /tmp/o2hub-format.$$ | cut -d: -f1 | sort -u \
    | sed 's/^/format: not formatted: /'
  rm -f /tmp/o2hub-format.$$
  echo "format: run scripts/check-format.sh --fix" >&2
  exit 1
fi
