#!/usr/bin/env bash
# Installs everything o2hub needs on Debian 12: the -dev packages it builds
# against, the tools it runs (tmux, Chromium for browser tests), and the npm
# packages its pages use (vendored into webui/node_modules; nothing is ever
# loaded from a CDN). Idempotent: a second run installs nothing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
quiet=0
[[ "${1:-}" == "--quiet" ]] && quiet=1

say() { [[ $quiet == 1 ]] || echo "setup: $*"; }

packages=(
  build-essential cmake ninja-build ccache lld pkg-config git python3
  clang-format                    # scripts/check-format.sh
  clang libclang-rt-14-dev        # libFuzzer targets (scripts/fuzz.sh)
  libcaf-dev                      # CAF 0.17.6: caf_core, caf_io, caf_openssl
  libboost-dev libboost-test-dev  # Beast, Asio, Boost.Test (1.74)
  libsimdjson-dev libyaml-cpp-dev libcurl4-openssl-dev libssl-dev
  libspdlog-dev libcli11-dev
  libsqlite3-dev libgit2-dev      # durable state and GitOps (later issues)
  libedit-dev                     # the console's line editing, history, completion
  libjemalloc-dev                 # o2hub's allocator in the product's builds (issue 16)
  tmux curl wrk libbenchmark-dev  # wrk and Google Benchmark for bench/
  openssl                         # scripts/gen-dev-certs.sh
  chromium                        # the browser test harness
  gdb                             # backtraces of a test's stuck process (tests/support)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js and npm: any installation will do (the machine may ship its own).
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if ((${#missing[@]} > 0)); then
  say "installing ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
    sudo_cmd=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  say "Debian packages present"
fi

# npm packages: reinstall only when package-lock.json changed.
stamp="$here/webui/node_modules/.o2hub-installed"
if [[ ! -f "$stamp" || "$here/webui/package-lock.json" -nt "$stamp" ]]; then
  say "installing npm packages into webui/node_modules"
  (cd "$here/webui" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
  touch "$stamp"
else
  say "npm packages present"
fi
