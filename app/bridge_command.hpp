// What the bridge's tmux session runs.
#pragma once

#include "config/config.hpp"
#include "io/tmux.hpp"

namespace o2hub {

/// The configured command, else the LLM CLI when that is the configured
/// backend (and installed), else `o2hub console` talking to this process's
/// intent service and monitor.
tmux_options bridge_tmux_options(const config& cfg);

} // namespace o2hub
