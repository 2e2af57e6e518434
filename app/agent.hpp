// `o2hub agent --site S --hub HOST:PORT`: an edge agent node (issue 11).
#pragma once

#include "config/config.hpp"

#include <string>

namespace o2hub {

struct agent_run_options {
  std::string site;
  /// "HOST:PORT" of the hub's nodes endpoint.
  std::string hub;
};

/// Runs until SIGINT/SIGTERM. Returns the exit code (2: refused options).
int run_agent(const config& cfg, const agent_run_options& opts);

} // namespace o2hub
