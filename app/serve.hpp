// Runs o2hub's services (intent 8002, monitor 8003, bridge 8004) in this
// process: actor system, Asio threads, routes, signals, graceful shutdown.
#pragma once

#include "config/config.hpp"

#include <string>

namespace o2hub {

struct run_options {
  config cfg;
  bool intent = true;
  bool monitor = true;
  bool bridge = true;
  /// "HOST:PORT" of a hub: the intent service starts pipelines there.
  std::string hub;
};

/// Runs until SIGINT/SIGTERM. Returns the process exit code: 0 after a clean
/// shutdown, 1 when a port cannot be bound, 2 for a refused configuration.
int run_services(const run_options& opts);

/// Why the services must not start with this configuration, or "".
std::string refuse_reason(const run_options& opts, bool tokens_configured);

} // namespace o2hub
