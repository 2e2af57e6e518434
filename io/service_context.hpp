// What every service's routes share: the actor system, configuration, the
// service's status actor and metrics, the pages' folder.
#pragma once

#include "config/config.hpp"
#include "io/metrics.hpp"
#include "protocol/actors.hpp"
#include "protocol/health_board.hpp"
#include "protocol/intent_board.hpp"

#include <caf/fwd.hpp>

#include <memory>
#include <string>

namespace o2hub {

struct service_context {
  caf::actor_system* sys = nullptr;
  const config* cfg = nullptr;
  std::string name;
  status_actor status;
  /// The status actor's latest report, for GET /health without a message.
  std::shared_ptr<health_board> health;
  /// The intent actor's latest counters (the intent service only).
  std::shared_ptr<intent_board> intent_counters;
  std::shared_ptr<http_metrics> metrics;
  std::string webui;
};

} // namespace o2hub
