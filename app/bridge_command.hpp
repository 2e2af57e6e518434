// What the bridge's tmux session runs.
#pragma once

#include "config/config.hpp"
#include "io/tmux.hpp"

namespace o2hub {

/// The configured command, else the LLM CLI when that is the configured
/// backend (and installed), else `o2hub console` talking to this process's
/// intent service and monitor.
tmux_options bridge_tmux_options(const config& cfg);

/// Where the console in the pane finds the operator token.
std::string console_token_file(const config& cfg);

/// Writes the operator token ("" when none) for the console, mode 0600,
/// atomically; false when it could not.
bool write_console_token(const config& cfg, const std::string& token);

} // namespace o2hub
